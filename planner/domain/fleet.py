"""Couriers and their vehicles: shifts, lunch breaks, capacities, costs, skills."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from planner.domain.hours import TimeWindow


class VehicleType(StrEnum):
    """Vehicle type; each has its own travel-time profile (matrix)."""

    MOTORBIKE = "motorbike"
    CAR = "car"
    VAN = "van"


@dataclass(frozen=True)
class LunchBreak:
    """A break of ``duration_s`` that must start within ``window``."""

    window: TimeWindow
    duration_s: int


@dataclass(frozen=True)
class Courier:
    """One courier with one vehicle for the day.

    ``capacity`` is aligned with ``Problem.dimensions`` (for example items, kg).
    ``cash_limit_vnd`` caps the fees carried at any moment (None: no cap).
    Costs are in VND: ``fixed_cost`` when the courier is used at all, plus
    ``cost_per_km`` and ``cost_per_hour`` of route time.
    """

    id: str
    name: str
    vehicle: VehicleType
    capacity: tuple[int, ...]
    shift: TimeWindow
    start_site: str
    end_site: str
    lunch: LunchBreak | None = None
    max_duration_s: int | None = None
    max_distance_m: int | None = None
    fixed_cost: int = 0
    cost_per_km: int = 0
    cost_per_hour: int = 0
    skills: frozenset[str] = field(default_factory=frozenset)
    cash_limit_vnd: int | None = None
    phone: str = ""

"""Couriers and their vehicles: shifts, lunch breaks, capacities, costs, skills."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
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

    def in_shift(self, shift: TimeWindow) -> LunchBreak | None:
        """The break as it fits in ``shift``: its start window clipped, or None.

        The break starts inside ``window`` and lasts ``duration_s``, so within the
        shift it starts no earlier than the shift and no later than the shift's end
        minus the break. When nothing is left (a shift that ends before the lunch
        window opens, or starts after it closes, such as a morning part-timer) the
        courier takes no lunch break: a break is owed only within working time
        (DOMAIN.md §8, issue 13 "lunch fits the day").

        >>> from planner.domain.hours import hhmm_to_s as h
        >>> lunch = LunchBreak(TimeWindow(h("11:00"), h("13:30")), 3600)
        >>> lunch.in_shift(TimeWindow(h("07:00"), h("11:00"))) is None
        True
        >>> str(lunch.in_shift(TimeWindow(h("07:00"), h("13:00"))).window)
        '11:00–12:00'
        """
        start = max(self.window.start_s, shift.start_s)
        end = min(self.window.end_s, shift.end_s - self.duration_s)
        if start > end:
            return None
        if (start, end) == (self.window.start_s, self.window.end_s):
            return self
        return replace(self, window=TimeWindow(start, end))


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

    def with_lunch_in_shift(self) -> Courier:
        """The courier with its lunch break fitted to the shift (:meth:`LunchBreak.in_shift`)."""
        if self.lunch is None:
            return self
        lunch = self.lunch.in_shift(self.shift)
        return self if lunch == self.lunch else replace(self, lunch=lunch)

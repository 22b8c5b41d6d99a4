"""The plan: routes of stops with times and loads, and every unassigned item with its reason.

Independent of any solver: engines return a :class:`Plan`, and everything that
shows a plan (route sheets, maps, KPIs, the API) reads only this and the
Problem. ``plan.json`` (``planner.output``) is its stable serialised form.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Action(StrEnum):
    """What happens to an item at a stop."""

    PICKUP = "pickup"
    DELIVERY = "delivery"


@dataclass(frozen=True)
class Event:
    """One hand-over: an item picked up or delivered."""

    item: str  # tracking code
    action: Action


@dataclass(frozen=True)
class Stop:
    """One visit to a site: consecutive events at the same site share one visit.

    Times are seconds since midnight of the plan date. ``arrival_s`` is when
    the courier gets there, ``start_s`` when service starts (after waiting for
    the site to open), ``departure_s`` when the courier leaves. ``load_after``
    is the load per dimension when leaving; ``cash_after_vnd`` the fees carried.
    """

    site: str
    arrival_s: int
    start_s: int
    departure_s: int
    events: tuple[Event, ...]
    load_after: tuple[int, ...]
    cash_after_vnd: int = 0
    travel_s: int = 0  # from the previous stop (or the start depot)
    distance_m: int = 0  # from the previous stop (or the start depot)

    @property
    def wait_s(self) -> int:
        """Seconds spent waiting for the site to open."""
        return self.start_s - self.arrival_s


@dataclass(frozen=True)
class Route:
    """One courier's day: from the start depot through the stops to the end depot."""

    courier: str
    start_s: int
    end_s: int
    stops: tuple[Stop, ...]
    distance_m: int  # total, including the way back to the end depot
    lunch_start_s: int | None = None
    lunch_end_s: int | None = None

    @property
    def duration_s(self) -> int:
        """Seconds from leaving the start depot to arriving at the end depot."""
        return self.end_s - self.start_s

    @property
    def events(self) -> tuple[Event, ...]:
        """All events in order."""
        return tuple(e for s in self.stops for e in s.events)


class UnassignedReason(StrEnum):
    """Why an item is left for tomorrow; always computed, never a guess."""

    NO_SKILLED_COURIER = "no_skilled_courier"  # no courier has every required skill
    INCOMPATIBLE = "incompatible"  # no courier may carry its class
    OVER_CAPACITY = "over_capacity"  # larger than every vehicle that could take it
    OUTSIDE_WINDOWS = "outside_windows"  # no courier can serve it in time even alone
    FLEET_FULL = "fleet_full"  # feasible alone, not with today's other work
    LOCKED_OUT = "locked_out"  # re-optimisation: its courier's locked route cannot take it


@dataclass(frozen=True)
class Unassigned:
    """An item not served today, with the reason and a sentence naming the binding resource.

    ``detail`` is the sentence in English (``plan.json``'s ``detail``); ``key`` and
    ``args`` are the same sentence as a message key and its arguments, which
    :func:`planner.output.i18n.reason_detail` renders in the output's language
    (``key`` empty: a plan read from an older ``plan.json``, English only).
    """

    item: str
    reason: UnassignedReason
    detail: str
    key: str = ""
    args: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class SolveStats:
    """How the plan was made: engine, seed, limits and timings."""

    engine: str
    seed: int
    solve_s: float
    objective: int | None = None
    time_limit_s: float | None = None
    solution_limit: int | None = None
    phases: tuple[tuple[str, float], ...] = ()  # (phase, seconds)
    #: The engine whose plan ``auto`` kept for a day solved as one model (``"pyvrp"``,
    #: ``"pyvrp:reseeded"``, ...); None for one engine or a day split into parts.
    winner: str | None = None


@dataclass(frozen=True)
class Plan:
    """A day's plan: routes of used couriers, unassigned items, and how it was made."""

    routes: tuple[Route, ...]
    unassigned: tuple[Unassigned, ...]
    stats: SolveStats
    extra: dict[str, object] = field(default_factory=dict, compare=False)

    def route_of(self, courier: str) -> Route | None:
        """The route of ``courier``, or None if the courier is not used."""
        return next((r for r in self.routes if r.courier == courier), None)

    @property
    def served(self) -> frozenset[str]:
        """Tracking codes delivered on some route."""
        return frozenset(
            e.item for r in self.routes for e in r.events if e.action is Action.DELIVERY
        )

"""The day's dispatch problem: immutable, index-based, built through a validating builder.

The solver reads a :class:`Problem`; dispatch code builds it with
:class:`ProblemBuilder`, which rejects unknown references and impossible
values with one sentence that names the field. Travel is given per vehicle
type as integer matrices (metres, seconds) indexed like ``Problem.sites``.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from types import MappingProxyType

import numpy as np
import numpy.typing as npt

from geodata import haversine_matrix
from planner.domain.fleet import Courier, VehicleType
from planner.domain.hours import DAY_S
from planner.domain.items import Item
from planner.domain.sites import Site
from planner.exceptions import InputError

IntMatrix = npt.NDArray[np.int64]


@dataclass(frozen=True)
class Travel:
    """Distance (m) and duration (s) between every pair of sites for one vehicle type."""

    distance_m: IntMatrix
    duration_s: IntMatrix

    def __post_init__(self) -> None:
        for name in ("distance_m", "duration_s"):
            m = getattr(self, name)
            if m.ndim != 2 or m.shape[0] != m.shape[1]:
                raise InputError(f"matrix must be square, got shape {m.shape}", field=name)
            if (m < 0).any():
                raise InputError("matrix has negative entries", field=name)
        if self.distance_m.shape != self.duration_s.shape:
            raise InputError(
                f"distance {self.distance_m.shape} and duration {self.duration_s.shape} "
                "matrices differ in shape",
                field="duration_s",
            )
        self.distance_m.setflags(write=False)
        self.duration_s.setflags(write=False)


@dataclass(frozen=True)
class Rules:
    """Service rules that weigh the objective (DOMAIN.md section 8).

    ``late_cutoff_cost_per_min``: cost per minute of arriving at an agency after
    its soft cut-off (15:00). ``default_penalty``: cost of leaving an ordinary
    item for tomorrow; ``due_today_penalty``: for an item whose deadline is
    today (or past). ``priority_penalty``: added per priority level.
    ``incompatible_classes``: pairs of item classes that may not share a
    vehicle on the same route. ``agency_visit_cost``: cost of one visit to an
    agency (arriving at it from another site), so that the items of one
    agency are handed over in one visit per courier and session where the
    windows allow (DOMAIN.md §8.11: one biên bản per visit; batch one agency's
    items into one visit); the first visit is paid whatever the plan, so only
    repeat visits weigh (docs/solver.md).
    """

    late_cutoff_cost_per_min: int = 2_000
    agency_visit_cost: int = 20_000
    default_penalty: int = 1_000_000
    due_today_penalty: int = 50_000_000
    priority_penalty: int = 10_000_000
    incompatible_classes: frozenset[frozenset[str]] = field(default_factory=frozenset)

    def incompatible(self, a: str, b: str) -> bool:
        """Whether classes ``a`` and ``b`` may not ride on the same route."""
        return frozenset((a, b)) in self.incompatible_classes and a != b


@dataclass(frozen=True)
class Problem:
    """One planning day, immutable. Build it with :class:`ProblemBuilder`."""

    date: dt.date
    sites: tuple[Site, ...]
    couriers: tuple[Courier, ...]
    items: tuple[Item, ...]
    travel: Mapping[VehicleType, Travel]
    dimensions: tuple[str, ...] = ("items",)
    rules: Rules = field(default_factory=Rules)
    #: Every time of the problem lies in 0..horizon_s (s from midnight of ``date``): two
    #: days for a planning day (room for a late shift); a benchmark instance sets its own.
    horizon_s: int = 2 * DAY_S
    site_index: Mapping[str, int] = field(default_factory=dict, compare=False)
    courier_index: Mapping[str, int] = field(default_factory=dict, compare=False)
    item_index: Mapping[str, int] = field(default_factory=dict, compare=False)

    def __getstate__(self) -> dict[str, object]:
        """Picklable state (read-only mappings as plain dicts), for parallel workers."""
        return {
            k: dict(v) if isinstance(v, MappingProxyType) else v for k, v in self.__dict__.items()
            if k not in _CACHED
        }

    def __setstate__(self, state: dict[str, object]) -> None:
        """Restore the state, wrapping the mappings read-only again."""
        for k, v in state.items():
            object.__setattr__(self, k, MappingProxyType(v) if isinstance(v, dict) else v)

    @cached_property
    def latest_shift_end_s(self) -> int:
        """The latest shift end over every courier (0 without couriers), computed once."""
        return max((c.shift.end_s for c in self.couriers), default=0)

    @cached_property
    def on_board(self) -> Mapping[str, tuple[Item, ...]]:
        """Per courier, the items already on board, computed once (check mode asks per route)."""
        out: dict[str, list[Item]] = {}
        for it in self.items:
            if it.on_board is not None:
                out.setdefault(it.on_board, []).append(it)
        return MappingProxyType({c: tuple(its) for c, its in out.items()})

    def site(self, site_id: str) -> Site:
        """The site with this id."""
        return self.sites[self.site_index[site_id]]

    def courier(self, courier_id: str) -> Courier:
        """The courier with this id."""
        return self.couriers[self.courier_index[courier_id]]

    def item(self, tracking_code: str) -> Item:
        """The item with this tracking code."""
        return self.items[self.item_index[tracking_code]]

    def travel_s(self, vehicle: VehicleType, a: str, b: str) -> int:
        """Travel time in seconds from site ``a`` to site ``b`` by ``vehicle``."""
        return int(self.travel[vehicle].duration_s[self.site_index[a], self.site_index[b]])

    def distance_m(self, vehicle: VehicleType, a: str, b: str) -> int:
        """Road distance in metres from site ``a`` to site ``b`` by ``vehicle``."""
        return int(self.travel[vehicle].distance_m[self.site_index[a], self.site_index[b]])

    def penalty(self, item: Item) -> int:
        """Cost of leaving ``item`` unserved today (its own, or derived from the rules)."""
        if item.penalty is not None:
            return item.penalty
        due_today = item.deadline is not None and item.deadline <= self.date
        base = self.rules.due_today_penalty if due_today else self.rules.default_penalty
        return base + self.rules.priority_penalty * max(item.priority, 0)

    def replace(
        self,
        *,
        sites: Iterable[Site] | None = None,
        couriers: Iterable[Courier] | None = None,
        items: Iterable[Item] | None = None,
        travel: Mapping[VehicleType, Travel] | None = None,
        rules: Rules | None = None,
    ) -> Problem:
        """Return a copy with some parts changed, validated again by the builder."""
        b = ProblemBuilder(self.date, dimensions=self.dimensions, horizon_s=self.horizon_s)
        b.rules = rules if rules is not None else self.rules
        b.add_sites(sites if sites is not None else self.sites)
        b.add_couriers(couriers if couriers is not None else self.couriers)
        b.add_items(items if items is not None else self.items)
        for vehicle, t in (travel if travel is not None else self.travel).items():
            b.set_travel(vehicle, t)
        return b.build()


#: Problem's values computed once on first use (not pickled: computed again in a worker).
_CACHED = frozenset({"latest_shift_end_s", "on_board"})


#: Average speeds (km/h) for straight-line travel estimates per vehicle type.
DEFAULT_SPEED_KPH: Mapping[VehicleType, float] = MappingProxyType(
    {VehicleType.MOTORBIKE: 30.0, VehicleType.CAR: 35.0, VehicleType.VAN: 35.0}
)


def haversine_travel(
    sites: Iterable[Site],
    speed_kph: float,
    detour: float = 1.35,
) -> Travel:
    """Straight-line travel: haversine × ``detour`` at ``speed_kph``, rounded up.

    The default detour 1.35 is the one the shared province benchmarks use;
    ``geodata`` calibrates it on a road graph when one exists.
    """
    tm = haversine_matrix(
        [(s.id, s.lon, s.lat) for s in sites], "motorbike", detour=detour, speed_kph=speed_kph
    )
    return Travel(tm.distance_m, tm.duration_s)


class ProblemBuilder:
    """Collects sites, couriers, items and travel, then validates them into a Problem.

    Examples
    --------
    >>> import datetime as dt
    >>> from planner.domain import Site, SiteKind
    >>> b = ProblemBuilder(dt.date(2026, 11, 23))
    >>> b.add_site(Site("PO", "Bưu điện tỉnh", SiteKind.PROVINCIAL_POST_OFFICE, 106.76, 21.85))
    >>> b.build().sites[0].name
    'Bưu điện tỉnh'
    """

    def __init__(self, date: dt.date, dimensions: tuple[str, ...] = ("items",),
                 horizon_s: int = 2 * DAY_S) -> None:
        self.date = date
        self.dimensions = tuple(dimensions)
        self.horizon_s = horizon_s
        self.rules = Rules()
        self._sites: dict[str, Site] = {}
        self._couriers: dict[str, Courier] = {}
        self._items: dict[str, Item] = {}
        self._travel: dict[VehicleType, Travel] = {}

    # -- collecting ---------------------------------------------------------------
    def add_site(self, site: Site) -> None:
        """Add a site; ids are unique."""
        if site.id in self._sites:
            raise InputError(f"duplicate site id '{site.id}'", source="sites", field="id")
        self._sites[site.id] = site

    def add_sites(self, sites: Iterable[Site]) -> None:
        """Add several sites."""
        for s in sites:
            self.add_site(s)

    def add_courier(self, courier: Courier) -> None:
        """Add a courier, its lunch break fitted to its shift; ids are unique.

        A break that cannot lie in the shift is dropped (``Courier.with_lunch_in_shift``):
        a 07:00–11:00 part-timer has no lunch, whatever the fleet's default window.
        """
        if courier.id in self._couriers:
            raise InputError(f"duplicate courier id '{courier.id}'", source="fleet", field="id")
        self._couriers[courier.id] = courier.with_lunch_in_shift()

    def add_couriers(self, couriers: Iterable[Courier]) -> None:
        """Add several couriers."""
        for c in couriers:
            self.add_courier(c)

    def add_item(self, item: Item) -> None:
        """Add an item; tracking codes are unique."""
        if item.tracking_code in self._items:
            raise InputError(
                f"duplicate tracking code '{item.tracking_code}'",
                source="items",
                field="tracking_code",
            )
        self._items[item.tracking_code] = item

    def add_items(self, items: Iterable[Item]) -> None:
        """Add several items."""
        for i in items:
            self.add_item(i)

    def set_travel(self, vehicle: VehicleType, travel: Travel) -> None:
        """Set the matrices of one vehicle type (indexed in the order sites were added)."""
        self._travel[VehicleType(vehicle)] = travel

    # -- validating ---------------------------------------------------------------
    def build(self) -> Problem:
        """Validate every reference and value, and return the immutable Problem.

        Raises
        ------
        InputError
            Naming the site, courier or item and the field at fault.
        """
        sites = tuple(self._sites.values())
        for s in sites:
            _check_site(s)
        for c in self._couriers.values():
            _check_courier(c, self._sites, len(self.dimensions))
        for it in self._items.values():
            _check_item(it, self._sites, self._couriers, len(self.dimensions))
        vehicles = {c.vehicle for c in self._couriers.values()}
        for v in sorted(vehicles):
            if v not in self._travel:
                raise InputError(
                    f"no travel matrices for vehicle type '{v}'", source="travel", field=str(v)
                )
        for v, t in self._travel.items():
            if t.distance_m.shape[0] != len(sites):
                raise InputError(
                    f"matrix for '{v}' has {t.distance_m.shape[0]} rows but there are "
                    f"{len(sites)} sites",
                    source="travel",
                    field=str(v),
                )
        return Problem(
            date=self.date,
            sites=sites,
            couriers=tuple(self._couriers.values()),
            items=tuple(self._items.values()),
            travel=MappingProxyType(dict(self._travel)),
            dimensions=self.dimensions,
            rules=self.rules,
            horizon_s=self.horizon_s,
            site_index=MappingProxyType({s.id: i for i, s in enumerate(sites)}),
            courier_index=MappingProxyType({c: i for i, c in enumerate(self._couriers)}),
            item_index=MappingProxyType({t: i for i, t in enumerate(self._items)}),
        )


def _check_site(s: Site) -> None:
    where: dict[str, str] = {"source": "sites", "row": s.id}
    if not (math.isfinite(s.lon) and math.isfinite(s.lat)):
        raise InputError("coordinates are not finite numbers", field="lon/lat", **where)
    if not (-180 <= s.lon <= 180 and -90 <= s.lat <= 90):
        raise InputError(
            f"coordinates ({s.lon}, {s.lat}) are out of range", field="lon/lat", **where
        )
    if s.visit_s < 0:
        raise InputError("visit time is negative", field="visit_s", **where)


def _check_courier(c: Courier, sites: Mapping[str, Site], ndims: int) -> None:
    where: dict[str, str] = {"source": "fleet", "row": c.id}
    for name in ("start_site", "end_site"):
        if getattr(c, name) not in sites:
            raise InputError(f"unknown site '{getattr(c, name)}'", field=name, **where)
    if len(c.capacity) != ndims:
        raise InputError(
            f"capacity has {len(c.capacity)} values for {ndims} dimension(s)",
            field="capacity",
            **where,
        )
    if any(q < 0 for q in c.capacity):
        raise InputError("capacity is negative", field="capacity", **where)
    if c.lunch is not None and c.lunch.duration_s < 0:
        raise InputError("lunch duration is negative", field="lunch", **where)
    for name in ("max_duration_s", "max_distance_m", "cash_limit_vnd"):
        v = getattr(c, name)
        if v is not None and v < 0:
            raise InputError("value is negative", field=name, **where)


def _check_item(
    it: Item, sites: Mapping[str, Site], couriers: Mapping[str, Courier], ndims: int
) -> None:
    where: dict[str, str] = {"source": "items", "row": it.tracking_code}
    for name in ("pickup_site", "delivery_site"):
        if getattr(it, name) not in sites:
            raise InputError(f"unknown site '{getattr(it, name)}'", field=name, **where)
    if len(it.quantity) != ndims:
        raise InputError(
            f"quantity has {len(it.quantity)} values for {ndims} dimension(s)",
            field="quantity",
            **where,
        )
    if any(q < 0 for q in it.quantity):
        raise InputError("quantity is negative", field="quantity", **where)
    for name in ("pickup_service_s", "delivery_service_s", "fee_vnd", "postage_vnd",
                 "fee_carried_vnd"):
        if getattr(it, name) < 0:
            raise InputError("value is negative", field=name, **where)
    if it.penalty is not None and it.penalty < 0:
        raise InputError("penalty is negative", field="penalty", **where)
    if it.on_board is not None and it.on_board not in couriers:
        raise InputError(f"unknown courier '{it.on_board}'", field="on_board", **where)

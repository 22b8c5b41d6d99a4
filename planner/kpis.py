"""Key figures of a plan: couriers, distance, hours, service level, waiting, fees.

Computed from the Plan and the Problem only (never from solver internals), so
a hand-edited plan read back from ``plan.json`` gets the same figures. Each
figure's definition is in :class:`Kpis`; ``kpis.json`` is its serialised form.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from planner.domain.items import FeeMoment, Item
from planner.plan import Action, Plan
from planner.problem import Problem

#: Version of the ``kpis.json`` layout; bump on any incompatible change.
KPIS_SCHEMA_VERSION = "1.0"


@dataclass(frozen=True)
class Kpis:
    """The plan's key figures.

    Attributes
    ----------
    couriers_used, couriers_available
        Routes with at least one stop; couriers in the problem.
    distance_m
        Total road distance of all routes, depot to depot.
    courier_s
        Sum over routes of the time from leaving the start depot to arriving at
        the end depot (lunch included): paid courier time.
    items_total, items_served, items_picked_up
        Items in the problem; items delivered today; items picked up today
        (an item already on board is delivered without a pickup).
    unassigned_by_reason
        Unassigned items per reason code.
    due_items, due_on_time
        Items whose J+n deadline is today or earlier, and those of them
        delivered today on or before their deadline (an item already overdue
        cannot be on time). ``on_time_share`` is their ratio (None: none due).
    cutoff_late_visits, cutoff_late_s
        Stops where items are handed over at a site with a soft cut-off
        (the one-stop 15:00 cut-off) and the courier arrives after it, and the
        total seconds of arrival past the cut-off over those stops.
    wait_s
        Total time couriers wait for sites to open.
    fees_vnd
        Cash fees collected from citizens over all routes.
    items_per_courier_hour
        ``items_served`` per courier-hour (None when no courier works).
    """

    couriers_used: int
    couriers_available: int
    distance_m: int
    courier_s: int
    items_total: int
    items_served: int
    items_picked_up: int
    unassigned: int
    unassigned_by_reason: dict[str, int]
    due_items: int
    due_on_time: int
    cutoff_late_visits: int
    cutoff_late_s: int
    wait_s: int
    fees_vnd: int

    @property
    def distance_km(self) -> float:
        """Total distance in km."""
        return self.distance_m / 1000

    @property
    def courier_hours(self) -> float:
        """Total courier time in hours."""
        return self.courier_s / 3600

    @property
    def on_time_share(self) -> float | None:
        """Share of due items delivered within their deadline (None: nothing due)."""
        return self.due_on_time / self.due_items if self.due_items else None

    @property
    def items_per_courier_hour(self) -> float | None:
        """Delivered items per courier-hour (None: no courier time)."""
        return self.items_served / self.courier_hours if self.courier_s else None


def fee_collected(item: Item, action: Action) -> int:
    """Cash collected for ``item`` when ``action`` happens to it (its fee, at its moment)."""
    moment = FeeMoment.PICKUP if action is Action.PICKUP else FeeMoment.DELIVERY
    return item.fee_vnd if item.fee_at is moment else 0


def compute_kpis(problem: Problem, plan: Plan) -> Kpis:
    """Compute the key figures of ``plan`` for ``problem``.

    Raises
    ------
    KeyError
        If the plan names an item or site that the problem does not have.
    """
    routes = [r for r in plan.routes if r.stops]
    served = plan.served
    due = [it for it in problem.items if it.deadline is not None and it.deadline <= problem.date]
    late_visits, late_s = _cutoff_lateness(problem, plan)
    fees = sum(
        fee_collected(problem.item(e.item), e.action)
        for r in routes
        for s in r.stops
        for e in s.events
    )
    return Kpis(
        couriers_used=len(routes),
        couriers_available=len(problem.couriers),
        distance_m=sum(r.distance_m for r in routes),
        courier_s=sum(r.duration_s for r in routes),
        items_total=len(problem.items),
        items_served=len(served),
        items_picked_up=sum(e.action is Action.PICKUP for r in routes for e in r.events),
        unassigned=len(plan.unassigned),
        unassigned_by_reason=dict(sorted(Counter(u.reason.value for u in plan.unassigned).items())),
        due_items=len(due),
        due_on_time=sum(
            1 for it in due if it.tracking_code in served and it.deadline == problem.date
        ),
        cutoff_late_visits=late_visits,
        cutoff_late_s=late_s,
        wait_s=sum(s.wait_s for r in routes for s in r.stops),
        fees_vnd=fees,
    )


def _cutoff_lateness(problem: Problem, plan: Plan) -> tuple[int, int]:
    visits = 0
    seconds = 0
    for r in plan.routes:
        for s in r.stops:
            cutoff = problem.site(s.site).cutoff_s
            hands_over = any(e.action is Action.DELIVERY for e in s.events)
            if cutoff is not None and hands_over and s.arrival_s > cutoff:
                visits += 1
                seconds += s.arrival_s - cutoff
    return visits, seconds


def kpis_to_dict(kpis: Kpis) -> dict[str, Any]:
    """``kpis`` as a JSON-ready dict: raw fields plus derived ratios, rounded."""
    out: dict[str, Any] = asdict(kpis)
    share = kpis.on_time_share
    per_hour = kpis.items_per_courier_hour
    out.update(
        distance_km=round(kpis.distance_km, 1),
        courier_hours=round(kpis.courier_hours, 2),
        on_time_share=None if share is None else round(share, 4),
        items_per_courier_hour=None if per_hour is None else round(per_hour, 2),
    )
    return out


def kpis_from_dict(data: dict[str, Any]) -> Kpis:
    """Rebuild :class:`Kpis` from :func:`kpis_to_dict` output (derived fields ignored).

    Raises
    ------
    KeyError
        If a raw field is missing.
    """
    names = Kpis.__dataclass_fields__
    return Kpis(**{k: data[k] for k in names})


def write_kpis_json(kpis: Kpis, path: Path, *, date: str = "") -> Path:
    """Write ``kpis.json`` (``schema_version``, ``date``, then every figure) and return its path."""
    doc = {"schema_version": KPIS_SCHEMA_VERSION, "date": date, **kpis_to_dict(kpis)}
    path.write_text(json.dumps(doc, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path

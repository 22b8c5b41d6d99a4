"""Tiny hand-made days on a line of sites, for the solver and check-mode tests.

Sites sit at integer positions on a line; travel between positions ``a`` and
``b`` takes ``600 * |a - b|`` seconds (10 min per step) and ``1000 * |a - b|``
metres for every vehicle type. The depot ``PO`` is at 0.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from concurrent.futures import Executor

import numpy as np

from planner.domain import Courier, Item, ItemKind, Site, SiteKind, TimeWindow, VehicleType
from planner.domain.hours import hhmm_to_s
from planner.plan import Action, Event, Plan
from planner.problem import Problem, ProblemBuilder, Rules, Travel
from planner.solver import SolveParams, check, solve

DAY = dt.date(2026, 11, 23)
H = hhmm_to_s
STEP_S = 600
STEP_M = 1000
PARAMS = SolveParams(seed=1, time_limit_s=None, solution_limit=200)


def site(sid: str, pos: int, **kw: object) -> Site:
    """A site at position ``pos`` on the line (longitude encodes the position)."""
    kind = kw.pop("kind", SiteKind.CITIZEN)
    return Site(sid, sid, kind, 106.0 + pos / 100, 21.0, **kw)  # type: ignore[arg-type]


def courier(cid: str, **kw: object) -> Courier:
    """A motorbike courier at PO, 07:30–17:00, capacity 10 items unless told."""
    args: dict[str, object] = {
        "name": cid,
        "vehicle": VehicleType.MOTORBIKE,
        "capacity": (10,),
        "shift": TimeWindow(H("07:30"), H("17:00")),
        "start_site": "PO",
        "end_site": "PO",
    }
    args.update(kw)
    return Courier(cid, **args)  # type: ignore[arg-type]


def item(code: str, a: str, b: str, **kw: object) -> Item:
    """A dossier from site ``a`` to site ``b``."""
    return Item(code, ItemKind.DOSSIER, a, b, **kw)  # type: ignore[arg-type]


def build(
    sites: Sequence[Site],
    couriers: Iterable[Courier],
    items: Iterable[Item],
    rules: Rules | None = None,
    dimensions: tuple[str, ...] = ("items",),
) -> Problem:
    """A problem with line travel for every vehicle type."""
    b = ProblemBuilder(DAY, dimensions=dimensions)
    if rules is not None:
        b.rules = rules
    b.add_sites(sites)
    b.add_couriers(couriers)
    b.add_items(items)
    pos = np.array([round((s.lon - 106.0) * 100) for s in sites], dtype=np.int64)
    steps = np.abs(pos[:, None] - pos[None, :])
    for v in VehicleType:
        b.set_travel(v, Travel(steps * STEP_M, steps * STEP_S))
    return b.build()


def events(*pairs: tuple[str, str]) -> list[Event]:
    """Events from ``("D1", "p")`` / ``("D1", "d")`` pairs."""
    return [Event(code, Action.PICKUP if a == "p" else Action.DELIVERY) for code, a in pairs]


def solved(problem: Problem, params: SolveParams = PARAMS, *,
           executor: Executor | None = None) -> Plan:
    """Solve and assert the plan passes check mode (lateness notices aside)."""
    plan = solve(problem, params, "ortools", executor=executor)
    violations = check(problem, {r.courier: r.events for r in plan.routes})
    assert [v for v in violations if v.kind != "deadline"] == []
    accounted = plan.served | {u.item for u in plan.unassigned}
    assert accounted == {it.tracking_code for it in problem.items}
    return plan

"""Re-optimisation mid-day: locked stops first, on-board items delivered, new items inserted."""

from __future__ import annotations

from planner.solver import check, reoptimise

from .days import PARAMS, H, build, courier, events, item, site


def test_locked_prefix_kept_and_urgent_item_inserted() -> None:
    """The done pickup of D1 stays first, D2 on board is delivered, new U1 is served."""
    p = build(
        [site("PO", 0), site("A", 1), site("B", 2), site("C", 3)],
        [courier("K1"), courier("K2")],
        [
            item("D1", "A", "B"),
            item("D2", "A", "C", on_board="K1"),
            item("U1", "C", "B", priority=2),
        ],
    )
    locked = {"K1": events(("D1", "p"))}
    plan = reoptimise(p, locked, now_s=H("10:00"), params=PARAMS)
    k1 = plan.route_of("K1")
    assert k1 is not None
    assert k1.events[0] == events(("D1", "p"))[0]
    assert plan.served == {"D1", "D2", "U1"}
    violations = check(p, {r.courier: r.events for r in plan.routes})
    assert violations == []
    new = [s for r in plan.routes for s in r.stops if any(e.item == "U1" for e in s.events)]
    assert all(s.start_s >= H("10:00") for s in new)

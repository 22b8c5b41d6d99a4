"""Every unassigned reason, computed on tiny days."""

from __future__ import annotations

import re
import time
from collections.abc import Callable

import pytest

from planner.domain import TimeWindow
from planner.output.i18n import reason_detail
from planner.plan import UnassignedReason as R
from planner.problem import Problem, Rules
from planner.solver import Budget, unassigned_reasons

from .days import PARAMS, H, build, courier, item, site, solved


def _reason(problem) -> R:  # type: ignore[no-untyped-def]
    plan = solved(problem)
    (u,) = plan.unassigned
    return u.reason


SITES = [site("PO", 0), site("A", 1), site("B", 2)]


def test_no_skilled_courier() -> None:
    """Nobody has the clearance the item needs."""
    p = build(SITES, [courier("K1")], [item("X", "A", "B", required_skills=frozenset({"KT1"}))])
    assert _reason(p) is R.NO_SKILLED_COURIER


def test_over_capacity() -> None:
    """The item is larger than every vehicle."""
    p = build(SITES, [courier("K1", capacity=(2,))], [item("X", "A", "B", quantity=(3,))])
    assert _reason(p) is R.OVER_CAPACITY


def test_outside_windows_even_alone() -> None:
    """The pickup closes before the courier's shift starts."""
    p = build(
        SITES,
        [courier("K1")],
        [item("X", "A", "B", pickup_windows=(TimeWindow(H("06:00"), H("07:00")),))],
    )
    assert _reason(p) is R.OUTSIDE_WINDOWS


def _busy_morning() -> Problem:
    """Two items that each fill the only courier's morning (X weighs more than Y)."""
    w = (TimeWindow(H("09:00"), H("09:00")),)
    return build(
        [site("PO", 0), site("A", 1), site("B", 2), site("C", 8)],
        [courier("K1")],
        [
            item("X", "A", "B", pickup_windows=w, penalty=10**9),
            item(
                "Y", "C", "B", pickup_windows=(TimeWindow(H("09:10"), H("09:10")),), penalty=10**6
            ),
        ],
    )


def test_fleet_full_names_time() -> None:
    """Two items that each fill the only courier's morning: one is left, time binds."""
    p = _busy_morning()
    plan = solved(p)
    (u,) = plan.unassigned
    assert u.reason is R.FLEET_FULL
    assert u.detail.startswith("time")


def test_fleet_full_names_couriers_when_penalty_is_low() -> None:
    """An item cheaper to leave than a second courier: couriers bind."""
    p = build(SITES, [courier("K1", fixed_cost=10**6)], [item("X", "A", "B", penalty=1)])
    (u,) = solved(p).unassigned
    assert u.reason is R.FLEET_FULL
    assert u.detail.startswith("couriers")


@pytest.mark.parametrize("kind", ["KT1"])
def test_incompatible_with_on_board_load(kind: str) -> None:
    """The only courier carries a KT1 item, so the ordinary item cannot ride along."""
    rules = Rules(incompatible_classes=frozenset({frozenset({kind, ""})}))
    p = build(
        SITES,
        [courier("K1")],
        [item("S", "A", "B", item_class=kind, on_board="K1"), item("X", "A", "B")],
        rules=rules,
    )
    plan = solved(p)
    assert [u.reason for u in plan.unassigned] == [R.INCOMPATIBLE]


def test_fleet_full_probe_stops_at_its_time_budget() -> None:
    """With no time left for probing, the item is still fleet full and the detail says why."""
    p = _busy_morning()
    plan = solved(p)
    routes = {r.courier: r.events for r in plan.routes}
    spent = Budget(0.001)
    time.sleep(0.01)
    (u,) = unassigned_reasons(p, routes, [u.item for u in plan.unassigned], spent)
    assert u.reason is R.FLEET_FULL
    assert "not probed further" in u.detail


def test_a_search_that_used_the_whole_budget_still_leaves_time_to_probe(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Reasons get ``SHARES.reasons_min_s`` even when the budget is spent: the probe runs."""
    import sys

    solve_module = sys.modules["planner.solver.solve"]
    seen: list[float] = []
    real = solve_module.unassigned_reasons

    def spy(*a: object, **kw: object) -> object:
        seen.append(a[3].remaining_s())  # type: ignore[attr-defined]
        return real(*a, **kw)

    monkeypatch.setattr(solve_module, "unassigned_reasons", spy)
    spent = Budget(0.001)
    time.sleep(0.01)
    p = _busy_morning()
    routes = {r.courier: r.events for r in solved(p).routes}
    solve_module._plan(p, "ortools", PARAMS, routes, objective=0,
                       codes=tuple(it.tracking_code for it in p.items), hopeless=[],
                       locks=None, budget=spent, phases=(), t0=time.monotonic())
    assert seen
    assert seen[-1] >= 0.4


def test_incompatible_names_the_class_and_the_couriers_load() -> None:
    """A KT1 dossier beside the only courier's ordinary round is `incompatible`, not fleet full.

    The ordinary items have exact times, so inserting the KT1 dossier also breaks
    windows at some positions: the class still decides, and the detail says what rides.
    """
    rules = Rules(incompatible_classes=frozenset({frozenset({"KT1", ""})}))
    at = (TimeWindow(H("08:00"), H("08:00")),)
    p = build(
        SITES,
        [courier("K1")],
        [item("D1", "A", "B", pickup_windows=at, penalty=10**9),
         item("D2", "A", "B", pickup_windows=at, penalty=10**9),
         item("S", "B", "A", item_class="KT1")],
        rules=rules,
    )
    (u,) = solved(p).unassigned
    assert u.item == "S"
    assert u.reason is R.INCOMPATIBLE
    assert "'KT1'" in u.detail
    assert "K1 carries 2 ordinary items" in u.detail


@pytest.mark.parametrize(
    ("windows", "released", "named"),
    [({"delivery_windows": (TimeWindow(H("08:00"), H("10:00")),)}, "10:00", "08:00–10:00"),
     ({"pickup_windows": (TimeWindow(H("08:00"), H("10:00")),)}, "14:00", "08:00–10:00")],
)
def test_a_release_that_leaves_no_window_is_named(windows: dict[str, object], released: str,
                                                  named: str) -> None:
    """A result released after its window is outside windows, and the reason names the release."""
    p = build(SITES, [courier("K1")],
              [item("R", "A", "B", released_s=H(released), **windows)])
    (u,) = solved(p).unassigned
    assert u.reason is R.OUTSIDE_WINDOWS
    assert f"released at {released}" in u.detail
    assert named in u.detail


def _kt1_beside_round() -> Problem:
    """A KT1 dossier beside the only courier's ordinary round (incompatible)."""
    rules = Rules(incompatible_classes=frozenset({frozenset({"KT1", ""})}))
    at = (TimeWindow(H("08:00"), H("08:00")),)
    return build(SITES, [courier("K1")],
                 [item("D1", "A", "B", pickup_windows=at, penalty=10**9),
                  item("S", "B", "A", item_class="KT1")], rules=rules)


#: A tiny day per kind of reason sentence (solved: exactly one item is left).
DAYS: dict[str, Callable[[], Problem]] = {
    "no_skill": lambda: build(SITES, [courier("K1")], [
        item("X", "A", "B", required_skills=frozenset({"KT1"}))]),
    "over_capacity": lambda: build(SITES, [courier("K1", capacity=(2,))], [
        item("X", "A", "B", quantity=(3,))]),
    "alone": lambda: build(SITES, [courier("K1")], [
        item("X", "A", "B", pickup_windows=(TimeWindow(H("06:00"), H("07:00")),))]),
    "release_after_window": lambda: build(SITES, [courier("K1")], [
        item("R", "A", "B", released_s=H("14:00"),
             pickup_windows=(TimeWindow(H("08:00"), H("10:00")),))]),
    "release_late_for_window": lambda: build(SITES, [courier("K1")], [
        item("R", "A", "B", released_s=H("10:00"),
             delivery_windows=(TimeWindow(H("08:00"), H("10:00")),))]),
    "incompatible": _kt1_beside_round,
    "busy": _busy_morning,
    "idle_couriers": lambda: build(SITES, [courier("K1", fixed_cost=10**6)], [
        item("X", "A", "B", penalty=1)]),
}


@pytest.mark.parametrize("key", sorted(DAYS))
def test_every_reason_reads_in_vietnamese_and_english(key: str) -> None:
    """Each kind of reason has its key; vi shares no word with the English sentence, en is it."""
    (u,) = solved(DAYS[key]()).unassigned
    assert u.key == key
    vi = reason_detail(u, "vi")
    assert reason_detail(u, "en") == u.detail
    english = set(re.findall(r"[^\W\d_]{2,}", u.detail.lower())) - {"kt"}
    assert vi
    assert not english & set(re.findall(r"[^\W\d_]{2,}", vi.lower())), vi

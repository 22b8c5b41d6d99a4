"""What no engine can take is refused by ``solve`` with the site, courier or item named."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from planner.domain import TimeWindow, VehicleType
from planner.exceptions import InputError
from planner.problem import Problem, Travel
from planner.solver import Locks, solve

from .days import PARAMS, build, courier, events, item, site


def _day(**item_kw: object) -> Problem:
    return build([site("PO", 0), site("A", 1), site("B", 2)], [courier("K1")],
                 [item("D1", "A", "B", **item_kw)])


def _with_matrix(p: Problem, value: float) -> Problem:
    t = p.travel[VehicleType.MOTORBIKE]
    bad = t.duration_s.astype(float)
    bad[1, 2] = value
    travel = dict(p.travel)
    travel[VehicleType.MOTORBIKE] = Travel(t.distance_m, bad)
    return p.replace(travel=travel)


@pytest.mark.parametrize(("value", "words"), [
    (np.nan, "not a finite number"), (np.inf, "not a finite number"),
    (12.5, "not a whole number"), (10**9, "outside")])
def test_a_bad_travel_time_names_the_sites_and_the_matrix(value: float, words: str) -> None:
    """NaN, infinity, fractions and absurd values in a matrix are an InputError, not a crash."""
    with pytest.raises(InputError, match=words) as err:
        solve(_with_matrix(_day(), value), PARAMS)
    assert err.value.source == "travel"
    assert err.value.field == "motorbike.duration_s"
    assert "'A' to 'B'" in str(err.value)


def test_a_window_past_the_horizon_names_the_item_and_field() -> None:
    """A delivery window ending three days after midnight is refused with the item named."""
    with pytest.raises(InputError) as err:
        solve(_day(delivery_windows=(TimeWindow(3600, 3 * 86_400),)), PARAMS)
    assert (err.value.source, err.value.row, err.value.field) == (
        "items", "D1", "delivery_windows")


def test_a_window_inside_a_declared_horizon_is_taken_and_past_it_refused() -> None:
    """The horizon is the problem's own: with three days declared a 72 h window solves."""
    p = replace(_day(delivery_windows=(TimeWindow(3600, 3 * 86_400),)), horizon_s=3 * 86_400)
    assert not solve(p, PARAMS).unassigned
    late = replace(p, items=(replace(p.items[0], delivery_windows=(
        TimeWindow(3600, 3 * 86_400 + 3600),)),))
    with pytest.raises(InputError, match="horizon"):
        solve(late, PARAMS)


@pytest.mark.parametrize("horizon", [0, 40 * 86_400, 1.5])
def test_an_absurd_horizon_is_refused(horizon: object) -> None:
    """No horizon beyond a month (integer safety), none empty, none fractional."""
    bad = replace(_day(), horizon_s=horizon)  # type: ignore[arg-type]  # wrong on purpose
    with pytest.raises(InputError) as err:
        solve(bad, PARAMS)
    assert (err.value.source, err.value.field) == ("problem", "horizon_s")


@pytest.mark.parametrize(("field", "value", "words"), [
    ("quantity", (2**64,), "outside"), ("quantity", (1.5,), "not a whole number"),
    ("fee_vnd", 10**19, "outside"), ("penalty", 10**17, "outside"),
    ("priority", 10**12, "outside")])
def test_item_values_an_engine_cannot_hold_are_refused(field: str, value: object,
                                                       words: str) -> None:
    """Huge or fractional quantities, fees, penalties and priorities: an InputError, no crash."""
    p = _day()
    bad = replace(p.items[0], **{field: value})  # type: ignore[arg-type]  # a wrong type on purpose
    with pytest.raises(InputError, match=words) as err:
        solve(p.replace(items=[bad]), PARAMS)
    assert (err.value.source, err.value.row) == ("items", "D1")
    assert err.value.field is not None
    assert err.value.field.startswith(field)


def test_a_courier_capacity_an_engine_cannot_hold_is_refused() -> None:
    """A capacity of 2**64 names the courier and the field."""
    p = _day()
    big = replace(p.couriers[0], capacity=(2**64,))
    with pytest.raises(InputError) as err:
        solve(p.replace(couriers=[big]), PARAMS)
    assert (err.value.source, err.value.row, err.value.field) == ("fleet", "K1", "capacity[0]")


@pytest.mark.parametrize(("locked", "now_s", "words"), [
    ([("D1", "d")], 36_000, "without its pickup"),
    ([("D1", "p"), ("D1", "p")], 36_000, "twice"),
    ([("D1", "p")], 60 * 3600, "outside the day"),
])
def test_locks_that_cannot_begin_a_route_are_refused(locked: list[tuple[str, str]], now_s: int,
                                                     words: str) -> None:
    """A delivery locked before its pickup, an event twice, a time past the day: InputError."""
    with pytest.raises(InputError, match=words):
        solve(_day(), PARAMS, "ortools", locks=Locks({"K1": events(*locked)}, now_s))


@pytest.mark.parametrize("route", [[("D9", "p"), ("D9", "d")], [("D1", "d"), ("D1", "p")],
                                   [("D1", "p")]])
def test_an_initial_plan_that_is_no_plan_is_refused(route: list[tuple[str, str]]) -> None:
    """Unknown items, a delivery before its pickup or half a pair: InputError naming the courier."""
    with pytest.raises(InputError) as err:
        solve(_day(), PARAMS, "ortools", initial={"K1": events(*route)})
    assert (err.value.source, err.value.row) == ("initial", "K1")

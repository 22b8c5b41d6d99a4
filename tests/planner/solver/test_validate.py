"""What no engine can take is refused by ``solve`` with the site, courier or item named."""

from __future__ import annotations

import numpy as np
import pytest

from planner.domain import TimeWindow, VehicleType
from planner.exceptions import InputError
from planner.problem import Problem, Travel
from planner.solver import solve

from .days import PARAMS, build, courier, item, site


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

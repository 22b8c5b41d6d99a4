"""What an engine cannot take, refused before any search with the site, courier or item at fault.

The builder (:class:`planner.problem.ProblemBuilder`) checks references and
signs; this adds what only matters to a search: matrices of finite whole
numbers in a range an engine's integer arithmetic survives, and times inside
the planning horizon (two days from midnight, room for a late shift).
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from planner.domain.hours import DAY_S, TimeWindow
from planner.exceptions import InputError
from planner.problem import Problem

#: Largest travel time (s) and distance (m) between two sites: a week and 20,000 km.
#: Larger values are data errors, and sums of them overflow an engine's integers.
MAX_TRAVEL_S = 7 * DAY_S
MAX_DISTANCE_M = 20_000_000
#: Times of day run from midnight to the end of the next day (late shifts).
HORIZON_S = 2 * DAY_S


def validate_problem(problem: Problem) -> None:
    """Refuse a problem no engine can take.

    Raises
    ------
    InputError
        Naming the vehicle's matrix and the site row, or the site, courier or
        item and the field, of the first value at fault.
    """
    for vehicle, travel in problem.travel.items():
        for name, matrix, top in (("duration_s", travel.duration_s, MAX_TRAVEL_S),
                                  ("distance_m", travel.distance_m, MAX_DISTANCE_M)):
            _check_matrix(problem, f"{vehicle}.{name}", np.asarray(matrix), top)
    for s in problem.sites:
        _check_windows(s.opening, source="sites", row=s.id, field="opening")
    for c in problem.couriers:
        _check_windows((c.shift,), source="fleet", row=c.id, field="shift")
        if c.lunch is not None:
            _check_windows((c.lunch.window,), source="fleet", row=c.id, field="lunch")
    for it in problem.items:
        _check_windows(it.pickup_windows, source="items", row=it.tracking_code,
                       field="pickup_windows")
        _check_windows(it.delivery_windows, source="items", row=it.tracking_code,
                       field="delivery_windows")


def _check_matrix(problem: Problem, field: str, m: np.ndarray, top: int) -> None:
    if not np.issubdtype(m.dtype, np.number):
        raise InputError(f"matrix holds {m.dtype} values, not numbers", source="travel",
                         field=field)
    bad = ~np.isfinite(m) if np.issubdtype(m.dtype, np.floating) else np.zeros(m.shape, bool)
    what = "is not a finite number"
    if not bad.any() and np.issubdtype(m.dtype, np.floating):
        bad, what = m != np.round(m), "is not a whole number"
    if not bad.any():
        bad, what = (m < 0) | (m > top), f"is outside 0..{top:,}"
    if bad.any():
        i, j = (int(k) for k in np.argwhere(bad)[0])
        a, b = problem.sites[i].id, problem.sites[j].id
        raise InputError(f"travel from '{a}' to '{b}' ({m[i, j]}) {what}", source="travel",
                         row=a, field=field)


def _check_windows(windows: Iterable[TimeWindow], *, source: str, row: str, field: str) -> None:
    for w in windows:
        if w.start_s < 0 or w.end_s > HORIZON_S:
            raise InputError(
                f"time window {w.start_s}..{w.end_s} s lies outside the planning horizon "
                f"(0..{HORIZON_S} s from midnight)", source=source, row=row, field=field)

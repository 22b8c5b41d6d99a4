"""What an engine cannot take, refused before any search with the site, courier or item at fault.

The builder (:class:`planner.problem.ProblemBuilder`) checks references and
signs; this adds what only matters to a search: matrices of finite whole
numbers in a range an engine's integer arithmetic survives, and times inside
the problem's horizon (``Problem.horizon_s``: two days from midnight for a planning
day, room for a late shift; a benchmark instance's own horizon, at most a month).
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
#: A planning day's times run from midnight to the end of the next day (late shifts).
HORIZON_S = 2 * DAY_S
#: Longest horizon a problem may declare (benchmark instances count time in their own
#: units): a month keeps every sum of times far inside an engine's 64-bit integers.
MAX_HORIZON_S = 31 * DAY_S
#: Largest values an engine's integer objective survives (every cost is multiplied by
#: 1,000 and summed over thousands of items in a 64-bit integer); anything above is a
#: data error: a day's quantity, a fee or cost in VND, a priority level, a penalty.
MAX_QUANTITY = 1_000_000
MAX_VND = 1_000_000_000_000
MAX_PRIORITY = 1_000


def validate_problem(problem: Problem) -> None:
    """Refuse a problem no engine can take.

    Raises
    ------
    InputError
        Naming the vehicle's matrix and the site row, or the site, courier or
        item and the field, of the first value at fault.
    """
    horizon = problem.horizon_s
    if isinstance(horizon, bool) or not isinstance(horizon, int) or not (
            0 < horizon <= MAX_HORIZON_S):
        raise InputError(f"horizon {horizon!r} s is not a whole number in 1..{MAX_HORIZON_S} s",
                         source="problem", field="horizon_s")
    for vehicle, travel in problem.travel.items():
        for name, matrix, top in (("duration_s", travel.duration_s, MAX_TRAVEL_S),
                                  ("distance_m", travel.distance_m, MAX_DISTANCE_M)):
            _check_matrix(problem, f"{vehicle}.{name}", np.asarray(matrix), top)
    for s in problem.sites:
        _check_windows(s.opening, source="sites", row=s.id, field="opening",
                       horizon=horizon)
        _check_whole("sites", s.id, {"visit_s": (s.visit_s, DAY_S)})
    for c in problem.couriers:
        _check_windows((c.shift,), source="fleet", row=c.id, field="shift", horizon=horizon)
        if c.lunch is not None:
            _check_windows((c.lunch.window,), source="fleet", row=c.id, field="lunch",
                           horizon=horizon)
            _check_whole("fleet", c.id, {"lunch": (c.lunch.duration_s, DAY_S)})
        _check_whole("fleet", c.id, {
            **{f"capacity[{k}]": (q, MAX_QUANTITY) for k, q in enumerate(c.capacity)},
            "cash_limit_vnd": (c.cash_limit_vnd, MAX_VND), "fixed_cost": (c.fixed_cost, MAX_VND),
            "cost_per_km": (c.cost_per_km, MAX_VND), "cost_per_hour": (c.cost_per_hour, MAX_VND),
            "max_duration_s": (c.max_duration_s, 7 * DAY_S),
            "max_distance_m": (c.max_distance_m, MAX_DISTANCE_M)})
    for it in problem.items:
        _check_windows(it.pickup_windows, source="items", row=it.tracking_code,
                       field="pickup_windows", horizon=horizon)
        _check_windows(it.delivery_windows, source="items", row=it.tracking_code,
                       field="delivery_windows", horizon=horizon)
        _check_whole("items", it.tracking_code, {
            **{f"quantity[{k}]": (q, MAX_QUANTITY) for k, q in enumerate(it.quantity)},
            "fee_vnd": (it.fee_vnd, MAX_VND), "postage_vnd": (it.postage_vnd, MAX_VND),
            "penalty": (it.penalty, MAX_VND),
            "priority": (abs(it.priority) if isinstance(it.priority, int) else it.priority,
                         MAX_PRIORITY),
            "pickup_service_s": (it.pickup_service_s, DAY_S),
            "delivery_service_s": (it.delivery_service_s, DAY_S)})


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


def _check_whole(source: str, row: str, values: dict[str, tuple[object, int]]) -> None:
    """Each value (None: not set) a whole number in ``0..top``."""
    for field, (value, top) in values.items():
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int | np.integer):
            raise InputError(f"{value!r} is not a whole number", source=source, row=row,
                             field=field)
        if not 0 <= int(value) <= top:
            raise InputError(f"{value:,} is outside 0..{top:,}", source=source, row=row,
                             field=field)


def _check_windows(windows: Iterable[TimeWindow], *, source: str, row: str, field: str,
                   horizon: int) -> None:
    for w in windows:
        for t in (w.start_s, w.end_s):
            if isinstance(t, bool) or not isinstance(t, int | np.integer):
                raise InputError(f"time {t!r} is not a whole number of seconds",
                                 source=source, row=row, field=field)
        if w.start_s < 0 or w.end_s > horizon:
            raise InputError(
                f"time window {w.start_s}..{w.end_s} s lies outside the planning horizon "
                f"(0..{horizon} s from midnight)", source=source, row=row, field=field)

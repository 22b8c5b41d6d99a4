"""Li & Lim and Solomon readers: tiny files, malformed lines, one real instance."""

from __future__ import annotations

from pathlib import Path

import pytest

from planner.exceptions import InputError
from planner.formats.vrplib import read_lilim, read_solomon, route_node_ids, to_problem
from planner.solver import SolveParams, check, solve

DATA = Path(__file__).resolve().parents[2] / "data" / "vrplib"


def test_tiny_lilim_solves_to_one_route() -> None:
    """The one-request file becomes one item served by one vehicle, node ids kept."""
    inst = read_lilim(DATA / "tiny_lilim.txt")
    problem = to_problem(inst)
    plan = solve(problem, SolveParams(time_limit_s=None, solution_limit=20))
    assert [route_node_ids(r.events) for r in plan.routes] == [[1, 2]]
    assert check(problem, {r.courier: r.events for r in plan.routes}) == []


def test_a_horizon_longer_than_two_days_solves() -> None:
    """LC2-like due times (3,390 units, 94 h once scaled) are the instance's own horizon.

    A planning day's 48 h limit once refused every C2/LC2/LR2 instance before the search.
    """
    problem = to_problem(read_lilim(DATA / "wide_horizon_lilim.txt"))
    assert problem.horizon_s == 339_000
    plan = solve(problem, SolveParams(time_limit_s=None, solution_limit=20))
    assert [route_node_ids(r.events) for r in plan.routes] == [[1, 2]]
    assert check(problem, {r.courier: r.events for r in plan.routes}) == []


def test_malformed_number_names_line_and_field() -> None:
    """A non-number is reported with file, line 3 and field 'y'."""
    with pytest.raises(InputError) as err:
        read_lilim(DATA / "bad_number.txt")
    assert (err.value.row, err.value.field) == (3, "y")


def test_window_ending_before_start_names_line() -> None:
    """A due time before the ready time is reported on its line."""
    with pytest.raises(InputError) as err:
        read_solomon(DATA / "bad_window_solomon.txt")
    assert (err.value.row, err.value.field) == (12, "due")


def test_real_solomon_instance_reads(shared_dir: Path) -> None:
    """C101 from ../shared: 100 customers, 25 vehicles of capacity 200."""
    inst = read_solomon(shared_dir / "benchmarks" / "solomon100" / "C101.txt")
    assert (len(inst.nodes), inst.fleet, inst.capacity) == (101, 25, 200)


def test_solomon_vehicles_load_once_at_the_depot() -> None:
    """Two customers of 6 with capacity 10: two vehicles, never one that reloads mid-route."""
    inst = read_solomon(DATA / "two_trips_solomon.txt")
    problem = to_problem(inst)
    assert all(it.pickup_windows[0].start_s == it.pickup_windows[0].end_s == 0
               for it in problem.items)
    plan = solve(problem, SolveParams(time_limit_s=None, solution_limit=50))
    assert sorted(route_node_ids(r.events) for r in plan.routes) == [[1], [2]]
    assert not plan.unassigned
    reload = {"v1": [e for r in plan.routes for e in r.events]}  # one vehicle doing both
    assert check(problem, reload) != [], "a second trip from the depot is a violation"

"""``solve``: assemble a run from a problem, parameters and an engine name."""

from __future__ import annotations

from planner.plan import Plan
from planner.problem import Problem
from planner.solver.engine import SolveParams, get_engine


def solve(problem: Problem, params: SolveParams | None = None, engine: str = "ortools") -> Plan:
    """Plan the day with the named engine.

    Parameters
    ----------
    problem
        The day's problem.
    params
        Seed and limits (default: 30 s, one worker, seed 0).
    engine
        A registered engine name (``planner.solver.engine_names()``).

    Returns
    -------
    Plan
        Routes re-timed by :mod:`planner.solver.timing`, and every unassigned item
        with a computed reason.
    """
    return get_engine(engine).solve(problem, params or SolveParams())

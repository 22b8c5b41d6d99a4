"""Re-optimisation: the dispatcher's mid-day case.

Stops already done or in progress stay as they are, in order, at the head of
their courier's route; items already on board (``Item.on_board``) are only
delivered, by their courier; everything else, new urgent items included, is
planned again from ``now_s``. It is :func:`planner.solver.solve` with locks.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from concurrent.futures import Executor

from planner.plan import Event, Plan
from planner.problem import Problem
from planner.solver.budget import Budget
from planner.solver.control import Control
from planner.solver.engine import DEFAULT_ENGINE
from planner.solver.params import SolveParams
from planner.solver.solve import Locks, solve


def reoptimise(
    problem: Problem,
    locked: Mapping[str, Sequence[Event]],
    now_s: int,
    params: SolveParams | None = None,
    engine: str = DEFAULT_ENGINE,
    *,
    budget: Budget | None = None,
    executor: Executor | None = None,
    control: Control | None = None,
) -> Plan:
    """Plan the rest of the day around locked stops.

    Parameters
    ----------
    problem
        Today's problem with the new items added and ``on_board`` set for items
        picked up but not yet delivered.
    locked
        Per courier, the events done or in progress, in order; they stay first.
    now_s
        The current time (seconds since midnight): new hand-overs start no earlier.
    params, engine, budget, executor, control
        As for :func:`planner.solver.solve`.

    Raises
    ------
    InputError
        When a locked event names an unknown courier or item, or the engine
        cannot keep locked stops.
    """
    return solve(problem, params, engine, budget=budget, executor=executor, control=control,
                 locks=Locks(locked, now_s))

"""Re-optimisation: the dispatcher's mid-day case.

Stops already done or in progress stay as they are, in order, at the head of
their courier's route; items already on board (``Item.on_board``) are only
delivered, by their courier; everything else, new urgent items included, is
planned again from ``now_s``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from planner.exceptions import InputError
from planner.plan import Event, Plan
from planner.problem import Problem
from planner.solver.engine import SolveParams


def reoptimise(
    problem: Problem,
    locked: Mapping[str, Sequence[Event]],
    now_s: int,
    params: SolveParams | None = None,
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
        The current time: new hand-overs start no earlier.
    params
        Seed and limits.

    Raises
    ------
    InputError
        When a locked event names an unknown courier or item.
    """
    for courier, events in locked.items():
        if courier not in problem.courier_index:
            raise InputError(f"unknown courier '{courier}'", source="locked", field="courier")
        for e in events:
            if e.item not in problem.item_index:
                raise InputError(
                    f"unknown item '{e.item}'", source="locked", row=courier, field="item"
                )
    from planner.solver._ortools import OrToolsEngine  # noqa: PLC0415 - loads ortools lazily

    return OrToolsEngine().solve_locked(problem, params or SolveParams(), locked, now_s)

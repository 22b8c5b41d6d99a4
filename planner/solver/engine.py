"""The one engine interface: every routing engine turns a Problem into a Plan.

Engines are looked up by name (``--engine``), so the benchmark CLI, the
pipeline and, later, scenario scale-out and an engine portfolio all speak the
same protocol.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from planner.exceptions import InputError
from planner.plan import Plan
from planner.problem import Problem


@dataclass(frozen=True)
class SolveParams:
    """Seed, limits and workers: together with the problem they define a run.

    With ``workers == 1`` and a ``solution_limit`` (no time limit) a run is
    deterministic: the same problem and seed give the same plan. A wall-clock
    ``time_limit_s`` or several workers may give a different (always valid) plan.
    """

    seed: int = 0
    time_limit_s: float | None = 30.0
    solution_limit: int | None = None
    workers: int = 1

    def __post_init__(self) -> None:
        if self.time_limit_s is None and self.solution_limit is None:
            raise InputError("set a time limit or a solution limit", field="time_limit_s")
        if self.time_limit_s is not None and self.time_limit_s <= 0:
            raise InputError("time limit must be positive", field="time_limit_s")
        if self.solution_limit is not None and self.solution_limit <= 0:
            raise InputError("solution limit must be positive", field="solution_limit")
        if self.workers < 1:
            raise InputError("workers must be at least 1", field="workers")
        if self.seed < 0:
            raise InputError("seed must not be negative", field="seed")


class Engine(Protocol):
    """A routing engine."""

    name: str

    def solve(self, problem: Problem, params: SolveParams) -> Plan:
        """Plan the day; unassigned items come back with their reasons."""
        ...


_ENGINES: dict[str, Callable[[], Engine]] = {}


def register_engine(name: str, factory: Callable[[], Engine]) -> None:
    """Make an engine available by name."""
    _ENGINES[name] = factory


def get_engine(name: str) -> Engine:
    """The engine registered under ``name``.

    Raises
    ------
    InputError
        If no engine has that name.
    """
    if name not in _ENGINES:
        known = ", ".join(sorted(_ENGINES)) or "none"
        raise InputError(f"unknown engine '{name}' (known: {known})", field="engine")
    return _ENGINES[name]()


def engine_names() -> list[str]:
    """Names of the registered engines."""
    return sorted(_ENGINES)

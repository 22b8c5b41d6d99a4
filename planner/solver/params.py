"""Seed, limits and workers: with the problem they define a run (PyVRP's ``SolveParams``)."""

from __future__ import annotations

from dataclasses import dataclass

from planner.exceptions import InputError


@dataclass(frozen=True)
class SolveParams:
    """Seed, limits and workers.

    With ``workers == 1`` and a ``solution_limit`` (no time limit) a run is
    deterministic: the same problem and seed give the same plan. A wall-clock
    ``time_limit_s`` or several workers may give a different (always valid) plan.
    ``workers`` is how many searches may run at once; they run where the
    caller's executor puts them (``solve(..., executor=...)``).

    Raises
    ------
    InputError
        On a limit that is not positive, no limit at all, or fewer than one worker.
    """

    seed: int = 0
    time_limit_s: float | None = 30.0
    solution_limit: int | None = None
    workers: int = 1

    def __post_init__(self) -> None:
        if self.time_limit_s is None and self.solution_limit is None:
            raise InputError("set a time limit or a solution limit", field="time_limit_s")
        if self.time_limit_s is not None and not self.time_limit_s > 0:
            raise InputError("time limit must be positive", field="time_limit_s")
        if self.solution_limit is not None and self.solution_limit <= 0:
            raise InputError("solution limit must be positive", field="solution_limit")
        if self.workers < 1:
            raise InputError("workers must be at least 1", field="workers")
        if self.seed < 0:
            raise InputError("seed must not be negative", field="seed")

"""Progress and cancel for a running solve, as plain callbacks (no terminal, no web framework).

The caller passes a :class:`Control`: a ``progress(fraction, phase)`` callback
(the command line draws a bar with it, the service stores it in the job table)
and a cancel token, any object with ``is_set() -> bool``:
``threading.Event`` in one process, ``multiprocessing.Manager().Event()`` when
the search runs in worker processes (its proxy pickles; a ``threading.Event``
does not, and is then honoured only between the steps of the solve).
"""

from __future__ import annotations

import pickle
import time
from collections.abc import Callable
from concurrent.futures import Executor, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Protocol

from planner.exceptions import PlannerError

#: ``progress(fraction, phase)``: fraction of the whole solve done, 0..1, and a phase name.
ProgressFn = Callable[[float, str], None]


class CancelToken(Protocol):
    """Anything that says whether the caller asked to stop."""

    def is_set(self) -> bool:
        """True once the caller asked to stop."""
        ...


class SolveCancelled(PlannerError):
    """The caller cancelled the solve; no plan is returned."""


#: Seconds between two looks at a cancel token from inside a search (a token
#: behind a manager process costs a round trip per look).
CANCEL_POLL_S = 0.2


@dataclass(frozen=True)
class Control:
    """A progress callback and a cancel token, both optional."""

    progress: ProgressFn | None = None
    cancel: CancelToken | None = None
    # [last look at the token (monotonic s), what it said, highest fraction reported]
    _state: list[float] = field(default_factory=lambda: [0.0, 0.0, 0.0], compare=False,
                                repr=False)

    def report(self, fraction: float, phase: str) -> None:
        """Tell the caller how far the solve is: 0..1, never less than reported before."""
        if self.progress is not None:
            self._state[2] = max(self._state[2], min(1.0, max(0.0, fraction)))
            self.progress(self._state[2], phase)

    def cancelled(self) -> bool:
        """Whether the caller asked to stop (looks at most every ``CANCEL_POLL_S``)."""
        if self.cancel is None:
            return False
        now = time.monotonic()
        if now - self._state[0] < CANCEL_POLL_S:
            return bool(self._state[1])
        self._state[0] = now
        self._state[1] = float(self.cancel.is_set())
        return bool(self._state[1])

    def raise_if_cancelled(self) -> None:
        """Raise :class:`SolveCancelled` when the caller asked to stop.

        Raises
        ------
        SolveCancelled
            When the cancel token is set.
        """
        if self.cancel is not None and self.cancel.is_set():
            raise SolveCancelled("the solve was cancelled")

    def for_executor(self, executor: Executor | None) -> Control:
        """What jobs on ``executor`` get: all of it on threads here, else :meth:`for_process`."""
        if executor is None or isinstance(executor, ThreadPoolExecutor):
            return self
        return self.for_process()

    def within(self, start: float, end: float) -> Control:
        """A control whose 0..1 progress is this one's ``start..end`` (same cancel token)."""
        return Control(progress=lambda f, p: self.report(start + (end - start) * f, p),
                       cancel=self.cancel)

    def for_process(self) -> Control:
        """What can cross a process boundary: no callback, the token only if it pickles."""
        if self.cancel is None:
            return Control()
        try:
            pickle.dumps(self.cancel)
        except (TypeError, pickle.PicklingError, AttributeError):
            return Control()
        return Control(cancel=self.cancel)

    def __getstate__(self) -> dict[str, object]:
        return {"cancel": self.for_process().cancel}

    def __setstate__(self, state: dict[str, object]) -> None:
        object.__setattr__(self, "progress", None)
        object.__setattr__(self, "cancel", state["cancel"])
        object.__setattr__(self, "_state", [0.0, 0.0, 0.0])


#: No progress, no cancel.
SILENT = Control()

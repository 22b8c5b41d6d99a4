"""A terminal progress bar fed by the plain ``progress(fraction, phase)`` callback.

Library code reports progress through a callback (:data:`planner.solver.ProgressFn`);
only the commands draw it, with ``rich``. On a terminal that is not
interactive (CI, a pipe) ``rich`` prints nothing while running.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from rich.console import Console
from rich.progress import (
    BarColumn,
    Progress,
    SpinnerColumn,
    TaskID,
    TaskProgressColumn,
    TextColumn,
    TimeElapsedColumn,
)


class ProgressBar:
    """One bar for a whole run; its label follows the phase being reported.

    Parameters
    ----------
    label
        Turns a phase name (``legs``, ``matrix car``, ``search``...) into the
        text shown, e.g. translated.
    console
        Where to draw (default: standard output).
    enabled
        False draws nothing (tests, the service), but still records the phases.
    """

    def __init__(self, label: Callable[[str], str] = str, console: Console | None = None, *,
                 enabled: bool = True) -> None:
        self.label = label
        self.timings: list[tuple[str, float]] = []
        self._phase: tuple[str, float] | None = None
        self._progress = Progress(
            SpinnerColumn(finished_text="[green]✓"),
            TextColumn("{task.description}"),
            BarColumn(),
            TaskProgressColumn(),
            TimeElapsedColumn(),
            console=console,
            transient=False,
            disable=not enabled,
        )
        self._task: TaskID | None = None

    def __enter__(self) -> ProgressBar:
        self._progress.start()
        self._task = self._progress.add_task("", total=1.0)
        return self

    def __exit__(self, *exc: object) -> None:
        self._close_phase()
        if self._task is not None and exc[0] is None:
            self._progress.update(self._task, completed=1.0)
        self._progress.stop()

    def __call__(self, fraction: float, phase: str) -> None:
        """Show ``phase`` at ``fraction`` (0..1) of the whole run."""
        if self._phase is None or self._phase[0] != phase:
            self._close_phase()
            self._phase = (phase, time.perf_counter())
        if self._task is not None:
            self._progress.update(self._task, completed=fraction,
                                  description=self.label(phase))

    def _close_phase(self) -> None:
        if self._phase is not None:
            name, t0 = self._phase
            self.timings.append((name, time.perf_counter() - t0))
            self._phase = None

"""Progress display for the long phases of a run (matrices, solve), in the style of ``rich``.

Library code reports phases through :class:`Phases`; the commands create one
bound to the terminal, tests and the API use ``Phases(enabled=False)``. On a terminal
that is not interactive (CI, a pipe) ``rich`` prints nothing while running.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import (
    BarColumn,
    Progress,
    SpinnerColumn,
    TaskProgressColumn,
    TextColumn,
    TimeElapsedColumn,
)


class Phases:
    """Named phases shown one line each, with a spinner and elapsed time.

    A phase with an expected duration (the solver's time limit) shows a bar that
    fills as the time passes.
    """

    def __init__(self, console: Console | None = None, *, enabled: bool = True) -> None:
        self.enabled = enabled
        self.timings: list[tuple[str, float]] = []
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

    def __enter__(self) -> Phases:
        self._progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._progress.stop()

    @contextmanager
    def phase(self, label: str, expected_s: float | None = None) -> Iterator[None]:
        """Show ``label`` while the block runs; record its duration in ``timings``."""
        task = self._progress.add_task(label, total=expected_s or None)
        stop = threading.Event()
        t0 = time.perf_counter()
        ticker = None
        if expected_s and self.enabled:

            def tick() -> None:
                while not stop.wait(0.25):
                    done = min(time.perf_counter() - t0, expected_s)
                    self._progress.update(task, completed=done)

            ticker = threading.Thread(target=tick, daemon=True)
            ticker.start()
        try:
            yield
        finally:
            stop.set()
            if ticker is not None:
                ticker.join()
            elapsed = time.perf_counter() - t0
            self.timings.append((label, elapsed))
            self._progress.update(task, total=1, completed=1)

"""A board where the portfolio's lines share a plan while they search.

The portfolio's first PyVRP search tries one courier fewer at a time; the second
(another line, another core) only shortens routes. When the first finds a smaller
fleet it posts the plan here; the second looks at the board while it searches,
takes a posted plan that costs less than its own best and shortens that one. The
smaller fleet then gets the second line's time as well, where before it got only
what the first line's tries had left (on Li & Lim's ``lrc2_2_2`` at 30 s the first
line reached the best-known 5 couriers 11.6 % over the best-known distance).

One file, not a manager process: the lines run in the caller's process and on its
executor (a process pool, threads, Dask), and a path pickles to any of them. Where
the file cannot be seen (a Dask worker on another machine) a line simply finds
nothing posted and searches on its own, as without a board.
"""

from __future__ import annotations

import logging
import os
import pickle
import tempfile
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from planner.plan import Event

log = logging.getLogger(__name__)

#: Seconds between two looks at the board from inside a search (a look is one ``stat``).
POLL_S = 0.25


@dataclass(frozen=True)
class PlanBoard:
    """One posted plan (events per courier) in a file; the last post wins.

    ``path`` is the file; it need not exist until something is posted.
    """

    path: Path

    @classmethod
    @contextmanager
    def temporary(cls) -> Iterator[PlanBoard | None]:
        """A board in a private temporary directory, removed with what was posted.

        None where no such directory can be made (a full or read-only disk): logged,
        and the lines search on their own, as a board is a help, never a failure.
        What cannot be removed at the end is left to the system's temporary folder.
        """
        try:
            folder = tempfile.TemporaryDirectory(prefix="bcci-board-", ignore_cleanup_errors=True)
        except OSError:
            log.warning("no board for the lines to share: no temporary folder", exc_info=True)
            yield None
            return
        with folder as name:
            yield cls(Path(name) / "plan.pickle")

    def post(self, routes: Mapping[str, Sequence[Event]]) -> None:
        """Post ``routes`` (events per courier), replacing what was there.

        Written to a file beside it and renamed over it, so a reader sees the old
        plan or the new one, never half of one. A board that cannot be written (its
        folder gone) is logged and skipped: sharing is a help, never a failure.
        """
        tmp = self.path.with_name(f"{self.path.name}.{os.getpid()}.{threading.get_ident()}")
        try:
            tmp.write_bytes(pickle.dumps({c: list(evs) for c, evs in routes.items()}))
            tmp.replace(self.path)
        except OSError:
            log.warning("could not post a plan to %s", self.path, exc_info=True)

    def reader(self) -> BoardReader:
        """A reader that reports each post once (one per search)."""
        return BoardReader(self)


@dataclass
class BoardReader:
    """Looks at a board at most every ``POLL_S`` and reports each new post once."""

    board: PlanBoard
    _seen: tuple[int, int, int] | None = field(default=None, repr=False)
    _next_look: float = field(default=0.0, repr=False)

    def news(self) -> dict[str, list[Event]] | None:
        """The plan posted since the last look, or None (nothing new, too soon, unreadable)."""
        now = time.monotonic()
        if now < self._next_look:
            return None
        self._next_look = now + POLL_S
        try:
            st = self.board.path.stat()
        except OSError:
            return None  # nothing posted yet, or a board this machine cannot see
        stamp = (st.st_ino, st.st_mtime_ns, st.st_size)
        if stamp == self._seen:
            return None
        self._seen = stamp
        try:
            routes = pickle.loads(self.board.path.read_bytes())
        except (OSError, pickle.UnpicklingError, EOFError):
            log.warning("could not read the plan posted to %s", self.board.path, exc_info=True)
            return None
        return routes if _is_routes(routes) else None


def _is_routes(value: object) -> bool:
    """Whether ``value`` is events per courier (a post of this module), nothing else."""
    return isinstance(value, dict) and all(
        isinstance(c, str) and isinstance(evs, list) and all(isinstance(e, Event) for e in evs)
        for c, evs in value.items())

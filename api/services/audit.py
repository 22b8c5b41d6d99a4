"""The audit log of personal data: citizens' names, addresses and phone numbers.

Every response that carries them and every change to them adds one row: who,
when, what, the province, and which plan or item. A change's row is added to
the caller's session (:func:`record`), so the change and its row commit
together. A read's row goes through the :class:`AuditWriter`: one thread
commits the rows of every read waiting at that moment in one transaction
(group commit), and each read's response waits until its own row is
committed. A crash before that commit sends no data; a crash after it leaves
a row for a response that may not have reached the client (audited too much,
never too little).
"""

from __future__ import annotations

import asyncio
import logging
import queue
import threading
from collections.abc import Iterable
from concurrent.futures import Future
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session, sessionmaker

from api.db.models import AuditEntry, User, utcnow

LOG = logging.getLogger("api.audit")
#: Longest list of ids kept in one row's detail.
_MAX_DETAIL_IDS = 500
#: Most rows committed in one transaction by the writer.
_MAX_BATCH = 1000


def entry_values(user: User, action: str, what: str, *, province: str | None = None,
                 plan_id: int | None = None, item: str | None = None,
                 ids: Iterable[str] = (), detail: str = "") -> dict[str, Any]:
    """The columns of one audit row for ``user`` doing ``action`` on ``what``, now."""
    listed = list(ids)
    if listed:
        shown = ", ".join(listed[:_MAX_DETAIL_IDS])
        more = f" (+{len(listed) - _MAX_DETAIL_IDS} more)" if len(listed) > _MAX_DETAIL_IDS else ""
        detail = f"{detail}; {len(listed)}: {shown}{more}" if detail else \
            f"{len(listed)}: {shown}{more}"
    return {"at": utcnow(), "user_id": user.id, "user_name": user.name, "action": action,
            "what": what, "province_code": province, "plan_id": plan_id, "item": item,
            "detail": detail}


def record(session: Session, user: User, action: str, what: str, *,
           province: str | None = None, plan_id: int | None = None, item: str | None = None,
           ids: Iterable[str] = (), detail: str = "") -> AuditEntry:
    """Add an audit row for ``user`` doing ``action`` on ``what`` (not committed)."""
    entry = AuditEntry(**entry_values(user, action, what, province=province, plan_id=plan_id,
                                      item=item, ids=ids, detail=detail))
    session.add(entry)
    return entry


_Pending = tuple[dict[str, Any], "Future[None]"]


class AuditWriter:
    """Commits read audit rows in groups, from one thread; callers wait for their row.

    :meth:`write` returns once the row is committed (or raises what the commit
    raised): a handler awaits it before it returns the data, so no response
    with personal data leaves without its committed row.
    """

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions
        self._queue: queue.SimpleQueue[_Pending | None] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def start(self) -> None:
        """Start the writer thread."""
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="audit-writer",
                                                daemon=True)
                self._thread.start()

    def stop(self) -> None:
        """Commit what is queued, then end the thread."""
        with self._lock:
            thread, self._thread = self._thread, None
        if thread is not None:
            self._queue.put(None)
            thread.join()

    def submit(self, values: dict[str, Any]) -> Future[None]:
        """Queue one row (``entry_values``); the future is done when it is committed."""
        done: Future[None] = Future()
        if self._thread is None:
            done.set_exception(RuntimeError("the audit writer is not running"))
        else:
            self._queue.put((values, done))
        return done

    async def write(self, values: dict[str, Any]) -> None:
        """Queue one row and wait, without blocking the event loop, until it is committed."""
        await asyncio.wrap_future(self.submit(values))

    def _run(self) -> None:
        stopping = False
        while not stopping:
            first = self._queue.get()
            batch: list[_Pending] = []
            if first is None:
                stopping = True
            else:
                batch.append(first)
            while len(batch) < _MAX_BATCH:
                try:
                    more = self._queue.get_nowait()
                except queue.Empty:
                    break
                if more is None:
                    stopping = True
                else:
                    batch.append(more)
            if batch:
                self._commit(batch)

    def _commit(self, batch: list[_Pending]) -> None:
        try:
            with self._sessions() as session:
                session.execute(insert(AuditEntry), [values for values, _ in batch])
                session.commit()
        except Exception as err:  # every waiter fails: no data goes out unaudited
            LOG.exception("audit rows not committed")
            for _, done in batch:
                done.set_exception(err)
            return
        for _, done in batch:
            done.set_result(None)

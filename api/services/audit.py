"""The audit log of personal data: citizens' names, addresses and phone numbers.

Every response that carries them and every change to them adds one row: who,
when, what, the province, and which plan or item. Rows are added to the
caller's session, so a change and its audit row commit together.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.orm import Session

from api.db.models import AuditEntry, User

#: Longest list of ids kept in one row's detail.
_MAX_DETAIL_IDS = 500


def record(session: Session, user: User, action: str, what: str, *,
           province: str | None = None, plan_id: int | None = None, item: str | None = None,
           ids: Iterable[str] = (), detail: str = "") -> AuditEntry:
    """Add an audit row for ``user`` doing ``action`` on ``what`` (not committed)."""
    listed = list(ids)
    if listed:
        shown = ", ".join(listed[:_MAX_DETAIL_IDS])
        more = f" (+{len(listed) - _MAX_DETAIL_IDS} more)" if len(listed) > _MAX_DETAIL_IDS else ""
        detail = f"{detail}; {len(listed)}: {shown}{more}" if detail else \
            f"{len(listed)}: {shown}{more}"
    entry = AuditEntry(user_id=user.id, user_name=user.name, action=action, what=what,
                       province_code=province, plan_id=plan_id, item=item, detail=detail)
    session.add(entry)
    return entry

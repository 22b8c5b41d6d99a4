"""What happened to a leg on an earlier day: collected, handed over, delivered, or failed and why.

The dispatcher records one outcome per tracking code and day (from the
couriers' returns or the tracking system); ``planner plan --outcomes`` reads
them (``planner.formats.outcomes``) and ``planner.outcomes`` applies them to
the backlog before the day is cut into legs.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum


class OutcomeStatus(StrEnum):
    """What happened to the leg the courier did (DOMAIN.md 3.2, 3.3)."""

    COLLECTED = "collected"  # đã nhận: picked up (from the citizen or the agency)
    HANDED_OVER = "handed_over"  # đã bàn giao: handed to the agency (biên bản signed)
    DELIVERED = "delivered"  # đã phát: delivered to the recipient
    FAILED = "failed"  # không thành công: the leg could not be done


class FailureReason(StrEnum):
    """Why a leg failed (TT 17 art. 5(2)(d), (h); QĐ 45 art. 10(2)).

    ``ABSENT`` and ``NO_VALID_ID`` leave the recipient an invitation and the
    result is tried again; ``REFUSED`` and ``WRONG_ADDRESS`` cannot be cured by
    another visit, so a result goes back to its agency at once (DOMAIN.md 8.15:
    a design choice, the rules name only the absent recipient).
    """

    ABSENT = "absent"  # vắng nhà / không liên lạc được
    REFUSED = "refused"  # từ chối nhận
    WRONG_ADDRESS = "wrong_address"  # sai địa chỉ
    NO_VALID_ID = "no_valid_id"  # không xuất trình được giấy tờ tùy thân hợp lệ

    @property
    def reattempted(self) -> bool:
        """Whether another attempt may succeed (an invitation is left, TT 17 art. 5(2)(h))."""
        return self in (FailureReason.ABSENT, FailureReason.NO_VALID_ID)


@dataclass(frozen=True)
class Outcome:
    """One tracking code's outcome on ``date``; ``reason`` is set exactly when it failed."""

    tracking_code: str
    date: dt.date
    status: OutcomeStatus
    reason: FailureReason | None = None
    note: str = ""

    def __post_init__(self) -> None:
        if (self.status is OutcomeStatus.FAILED) != (self.reason is not None):
            raise ValueError("a failed outcome has a reason, and only a failed one")

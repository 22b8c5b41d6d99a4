"""Time on a planning day: windows, opening hours with a lunch closure, HH:MM.

All times are integer seconds since midnight of the planning day, local time
(Asia/Ho_Chi_Minh, +07:00). Integer seconds keep the solver exact and plans
reproducible.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

DAY_S = 24 * 3600


def hhmm_to_s(text: str) -> int:
    """Parse ``"07:30"`` (or ``"7:30"``, ``"07:30:15"``) into seconds since midnight.

    Raises
    ------
    ValueError
        If the text is not a time of day.
    """
    parts = text.strip().split(":")
    if len(parts) not in (2, 3) or not all(p.isdigit() for p in parts):
        raise ValueError(f"'{text}' is not a time of day (HH:MM)")
    h, m = int(parts[0]), int(parts[1])
    s = int(parts[2]) if len(parts) == 3 else 0
    if not (0 <= h <= 24 and 0 <= m < 60 and 0 <= s < 60) or (h == 24 and (m or s)):
        raise ValueError(f"'{text}' is not a time of day (HH:MM)")
    return h * 3600 + m * 60 + s


def s_to_hhmm(seconds: int) -> str:
    """Format seconds since midnight as ``HH:MM`` (rounded down to the minute)."""
    seconds = int(seconds)
    return f"{seconds // 3600:02d}:{(seconds % 3600) // 60:02d}"


@dataclass(frozen=True, order=True)
class TimeWindow:
    """A closed interval ``[start_s, end_s]`` of seconds since midnight."""

    start_s: int
    end_s: int

    def __post_init__(self) -> None:
        if self.end_s < self.start_s:
            raise ValueError(
                f"time window ends ({s_to_hhmm(self.end_s)}) before it starts "
                f"({s_to_hhmm(self.start_s)})"
            )

    def contains(self, t: int) -> bool:
        """Whether ``t`` lies inside the window (both ends included)."""
        return self.start_s <= t <= self.end_s

    def __str__(self) -> str:
        return f"{s_to_hhmm(self.start_s)}–{s_to_hhmm(self.end_s)}"

    @classmethod
    def parse(cls, text: str) -> TimeWindow:
        """Parse ``"07:30-11:30"`` (hyphen or en dash)."""
        a, sep, b = text.replace("–", "-").partition("-")
        if not sep:
            raise ValueError(f"'{text}' is not a time window (HH:MM-HH:MM)")
        return cls(hhmm_to_s(a), hhmm_to_s(b))


#: Opening of an agency on a day it is closed: one instant at midnight, which no shift
#: reaches (an empty tuple would mean "open all day"). Printed as closed, never as a time
#: (:func:`is_closed`).
CLOSED: tuple[TimeWindow, ...] = (TimeWindow(0, 0),)


def is_closed(windows: Iterable[TimeWindow]) -> bool:
    """Whether ``windows`` are :data:`CLOSED`: an instant at midnight only, no working time.

    >>> is_closed(CLOSED), is_closed(()), is_closed((TimeWindow(0, 3600),))
    (True, False, False)
    """
    ws = tuple(windows)
    return bool(ws) and all(w == CLOSED[0] for w in ws)


def windows_text(windows: Iterable[TimeWindow], closed: str = "closed") -> str:
    """``"07:30–11:30, 13:00–17:00"``, or ``closed`` for :data:`CLOSED` (never ``00:00–00:00``).

    >>> windows_text(CLOSED, closed="đóng cửa")
    'đóng cửa'
    """
    ws = tuple(windows)
    return closed if is_closed(ws) else ", ".join(str(w) for w in ws)


def intersect(
    a: tuple[TimeWindow, ...], b: tuple[TimeWindow, ...]
) -> tuple[TimeWindow, ...]:
    """Intersection of two unions of windows; an empty tuple means 'no restriction'."""
    if not a:
        return b
    if not b:
        return a
    out = [
        TimeWindow(max(x.start_s, y.start_s), min(x.end_s, y.end_s))
        for x in a
        for y in b
        if max(x.start_s, y.start_s) <= min(x.end_s, y.end_s)
    ]
    return merged(out)


def merged(windows: Iterable[TimeWindow]) -> tuple[TimeWindow, ...]:
    """The same union of whole seconds as disjoint windows in order (overlaps joined).

    Examples
    --------
    >>> merged([TimeWindow(25200, 61200), TimeWindow(28800, 32400)])
    (TimeWindow(start_s=25200, end_s=61200),)
    >>> merged([TimeWindow(0, 9), TimeWindow(10, 20), TimeWindow(30, 40)])
    (TimeWindow(start_s=0, end_s=20), TimeWindow(start_s=30, end_s=40))
    """
    out: list[TimeWindow] = []
    for w in sorted(windows):
        if out and w.start_s <= out[-1].end_s + 1:
            out[-1] = TimeWindow(out[-1].start_s, max(out[-1].end_s, w.end_s))
        else:
            out.append(w)
    return tuple(out)


def parse_windows(text: str) -> tuple[TimeWindow, ...]:
    """Parse ``"07:30-11:30; 13:00-17:00"`` into sorted windows (empty text: none)."""
    chunks = [c for c in text.replace(",", ";").split(";") if c.strip()]
    return tuple(sorted(TimeWindow.parse(c) for c in chunks))


#: One-stop shop default (DOMAIN.md 8.6): 07:30–11:30 and 13:00–17:00, closed over lunch.
OFFICE_HOURS: tuple[TimeWindow, ...] = (
    TimeWindow(hhmm_to_s("07:30"), hhmm_to_s("11:30")),
    TimeWindow(hhmm_to_s("13:00"), hhmm_to_s("17:00")),
)
#: Saturday-morning session where a province opens on Saturdays.
SATURDAY_HOURS: tuple[TimeWindow, ...] = (TimeWindow(hhmm_to_s("07:30"), hhmm_to_s("11:30")),)
#: The one-stop 15:00 cut-off for same-day forwarding (DOMAIN.md 8.7).
SAME_DAY_CUTOFF_S = hhmm_to_s("15:00")

"""Working days and J+n deadlines (TT 17/2017 art. 7; DOMAIN.md 3.4, 8.4–8.5).

Deadlines count working days: Sundays and Vietnamese public holidays (with
their substitute days, from the ``holidays`` package) are not counted;
Saturdays are working days only where the province opens its one-stop shops
on Saturday mornings. A province's own make-up working days and extra days off
are parameters.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field
from enum import StrEnum

import holidays


class Scope(StrEnum):
    """How far an item travels, which sets its J+n norm (TT 17 art. 7(2))."""

    LOCAL = "local"  # inside one post-office territory (TT 17: within one district)
    PROVINCE = "province"  # between territories of the province
    INTER_PROVINCE = "inter_province"  # between provinces


#: (n for a dossier or a result, n when the leg includes the appointment slip) per scope.
NORM_DAYS: dict[Scope, tuple[int, int]] = {
    Scope.LOCAL: (1, 2),
    Scope.PROVINCE: (2, 4),
    Scope.INTER_PROVINCE: (4, 8),
}


@functools.cache
def _vietnam_holidays(year: int) -> dict[dt.date, str]:
    return dict(holidays.country_holidays("VN", years=year).items())


@dataclass(frozen=True)
class WorkingCalendar:
    """Which days count as working days for deadlines and planning.

    Examples
    --------
    >>> cal = WorkingCalendar()
    >>> cal.add_working_days(dt.date(2026, 11, 20), 1)  # Friday J+1: Monday
    datetime.date(2026, 11, 23)
    >>> cal.holiday_name(dt.date(2026, 9, 2))
    'National Day'
    """

    saturday_open: bool = False
    extra_holidays: frozenset[dt.date] = field(default_factory=frozenset)
    extra_working_days: frozenset[dt.date] = field(default_factory=frozenset)

    def holiday_name(self, day: dt.date) -> str | None:
        """The public holiday's name on ``day`` (None on an ordinary day)."""
        if day in self.extra_holidays:
            return "provincial day off"
        return _vietnam_holidays(day.year).get(day)

    def is_working_day(self, day: dt.date) -> bool:
        """Whether one-stop shops and the post's couriers work on ``day``."""
        if day in self.extra_working_days:
            return True
        if self.holiday_name(day) is not None:
            return False
        weekday = day.weekday()
        return weekday < 5 or (weekday == 5 and self.saturday_open)

    def next_working_day(self, day: dt.date) -> dt.date:
        """``day`` itself when it is a working day, else the next one."""
        while not self.is_working_day(day):
            day += dt.timedelta(days=1)
        return day

    def add_working_days(self, day: dt.date, n: int) -> dt.date:
        """J+n: the n-th working day after ``day`` (n = 0: ``day`` itself)."""
        if n < 0:
            raise ValueError("n must not be negative")
        for _ in range(n):
            day = self.next_working_day(day + dt.timedelta(days=1))
        return day

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days after ``start`` up to and including ``end`` (negative when end < start)."""
        if end < start:
            return -self.working_days_between(end, start)
        return sum(
            self.is_working_day(start + dt.timedelta(days=k))
            for k in range(1, (end - start).days + 1)
        )

    def deadline(self, accepted_on: dt.date, scope: Scope, *, with_slip: bool = False) -> dt.date:
        """The J+n deadline of an item accepted on ``accepted_on`` (TT 17 art. 7(2))."""
        plain, slip = NORM_DAYS[scope]
        return self.add_working_days(accepted_on, slip if with_slip else plain)

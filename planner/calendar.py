"""Working days and J+n deadlines (TT 17/2017 art. 7; DOMAIN.md 3.4, 8.4–8.5).

Deadlines count working days: Sundays and Vietnamese public holidays (with
their substitute days, and the Saturdays worked in exchange, from the
``holidays`` package; the legal source of each is in docs/calendar.md) are not
counted; Saturdays are working days only where the province opens its
one-stop shops on Saturday mornings. A province's own make-up working days
and extra days off, and the agencies that open (or stay closed) on Saturdays
against the province's rule, come from a calendar file (:func:`read_calendar`,
``--calendar``).
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import tomllib
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from types import MappingProxyType
from typing import Any

import holidays

from planner.domain import hours
from planner.domain.hours import OFFICE_HOURS, SATURDAY_HOURS, TimeWindow
from planner.domain.sites import Site
from planner.exceptions import InputError, InputErrors


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

#: Opening of an agency on a day it is closed: one instant at midnight, which no shift
#: reaches (an empty tuple would mean "open all day").
CLOSED: tuple[TimeWindow, ...] = hours.CLOSED


class DayKind(StrEnum):
    """What a calendar file says about a date or about an agency's Saturdays."""

    DAY_OFF = "day_off"  # nghỉ: a province's own day off, a bridging day
    WORKING = "working"  # làm bù: a make-up working day (a Saturday or Sunday worked)
    SATURDAY_OPEN = "saturday_open"  # the agency opens on Saturday mornings
    SATURDAY_CLOSED = "saturday_closed"  # the agency stays closed on Saturdays


#: Vietnamese and English spellings of each kind (compared without diacritics or case).
_KIND_NAMES: Mapping[DayKind, tuple[str, ...]] = {
    DayKind.DAY_OFF: ("day_off", "day off", "holiday", "nghỉ", "ngày nghỉ", "nghi"),
    DayKind.WORKING: ("working", "make_up", "make-up", "làm bù", "làm việc", "ngày làm bù"),
    DayKind.SATURDAY_OPEN: ("saturday_open", "mở thứ bảy", "làm thứ bảy"),
    DayKind.SATURDAY_CLOSED: ("saturday_closed", "nghỉ thứ bảy"),
}


@functools.cache
def _vietnam_holidays(year: int) -> dict[dt.date, str]:
    return dict(holidays.country_holidays("VN", years=year).items())


@functools.cache
def _weekend_workdays(year: int) -> frozenset[dt.date]:
    """Saturdays and Sundays worked in exchange for a bridging day off (the package's list)."""
    return frozenset(d for d in holidays.country_holidays("VN", years=year).weekend_workdays
                     if d.year == year)


@dataclass(frozen=True)
class WorkingCalendar:
    """Which days count as working days for deadlines and planning.

    ``saturday_open``: the province's one-stop shops open on Saturday mornings.
    ``extra_holidays`` and ``extra_working_days``: the province's own days off
    and make-up working days (a make-up day overrides a national holiday too);
    ``reasons`` says why, per date. ``saturday_sites`` maps an agency's site id
    to whether it opens on Saturday mornings, against the province's rule.

    Examples
    --------
    >>> cal = WorkingCalendar()
    >>> cal.add_working_days(dt.date(2026, 11, 20), 1)  # Friday J+1: Monday
    datetime.date(2026, 11, 23)
    >>> cal.holiday_name(dt.date(2026, 9, 2))
    'National Day'
    >>> cal.is_working_day(dt.date(2026, 8, 22))  # Saturday worked for Monday 31/08
    True
    """

    saturday_open: bool = False
    extra_holidays: frozenset[dt.date] = field(default_factory=frozenset)
    extra_working_days: frozenset[dt.date] = field(default_factory=frozenset)
    reasons: Mapping[dt.date, str] = field(default_factory=dict)
    saturday_sites: Mapping[str, bool] = field(default_factory=dict)

    def holiday_name(self, day: dt.date) -> str | None:
        """The public holiday's name on ``day`` (None on an ordinary day)."""
        if day in self.extra_holidays:
            return self.reasons.get(day) or "provincial day off"
        return _vietnam_holidays(day.year).get(day)

    def is_make_up_day(self, day: dt.date) -> bool:
        """Whether ``day`` is a weekend day worked in exchange (national or the province's)."""
        return day in self.extra_working_days or (
            day.weekday() >= 5 and day in _weekend_workdays(day.year))

    def is_working_day(self, day: dt.date) -> bool:
        """Whether one-stop shops and the post's couriers work on ``day``."""
        if self.is_make_up_day(day):
            return True
        if self.holiday_name(day) is not None:
            return False
        weekday = day.weekday()
        return weekday < 5 or (weekday == 5 and self.saturday_open)

    def opens_on_saturday(self, site_id: str) -> bool:
        """Whether the agency ``site_id`` opens on (ordinary) Saturday mornings."""
        return self.saturday_sites.get(site_id, self.saturday_open)

    def agency_hours(self, site: Site, day: dt.date) -> tuple[TimeWindow, ...]:
        """The agency's opening on ``day``: its own hours, Saturday morning, or :data:`CLOSED`.

        Its hours on working weekdays and make-up days (a make-up day keeps the
        weekday schedule); Saturday morning hours (:data:`SATURDAY_HOURS`, cut
        to its own) on an ordinary Saturday where it opens; closed otherwise.
        Sites other than agencies keep their hours.
        """
        if not site.kind.is_agency or self.is_make_up_day(day) or (
                day.weekday() < 5 and self.is_working_day(day)):
            return site.opening
        own = site.opening or OFFICE_HOURS
        if day.weekday() == 5 and self.holiday_name(day) is None \
                and self.opens_on_saturday(site.id):
            return _within(SATURDAY_HOURS, own)
        return CLOSED

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

    def working_hours(self, day: dt.date) -> tuple[TimeWindow, ...]:
        """The service's working hours on ``day``: one-stop shops' office hours.

        :data:`OFFICE_HOURS` (DOMAIN.md 8.6: 07:30–11:30, 13:00–17:00) on
        working weekdays and make-up days, :data:`SATURDAY_HOURS` on an
        ordinary Saturday where the province opens, none on a day off.
        """
        if not self.is_working_day(day):
            return ()
        if day.weekday() == 5 and not self.is_make_up_day(day):
            return SATURDAY_HOURS
        return OFFICE_HOURS

    def working_seconds_between(self, start: dt.datetime, end: dt.datetime) -> int:
        """Working seconds (:meth:`working_hours`) from ``start`` to ``end`` (0 if end ≤ start).

        Naive datetimes in the province's local time. A delay counted this way
        ignores nights, lunch breaks, Sundays and holidays: the time the
        citizen waited while the service was open.

        Examples
        --------
        >>> cal = WorkingCalendar()
        >>> cal.working_seconds_between(dt.datetime(2026, 11, 27, 16, 0),
        ...                             dt.datetime(2026, 11, 30, 8, 30)) / 3600  # Fri → Mon
        2.0
        """
        total = 0
        day = start.date()
        while day <= end.date():
            midnight = dt.datetime.combine(day, dt.time())
            for w in self.working_hours(day):
                lo = max(start, midnight + dt.timedelta(seconds=w.start_s))
                hi = min(end, midnight + dt.timedelta(seconds=w.end_s))
                total += max(0, int((hi - lo).total_seconds()))
            day += dt.timedelta(days=1)
        return total

    def deadline(self, accepted_on: dt.date, scope: Scope, *, with_slip: bool = False) -> dt.date:
        """The J+n deadline of an item accepted on ``accepted_on`` (TT 17 art. 7(2))."""
        plain, slip = NORM_DAYS[scope]
        return self.add_working_days(accepted_on, slip if with_slip else plain)


def _within(a: tuple[TimeWindow, ...], b: tuple[TimeWindow, ...]) -> tuple[TimeWindow, ...]:
    out = tuple(TimeWindow(max(x.start_s, y.start_s), min(x.end_s, y.end_s))
                for x in a for y in b if max(x.start_s, y.start_s) < min(x.end_s, y.end_s))
    return out or CLOSED


def calendar_to_dict(cal: WorkingCalendar) -> dict[str, Any]:
    """The calendar's settings as a JSON-ready mapping (for ``kpis.json``)."""
    return {
        "saturday_open": cal.saturday_open,
        "days": [{"date": d.isoformat(), "kind": kind.value, "reason": cal.reasons.get(d, "")}
                 for kind, days in ((DayKind.DAY_OFF, cal.extra_holidays),
                                    (DayKind.WORKING, cal.extra_working_days))
                 for d in sorted(days)],
        "saturday_sites": dict(sorted(cal.saturday_sites.items())),
    }


# -- the calendar file -----------------------------------------------------------------


def _plain(text: str) -> str:
    """Lower case without diacritics (đ → d), for matching kind names."""
    text = unicodedata.normalize("NFD", text.strip().lower().replace("đ", "d"))
    return "".join(ch for ch in text if not unicodedata.combining(ch)).replace("-", "_")


_KINDS: Mapping[str, DayKind] = MappingProxyType({
    _plain(name): kind for kind, names in _KIND_NAMES.items() for name in names})


def _date(value: object) -> dt.date:
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"'{text}' is not a date (YYYY-MM-DD or DD/MM/YYYY)")


def calendar_from_rows(rows: Iterable[Mapping[str, Any]], *, saturday_open: bool = False,
                       source: str = "calendar") -> WorkingCalendar:
    """A calendar from entries of ``date``, ``kind``, ``reason`` and ``site`` (docs/calendar.md).

    Rows are numbered from 1 in errors (a CSV file's header is row 1, so its
    first entry is row 2: pass them numbered as they should be reported).

    Raises
    ------
    InputErrors
        Every row with an unknown kind, a bad date, a date on a Saturday rule,
        or a Saturday rule without a site, at once.
    """
    off: set[dt.date] = set()
    working: set[dt.date] = set()
    reasons: dict[dt.date, str] = {}
    sites: dict[str, bool] = {}
    errors: list[InputError] = []
    for n, row in enumerate(rows, start=1):
        where = {"source": source, "row": str(row.get("_row", n))}
        kind = _KINDS.get(_plain(str(row.get("kind") or "")))
        site = str(row.get("site") or "").strip()
        if kind is None:
            known = ", ".join(k.value for k in DayKind)
            errors.append(InputError(f"unknown kind '{row.get('kind', '')}' (known: {known})",
                                     field="kind", **where))
            continue
        if kind in (DayKind.SATURDAY_OPEN, DayKind.SATURDAY_CLOSED):
            if not site:
                errors.append(InputError("a Saturday rule names the agency's site id",
                                         field="site", **where))
            else:
                sites[site] = kind is DayKind.SATURDAY_OPEN
            continue
        try:
            day = _date(row.get("date", ""))
        except ValueError as err:
            errors.append(InputError(str(err), field="date", **where))
            continue
        (off if kind is DayKind.DAY_OFF else working).add(day)
        if row.get("reason"):
            reasons[day] = str(row["reason"]).strip()
    both = off & working
    errors += [InputError(f"{d.isoformat()} is both a day off and a working day", source=source,
                          field="date") for d in sorted(both)]
    if errors:
        raise InputErrors(errors)
    return WorkingCalendar(saturday_open=saturday_open, extra_holidays=frozenset(off),
                           extra_working_days=frozenset(working),
                           reasons=MappingProxyType(reasons),
                           saturday_sites=MappingProxyType(sites))


def read_calendar(path: Path, *, saturday_open: bool = False) -> WorkingCalendar:
    """Read a calendar file: TOML (``[[day]]`` and ``[[site]]`` tables) or CSV (docs/calendar.md).

    ``saturday_open`` is the province's Saturday rule when the file does not set
    one (``saturday_open = true`` at the top of a TOML file).

    Raises
    ------
    InputError, InputErrors
        The file is missing or unreadable, or rows are wrong (all of them at once).
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError("file not found", source=str(path)) from None
    except UnicodeDecodeError as err:
        raise InputError(f"not UTF-8 text: {err}", source=str(path)) from None
    if path.suffix.lower() == ".toml":
        try:
            doc = tomllib.loads(text)
        except tomllib.TOMLDecodeError as err:
            raise InputError(f"not a TOML file: {err}", source=path.name) from None
        rows = [dict(d, _row=f"day {k}") for k, d in enumerate(doc.get("day", []), start=1)]
        rows += [{"_row": f"site {k}", "site": s.get("id", ""),
                  "kind": "saturday_open" if s.get("saturday", False) else "saturday_closed"}
                 for k, s in enumerate(doc.get("site", []), start=1)]
        return calendar_from_rows(rows, saturday_open=bool(doc.get("saturday_open",
                                                                   saturday_open)),
                                  source=path.name)
    reader = csv.DictReader(text.splitlines())
    rows = [{**{(k or "").strip().lower(): v for k, v in r.items()}, "_row": n}
            for n, r in enumerate(reader, start=2)]
    return calendar_from_rows(rows, saturday_open=saturday_open, source=path.name)

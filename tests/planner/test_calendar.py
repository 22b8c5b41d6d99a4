"""Working days and J+n deadlines: weekends, Vietnamese holidays, Saturday option."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from planner.calendar import (
    CLOSED,
    Scope,
    WorkingCalendar,
    calendar_from_rows,
    calendar_to_dict,
    read_calendar,
)
from planner.domain import OFFICE_HOURS, SATURDAY_HOURS, Site, SiteKind
from planner.exceptions import InputErrors

DATA = Path(__file__).resolve().parents[1] / "data" / "calendar"

CAL = WorkingCalendar()


def test_tet_and_national_day_are_not_working_days() -> None:
    """Tết 2026 (16–20 Feb) and 2 September are holidays, with their names."""
    for day in (dt.date(2026, 2, 17), dt.date(2026, 2, 20), dt.date(2026, 9, 2)):
        assert not CAL.is_working_day(day)
        assert CAL.holiday_name(day)
    assert CAL.is_working_day(dt.date(2026, 2, 23))


def test_j_plus_n_skips_weekend_and_holiday() -> None:
    """Accepted Friday 20/11/2026: J+1 is Monday; J+2 skips the 24/11 holiday to Wednesday."""
    friday = dt.date(2026, 11, 20)
    assert CAL.add_working_days(friday, 1) == dt.date(2026, 11, 23)
    assert CAL.holiday_name(dt.date(2026, 11, 24)) is not None
    assert CAL.add_working_days(friday, 2) == dt.date(2026, 11, 25)
    assert CAL.working_days_between(friday, dt.date(2026, 11, 25)) == 2


def test_tt17_norms_by_scope() -> None:
    """Local J+1 (slip J+2), province J+2 (slip J+4), inter-province J+4."""
    monday = dt.date(2026, 11, 23)
    assert CAL.deadline(monday, Scope.LOCAL) == dt.date(2026, 11, 25)
    assert CAL.deadline(monday, Scope.LOCAL, with_slip=True) == dt.date(2026, 11, 26)
    assert CAL.deadline(monday, Scope.PROVINCE) == dt.date(2026, 11, 26)
    assert CAL.deadline(monday, Scope.PROVINCE, with_slip=True) == dt.date(2026, 11, 30)
    assert CAL.deadline(monday, Scope.INTER_PROVINCE) == dt.date(2026, 11, 30)


def test_saturday_counts_where_the_province_opens() -> None:
    """With Saturday service, Friday's J+1 is Saturday; Sunday never works."""
    sat = WorkingCalendar(saturday_open=True)
    friday = dt.date(2026, 11, 20)
    assert sat.add_working_days(friday, 1) == dt.date(2026, 11, 21)
    assert not sat.is_working_day(dt.date(2026, 11, 22))
    assert CAL.next_working_day(dt.date(2026, 11, 21)) == dt.date(2026, 11, 23)


def test_provincial_days_off_and_make_up_days() -> None:
    """Extra holidays and make-up working days override the national calendar."""
    cal = WorkingCalendar(extra_holidays=frozenset({dt.date(2026, 11, 23)}),
                          extra_working_days=frozenset({dt.date(2026, 11, 22)}))
    assert not cal.is_working_day(dt.date(2026, 11, 23))
    assert cal.is_working_day(dt.date(2026, 11, 22))
    with pytest.raises(ValueError, match="negative"):
        cal.add_working_days(dt.date(2026, 11, 23), -1)


def test_saturdays_worked_for_a_bridge_are_working_days() -> None:
    """Saturday 22/08/2026 is worked in exchange for Monday 31/08 (the package's swap)."""
    assert CAL.holiday_name(dt.date(2026, 8, 31)) is not None
    assert CAL.is_working_day(dt.date(2026, 8, 22))
    assert CAL.add_working_days(dt.date(2026, 8, 21), 1) == dt.date(2026, 8, 22)


@pytest.mark.parametrize("name", ["langson_2026.toml", "langson_2026.csv"])
def test_calendar_file_days_off_make_up_days_and_agency_saturdays(name: str) -> None:
    """TOML and CSV give the same calendar: a day off with its reason, a make-up Saturday."""
    cal = read_calendar(DATA / name)
    assert cal.holiday_name(dt.date(2026, 12, 7)) == "Ngày nghỉ riêng của tỉnh"
    assert not cal.is_working_day(dt.date(2026, 12, 7))
    assert cal.is_working_day(dt.date(2026, 12, 12))
    assert cal.add_working_days(dt.date(2026, 12, 4), 1) == dt.date(2026, 12, 8)
    assert cal.opens_on_saturday("MC-LVT")
    assert not cal.opens_on_saturday("MC-OTHER")
    assert calendar_to_dict(cal)["days"][0] == {"date": "2026-12-07", "kind": "day_off",
                                                "reason": "Ngày nghỉ riêng của tỉnh"}


def test_a_make_up_day_can_cancel_a_national_holiday() -> None:
    """A province that works on 24/11 says so with a 'working' entry."""
    cal = calendar_from_rows([{"date": "2026-11-24", "kind": "working"}])
    assert cal.is_working_day(dt.date(2026, 11, 24))


def test_bad_calendar_rows_are_reported_at_once() -> None:
    """A bad date, an unknown kind and a Saturday rule without a site: three errors with rows."""
    with pytest.raises(InputErrors) as err:
        read_calendar(DATA / "bad.csv")
    rows = [(e.row, e.field) for e in err.value.errors]
    assert rows == [("2", "date"), ("3", "kind"), ("4", "site")]


def _agency(site_id: str) -> Site:
    return Site(site_id, "Bộ phận một cửa", SiteKind.COMMUNE_ONE_STOP, 106.76, 21.85,
                opening=OFFICE_HOURS)


def test_agency_hours_follow_the_province_and_the_agency() -> None:
    """Saturday mornings where the agency opens, closed where it does not; weekday hours else."""
    sat, monday = dt.date(2026, 11, 28), dt.date(2026, 11, 23)
    cal = WorkingCalendar(saturday_sites={"MC-A": True})
    assert cal.agency_hours(_agency("MC-A"), sat) == SATURDAY_HOURS
    assert cal.agency_hours(_agency("MC-B"), sat) == CLOSED
    assert cal.agency_hours(_agency("MC-B"), monday) == OFFICE_HOURS
    open_province = WorkingCalendar(saturday_open=True, saturday_sites={"MC-B": False})
    assert open_province.agency_hours(_agency("MC-A"), sat) == SATURDAY_HOURS
    assert open_province.agency_hours(_agency("MC-B"), sat) == CLOSED
    assert cal.agency_hours(_agency("MC-B"), dt.date(2026, 8, 22)) == OFFICE_HOURS  # make-up
    assert cal.agency_hours(_agency("MC-A"), dt.date(2026, 11, 24)) == CLOSED  # holiday


def test_working_seconds_count_office_hours_only() -> None:
    """Nights, lunch, Sundays and holidays do not count; an open Saturday counts its morning."""
    cal = WorkingCalendar()
    at = dt.datetime

    def hours(a: dt.datetime, b: dt.datetime, c: WorkingCalendar = cal) -> float:
        return c.working_seconds_between(a, b) / 3600

    assert hours(at(2026, 11, 27, 16, 0), at(2026, 11, 30, 8, 30)) == 2.0  # Fri → Mon
    assert hours(at(2026, 11, 25, 11, 0), at(2026, 11, 25, 14, 0)) == 1.5  # lunch 11:30–13:00
    assert hours(at(2026, 11, 23, 17, 0), at(2026, 11, 25, 7, 30)) == 0.0  # 24/11 is a holiday
    assert hours(at(2026, 11, 25, 9, 0), at(2026, 11, 25, 8, 0)) == 0.0
    saturday = WorkingCalendar(saturday_open=True)
    assert hours(at(2026, 11, 27, 17, 0), at(2026, 11, 30, 7, 30), saturday) == 4.0

"""Working days and J+n deadlines: weekends, Vietnamese holidays, Saturday option."""

from __future__ import annotations

import datetime as dt

import pytest

from planner.calendar import Scope, WorkingCalendar

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

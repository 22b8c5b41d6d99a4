"""The outcomes file: Vietnamese or English columns and values, every bad row reported at once."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from planner.domain.outcomes import FailureReason, OutcomeStatus
from planner.exceptions import InputError, InputErrors
from planner.formats import read_outcomes

DATA = Path(__file__).parents[2] / "data" / "inputs"
MON, WED = dt.date(2026, 11, 23), dt.date(2026, 11, 25)


def test_vietnamese_columns_and_values_are_read() -> None:
    """Headers, statuses and reasons in Vietnamese (any case), dates in any accepted form."""
    got = read_outcomes(DATA / "outcomes_vietnamese.csv", before=WED)
    assert [(o.tracking_code, o.date, o.status, o.reason) for o in got] == [
        ("KQ1", MON, OutcomeStatus.FAILED, FailureReason.ABSENT),
        ("KQ2", MON, OutcomeStatus.DELIVERED, None),
        ("HS1", MON, OutcomeStatus.FAILED, FailureReason.REFUSED),
        ("HS2", MON, OutcomeStatus.HANDED_OVER, None),
        ("KQ3", MON, OutcomeStatus.FAILED, FailureReason.NO_VALID_ID),
        ("KQ4", MON, OutcomeStatus.FAILED, FailureReason.WRONG_ADDRESS),
    ]
    assert got[0].note == "gọi 2 lần"


def test_a_json_list_with_english_aliases_is_read() -> None:
    """``{"outcomes": [...]}`` with the English alternative names."""
    (o,) = read_outcomes(DATA / "outcomes.json", before=WED)
    assert (o.tracking_code, o.status, o.reason) == ("KQ1", OutcomeStatus.FAILED,
                                                     FailureReason.ABSENT)


def test_every_bad_row_is_reported_with_its_row_and_field() -> None:
    """Missing or stray reason, a date not before the planning day, unknown values, repeats."""
    with pytest.raises(InputErrors) as exc:
        read_outcomes(DATA / "outcomes_bad.csv", before=WED)
    found = {(e.row, e.field) for e in exc.value.errors}
    assert found == {(2, "reason"), (3, "reason"), (4, "date"), (5, "status"), (6, "reason"),
                     (7, "tracking_code"), (9, "tracking_code")}
    assert all(e.source == "outcomes_bad.csv" for e in exc.value.errors)


def test_a_missing_column_is_named_with_its_aliases(tmp_path: Path) -> None:
    """Without a status column nothing is read; the error lists the names it accepts."""
    path = tmp_path / "outcomes.csv"
    path.write_text("tracking_code,date\nKQ1,23/11/2026\n", encoding="utf-8")
    with pytest.raises(InputErrors, match="trạng thái"):
        read_outcomes(path)
    with pytest.raises(InputError, match="not found"):
        read_outcomes(tmp_path / "missing.csv")

"""The outcomes file: what happened on earlier days, one row per tracking code and day.

Columns (Vietnamese or English names, docs/inputs.md): tracking code, the
date it happened, status (collected, handed over, delivered, failed) and,
for a failure, its reason (absent, refused, wrong address, no valid ID); an
optional note.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from planner.domain.outcomes import FailureReason, Outcome, OutcomeStatus
from planner.formats.tabular import (
    Cell,
    Problems,
    Progress,
    blank,
    choice,
    date,
    find_columns,
    read_table,
    report_progress,
    text,
)

ALIASES: dict[str, tuple[str, ...]] = {
    "tracking_code": ("số hiệu", "mã bưu gửi", "số phiếu", "code", "tracking"),
    "date": ("ngày", "ngày phát", "ngày thực hiện", "day"),
    "status": ("kết quả", "trạng thái", "tình trạng", "outcome", "result"),
    "reason": ("lý do", "nguyên nhân", "failure_reason"),
    "note": ("ghi chú", "notes", "comment"),
}
REQUIRED = ("tracking_code", "date", "status")

STATUSES: dict[str, OutcomeStatus] = {
    **{s.value: s for s in OutcomeStatus},
    "đã nhận": OutcomeStatus.COLLECTED,
    "nhận": OutcomeStatus.COLLECTED,
    "đã bàn giao": OutcomeStatus.HANDED_OVER,
    "bàn giao": OutcomeStatus.HANDED_OVER,
    "handed over": OutcomeStatus.HANDED_OVER,
    "đã phát": OutcomeStatus.DELIVERED,
    "phát thành công": OutcomeStatus.DELIVERED,
    "đã giao": OutcomeStatus.DELIVERED,
    "không thành công": OutcomeStatus.FAILED,
    "phát không thành công": OutcomeStatus.FAILED,
    "thất bại": OutcomeStatus.FAILED,
}
REASONS: dict[str, FailureReason] = {
    **{r.value: r for r in FailureReason},
    "vắng nhà": FailureReason.ABSENT,
    "vắng mặt": FailureReason.ABSENT,
    "không liên lạc được": FailureReason.ABSENT,
    "từ chối nhận": FailureReason.REFUSED,
    "từ chối": FailureReason.REFUSED,
    "sai địa chỉ": FailureReason.WRONG_ADDRESS,
    "wrong address": FailureReason.WRONG_ADDRESS,
    "không có giấy tờ": FailureReason.NO_VALID_ID,
    "không có giấy tờ tùy thân": FailureReason.NO_VALID_ID,
    "no valid id": FailureReason.NO_VALID_ID,
    "no id": FailureReason.NO_VALID_ID,
}
_status, _reason = choice(STATUSES), choice(REASONS)


def read_outcomes(path: Path, *, before: dt.date | None = None,
                  progress: Progress | None = None) -> tuple[Outcome, ...]:
    """Read and check every outcome of ``path`` (.csv, .xlsx, .json).

    Parameters
    ----------
    path
        The file; a JSON file is a list or ``{"outcomes": [...]}``.
    before
        The planning date: an outcome is of an earlier day, so a date on or
        after it is refused.
    progress
        Called as ``progress(rows_done, rows)`` while the rows are checked.

    Returns
    -------
    tuple[Outcome, ...]
        In file order; a header without rows gives none.

    Raises
    ------
    InputErrors
        Every problem of the file (row and column of each): a missing required
        column, an empty or unknown value, a failure without a reason or a
        reason without a failure, a date not before ``before``, a tracking code
        with two outcomes on one day. Nothing is returned.
    InputError
        The file cannot be read.
    """
    table = read_table(Path(path), "outcomes", allow_empty=True)
    problems = Problems(table.source)
    cols = find_columns(table, ALIASES, REQUIRED, problems)
    problems.raise_if_any()
    out: list[Outcome] = []
    first_row: dict[tuple[str, dt.date], int] = {}
    for i, (row_no, row) in enumerate(table.rows):
        report_progress(progress, i, len(table.rows))
        outcome = _outcome(problems, cols.header, row_no, row, before=before)
        if outcome is None:
            continue
        key = (outcome.tracking_code, outcome.date)
        if key in first_row:
            problems.add(row_no, cols.header["tracking_code"],
                         f"a second outcome for '{key[0]}' on {key[1].isoformat()} "
                         f"(first on row {first_row[key]})")
            continue
        first_row[key] = row_no
        out.append(outcome)
    problems.raise_if_any()
    return tuple(out)


def _outcome(problems: Problems, header: Mapping[str, str], row_no: int,
             row: Mapping[str, Any], *, before: dt.date | None) -> Outcome | None:
    def cell(name: str) -> Cell:
        col = header.get(name, name)
        return Cell(problems, row_no, col, row.get(col) if name in header else None)

    before_count = len(problems.errors)
    for name in REQUIRED:
        if blank(cell(name).value):
            cell(name).bad("empty")
    if len(problems.errors) > before_count:
        return None
    day = cell("date").parse(date, "a date (YYYY-MM-DD or DD/MM/YYYY)")
    if day is not None and before is not None and day >= before:
        cell("date").bad(f"{day} is not before the planning date {before}: "
                         "outcomes are of earlier days")
    status = cell("status").parse(_status, "a status (collected, handed_over, delivered, "
                                  "failed; đã nhận, đã bàn giao, đã phát, không thành công)")
    reason = None
    if not blank(cell("reason").value):
        reason = cell("reason").parse(_reason, "a failure reason (absent, refused, "
                                      "wrong_address, no_valid_id; vắng nhà, từ chối nhận, "
                                      "sai địa chỉ, không có giấy tờ)")
        if status is not None and status is not OutcomeStatus.FAILED:
            cell("reason").bad(f"a reason is given for an outcome that did not fail "
                               f"('{status.value}')")
    elif status is OutcomeStatus.FAILED:
        cell("reason").bad("a failed outcome needs its reason (absent, refused, "
                           "wrong_address, no_valid_id)")
    if len(problems.errors) > before_count:
        return None
    assert day is not None
    assert status is not None
    return Outcome(text(cell("tracking_code").value), day, status, reason,
                   text(cell("note").value))


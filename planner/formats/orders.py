"""The orders file: one row per consignment (phiếu gửi) to move today or later.

Columns (Vietnamese or English names, docs/inputs.md): tracking code, kind,
origin and destination site ids, acceptance date (J), optional deadline,
quantity, the citizen's windows at either end, the time a result is ready,
government fee and postage and when the citizen pays them, required skills,
class, priority, same-day flag, citizen's name and phone, procedure, and for an
appointment slip the dossier it follows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from planner.domain.items import FeeMoment, ItemKind
from planner.domain.orders import Order
from planner.domain.sites import Site
from planner.exceptions import InputError
from planner.formats.tabular import (
    Cell,
    Problems,
    Progress,
    amount,
    blank,
    choice,
    date,
    find_columns,
    first_seen,
    item_class,
    names,
    phone,
    read_table,
    report_progress,
    text,
    time_of_day,
    whole,
    windows,
    yes_no,
)

ALIASES: dict[str, tuple[str, ...]] = {
    "tracking_code": ("số hiệu", "mã bưu gửi", "số phiếu", "code", "tracking"),
    "kind": ("loại", "loại bưu gửi", "type"),
    "origin": ("nơi đi", "nơi nhận", "điểm nhận", "from", "pickup_site"),
    "destination": ("nơi đến", "nơi giao", "điểm giao", "to", "delivery_site"),
    "accepted_on": ("ngày nhận", "ngày chấp nhận", "j", "accepted"),
    "deadline": ("hạn", "hạn giao", "hạn trả", "due"),
    "quantity": ("số lượng", "qty"),
    "origin_windows": ("giờ nhận", "khung giờ nhận", "pickup_windows"),
    "destination_windows": ("giờ giao", "khung giờ giao", "delivery_windows"),
    "ready": ("giờ có kết quả", "ready_at", "ready_time"),
    # The government fee or charge (phí, lệ phí: the agency's money) and the postage
    # (cước: the post's revenue) apart (QĐ 45 art. 11, 12). A file with only a fee
    # column reads as it always did: its amounts are government fees, no postage.
    "fee_vnd": ("phi_vnd", "lệ phí", "phí", "phí lệ phí", "fee", "tiền thu hộ"),
    "postage_vnd": ("cuoc_vnd", "cước", "cước phí", "cước dịch vụ", "postage"),
    "fee_at": ("thu khi", "thu phí khi", "fee_moment"),
    "skills": ("kỹ năng", "yêu cầu", "required_skills"),
    "class": ("loại bảo mật", "item_class", "phân loại"),
    "priority": ("ưu tiên",),
    "same_day": ("trong ngày", "thủ tục trong ngày"),
    "citizen_name": ("họ tên", "người gửi nhận", "tên công dân", "name"),
    "citizen_phone": ("điện thoại", "số điện thoại", "phone"),
    "procedure": ("thủ tục", "tên thủ tục"),
    "follows": ("theo hồ sơ", "số hiệu hồ sơ", "dossier", "for_dossier"),
}
REQUIRED = ("tracking_code", "kind", "origin", "destination")

KINDS: dict[str, ItemKind] = {
    **{k.value: k for k in ItemKind},
    "hồ sơ": ItemKind.DOSSIER,
    "kết quả": ItemKind.RESULT,
    "giấy hẹn": ItemKind.APPOINTMENT_SLIP,
    "giấy hẹn trả kết quả": ItemKind.APPOINTMENT_SLIP,
    "slip": ItemKind.APPOINTMENT_SLIP,
    "liên thông": ItemKind.TRANSFER,
    "hồ sơ liên thông": ItemKind.TRANSFER,
    "inter-agency": ItemKind.TRANSFER,
    "hoàn trả": ItemKind.RETURN,
    "kết quả hoàn trả": ItemKind.RETURN,
}
FEE_MOMENTS: dict[str, FeeMoment] = {
    **{m.value: m for m in FeeMoment},
    "nhận": FeeMoment.PICKUP,
    "khi nhận": FeeMoment.PICKUP,
    "giao": FeeMoment.DELIVERY,
    "khi giao": FeeMoment.DELIVERY,
    "trả": FeeMoment.DELIVERY,
}
_kind, _fee_at = choice(KINDS), choice(FEE_MOMENTS)


def read_orders(path: Path, *, sites: Mapping[str, Site] | None = None,
                default_date: dt.date | None = None, progress: Progress | None = None,
                max_rows: int | None = None) -> tuple[Order, ...]:
    """Read and check every order of ``path`` (.csv, .xlsx, .json).

    ``sites``: when given, origins and destinations must name one of them.
    ``default_date``: the planning date: the acceptance date of rows that leave it
    empty, and the latest acceptance date accepted (an order cannot be accepted
    after the day it is planned; ``23/11/99`` is 2099).
    ``progress``: called as ``progress(rows_done, rows)`` while the rows are checked.
    ``max_rows``: refuse a file with more orders than this before checking its rows
    (a day larger than the planner takes gets its answer in seconds).

    Raises
    ------
    InputErrors
        Every problem of the file (row and column of each); nothing is returned.
    InputError
        The file cannot be read, or has more than ``max_rows`` orders.
    """
    table = read_table(Path(path), "orders", allow_empty=True)
    if max_rows is not None and len(table.rows) > max_rows:
        raise InputError(f"{len(table.rows):,} orders: the planner takes at most {max_rows:,} "
                         "a day. Split the day by post office or over several days "
                         "(docs/inputs.md, 'How large a day')", source=table.source)
    problems = Problems(table.source)
    cols = find_columns(table, ALIASES, REQUIRED, problems)
    problems.raise_if_any()
    orders: list[Order] = []
    first_row: dict[str, int] = {}
    for i, (row_no, row) in enumerate(table.rows):
        report_progress(progress, i, len(table.rows))
        if not first_seen(problems, first_row, row_no, cols.header["tracking_code"], row,
                          what="tracking code"):
            continue
        order = _order(problems, cols.header, row_no, row, sites=sites, default_date=default_date)
        if order is not None:
            orders.append(order)
    problems.raise_if_any()
    return tuple(orders)


def _order(problems: Problems, header: Mapping[str, str], row_no: int, row: Mapping[str, Any],
           *, sites: Mapping[str, Site] | None, default_date: dt.date | None) -> Order | None:
    def cell(name: str) -> Cell:
        col = header.get(name, name)
        return Cell(problems, row_no, col, row.get(col) if name in header else None)

    def opt(name: str, fn: Any, what: str, default: Any) -> Any:
        c = cell(name)
        return default if blank(c.value) else c.parse(fn, what)

    before = len(problems.errors)
    for name in REQUIRED:
        if blank(cell(name).value):
            cell(name).bad("empty")
    code = text(cell("tracking_code").value)
    kind = opt("kind", _kind, "an item kind", None)
    ends = {}
    for name in ("origin", "destination"):
        sid = text(cell(name).value)
        if sid and sites is not None and sid not in sites:
            cell(name).bad(f"unknown site '{sid}'")
        ends[name] = sid
    _check_kind(kind, ends, cell, sites)
    if ends["origin"] and ends["origin"] == ends["destination"]:
        cell("destination").bad(f"the destination is the origin '{ends['origin']}'")
    accepted = opt("accepted_on", date, "a date (YYYY-MM-DD or DD/MM/YYYY)", default_date)
    if accepted is None and blank(cell("accepted_on").value):
        cell("accepted_on").bad("empty (and no planning date to default to)")
    elif accepted is not None and default_date is not None and accepted > default_date:
        cell("accepted_on").bad(f"{accepted} is after the planning date {default_date}: "
                                "an order is accepted on or before the day it is planned")
    deadline = opt("deadline", date, "a date (YYYY-MM-DD or DD/MM/YYYY)", None)
    if deadline is not None and accepted is not None and deadline < accepted:
        cell("deadline").bad(f"deadline {deadline} is before the acceptance date {accepted}")
    quantity = opt("quantity", whole, "a whole number >= 0", 1)
    o_win = opt("origin_windows", windows, "time windows (HH:MM-HH:MM; ...)", ())
    d_win = opt("destination_windows", windows, "time windows (HH:MM-HH:MM; ...)", ())
    ready = opt("ready", time_of_day, "a time HH:MM", None)
    fee = opt("fee_vnd", amount, "an amount in VND >= 0", 0)
    postage = opt("postage_vnd", amount, "an amount in VND >= 0", 0)
    fee_at = opt("fee_at", _fee_at, "pickup or delivery (nhận/giao)", FeeMoment.PICKUP)
    priority = opt("priority", whole, "a whole number >= 0", 0)
    same_day = opt("same_day", yes_no, "yes or no (có/không)", False)
    if len(problems.errors) > before:
        return None
    return Order(
        tracking_code=code, kind=kind, origin=ends["origin"], destination=ends["destination"],
        accepted_on=accepted, deadline=deadline, quantity=(quantity,),
        origin_windows=o_win, destination_windows=d_win, ready_s=ready, fee_vnd=fee,
        fee_at=fee_at, required_skills=names(cell("skills").value),
        item_class=item_class(cell("class")), priority=priority,
        same_day=same_day, citizen_name=text(cell("citizen_name").value),
        citizen_phone=phone(cell("citizen_phone"), problems.source),
        procedure=text(cell("procedure").value), postage_vnd=postage,
        follows=text(cell("follows").value),
    )


def _check_kind(kind: ItemKind | None, ends: Mapping[str, str], cell: Any,
                sites: Mapping[str, Site] | None) -> None:
    """Record what the row's kind forbids.

    A liên thông dossier goes agency to agency (QĐ 45 art. 16(2)); only an
    appointment slip follows a dossier (QĐ 45 art. 7(5)).
    """
    if kind is ItemKind.TRANSFER and sites is not None:
        for name, sid in ends.items():
            if sid in sites and not sites[sid].kind.is_agency:
                cell(name).bad(f"an inter-agency (liên thông) dossier goes from agency to agency "
                               f"(QĐ 45 art. 16(2)); '{sid}' is a {sites[sid].kind.value}")
    if text(cell("follows").value) and kind is not ItemKind.APPOINTMENT_SLIP:
        cell("follows").bad("only an appointment slip follows a dossier (QĐ 45 art. 7(5))")

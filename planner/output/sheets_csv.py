"""Route sheet as CSV: one row per item event, in stop order, for spreadsheets and scanners.

UTF-8 with a byte-order mark so Excel on Windows shows Vietnamese correctly.
Column names follow the language (Vietnamese by default); each item's row
says how long the courier waits before its hand-over and why; the lunch
break and the waits between stops are rows of their own, so the sheet reads
as the day runs.

Cells are neutralised against CSV (formula) injection (OWASP): a cell that
starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading
apostrophe, so a spreadsheet shows it as text instead of running it; a plain
number or phone number (``+84 912 345 678``, ``-5``) is left as written.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Sequence
from pathlib import Path

from planner.domain.hours import s_to_hhmm
from planner.output import i18n
from planner.output.i18n import Lang
from planner.output.itinerary import RouteView, StopView
from planner.timeline import Span

#: Column keys in order; headers come from the catalogue (``csv.<key>``).
CSV_COLUMNS: tuple[str, ...] = (
    "stop_no",
    "arrival",
    "start",
    "departure",
    "site_id",
    "site_name",
    "site_kind",
    "address",
    "action",
    "tracking_code",
    "item_kind",
    "fee_vnd",
    "postage_vnd",
    "fee_handed_vnd",
    "cash_after_vnd",
    "contact_name",
    "contact_phone",
    "wait_min",
    "wait_cause",
)


#: First characters that make a spreadsheet read a cell as a formula (OWASP CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
#: A number or phone number: digits with an optional sign, spaces, dots and brackets.
_PLAIN_NUMBER = re.compile(r"[+-]?[0-9][0-9 .()]*")


def neutralise(cell: str) -> str:
    """``cell`` made inert for a spreadsheet: a leading apostrophe where it could be a formula.

    >>> neutralise("=1+2"), neutralise("@SUM(A1)"), neutralise("+84 912 345 678")
    ("'=1+2", "'@SUM(A1)", '+84 912 345 678')
    """
    if cell.startswith(_FORMULA_START) and not _PLAIN_NUMBER.fullmatch(cell):
        return "'" + cell
    return cell


def safe_rows(rows: Iterable[Sequence[str]]) -> list[list[str]]:
    """Every cell of ``rows`` through :func:`neutralise`, for any CSV the planner writes."""
    return [[neutralise(c) for c in row] for row in rows]


def csv_header(lang: Lang = "vi") -> list[str]:
    """Column headers of the route-sheet CSV in ``lang``."""
    return [i18n.text(f"csv.{c}", lang) for c in CSV_COLUMNS]


def _stop_rows(sv: StopView, lang: Lang) -> list[list[str]]:
    s = sv.stop
    common = [
        str(sv.number),
        s_to_hhmm(s.arrival_s),
        s_to_hhmm(s.start_s),
        s_to_hhmm(s.departure_s),
        sv.site.id,
        sv.site.name,
        i18n.site_kind(sv.site.kind, lang),
        sv.site.address,
    ]
    rows = []
    for li in sv.lines:
        # Personal data only where the courier meets the citizen.
        name = li.citizen_name if sv.is_citizen else ""
        phone = (li.citizen_phone or sv.site.phone) if sv.is_citizen else ""
        rows.append(
            [
                *common,
                i18n.action(li.action, lang),
                li.tracking_code,
                i18n.item_kind(li.kind, lang),
                str(li.fee_vnd),
                str(li.postage_vnd),
                str(li.fee_handed_vnd),
                str(sv.cash_after_vnd),
                name,
                phone,
                *_wait_cells(sv.waits_for(li.tracking_code), lang),
            ]
        )
    return rows


def _wait_cells(waits: Sequence[Span], lang: Lang) -> list[str]:
    """Minutes waited and the causes (``;``-separated), or two empty cells."""
    causes = {w.cause: None for w in waits if w.cause is not None and w.duration_s}
    minutes = sum(w.duration_s for w in waits if w.cause in causes) / 60
    if not causes:
        return ["", ""]
    labels = "; ".join(i18n.wait_cause(c, lang) for c in causes if c is not None)
    return [f"{minutes:.0f}", labels]
    return [f"{minutes:.0f}", causes]


def _lunch_row(start_s: int, end_s: int, lang: Lang) -> list[str]:
    row = [""] * len(CSV_COLUMNS)
    row[1], row[2], row[3] = s_to_hhmm(start_s), s_to_hhmm(start_s), s_to_hhmm(end_s)
    row[CSV_COLUMNS.index("action")] = i18n.text("sheet.lunch", lang)
    return row


def _road_wait_row(w: Span, lang: Lang) -> list[str]:
    row = [""] * len(CSV_COLUMNS)
    row[1], row[2], row[3] = s_to_hhmm(w.start_s), s_to_hhmm(w.start_s), s_to_hhmm(w.end_s)
    row[CSV_COLUMNS.index("action")] = i18n.text("sheet.waiting", lang)
    row[-2:] = _wait_cells([w], lang)
    return row


def _remit_row(view: RouteView, lang: Lang) -> list[str]:
    """The last row: back at the post office, the cash to remit (QĐ 45 art. 15(2))."""
    row = [""] * len(CSV_COLUMNS)
    row[1] = row[2] = s_to_hhmm(view.route.end_s)
    row[CSV_COLUMNS.index("site_id")] = view.end_site.id
    row[CSV_COLUMNS.index("site_name")] = view.end_site.name
    row[CSV_COLUMNS.index("action")] = i18n.text("sheet.remit", lang)
    row[CSV_COLUMNS.index("cash_after_vnd")] = str(view.remit_vnd)
    return row


def route_rows(view: RouteView, lang: Lang = "vi") -> list[list[str]]:
    """The data rows of one route sheet (without the header), lunch and waits in time order.

    Each item's row carries the fee and postage collected, the fee handed to the
    agency and the cash on board after its stop; a last row, back at the post
    office, the cash to remit there (when there is any).
    """
    r = view.route
    extra = [(w.start_s, _road_wait_row(w, lang)) for w in view.road_waits if w.cause]
    if r.lunch_start_s is not None:
        extra.append((r.lunch_start_s,
                      _lunch_row(r.lunch_start_s, r.lunch_end_s or r.lunch_start_s, lang)))
    extra.sort(key=lambda e: e[0])
    rows: list[list[str]] = []
    for sv in view.stops:
        while extra and extra[0][0] < sv.stop.arrival_s:
            rows.append(extra.pop(0)[1])
        rows.extend(_stop_rows(sv, lang))
    rows += [row for _, row in extra]
    if view.remit_vnd:
        rows.append(_remit_row(view, lang))
    return rows


def write_route_csv(view: RouteView, path: Path, lang: Lang = "vi") -> Path:
    """Write one courier's route sheet as CSV (UTF-8 with BOM) and return its path."""
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(csv_header(lang))
        writer.writerows(safe_rows(route_rows(view, lang)))
    return path

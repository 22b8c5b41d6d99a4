"""Reading the dispatcher's tables: CSV, Excel (.xlsx) or JSON, Vietnamese or English headers.

One reader for all three input files (orders, sites, fleet): it decodes the
file (UTF-8 with or without BOM, or Windows-1258 from old exports, always
normalised to NFC), finds each field's column under any of its names, and
numbers rows as the dispatcher sees them (the header is row 1 of a
spreadsheet; the first object is row 1 of a JSON list). Field parsers add an
:class:`~planner.exceptions.InputError` per bad cell to a :class:`Problems`
list, so one run reports every problem of a file at once.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import logging
import math
import unicodedata
import zipfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from planner.domain.hours import TimeWindow, hhmm_to_s, parse_windows
from planner.exceptions import InputError, InputErrors

LOG = logging.getLogger("planner.formats")
T = TypeVar("T")

FORMATS = (".csv", ".xlsx", ".json")


def fold(text: str) -> str:
    """Compare-friendly form: no diacritics, lower case, spaces/hyphens as underscores.

    >>> fold("Giờ mở cửa"), fold("Mã-xã"), fold("ĐỊA CHỈ")
    ('gio_mo_cua', 'ma_xa', 'dia_chi')
    """
    text = unicodedata.normalize("NFD", str(text).strip().lower().replace("đ", "d"))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return "_".join(text.replace("-", " ").replace("_", " ").split())


@dataclass(frozen=True)
class Table:
    """Rows of one file: (row number, cells by header as written)."""

    source: str
    headers: tuple[str, ...]
    rows: tuple[tuple[int, Mapping[str, Any]], ...]


@dataclass
class Problems:
    """Errors collected while reading one file; raised together at the end."""

    source: str
    errors: list[InputError] = field(default_factory=list)

    def add(self, row: int | str | None, column: str | None, message: str) -> None:
        """Record one problem at ``row`` and ``column``."""
        self.errors.append(InputError(message, source=self.source, row=row, field=column))

    def raise_if_any(self) -> None:
        """Raise :class:`InputErrors` with every problem recorded."""
        if self.errors:
            raise InputErrors(self.errors)


def decode(data: bytes, source: str) -> str:
    """Text of a file in UTF-8 (with or without BOM) or Windows-1258, normalised to NFC.

    Raises
    ------
    InputError
        When the bytes are neither (naming the first undecodable byte's offset).
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as utf8_error:
        try:
            text = data.decode("cp1258")
        except UnicodeDecodeError:
            raise InputError(
                f"not UTF-8 or Windows-1258 text (undecodable byte at offset "
                f"{utf8_error.start})", source=source) from None
        LOG.warning("%s: read as Windows-1258 (not UTF-8)", source)
    return unicodedata.normalize("NFC", text)


def read_table(path: Path, list_key: str) -> Table:
    """Read ``path`` (.csv, .xlsx or .json) into a :class:`Table`.

    ``list_key`` names the list in a JSON object such as ``{"orders": [...]}``.

    Raises
    ------
    InputError
        Missing, empty or unreadable file, or an unsupported extension.
    """
    path = Path(path)
    source = path.name
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise InputError(f"unsupported file type '{suffix}' (use {', '.join(FORMATS)})",
                         source=source)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError("file not found", source=str(path)) from None
    except OSError as err:
        raise InputError(f"cannot read the file: {err.strerror}", source=str(path)) from None
    if not data.strip():
        raise InputError("the file is empty", source=source)
    if suffix == ".csv":
        table = _csv(decode(data, source), source)
    elif suffix == ".json":
        table = _json(decode(data, source), source, list_key)
    else:
        table = _xlsx(data, source)
    if not table.rows:
        raise InputError("the file has a header but no rows", source=source)
    return table


def _csv(text: str, source: str) -> Table:
    first = text.splitlines()[0] if text else ""
    delimiter = max(",;\t", key=first.count)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        records = list(reader)
    except csv.Error as err:
        raise InputError(f"not a readable CSV file: {err}", source=source,
                         row=reader.line_num) from None
    headers = tuple(h.strip() for h in records[0])
    rows = []
    for number, cells in enumerate(records[1:], start=2):
        if not any(c.strip() for c in cells):
            continue
        if len(cells) > len(headers) and any(c.strip() for c in cells[len(headers):]):
            raise InputError(f"{len(cells)} cells for {len(headers)} columns (a stray "
                             f"'{delimiter}'?)", source=source, row=number)
        rows.append((number, dict(zip(headers, cells, strict=False))))
    return Table(source, headers, tuple(rows))


def _json(text: str, source: str, list_key: str) -> Table:
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as err:
        raise InputError(f"not valid JSON: {err.msg} (line {err.lineno})", source=source) from None
    if isinstance(doc, dict):
        lists = [v for v in doc.values() if isinstance(v, list)]
        doc = doc.get(list_key, lists[0] if len(lists) == 1 else None)
    if not isinstance(doc, list):
        raise InputError(f"expected a list of objects (or {{\"{list_key}\": [...]}})",
                         source=source)
    headers: list[str] = []
    rows = []
    for number, obj in enumerate(doc, start=1):
        if not isinstance(obj, dict):
            raise InputError("expected an object", source=source, row=number)
        headers += [k for k in obj if k not in headers]
        rows.append((number, {str(k): v for k, v in obj.items()}))
    return Table(source, tuple(headers), tuple(rows))


def _xlsx(data: bytes, source: str) -> Table:
    import openpyxl  # noqa: PLC0415 - only Excel input needs it
    from openpyxl.utils.exceptions import InvalidFileException  # noqa: PLC0415

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, OSError, KeyError, ValueError, zipfile.BadZipFile) as err:
        raise InputError(f"not a readable Excel file: {err}", source=source) from None
    sheet = book.worksheets[0]
    records = list(sheet.iter_rows(values_only=True))
    book.close()
    if not records:
        raise InputError("the first sheet is empty", source=source)
    headers = tuple("" if h is None else str(h).strip() for h in records[0])
    rows = []
    for number, cells in enumerate(records[1:], start=2):
        if all(c is None or (isinstance(c, str) and not c.strip()) for c in cells):
            continue
        rows.append((number, {h: c for h, c in zip(headers, cells, strict=False) if h}))
    return Table(source, headers, tuple(rows))


@dataclass(frozen=True)
class Columns:
    """Which header holds each field (fields missing from the file are absent)."""

    header: Mapping[str, str]

    def cells(self, row: Mapping[str, Any]) -> Iterator[tuple[str, str, Any]]:
        """(field, header, raw value) for each present field."""
        for name, header in self.header.items():
            yield name, header, row.get(header)


def find_columns(table: Table, aliases: Mapping[str, Sequence[str]], required: Sequence[str],
                 problems: Problems) -> Columns:
    """Match headers to fields by any alias (diacritics, case and separators ignored).

    A missing required column is one problem naming the field and its names;
    an unknown column is a warning (it is ignored).
    """
    by_fold = {fold(a): name for name, names in aliases.items() for a in (name, *names)}
    header: dict[str, str] = {}
    for h in table.headers:
        name = by_fold.get(fold(h))
        if name is None:
            if h:
                LOG.warning("%s: column '%s' is not used", table.source, h)
            continue
        if name in header:
            problems.add(1, h, f"column for '{name}' appears twice ('{header[name]}' and '{h}')")
            continue
        header[name] = h
    for name in required:
        if name not in header:
            names = ", ".join(f"'{a}'" for a in (name, *aliases[name]))
            problems.add(None, name, f"required column missing (any of {names})")
    return Columns(header)


def first_seen(problems: Problems, seen: dict[str, int], row_no: int, column: str,
               row: Mapping[str, Any], *, what: str) -> bool:
    """Whether the row's key (id, tracking code) is new; a repeat names both rows."""
    key = text(row.get(column))
    if not key:
        return True  # reported as an empty required cell
    if key in seen:
        problems.add(row_no, column, f"duplicate {what} '{key}' (first on row {seen[key]})")
        return False
    seen[key] = row_no
    return True


# -- cell parsers: each returns the value or records a problem and returns None --------


def blank(value: Any) -> bool:
    """Whether a cell is empty (None, empty or blank text, NaN)."""
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


@dataclass
class Cell:
    """One cell being parsed: where it is, so a bad value names file, row and column."""

    problems: Problems
    row: int
    column: str
    value: Any

    def bad(self, message: str) -> None:
        """Record a problem with this cell."""
        self.problems.add(self.row, self.column, message)

    def parse(self, fn: Callable[[Any], T], what: str) -> T | None:
        """``fn(value)``, or None after recording '<value> is not <what>'."""
        try:
            return fn(self.value)
        except (ValueError, TypeError, OverflowError) as err:
            detail = f" ({err})" if str(err) and "invalid literal" not in str(err) else ""
            self.bad(f"'{self.value}' is not {what}{detail}")
            return None


def text(value: Any) -> str:
    """A cell as text (numbers from Excel without a trailing .0)."""
    if blank(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return unicodedata.normalize("NFC", str(value).strip())


def number(value: Any) -> float:
    """A finite number; a decimal comma is accepted (``106,75``)."""
    if isinstance(value, bool):
        raise ValueError("a yes/no value")
    if isinstance(value, int | float):
        out = float(value)
    else:
        out = float(str(value).strip().replace(",", "."))
    if not math.isfinite(out):
        raise ValueError("not a finite number")
    return out


def whole(value: Any) -> int:
    """A whole number >= 0 (thousands separators ``.``, ``,`` or spaces allowed in text)."""
    if isinstance(value, bool):
        raise ValueError("a yes/no value")
    if isinstance(value, float):
        if not value.is_integer():
            raise ValueError("not a whole number")
        value = int(value)
    if isinstance(value, str):
        cleaned = value.strip().replace(".", "").replace(",", "").replace(" ", "")
        value = int(cleaned)
    if not isinstance(value, int):
        raise ValueError("not a whole number")
    if value < 0:
        raise ValueError("negative")
    return value


def date(value: Any) -> dt.date:
    """``YYYY-MM-DD`` or ``DD/MM/YYYY`` (or an Excel date)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    s = str(value).strip()
    if "/" in s:
        d, m, y = s.split("/")
        return dt.date(int(y), int(m), int(d))
    return dt.date.fromisoformat(s)


def time_of_day(value: Any) -> int:
    """``HH:MM`` (or an Excel time) as seconds since midnight."""
    if isinstance(value, dt.time):
        return value.hour * 3600 + value.minute * 60 + value.second
    return hhmm_to_s(str(value))


def windows(value: Any) -> tuple[TimeWindow, ...]:
    """``07:30-11:30; 13:00-17:00`` (empty: none)."""
    return parse_windows(text(value))


def window(value: Any) -> TimeWindow:
    """Exactly one ``HH:MM-HH:MM`` window."""
    ws = parse_windows(text(value))
    if len(ws) != 1:
        raise ValueError("expected one window HH:MM-HH:MM")
    return ws[0]


_YES = {"yes", "y", "true", "1", "x", "co", "dung"}
_NO = {"no", "n", "false", "0", "khong", "sai", ""}


def yes_no(value: Any) -> bool:
    """yes/no, có/không, true/false, 1/0, x (empty: no)."""
    if isinstance(value, bool):
        return value
    key = fold(text(value))
    if key in _YES:
        return True
    if key in _NO:
        return False
    raise ValueError("expected yes/no (có/không)")


def names(value: Any) -> frozenset[str]:
    """A set of names separated by ``;`` or ``,`` (a JSON list works too)."""
    if isinstance(value, list):
        return frozenset(str(v).strip() for v in value if str(v).strip())
    return frozenset(p.strip() for p in text(value).replace(",", ";").split(";") if p.strip())


def choice(options: Mapping[str, T]) -> Callable[[Any], T]:
    """A parser of one of ``options`` (keys compared folded: no diacritics, any case)."""
    folded = {fold(k): v for k, v in options.items()}

    def parse(value: Any) -> T:
        key = fold(text(value))
        if key not in folded:
            raise ValueError("expected one of: " + ", ".join(options))
        return folded[key]

    return parse

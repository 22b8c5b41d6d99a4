"""Reading the dispatcher's tables: CSV, Excel (.xlsx) or JSON, Vietnamese or English headers.

One reader for all three input files (orders, sites, fleet): it decodes the
file (a UTF-8/16/32 BOM, else each line as UTF-8 or Windows-1258, always
normalised to NFC; TCVN3 and VNI refused), reads CSV strictly and refuses
Excel formulas without a stored value, finds each field's column under any
of its names, and
numbers rows as the dispatcher sees them (the header is row 1 of a
spreadsheet; the first object is row 1 of a JSON list). Field parsers add an
:class:`~planner.exceptions.InputError` per bad cell to a :class:`Problems`
list, so one run reports every problem of a file at once.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import functools
import io
import json
import logging
import math
import re
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

#: ``progress(rows_done, rows)``: how far a reader is through a file's rows.
Progress = Callable[[int, int], None]

FORMATS = (".csv", ".xlsx", ".json")


@functools.lru_cache(maxsize=4096)
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


_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
         (codecs.BOM_UTF16_BE, "utf-16"))


def decode(data: bytes, source: str) -> str:
    """Text of a file, line by line, normalised to NFC.

    A byte-order mark (UTF-8, UTF-16, UTF-32) decides the encoding of the whole
    file. Without one, each line is UTF-8 when it decodes as UTF-8 and
    Windows-1258 otherwise (old exports, or one row pasted from one), with a
    warning naming the rows read as Windows-1258.

    Raises
    ------
    InputError
        A line that is neither (naming its row), or UTF-16 without a BOM.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return unicodedata.normalize("NFC", data.decode(encoding))
            except UnicodeDecodeError as err:
                raise InputError(f"not valid {encoding.upper()} text (byte {err.start})",
                                 source=source) from None
    if b"\x00" in data[:4096]:
        raise InputError("UTF-16 or UTF-32 text without a byte-order mark: save it as UTF-8 "
                         "(Excel: 'CSV UTF-8')", source=source)
    lines = data.split(b"\n")
    out: list[str] = []
    legacy: list[int] = []
    unicode_rows = 0
    for number, line in enumerate(lines, start=1):
        try:
            out.append(line.decode("utf-8"))
            unicode_rows += not line.isascii()
        except UnicodeDecodeError:
            try:
                out.append(line.decode("cp1258"))
            except UnicodeDecodeError:
                raise InputError("not UTF-8 or Windows-1258 text", source=source,
                                 row=number) from None
            legacy.append(number)
    if legacy:
        _warn_legacy_rows(source, legacy, unicode_rows)
    return unicodedata.normalize("NFC", "\n".join(out))


def _warn_legacy_rows(source: str, rows: list[int], unicode_rows: int) -> None:
    if not unicode_rows:
        LOG.warning("%s: read as Windows-1258 (not UTF-8)", source)
        return
    shown = ", ".join(map(str, rows[:10])) + (" …" if len(rows) > 10 else "")
    LOG.warning("%s: row(s) %s read as Windows-1258, the rest as UTF-8: check their names",
                source, shown)


#: Characters that TCVN3 (ABC) and VNI text show when read as Windows-1258 or UTF-8, and that
#: Vietnamese written in Unicode never has inside a word (``L¹ng S¬n``, ``Laïng Sôn``).
_LEGACY_MARKS = {
    "TCVN3 (ABC, fonts .VnTime)": "¡¢£¤¥¦§¨©ª«¬\xad®¯±²³´µ¶·¸¹º»¼½¾",
    "VNI (fonts VNI-Times)": "öñÑøûïÖØÛÏ",
}
_ANY_LEGACY_MARK = re.compile(f"[{re.escape(''.join(_LEGACY_MARKS.values()))}]")
#: Quotation marks and middle dots count only inside a word (``C«ng``, not ``«Cấp»``).
_PUNCTUATION_MARKS = "«»·"
#: The marks that stand for the consonant đ/Đ (TCVN3 § ®, VNI Ñ ñ); the others are vowels.
_D_MARKS = "§®Ññ"
#: A Vietnamese syllable without its diacritics: onset, one to three vowels, coda.
_SYLLABLE = re.compile(r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnpqrstvx])?"
                       r"[aeiouy]{1,3}(?:ng|nh|ch|[cmnpt])?")
_WORDS = re.compile(r"[^\s,;:/()\"'.\-0-9]+|[^\s]*[0-9][^\s]*")


def _skeleton(word: str, marks: str) -> str:
    """``word`` in plain lower-case letters, each legacy mark read as the letter it stands for."""
    out = []
    for ch in word.lower():
        if ch in marks:
            out.append("d" if ch in _D_MARKS else "a")
        else:
            base = unicodedata.normalize("NFD", ch.replace("đ", "d"))[0]
            out.append(base if base.isascii() else "a")
    return "".join(out)


def _legacy_words(text_: str, marks: str) -> int:
    """How many words of ``text_`` read as Vietnamese syllables only through legacy marks.

    A word counts when it holds one of ``marks`` (quotation marks and middle
    dots only inside it), is made of letters and marks alone (``80m²`` is not:
    digits), and becomes a Vietnamese syllable when each mark is read as the
    letter it stands for: ``L¹ng`` → lang, ``§¨ng`` → dang; ``Schröder``,
    ``Muñoz`` or ``Ibáñez`` do not.
    """
    n = 0
    for found in _WORDS.findall(text_):
        word = found.strip(_PUNCTUATION_MARKS)
        if (not any(c in marks for c in word) or any(c.isdigit() for c in word)
                or not any(c.isascii() and c.isalpha() for c in word)
                or not all(c.isalpha() or c in marks for c in word)):
            continue
        n += bool(_SYLLABLE.fullmatch(_skeleton(word, marks)))
    return n


def check_legacy_encoding(table: Table) -> None:
    """Refuse text in the legacy Vietnamese encodings TCVN3 (ABC) or VNI.

    Their bytes decode without error as Windows-1258 (or sit in Excel cells
    typed with a TCVN3 or VNI font) but show garbled names. A row with two or
    more words that are Vietnamese syllables only when read in one of those
    encodings (:func:`_legacy_words`) is taken as such text; correct Unicode
    text with the same characters (``80m²``, ``Schröder``, ``Muñoz``) is not.

    Raises
    ------
    InputError
        Naming the first such row, the encoding and how to convert the file.
    """
    header_row = 0 if table.source.endswith(".json") else 1
    texts = [(header_row, " ".join(table.headers))]
    texts += [(n, " ".join(v for v in row.values() if isinstance(v, str)))
              for n, row in table.rows]
    if not _ANY_LEGACY_MARK.search("\n".join(t for _, t in texts)):
        return  # the common case, checked in one pass
    for number, cells in texts:
        for name, marks in _LEGACY_MARKS.items():
            if _legacy_words(cells, marks) >= 2:
                raise InputError(
                    f"the text looks like the legacy {name} encoding, not Unicode: convert the "
                    "file to Unicode first (Unikey: Công cụ chuyển mã / Ctrl+Shift+F6, from "
                    f"{name.split()[0]} to Unicode; then save as 'CSV UTF-8' or .xlsx)",
                    source=table.source, row=number or None)


def read_table(path: Path, list_key: str, *, allow_empty: bool = False) -> Table:
    """Read ``path`` (.csv, .xlsx or .json) into a :class:`Table`.

    ``list_key`` names the list in a JSON object such as ``{"orders": [...]}``.
    ``allow_empty``: a header without rows is a table without rows (a day of
    backlog only has no new orders), not an error.

    Raises
    ------
    InputError
        Missing, empty or unreadable file, an unsupported extension, a CSV row
        with an unclosed quote or the wrong number of cells, an Excel formula
        without a stored value, or text in a legacy Vietnamese encoding.
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
    check_legacy_encoding(table)
    if not table.rows and not allow_empty:
        raise InputError("the file has a header but no rows", source=source)
    return table


#: Excel's first line naming the separator (``sep=;``), written by some exports.
_SEP_LINE = re.compile(r"sep=(.)\s*", re.IGNORECASE)


def _csv(text: str, source: str) -> Table:
    """Strict CSV: every row has the header's number of cells and no cell spans lines.

    A stray quote would otherwise swallow the rows after it into one cell.
    Lines may end in LF, CR LF or CR alone (old Mac exports); a first line
    ``sep=;`` (Excel) names the separator and is not a row.
    """
    if "\r" in text and "\n" not in text:
        text = text.replace("\r", "\n")
    first = text.splitlines()[0] if text else ""
    skipped = 0
    sep = _SEP_LINE.fullmatch(first)
    if sep:
        delimiter, skipped = sep[1], 1
        text = text.split("\n", 1)[1] if "\n" in text else ""
    else:
        delimiter = max(",;\t", key=first.count)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter, strict=True)
    records: list[tuple[int, list[str]]] = []
    start = 1
    try:
        for cells in reader:
            if reader.line_num != start:
                raise InputError(
                    f"a quote opened on this row is not closed before line "
                    f"{reader.line_num + skipped} (cells may not span lines)", source=source,
                    row=start + skipped)
            records.append((start + skipped, cells))
            start = reader.line_num + 1
    except csv.Error as err:
        raise InputError(f"a quote opened on this row is not closed ({err})", source=source,
                         row=start + skipped) from None
    if not records:
        raise InputError("the file is empty", source=source)
    headers = tuple(h.strip() for h in records[0][1])
    rows = []
    for number, cells in records[1:]:
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(headers):
            hint = f" (a stray '{delimiter}'?)" if len(cells) > len(headers) else ""
            raise InputError(f"{len(cells)} cells for {len(headers)} columns{hint}",
                             source=source, row=number)
        rows.append((number, dict(zip(headers, cells, strict=True))))
    return Table(source, headers, tuple(rows))


def _json(text: str, source: str, list_key: str) -> Table:
    try:
        # NaN, Infinity stay text, so a field holding one is refused with its row
        doc = json.loads(text, parse_constant=str)
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
    _check_formulas(data, source, headers, records)
    rows = []
    for number, cells in enumerate(records[1:], start=2):
        if all(c is None or (isinstance(c, str) and not c.strip()) for c in cells):
            continue
        rows.append((number, {h: c for h, c in zip(headers, cells, strict=False) if h}))
    return Table(source, headers, tuple(rows))


#: A formula cell without a stored value (``<f>..</f></c>``): written by a program, never
#: opened and saved in Excel, so the file holds no number for it.
_BARE_FORMULA = re.compile(rb"(?:</f>|<f[^>]*/>)\s*(?:<v\s*/>|<v>\s*</v>)?\s*</c>")


def _check_formulas(data: bytes, source: str, headers: tuple[str, ...],
                    records: list[tuple[Any, ...]]) -> None:
    """Refuse formulas with no stored value (they would read as empty, a fee as 0 VND)."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/")
                  and n.endswith(".xml")]
        if not any(_BARE_FORMULA.search(z.read(n)) for n in sheets):
            return
    import openpyxl  # noqa: PLC0415

    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    formulas = book.worksheets[0].iter_rows(values_only=True)
    errors = [
        InputError(f"formula {f} has no stored value: open and save the file in Excel",
                   source=source, row=number, field=headers[i] if i < len(headers) else None)
        for number, (values, cells) in enumerate(zip(records, formulas, strict=False), start=1)
        for i, (v, f) in enumerate(zip(values, cells, strict=False))
        if v is None and isinstance(f, str) and f.startswith("=")
    ]
    book.close()
    if errors:
        raise InputErrors(errors)


def report_progress(progress: Progress | None, done: int, total: int) -> None:
    """Call ``progress`` every 1,000 rows and at the end (cheap enough for 100,000 rows)."""
    if progress is not None and (done % 1000 == 0 or done == total - 1):
        progress(done + 1, total)


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


_SPACES = str.maketrans("", "", " \u00a0\u202f'")
_CURRENCY = re.compile(r"(?i)\s*(?:vnd|vnđ|đồng|đ|₫)$")
_NUMBER_TEXT = re.compile(r"[0-9][0-9.,]*")
_GROUPS = re.compile(r"[0-9]{1,3}(?:[.,][0-9]{3})*")


def _whole_text(s: str, *, thousands_first: bool) -> int:
    """A whole number written with ``.``/``,`` marks, by the rule of docs/inputs.md.

    Both marks: the last one is the decimal mark, the other separates thousands.
    One mark several times: thousands. One mark once: a decimal mark before one or
    two digits; before three digits a thousands separator when ``thousands_first``
    (amounts in VND: ``30.000``), else ambiguous. A decimal part must be zero.
    """
    s = _CURRENCY.sub("", s.translate(_SPACES))
    if s.startswith("-"):
        raise ValueError("negative")
    if not _NUMBER_TEXT.fullmatch(s):
        raise ValueError("not a number")
    if s[-1] in ".,":  # 1000. and 1.000, alike: a mark with nothing after it is a typo
        raise ValueError(f"ends with a separator '{s[-1]}': write {s[:-1]}")
    marks = [c for c in s if c in ".,"]
    integer, fraction = s, ""
    if len(set(marks)) == 2:
        cut = max(s.rfind("."), s.rfind(","))
        integer, fraction = s[:cut], s[cut + 1:]
        if marks.count(s[cut]) > 1 or not _GROUPS.fullmatch(integer):
            raise ValueError("ambiguous: use one thousands separator and one decimal mark")
    elif len(marks) == 1:
        head, tail = s.split(marks[0])
        if len(tail) in (1, 2):
            integer, fraction = head, tail
        elif len(tail) != 3 or not thousands_first or len(head) > 3:
            raise ValueError(f"ambiguous, {head}{tail} or {head}.{tail}? Write it without "
                             "separators")
    elif marks and not _GROUPS.fullmatch(s):
        raise ValueError("thousands separators must part groups of three digits")
    if fraction.strip("0"):
        raise ValueError("not a whole number")
    return int(integer.replace(".", "").replace(",", ""))


def _whole(value: Any, *, thousands_first: bool) -> int:
    if isinstance(value, bool):
        raise ValueError("a yes/no value")
    if isinstance(value, float):
        if not value.is_integer():
            raise ValueError("not a whole number")
        value = int(value)
    if isinstance(value, str):
        value = _whole_text(value.strip(), thousands_first=thousands_first)
    if not isinstance(value, int):
        raise ValueError("not a whole number")
    if value < 0:
        raise ValueError("negative")
    return value


def whole(value: Any) -> int:
    """A whole number >= 0: ``2``, ``2.0``, ``2,00``; ``1.500`` is ambiguous (1.5 or 1500).

    >>> whole("2.0"), whole("12"), whole(3.0)
    (2, 12, 3)
    """
    return _whole(value, thousands_first=False)


def amount(value: Any) -> int:
    """An amount in VND >= 0, with Vietnamese or English separators (docs/inputs.md).

    >>> [amount(v) for v in ("30.000", "30,000", "30.000,00", "30,000.00", "50000.0")]
    [30000, 30000, 30000, 30000, 50000]
    >>> amount("5.000.000,00"), amount("50 000 đ")
    (5000000, 50000)
    """
    return _whole(value, thousands_first=True)


#: Acceptance dates and deadlines outside these years are typing mistakes (the service
#: began with Decision 45/2016/QĐ-TTg).
YEARS = (2016, 2099)


def date(value: Any) -> dt.date:
    """``YYYY-MM-DD``, ``DD/MM/YYYY``, ``DD/MM/YY`` (20YY), ``DD-MM-YYYY``, ``DD.MM.YYYY``.

    Excel dates are taken as they are. Years outside :data:`YEARS` are refused.

    >>> date("23/11/26"), date("2026-11-23") == date("23.11.2026")
    (datetime.date(2026, 11, 23), True)
    """
    if isinstance(value, dt.datetime):
        out = value.date()
    elif isinstance(value, dt.date):
        out = value
    else:
        s = str(value).strip()
        m = re.fullmatch(r"([0-9]{1,2})([/.-])([0-9]{1,2})\2([0-9]{2}|[0-9]{4})", s)
        if m:
            year = int(m[4]) + (2000 if len(m[4]) == 2 else 0)
            out = dt.date(year, int(m[3]), int(m[1]))
        elif re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", s):
            out = dt.date.fromisoformat(s)
        else:
            raise ValueError("write YYYY-MM-DD or DD/MM/YYYY")
    if not YEARS[0] <= out.year <= YEARS[1]:
        raise ValueError(f"year {out.year} is outside {YEARS[0]}–{YEARS[1]}")
    return out


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
    """A set of names separated by ``;`` or ``,`` (a JSON list works too), folded.

    Skills are compared without case or diacritics: ``Clearance`` is ``clearance``.

    >>> sorted(names("Trunk; CLEARANCE"))
    ['clearance', 'trunk']
    """
    parts = value if isinstance(value, list) else text(value).replace(",", ";").split(";")
    return frozenset(fold(str(p)) for p in parts if str(p).strip())


#: Item classes the rules know (DOMAIN.md 7): KT1 confidential mail rides alone.
KNOWN_CLASSES = ("KT1",)
#: Spellings of an ordinary item (no class), compared folded without spaces or hyphens.
ORDINARY_CLASSES = ("", "thuong", "binhthuong", "ordinary", "normal", "none", "khong")


def _class_key(text_: str) -> str:
    """``text_`` folded, without spaces, hyphens or underscores: ``KT 1``, ``kt-1`` → ``kt1``."""
    return fold(text_).replace("_", "")


def canonical_class(name: str) -> str | None:
    """``name`` as a class in its canonical form (``KT 1`` is ``KT1``, ``thường`` is ""), or None.

    >>> canonical_class("kt-1"), canonical_class("Thường"), canonical_class("mật")
    ('KT1', '', None)
    """
    key = _class_key(name)
    if key in ORDINARY_CLASSES:
        return ""
    return next((known for known in KNOWN_CLASSES if key == _class_key(known)), None)


def item_class(cell: Cell) -> str:
    """The item class in its canonical form (``kt1``, ``KT 1``, ``KT-1`` are ``KT1``).

    An ordinary spelling (empty, ``thường``, ``ordinary``...) is the empty class.
    Any other class is recorded as a problem of the cell (a class the rules do
    not know would escape the separation it was meant to ask for) and read as "".
    """
    known = canonical_class(text(cell.value))
    if known is not None:
        return known
    cell.bad(f"'{text(cell.value)}' is not a known class (accepted: "
             f"{', '.join(KNOWN_CLASSES)}; or empty, 'thường', 'ordinary' for an ordinary item)")
    return ""


#: A Vietnamese number without its leading 0 (Excel stored it as a number): a mobile
#: number (9 digits left, 3/5/7/8/9 first) or a landline (10 left: 02 + area + number).
_WITHOUT_0 = {"mobile": re.compile(r"[35789][0-9]{8}"), "landline": re.compile(r"2[0-9]{9}")}


def phone(cell: Cell, source: str) -> str:
    """A phone number as text; a number that lost its leading 0 gets it back, with a warning.

    A 9-digit mobile number (``912000701``) or a 10-digit landline
    (``2053870000``, area code 205) was stored as a number by Excel.

    >>> from planner.formats.tabular import Cell, Problems
    >>> phone(Cell(Problems("f.csv"), 2, "phone", 912000701), "f.csv")
    '0912000701'
    """
    raw = text(cell.value).replace(" ", "").replace(".", "").replace("-", "")
    for kind, pattern in _WITHOUT_0.items():
        if pattern.fullmatch(raw):
            LOG.warning("%s row %s: %s phone %s had lost its leading 0 (stored as a number?); "
                        "read as 0%s", source, cell.row, kind, raw, raw)
            return "0" + raw
    return text(cell.value)


def choice(options: Mapping[str, T]) -> Callable[[Any], T]:
    """A parser of one of ``options`` (keys compared folded: no diacritics, any case)."""
    folded = {fold(k): v for k, v in options.items()}

    def parse(value: Any) -> T:
        key = fold(text(value))
        if key not in folded:
            raise ValueError("expected one of: " + ", ".join(options))
        return folded[key]

    return parse

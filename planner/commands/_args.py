"""Option values every command shares: dates, seconds, counts, province codes.

One rule per kind of option, so every command that has it refuses the same bad
value with the same sentence. The argparse types (``parse_*``) make a bad value a
usage error (argparse prints ``argument --start: …`` and exits 2 before anything
runs); the province codes, which depend on ``--geodata``, are checked once the
arguments are parsed and raise :class:`~planner.exceptions.InputError` naming the
option (the CLI prints it and exits 2), before any file is written or cluster started.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
from pathlib import Path

from geodata.sample._communes import csv_provinces, normal_province_code, province_names
from planner.exceptions import InputError


def parse_date(text_: str) -> dt.date:
    """``YYYY-MM-DD`` for argparse: ``'2026-13-01' is not a date YYYY-MM-DD`` otherwise."""
    try:
        return dt.date.fromisoformat(text_.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text_}' is not a date YYYY-MM-DD") from None


def parse_seconds(text_: str) -> float:
    """A positive, finite number of seconds for argparse (``inf``, ``nan``, ``0`` refused)."""
    try:
        value = float(text_)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text_}' is not a number of seconds") from None
    if not math.isfinite(value) or value <= 0:
        raise argparse.ArgumentTypeError(
            f"'{text_}' is not a positive, finite number of seconds") from None
    return value


def parse_count(text_: str) -> int:
    """A count for argparse (orders, days, seeds, workers, solutions): a whole number ≥ 1.

    Zero is refused like a negative number: no count option has a useful 0 (a day
    of 0 orders plans nothing, 0 workers run nothing, a search stopped after 0
    solutions has no plan).
    """
    try:
        value = int(text_)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text_}' is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1 (got {value})")
    return value


def valid_provinces(communes_csv: Path | None = None) -> dict[str, str]:
    """The province codes an option may name, ``{code: name}``.

    The 34 provinces of 2025 (NQ 202/2025/QH15, DOMAIN.md §6; ``vietnamadminunits``),
    or those of a user's communes CSV (every one of which is one of the 34,
    :func:`geodata.sample._communes.csv_provinces`).
    """
    if communes_csv is None:
        return province_names()
    return {c: n for c, (n, _) in csv_provinces(communes_csv).items()}


def _unknown(text_: str, valid: dict[str, str], communes_csv: Path | None,
             option: str) -> InputError:
    listed = ", ".join(f"{c} {n}" for c, n in sorted(valid.items()))
    if communes_csv is None:
        known = f"the {len(valid)} provinces of 2025 are: {listed}"
    else:
        known = f"the provinces of {Path(communes_csv).name} are: {listed}"
    return InputError(f"'{text_}' is not a province code; {known}",
                      source=str(communes_csv) if communes_csv else None, field=option)


def province_codes(text_: str, communes_csv: Path | None = None, *,
                   option: str = "--provinces") -> list[str]:
    """The province codes of ``--provinces``: ``all``, or codes separated by commas.

    A code may drop its leading zero (``4`` is ``04``, as the codes are written in
    ``vietnamadminunits``). Repeats are dropped, the order kept.

    Raises
    ------
    InputError
        A code that is not a province (naming ``option``, the code, and listing the
        valid ones: :func:`valid_provinces`), or no code at all.
    """
    valid = valid_provinces(communes_csv)
    if text_.strip().lower() == "all":
        return sorted(valid)
    given = [c.strip() for c in text_.split(",") if c.strip()]
    if not given:
        raise InputError("no province code given", field=option)
    for code in given:
        if normal_province_code(code) not in valid:
            raise _unknown(code, valid, communes_csv, option)
    return list(dict.fromkeys(normal_province_code(c) for c in given))


def province_code(text_: str, communes_csv: Path | None = None, *,
                  option: str = "--province") -> str:
    """The one province code of ``--province`` (a leading zero may be dropped).

    Raises
    ------
    InputError
        Not one of :func:`valid_provinces` (naming ``option`` and listing them).
    """
    valid = valid_provinces(communes_csv)
    code = normal_province_code(text_)
    if code not in valid:
        raise _unknown(text_, valid, communes_csv, option)
    return code

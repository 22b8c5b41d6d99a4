"""Every 2025 commune's code, name and approximate point, from the ``vietnamadminunits`` package.

No geocoder works offline; a site that names only its commune stands at the
commune's point (the People's Committee's approximate position), which the
callers flag with a warning. Data: ``vietnamadminunits`` (MIT licence), table
``admin_units`` of its bundled SQLite database.
"""

from __future__ import annotations

import functools
import sqlite3
from dataclasses import dataclass
from importlib import resources

from geodata.exceptions import ValidationError


@dataclass(frozen=True)
class CommunePoint:
    """A 2025 commune (xã, phường, đặc khu) with its province and approximate point."""

    code: str
    name: str
    province: str
    lon: float
    lat: float


@functools.cache
def _communes() -> dict[str, CommunePoint]:
    db = resources.files("vietnamadminunits").joinpath("data/dataset.db")
    with resources.as_file(db) as path:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            rows = con.execute(
                "SELECT wardCode, ward, province, wardLon, wardLat FROM admin_units"
            ).fetchall()
        finally:
            con.close()
    return {
        str(code): CommunePoint(str(code), str(name), str(province), float(lon), float(lat))
        for code, name, province, lon, lat in rows
        if lon is not None and lat is not None
    }


def commune_point(code: str) -> CommunePoint:
    """The commune with 2025 code ``code`` (5 digits; leading zeros may be missing).

    Examples
    --------
    >>> commune_point("05983").name
    'Phường Lương Văn Tri'

    Raises
    ------
    ValidationError
        If no 2025 commune has this code.
    """
    key = str(code).strip()
    if key.isdigit():
        key = key.zfill(5)
    try:
        return _communes()[key]
    except KeyError:
        raise ValidationError(f"no 2025 commune has the code '{code}'") from None

"""2025 communes of any province (package data from vietnamadminunits, MIT) and the sample's."""

from __future__ import annotations

import contextlib
import csv
import functools
import math
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np
import numpy.typing as npt

from geodata.exceptions import ValidationError

SAMPLE_CODE = "20"
SAMPLE_NAME = "Tỉnh Lạng Sơn"

CENTRE_CODE = "05983"  # Phường Lương Văn Tri: provincial centre (Lạng Sơn city)
TOWN_CODES = (
    "06040",
    "06124",
    "06112",
    "06325",
    "06253",
    "06211",
    "06529",
    "06463",
    "06613",
    "06385",
    "06184",
)
"""Pre-2025 district seats kept as 2025 communes: Thất Khê, Na Sầm, Bình Gia,
Bắc Sơn, Văn Quan, Cao Lộc, Lộc Bình, Chi Lăng (Đồng Mỏ), Đình Lập, Hữu Lũng,
Đồng Đăng."""


@dataclass(frozen=True)
class Commune:
    """One 2025 commune of the sample province."""

    code: str
    name: str
    type: str
    lon: float
    lat: float
    area_km2: float
    population: float = 0.0  # when the data gives it (a user's CSV), else 0

    @property
    def short_name(self) -> str:
        """The name without its ``Xã``/``Phường`` prefix."""
        return self.name.removeprefix(self.type).strip()

    @property
    def is_ward(self) -> bool:
        """An urban ward (phường)."""
        return self.type == "Phường"


def load_communes() -> tuple[Commune, ...]:
    """The 65 communes of Lạng Sơn (2025 codes, names, approximate points)."""
    text = (
        resources.files("geodata.sample").joinpath("data/lang_son_communes.csv").read_text("utf-8")
    )
    rows = list(csv.DictReader(text.splitlines()))
    return tuple(
        Commune(
            r["code"],
            r["name"],
            r["type"],
            float(r["lon"]),
            float(r["lat"]),
            float(r["area_km2"] or 0),
        )
        for r in rows
    )


#: Weight of an urban ward (phường) against a rural commune in the generated demand and in
#: the choice of the provincial centre: wards are denser (the sample day's ``ward_weight``).
WARD_WEIGHT = 4.0
#: Communes per post office (the sample's ratio: 11 district post offices for 65 communes,
#: about one per former district seat).
COMMUNES_PER_POST_OFFICE = 6.0


@dataclass(frozen=True)
class ProvinceCommunes:
    """One province's 2025 communes and the sites' anchors chosen among them.

    ``centre``: the commune of the provincial post office and service centre;
    ``towns``: communes with a district post office (``BC-<code>``).
    """

    code: str
    name: str
    communes: tuple[Commune, ...]
    centre: str
    towns: tuple[str, ...]
    source: str


def _dataset() -> sqlite3.Connection:
    """The package ``vietnamadminunits``' database (read-only)."""
    path = resources.files("vietnamadminunits").joinpath("data/dataset.db")
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True)


@functools.cache
def province_names() -> dict[str, str]:
    """The 34 provinces of 2025, ``{code: name}`` (vietnamadminunits, table ``admin_units``)."""
    with contextlib.closing(_dataset()) as db:
        rows = db.execute(
            "SELECT DISTINCT provinceCode, province FROM admin_units ORDER BY provinceCode"
        ).fetchall()
    return {str(code): str(name) for code, name in rows}


def normal_province_code(text: str) -> str:
    """``text`` as a 2025 province code: trimmed, a one-digit code given its leading zero.

    The codes are two digits (``01`` … ``96``, as ``vietnamadminunits`` writes them);
    a spreadsheet or a user typing ``4`` means ``04``. Anything else is returned
    trimmed, for the caller to refuse.

    Examples
    --------
    >>> normal_province_code(" 4"), normal_province_code("04"), normal_province_code("79")
    ('04', '04', '79')
    """
    code = text.strip()
    return code.zfill(2) if code.isdigit() and len(code) == 1 else code


def unknown_province(code: str, valid: dict[str, str], source: str) -> ValidationError:
    """The error for a province code that ``source`` does not have, listing the valid ones."""
    listed = ", ".join(f"{c} {n}" for c, n in sorted(valid.items()))
    return ValidationError(
        f"'{code}' is not a province code; valid codes: {listed}",
        source=source,
        field="province",
    )


def package_communes(code: str) -> tuple[str, tuple[Commune, ...]]:
    """Province ``code``'s name and communes from ``vietnamadminunits`` (2025 units).

    Raises
    ------
    ValidationError
        ``code`` is not one of the 34 province codes (the message lists them).
    """
    names = province_names()
    if code not in names:
        raise unknown_province(code, names, "vietnamadminunits 2025 provinces")
    with contextlib.closing(_dataset()) as db:
        rows = db.execute(
            "SELECT wardCode, ward, wardType, wardLon, wardLat, wardAreaKm2 FROM admin_units "
            "WHERE provinceCode = ? ORDER BY wardCode",
            (code,),
        ).fetchall()
    return names[code], tuple(
        Commune(str(c), str(n), str(t), float(lo), float(la), float(a or 0))
        for c, n, t, lo, la, a in rows
    )


#: A special zone (đặc khu: islands) farther than this from every other commune is left out:
#: no generated road reaches it (its post goes by sea or air, outside this model).
ISLAND_KM = 20.0


def _reachable(communes: Sequence[Commune]) -> tuple[Commune, ...]:
    """``communes`` but the special zones (``Đặc khu``) beyond :data:`ISLAND_KM` of any other."""
    xy = _flat_xy(communes) * 111.2
    d = ((xy[:, None] - xy[None]) ** 2).sum(axis=-1) ** 0.5
    np.fill_diagonal(d, np.inf)
    return tuple(c for c, nn in zip(communes, d.min(axis=1), strict=True)
                 if c.type != "Đặc khu" or nn <= ISLAND_KM)


#: Columns a user's communes CSV must have (e.g. a national commune-points table).
CSV_COLUMNS = ("province_code", "province", "commune_code", "commune", "type", "lon", "lat")
#: Longitudes and latitudes a commune of Vietnam may have: the mainland and the islands
#: (Phú Quốc 103.8 E, Trường Sa to about 117.8 E and 6.5 N, Lũng Cú 23.4 N), with a margin.
VN_LON = (101.0, 118.0)
VN_LAT = (6.0, 24.0)


def _number(value: str, *, source: str, row: int, field: str) -> float:
    try:
        out = float(value)
    except ValueError:
        raise ValidationError(f"'{value}' is not a number", source=source, row=row,
                              field=field) from None
    if not math.isfinite(out):
        raise ValidationError(f"'{value}' is not a finite number", source=source, row=row,
                              field=field)
    return out


def csv_provinces(path: Path) -> dict[str, tuple[str, tuple[Commune, ...]]]:
    """Every province of a user's communes CSV: ``{code: (name, communes)}``.

    Columns :data:`CSV_COLUMNS` (``province_code, province, commune_code,
    commune, type, lon, lat``), optional ``area_km2`` and ``population``; one
    row per 2025 commune, ``type`` its kind (``Phường``, ``Xã``, ``Đặc khu``).
    Codes keep their leading zeros.

    The file gives the communes of the 2025 provinces; it does not make new
    ones: every ``province_code`` must be one of the 34 provinces of 2025
    (NQ 202/2025/QH15, DOMAIN.md §6: :func:`province_names`), so a code the
    package does not know is refused here, with its row, rather than planned as
    a province of its own.

    Raises
    ------
    ValidationError
        The file cannot be read, lacks a column, or a row has a bad number,
        a province code that is not one of the 34 of 2025 (names the file, row
        and field) or a repeated commune code.
    """
    source = str(path)
    try:
        text = Path(path).read_text("utf-8-sig")
    except (OSError, UnicodeDecodeError) as err:
        raise ValidationError(f"cannot read: {err}", source=source) from err
    reader = csv.DictReader(text.splitlines())
    missing = [c for c in CSV_COLUMNS if c not in (reader.fieldnames or ())]
    if missing:
        raise ValidationError(f"missing column(s): {', '.join(missing)}", source=source,
                              field=missing[0])
    out: dict[str, tuple[str, list[Commune]]] = {}
    seen: set[str] = set()
    for k, r in enumerate(reader, start=2):
        short = [c for c in CSV_COLUMNS if r.get(c) is None]
        if short:
            raise ValidationError("the row has fewer fields than the header", source=source,
                                  row=k, field=short[0])
        blank = [c for c in ("province_code", "province", "commune", "type")
                 if not r[c].strip()]
        if blank:
            raise ValidationError("empty", source=source, row=k, field=blank[0])
        if r["province_code"].strip() not in province_names():
            raise _not_2025(r["province_code"].strip(), source=source, row=k)
        code = (r["commune_code"] or "").strip()
        if not code or code in seen:
            raise ValidationError("empty or repeated commune code", source=source, row=k,
                                  field="commune_code")
        seen.add(code)
        lon = _number(r["lon"], source=source, row=k, field="lon")
        lat = _number(r["lat"], source=source, row=k, field="lat")
        if not VN_LON[0] <= lon <= VN_LON[1]:
            raise ValidationError(f"{lon:g} is not a longitude in Vietnam ({VN_LON[0]:g}-"
                                  f"{VN_LON[1]:g})", source=source, row=k, field="lon")
        if not VN_LAT[0] <= lat <= VN_LAT[1]:
            raise ValidationError(f"{lat:g} is not a latitude in Vietnam ({VN_LAT[0]:g}-"
                                  f"{VN_LAT[1]:g})", source=source, row=k, field="lat")
        extra = {f: _number(r[f], source=source, row=k, field=f)
                 for f in ("area_km2", "population") if (r.get(f) or "").strip()}
        name = out.setdefault(r["province_code"].strip(), (r["province"].strip(), []))
        name[1].append(Commune(code, r["commune"].strip(), r["type"].strip(), lon, lat,
                               extra.get("area_km2", 0.0), extra.get("population", 0.0)))
    if not out:
        raise ValidationError("no commune rows", source=source)
    return {c: (n, tuple(sorted(cs, key=lambda x: x.code))) for c, (n, cs) in out.items()}


def _not_2025(code: str, *, source: str, row: int) -> ValidationError:
    """The error for a CSV row whose province is not one of the 34 of 2025, listing them."""
    listed = ", ".join(f"{c} {n}" for c, n in sorted(province_names().items()))
    return ValidationError(f"'{code}' is not a 2025 province code (NQ 202/2025/QH15: "
                           f"34 provinces); valid codes: {listed}",
                           source=source, row=row, field="province_code")


def _flat_xy(communes: Sequence[Commune]) -> npt.NDArray[np.float64]:
    """Points in a local plane (degrees of latitude), longitudes shrunk by cos(latitude)."""
    lat0 = math.radians(float(np.mean([c.lat for c in communes])))
    return np.array([[c.lon * math.cos(lat0), c.lat] for c in communes])


def choose_centre(communes: Sequence[Commune]) -> str:
    """The provincial centre's commune: the ward nearest the wards' weighted centre.

    The package gives no provincial capital, so the rule is: among the
    communes of kind ``Phường`` (every province has some; else all communes),
    the one nearest their mean point weighted by population when the data
    gives it (a user's CSV), else equally: the urban core, where the
    provincial post office and the Public Administration Service Center are.
    """
    wards = [c for c in communes if c.is_ward] or list(communes)
    xy = _flat_xy(wards)
    w = np.array([c.population for c in wards])
    w = w if w.sum() > 0 else np.ones(len(wards))
    mean = (xy * w[:, None]).sum(axis=0) / w.sum()
    return wards[int(np.argmin(((xy - mean) ** 2).sum(axis=1)))].code


def choose_towns(communes: Sequence[Commune], centre: str) -> tuple[str, ...]:
    """Communes with a district post office: about one per :data:`COMMUNES_PER_POST_OFFICE`.

    ``round(n / 6)`` offices besides the centre's (at least 1 when there is
    another commune), chosen by farthest-point sampling from the centre so
    they spread over the province, wards (``Phường``: towns) first: a ward is
    taken while one lies at least half as far as the farthest commune left.
    """
    others = [c for c in communes if c.code != centre]
    want = min(len(others), max(1, round(len(communes) / COMMUNES_PER_POST_OFFICE)))
    xy = _flat_xy(communes)
    index = {c.code: k for k, c in enumerate(communes)}
    d = ((xy - xy[index[centre]]) ** 2).sum(axis=1) ** 0.5
    d[index[centre]] = -1.0
    ward = np.array([c.is_ward for c in communes])
    chosen: list[str] = []
    while len(chosen) < want:
        best = float(d.max())
        wards_far = np.flatnonzero(ward & (d >= 0.5 * best) & (d > 0))
        k = int(wards_far[np.argmax(d[wards_far])]) if len(wards_far) else int(np.argmax(d))
        chosen.append(communes[k].code)
        d = np.minimum(d, ((xy - xy[k]) ** 2).sum(axis=1) ** 0.5)
        for code in chosen:
            d[index[code]] = -1.0
        d[index[centre]] = -1.0
    return tuple(chosen)


def province_communes(code: str, communes_csv: Path | None = None) -> ProvinceCommunes:
    """Province ``code``'s communes with its centre and post-office towns.

    The sample province (``20``, Lạng Sơn) keeps its saved communes and its
    chosen centre and former district seats (:data:`CENTRE_CODE`,
    :data:`TOWN_CODES`) unless ``communes_csv`` is given; any other code reads
    ``vietnamadminunits`` (or ``communes_csv``, :func:`csv_provinces`) and
    chooses them by :func:`choose_centre` and :func:`choose_towns`, leaving out
    island special zones no road reaches (:data:`ISLAND_KM`).

    Raises
    ------
    ValidationError
        An unknown code (listing the valid ones), a bad CSV, or a province of fewer than
        three communes (no territory can be drawn).
    """
    if communes_csv is None and code == SAMPLE_CODE:
        return ProvinceCommunes(code, SAMPLE_NAME, load_communes(), CENTRE_CODE, TOWN_CODES,
                                "vietnamadminunits 1.0.4 (saved sample)")
    if communes_csv is not None:
        provinces = csv_provinces(communes_csv)
        if code not in provinces:
            raise unknown_province(code, {c: n for c, (n, _) in provinces.items()},
                                   str(communes_csv))
        name, communes = provinces[code]
        source = str(communes_csv)
    else:
        name, communes = package_communes(code)
        source = "vietnamadminunits 2025 (admin_units)"
    communes = _reachable(communes)
    if len(communes) < 3:
        raise ValidationError("a province needs at least 3 communes", source=source,
                              field="province")
    centre = choose_centre(communes)
    return ProvinceCommunes(code, name, communes, centre, choose_towns(communes, centre),
                            source)

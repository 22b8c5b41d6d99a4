"""The sites file: post offices, post points, one-stop shops and citizens' addresses.

Columns (Vietnamese or English names, docs/inputs.md): id, name, kind, lon and
lat or a commune code, address, opening hours, visit minutes, cut-off,
phone, home post office. A site with a commune code but no coordinates stands
at the commune's point, with a warning.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

from geodata import CommunePoint, ValidationError, commune_point, nearest_communes
from planner.domain.hours import OFFICE_HOURS, SAME_DAY_CUTOFF_S
from planner.domain.sites import Site, SiteKind
from planner.formats.tabular import (
    LOG,
    Cell,
    Problems,
    Progress,
    blank,
    choice,
    find_columns,
    first_seen,
    number,
    phone,
    read_table,
    report_progress,
    text,
    time_of_day,
    whole,
    windows,
)

ALIASES: dict[str, tuple[str, ...]] = {
    "id": ("mã", "mã điểm", "site_id", "ma_diem"),
    "name": ("tên", "tên điểm", "ten"),
    "kind": ("loại", "loại điểm", "type"),
    "lon": ("kinh độ", "longitude", "lng", "x"),
    "lat": ("vĩ độ", "latitude", "y"),
    "commune_code": ("mã xã", "mã đvhc", "commune", "ward_code"),
    "address": ("địa chỉ",),
    "opening": ("giờ mở cửa", "giờ làm việc", "opening_hours", "hours"),
    "visit_min": ("phút mỗi lượt", "thời gian giao nhận", "visit_minutes"),
    "cutoff": ("giờ chốt", "cut_off"),
    "phone": ("điện thoại", "số điện thoại", "sđt"),
    "home_post_office": ("bưu cục quản lý", "bưu cục", "post_office"),
}
REQUIRED = ("id", "name", "kind")

KINDS: dict[str, SiteKind] = {
    **{k.value: k for k in SiteKind},
    "bưu điện tỉnh": SiteKind.PROVINCIAL_POST_OFFICE,
    "bưu cục": SiteKind.DISTRICT_POST_OFFICE,
    "bưu điện huyện": SiteKind.DISTRICT_POST_OFFICE,
    "bưu điện": SiteKind.DISTRICT_POST_OFFICE,
    "bưu điện văn hóa xã": SiteKind.POST_POINT,
    "bđvhx": SiteKind.POST_POINT,
    "điểm bưu điện": SiteKind.POST_POINT,
    "một cửa xã": SiteKind.COMMUNE_ONE_STOP,
    "bộ phận một cửa xã": SiteKind.COMMUNE_ONE_STOP,
    "bộ phận một cửa": SiteKind.COMMUNE_ONE_STOP,
    "một cửa huyện": SiteKind.DISTRICT_ONE_STOP,
    "bộ phận một cửa huyện": SiteKind.DISTRICT_ONE_STOP,
    "trung tâm phục vụ hành chính công": SiteKind.SERVICE_CENTER,
    "trung tâm hành chính công": SiteKind.SERVICE_CENTER,
    "ttpvhcc": SiteKind.SERVICE_CENTER,
    "công dân": SiteKind.CITIZEN,
    "người dân": SiteKind.CITIZEN,
}
_kind = choice(KINDS)
#: A site farther than this from every 2025 commune's point is at sea or mistyped (the
#: largest communes reach about 15 km from their point).
MAX_KM_FROM_COMMUNES = 30.0
#: A site farther than this from the point of the commune its code names is mistyped.
MAX_KM_FROM_OWN_COMMUNE = 30.0
#: Communes whose land lies far from their point (archipelagos), by 2025 code: the km
#: their islands reach from it. Trường Sa's islands spread over about 700 km of sea.
WIDE_COMMUNES: Mapping[str, float] = {
    "22736": 500.0,  # Đặc khu Trường Sa (Khánh Hòa)
    "20333": 200.0,  # Đặc khu Hoàng Sa (Đà Nẵng)
}
#: Mainland Vietnam's extent, only for the hint that longitude and latitude are swapped
#: (whether a point is in Vietnam is decided by the commune points, islands included).
_VN_LON, _VN_LAT = (102.0, 110.0), (8.0, 24.0)


def read_sites(path: Path, *, progress: Progress | None = None) -> tuple[Site, ...]:
    """Read and check every site of ``path`` (.csv, .xlsx, .json).

    ``progress``: called as ``progress(rows_done, rows)`` while the rows are checked.

    Raises
    ------
    InputErrors
        Every problem of the file (row and column of each); nothing is returned.
    InputError
        The file itself cannot be read.
    """
    table = read_table(Path(path), "sites")
    problems = Problems(table.source)
    cols = find_columns(table, ALIASES, REQUIRED, problems)
    problems.raise_if_any()
    sites: list[Site] = []
    first_row: dict[str, int] = {}
    for i, (number_, row) in enumerate(table.rows):
        report_progress(progress, i, len(table.rows))
        if not first_seen(problems, first_row, number_, cols.header["id"], row, what="id"):
            continue
        site = _site(problems, cols.header, number_, row, table.source)
        if site is not None:
            sites.append(site)
    _check_home_offices(sites, problems, cols.header.get("home_post_office"), first_row)
    _check_places(sites, problems, cols.header, first_row)
    problems.raise_if_any()
    return _nearest_offices(sites, table.source)


def _nearest_offices(sites: list[Site], source: str) -> tuple[Site, ...]:
    """Give a site without a home post office the nearest one (straight line), with a warning.

    The file's own ``home_post_office`` always wins: territories follow
    administrative lines that distance does not know.
    """
    offices = [s for s in sites if s.kind.is_post_office]
    missing = [s.id for s in sites if not s.home_post_office]
    if not missing or not offices:
        return tuple(sites)
    lon = np.array([o.lon for o in offices])
    lat = np.array([o.lat for o in offices])
    out = []
    for s in sites:
        if s.home_post_office:
            out.append(s)
            continue
        dx = (lon - s.lon) * math.cos(math.radians(s.lat))
        nearest = offices[int(np.argmin(dx**2 + (lat - s.lat) ** 2))]
        out.append(replace(s, home_post_office=nearest.id))
    LOG.warning("%s: %d site(s) without a home post office were given the nearest one: %s",
                source, len(missing), ", ".join(missing[:10]) + (" …" if len(missing) > 10 else ""))
    return tuple(out)


def _site(problems: Problems, header: Mapping[str, str], row_no: int, row: Mapping[str, Any],
          source: str) -> Site | None:
    def cell(name: str) -> Cell:
        col = header.get(name, name)
        return Cell(problems, row_no, col, row.get(col) if name in header else None)

    before = len(problems.errors)
    values: dict[str, Any] = {}
    for name in REQUIRED:
        c = cell(name)
        if blank(c.value):
            c.bad("empty")
    sid, name = text(cell("id").value), text(cell("name").value)
    kind = cell("kind").parse(_kind, "a site kind") if not blank(cell("kind").value) else None
    lon_lat = _point(cell("lon"), cell("lat"), cell("commune_code"), source)
    opening = cell("opening").parse(windows, "opening hours (HH:MM-HH:MM; HH:MM-HH:MM)") \
        if not blank(cell("opening").value) else ()
    if not blank(cell("visit_min").value):
        minutes = cell("visit_min").parse(whole, "a whole number of minutes")
        values["visit_s"] = 60 * minutes if minutes is not None else 0
    cutoff = cell("cutoff").parse(time_of_day, "a time HH:MM") \
        if not blank(cell("cutoff").value) else None
    if len(problems.errors) > before or kind is None or lon_lat is None or opening is None:
        return None
    if not opening and kind.is_agency:
        opening = OFFICE_HOURS
    if cutoff is None and kind.is_agency:
        cutoff = SAME_DAY_CUTOFF_S
    home = text(cell("home_post_office").value) or (sid if kind.is_post_office else "")
    return Site(
        sid, name, kind, lon_lat[0], lon_lat[1], opening=opening,
        visit_s=int(values.get("visit_s", 0)), cutoff_s=cutoff,
        address=text(cell("address").value), commune_code=text(cell("commune_code").value),
        phone=phone(cell("phone"), source), home_post_office=home,
    )


def _point(  # noqa: PLR0911 - one return per way a point can fail
    lon: Cell, lat: Cell, commune: Cell, source: str
) -> tuple[float, float] | None:
    if blank(lon.value) and blank(lat.value):
        if blank(commune.value):
            lon.bad("no coordinates and no commune code: give lon/lat or the commune code")
            return None
        try:
            point = commune_point(text(commune.value))
        except ValidationError as err:
            commune.bad(str(err))
            return None
        LOG.warning("%s row %s: no coordinates; placed at the point of %s (%s)", source,
                    lon.row, point.name, point.code)
        return point.lon, point.lat
    x = lon.parse(number, "a longitude")
    y = lat.parse(number, "a latitude")
    if x is None or y is None:
        return None
    if _VN_LON[0] <= y <= _VN_LON[1] and _VN_LAT[0] <= x <= _VN_LAT[1]:
        lon.bad(f"({x}, {y}) looks like latitude, longitude: longitude and latitude swapped?")
        return None
    if not (-180 <= x <= 180) or not (-90 <= y <= 90) or math.isnan(x + y):
        lon.bad(f"coordinates ({x}, {y}) are out of range")
        return None
    return x, y


def _check_places(sites: list[Site], problems: Problems, header: Mapping[str, str],
                  rows: dict[str, int]) -> None:
    """Check each point against Vietnam's commune points and the commune its code names.

    Refused: a point more than :data:`MAX_KM_FROM_COMMUNES` from every commune (at
    sea, hundreds of km off), or more than :data:`MAX_KM_FROM_OWN_COMMUNE` from its
    own commune's point (a typo in a coordinate or the code). Warned: a site
    without a commune code whose point lies in another province than most sites.
    """
    if not sites:
        return
    nearest, km = nearest_communes([s.lon for s in sites], [s.lat for s in sites])
    main = Counter(c.province for c in nearest).most_common(1)[0][0]
    lat_col = header.get("lat", "lat")
    for s, near, d in zip(sites, nearest, km, strict=True):
        here = f"({s.lon}, {s.lat})"
        if d > MAX_KM_FROM_COMMUNES and _wide_commune(s) is None:
            problems.add(rows[s.id], lat_col, f"{here} is {d:.0f} km from the nearest commune "
                         f"({near.name}, {near.province}): at sea, or a typo in the coordinates?")
        elif s.commune_code:
            _check_own_commune(s, near, problems, rows[s.id], header)
        elif near.province != main:
            LOG.warning("%s row %s: %s lies in %s (near %s), not in %s like most sites: check "
                        "its coordinates", problems.source, rows[s.id], here, near.province,
                        near.name, main)


def _check_own_commune(site: Site, near: CommunePoint, problems: Problems, row: int,
                       header: Mapping[str, str]) -> None:
    try:
        own = commune_point(site.commune_code)
    except ValidationError as err:
        problems.add(row, header.get("commune_code"), str(err))
        return
    d = _km(site.lon, site.lat, own.lon, own.lat)
    if d > WIDE_COMMUNES.get(own.code, MAX_KM_FROM_OWN_COMMUNE):
        problems.add(row, header.get("lat", "lat"),
                     f"({site.lon}, {site.lat}) is {d:.0f} km from {own.name} ({own.province}), "
                     f"the commune its code {own.code} names, and lies near {near.name} "
                     f"({near.province}): a typo in a coordinate or in the code?")


def _wide_commune(site: Site) -> CommunePoint | None:
    """The archipelago commune (:data:`WIDE_COMMUNES`) whose islands reach ``site``, if any."""
    for code, reach_km in WIDE_COMMUNES.items():
        zone = commune_point(code)
        if _km(site.lon, site.lat, zone.lon, zone.lat) <= reach_km:
            return zone
    return None


def _km(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Great-circle distance in km."""
    p1, p2, dl = math.radians(lat1), math.radians(lat2), math.radians(lon2 - lon1)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(a))


def _check_home_offices(sites: list[Site], problems: Problems, column: str | None,
                        rows: dict[str, int]) -> None:
    """Each home post office is a post office of the file.

    One whose own row was refused is not reported again for every site naming it:
    the root cause (that row's error) is reported once.
    """
    kinds = {s.id: s.kind for s in sites}
    for s in sites:
        home = s.home_post_office
        if not home or home == s.id or (home not in kinds and home in rows):
            continue
        if home not in kinds:
            problems.add(rows[s.id], column, f"home post office '{home}' is not in the file")
        elif not kinds[home].is_post_office:
            problems.add(rows[s.id], column, f"home post office '{home}' is a "
                         f"{kinds[home].value}, not a post office")

"""Sample provinces: real 2025 communes, their offices and a GENERATED road network.

The sample province is Lạng Sơn (code ``20``, the default); any other 2025
province code builds the same kind of geography from ``vietnamadminunits``
(or from a user's communes CSV): :func:`sample_province`.

Communes (codes, names, points) come from the PyPI package ``vietnamadminunits``
1.0.4 (MIT licence), table ``admin_units``, saved as ``data/lang_son_communes.csv``.
Their territories are APPROXIMATE (Voronoi cells of the commune points clipped
to the points' buffered hull), not official boundaries. Site positions are
plausible offsets from the commune points, not surveyed addresses. The road
network ``data/lang_son_roads.osm.gz`` is GENERATED (see ``_generate``) and
read through :func:`geodata.network.graph_from_xml` like any OSM extract.
Another province's network is generated the same way in memory, seeded by
its code (:func:`geodata.sample._generate.province_seed`), and cached for the
process (0.2–1.2 s per province, docs/geodata.md).
"""

from __future__ import annotations

import functools
import gzip
import math
import tempfile
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely
from shapely.geometry import MultiPoint
from shapely.geometry.base import BaseGeometry

from geodata.network import RoadNetwork, graph_from_xml
from geodata.sample._communes import (
    SAMPLE_CODE,
    SAMPLE_NAME,
    Commune,
    ProvinceCommunes,
    province_communes,
    province_names,
)
from geodata.sample._generate import generate, province_seed
from geodata.sites import GeoSite

__all__ = ["SAMPLE_CODE", "SampleProvince", "province_names", "sample_province"]

PROVINCE_NAME = SAMPLE_NAME
PROVINCE_CODE = SAMPLE_CODE
PROVINCIAL_PO_ID = "BD-TINH"
#: The sample's surveyed street addresses (provincial post office, service centre).
_STREETS = {SAMPLE_CODE: ("Số 49 đường Lê Lợi, ", "Đường Hùng Vương, ")}


@dataclass(frozen=True)
class SampleProvince:
    """Everything the demo needs about one province, from package data only.

    ``communes_csv``: the user's communes file it was built from (None: the
    package's data).
    """

    name: str
    code: str
    communes: gpd.GeoDataFrame
    sites: tuple[GeoSite, ...]
    communes_csv: Path | None = None

    @property
    def network(self) -> RoadNetwork:
        """The generated road network (read or built once per process, cached)."""
        return _network(self.code, self.communes_csv)

    def site(self, site_id: str) -> GeoSite:
        """The site with id ``site_id`` (KeyError if none)."""
        for s in self.sites:
            if s.id == site_id:
                return s
        raise KeyError(site_id)


@functools.cache
def _network(code: str = SAMPLE_CODE, communes_csv: Path | None = None) -> RoadNetwork:
    """The sample's saved network, or one generated over province ``code``'s communes."""
    if code == SAMPLE_CODE and communes_csv is None:
        path = resources.files("geodata.sample").joinpath("data/lang_son_roads.osm.gz")
        with resources.as_file(path) as p:
            return graph_from_xml(p, generated=True)
    pc = province_communes(code, communes_csv)
    xml = generate(pc.communes, pc.centre, pc.towns, province_seed(code))
    with tempfile.TemporaryDirectory(prefix="bcci-roads-") as tmp:
        path = Path(tmp) / f"roads_{code}.osm.gz"
        with gzip.open(path, "wb", compresslevel=1) as f:
            f.write(xml.encode())
        return graph_from_xml(path, generated=True)


def _post_office_name(c: Commune) -> str:
    return f"Bưu điện {c.short_name}"


def _sites(pc: ProvinceCommunes) -> tuple[GeoSite, ...]:
    communes, province = pc.communes, pc.name
    by_code = {c.code: c for c in communes}
    centre = by_code[pc.centre]
    lower = province[:1].lower() + province[1:]  # "tỉnh Lạng Sơn", "thành phố Huế"
    po_street, centre_street = _STREETS.get(pc.code, ("", ""))
    sites = [
        GeoSite(
            PROVINCIAL_PO_ID,
            f"Bưu điện {lower}",
            "provincial_post_office",
            centre.lon + 0.0015,
            centre.lat - 0.0008,
            centre.code,
            f"{po_street}{centre.name}, {province}",
        ),
        GeoSite(
            "TTHCC-TINH",
            f"Trung tâm Phục vụ hành chính công {lower}",
            "service_center",
            centre.lon - 0.0012,
            centre.lat + 0.0010,
            centre.code,
            f"{centre_street}{centre.name}, {province}",
        ),
    ]
    for code in pc.towns:
        c = by_code[code]
        sites.append(
            GeoSite(
                f"BC-{code}",
                _post_office_name(c),
                "district_post_office",
                c.lon + 0.0010,
                c.lat - 0.0006,
                code,
                f"Trung tâm {c.name}, {province}",
            )
        )
    for c in communes:
        sites.append(
            GeoSite(
                f"BDVHX-{c.code}",
                f"Bưu điện văn hóa xã {c.short_name}",
                "post_point",
                c.lon + 0.0009,
                c.lat + 0.0004,
                c.code,
                f"Thôn Trung tâm, {c.name}, {province}",
            )
        )
        sites.append(
            GeoSite(
                f"MC-{c.code}",
                f"Bộ phận một cửa {c.name}",
                "commune_one_stop",
                c.lon - 0.0006,
                c.lat + 0.0007,
                c.code,
                f"UBND {c.name}, {province}",
            )
        )
    return tuple(sites)


def _home_post_office(communes: tuple[Commune, ...], sites: tuple[GeoSite, ...]) -> list[str]:
    """Nearest post office (straight line) to each commune's point.

    Longitudes are shrunk by the cosine of the communes' mean latitude in whole degrees.
    """
    offices = [s for s in sites if s.kind in ("provincial_post_office", "district_post_office")]
    k = math.cos(math.radians(round(float(np.mean([c.lat for c in communes])))))
    return [
        min(offices, key=lambda o: ((o.lon - c.lon) * k) ** 2 + (o.lat - c.lat) ** 2).id
        for c in communes
    ]


def _territories(communes: tuple[Commune, ...]) -> list[BaseGeometry]:
    """APPROXIMATE territories: Voronoi cells clipped to the buffered hull of the points."""
    pts = MultiPoint([(c.lon, c.lat) for c in communes])
    hull = pts.convex_hull.buffer(0.06)
    cells = shapely.voronoi_polygons(pts, extend_to=hull)
    out = []
    for c in communes:
        p = shapely.Point(c.lon, c.lat)
        cell = next(g for g in cells.geoms if g.covers(p))
        out.append(cell.intersection(hull))
    return out


def sample_province(code: str = SAMPLE_CODE, communes_csv: Path | None = None) -> SampleProvince:
    """Province ``code``'s sample geography (2025 communes), built from package data and cached.

    The default is the sample province, Lạng Sơn (``20``), from its saved files.
    Any other of the 34 province codes of 2025 (:func:`province_names`) is built
    from ``vietnamadminunits`` the same way, or from ``communes_csv`` (a user's
    communes table, :func:`geodata.sample._communes.csv_provinces`): the
    provincial post office and service centre in the central ward, a district
    post office per about six communes, a post point and a one-stop shop in
    every commune (rules in :mod:`geodata.sample._communes`), APPROXIMATE
    territories, and a GENERATED road network (:attr:`SampleProvince.network`).

    Raises
    ------
    ValidationError
        ``code`` is not a province code (of the package, or of ``communes_csv``; the
        message lists the valid ones), or the CSV is bad (names file, row and field).
    """
    return _province(code, None if communes_csv is None else Path(communes_csv))


@functools.cache
def _province(code: str, communes_csv: Path | None) -> SampleProvince:
    pc = province_communes(code, communes_csv)
    communes = pc.communes
    sites = _sites(pc)
    gdf = gpd.GeoDataFrame(
        {
            "code": [c.code for c in communes],
            "name": [c.name for c in communes],
            "type": [c.type for c in communes],
            "lon": np.array([c.lon for c in communes]),
            "lat": np.array([c.lat for c in communes]),
            "home_post_office": _home_post_office(communes, sites),
            "territory": "approximate (Voronoi of commune points)",
        },
        geometry=_territories(communes),
        crs="EPSG:4326",
    )
    return SampleProvince(pc.name, pc.code, gdf, sites, communes_csv)

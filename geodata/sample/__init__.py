"""The sample province: Lạng Sơn's real 2025 communes, its offices and a GENERATED road network.

Communes (codes, names, points) come from the PyPI package ``vietnamadminunits``
1.0.4 (MIT licence), table ``admin_units``, saved as ``data/lang_son_communes.csv``.
Their territories are APPROXIMATE (Voronoi cells of the commune points clipped
to the points' buffered hull), not official boundaries. Site positions are
plausible offsets from the commune points, not surveyed addresses. The road
network ``data/lang_son_roads.osm.gz`` is GENERATED (see ``_generate``) and
read through :func:`geodata.network.graph_from_xml` like any OSM extract.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from importlib import resources

import geopandas as gpd
import numpy as np
import shapely
from shapely.geometry import MultiPoint
from shapely.geometry.base import BaseGeometry

from geodata.network import RoadNetwork, graph_from_xml
from geodata.sample._communes import CENTRE_CODE, TOWN_CODES, Commune, load_communes
from geodata.sites import GeoSite

__all__ = ["SampleProvince", "sample_province"]

PROVINCE_NAME = "Tỉnh Lạng Sơn"
PROVINCE_CODE = "20"
PROVINCIAL_PO_ID = "BD-TINH"


@dataclass(frozen=True)
class SampleProvince:
    """Everything the demo needs about one province, from package data only."""

    name: str
    code: str
    communes: gpd.GeoDataFrame
    sites: tuple[GeoSite, ...]

    @property
    def network(self) -> RoadNetwork:
        """The generated road network (read once, cached)."""
        return _network()

    def site(self, site_id: str) -> GeoSite:
        """The site with id ``site_id`` (KeyError if none)."""
        for s in self.sites:
            if s.id == site_id:
                return s
        raise KeyError(site_id)


@functools.cache
def _network() -> RoadNetwork:
    path = resources.files("geodata.sample").joinpath("data/lang_son_roads.osm.gz")
    with resources.as_file(path) as p:
        return graph_from_xml(p, generated=True)


def _post_office_name(c: Commune) -> str:
    return f"Bưu điện {c.short_name}"


def _sites(communes: tuple[Commune, ...]) -> tuple[GeoSite, ...]:
    by_code = {c.code: c for c in communes}
    centre = by_code[CENTRE_CODE]
    sites = [
        GeoSite(
            PROVINCIAL_PO_ID,
            "Bưu điện tỉnh Lạng Sơn",
            "provincial_post_office",
            centre.lon + 0.0015,
            centre.lat - 0.0008,
            centre.code,
            f"Số 49 đường Lê Lợi, {centre.name}, Tỉnh Lạng Sơn",
        ),
        GeoSite(
            "TTHCC-TINH",
            "Trung tâm Phục vụ hành chính công tỉnh Lạng Sơn",
            "service_center",
            centre.lon - 0.0012,
            centre.lat + 0.0010,
            centre.code,
            f"Đường Hùng Vương, {centre.name}, Tỉnh Lạng Sơn",
        ),
    ]
    for code in TOWN_CODES:
        c = by_code[code]
        sites.append(
            GeoSite(
                f"BC-{code}",
                _post_office_name(c),
                "district_post_office",
                c.lon + 0.0010,
                c.lat - 0.0006,
                code,
                f"Trung tâm {c.name}, Tỉnh Lạng Sơn",
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
                f"Thôn Trung tâm, {c.name}, Tỉnh Lạng Sơn",
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
                f"UBND {c.name}, Tỉnh Lạng Sơn",
            )
        )
    return tuple(sites)


def _home_post_office(communes: tuple[Commune, ...], sites: tuple[GeoSite, ...]) -> list[str]:
    """Nearest post office (straight line) to each commune's point."""
    offices = [s for s in sites if s.kind in ("provincial_post_office", "district_post_office")]
    k = math.cos(math.radians(22))
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


@functools.cache
def sample_province() -> SampleProvince:
    """The sample province (Lạng Sơn, 2025 communes), built from package data and cached."""
    communes = load_communes()
    sites = _sites(communes)
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
    return SampleProvince(PROVINCE_NAME, PROVINCE_CODE, gdf, sites)

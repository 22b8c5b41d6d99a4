"""Geography for the planner: boundaries, sites, road networks, travel-time matrices.

Knows nothing of orders or solvers; ``planner`` imports it, never the reverse.

Public API
----------
- ``sample_province(code="20", communes_csv=None) -> SampleProvince``: a 2025
  province's real communes (default Lạng Sơn, the sample), its post offices and
  one-stop shops, a GENERATED road network (package data); ``province_names()``
  the 34 province codes and names.
- ``GeoSite``: a named place with a kind and a point (``sites``).
- ``graph_from_xml(path)``, ``graph_from_pbf(path)`` -> ``RoadNetwork``;
  ``PROFILES``, ``DEFAULT_SPEEDS_KPH`` (``network``).
- ``travel_matrix(network, points, profile, cache_dir=None, router="auto") -> TravelMatrix``;
  ``haversine_matrix(points, profile, detour=None)``, ``haversine_m``, ``calibrate_detour``
  (``matrix``).
- ``snap_points(network, profile, lon, lat) -> Snap`` (``snapping``).
- One router interface, ``Router.matrix(sources, targets) -> PathCosts`` (durations and
  the lengths of the same paths; ``routing``): ``router_for(network, profile)`` gives the
  network's CCH (``geodata.cch.CCHRouter``, built once and cached) or ``DijkstraRouter``
  (scipy, ``dijkstra``); ``arc_graph``, ``ArcGraph``; ``grid_graph`` (``synthetic``).
- ``commune_point(code)``: any 2025 commune's name and approximate point;
  ``nearest_communes(lon, lat)``: the nearest commune point and its distance (``communes``).
- ``read_boundaries``, ``Hierarchy``, ``LEVELS_2024``, ``LEVELS_2025`` (``boundaries``);
  ``read_crosswalk``, ``Crosswalk`` (``crosswalk``); ``read_sites`` (``sites``).
- ``route_geometry(network, stops, profile)`` -> (lon, lat) polylines per leg (``paths``).
- ``roads_layer(network)`` -> GeoDataFrame of LineStrings for offline maps (``basemap``).
- Errors: ``GeodataError``, ``ValidationError``, ``NoPathError``, ``SnapError``.
"""

from geodata.basemap import roads_layer
from geodata.boundaries import LEVELS_2024, LEVELS_2025, Hierarchy, read_boundaries
from geodata.communes import CommunePoint, commune_point, nearest_communes
from geodata.crosswalk import Crosswalk, read_crosswalk
from geodata.dijkstra import DijkstraRouter
from geodata.exceptions import GeodataError, NoPathError, SnapError, ValidationError
from geodata.matrix import (
    TravelMatrix,
    calibrate_detour,
    haversine_m,
    haversine_matrix,
    travel_matrix,
)
from geodata.network import (
    DEFAULT_SPEEDS_KPH,
    PROFILES,
    RoadNetwork,
    graph_from_pbf,
    graph_from_xml,
)
from geodata.paths import route_geometry
from geodata.routers import router_for
from geodata.routing import ArcGraph, PathCosts, Router, arc_graph
from geodata.sample import SampleProvince, province_names, sample_province
from geodata.sites import GeoSite, read_sites
from geodata.snapping import Snap, snap_points
from geodata.synthetic import grid_graph

__all__ = [
    "DEFAULT_SPEEDS_KPH",
    "LEVELS_2024",
    "LEVELS_2025",
    "PROFILES",
    "ArcGraph",
    "CommunePoint",
    "Crosswalk",
    "DijkstraRouter",
    "GeoSite",
    "GeodataError",
    "Hierarchy",
    "NoPathError",
    "PathCosts",
    "RoadNetwork",
    "Router",
    "SampleProvince",
    "Snap",
    "SnapError",
    "TravelMatrix",
    "ValidationError",
    "arc_graph",
    "calibrate_detour",
    "commune_point",
    "graph_from_pbf",
    "graph_from_xml",
    "grid_graph",
    "haversine_m",
    "haversine_matrix",
    "nearest_communes",
    "province_names",
    "read_boundaries",
    "read_crosswalk",
    "read_sites",
    "roads_layer",
    "route_geometry",
    "router_for",
    "sample_province",
    "snap_points",
    "travel_matrix",
]

"""Geography for the planner: boundaries, sites, road networks, travel-time matrices.

Knows nothing of orders or solvers; ``planner`` imports it, never the reverse.

Public API
----------
- ``sample_province() -> SampleProvince``: Lạng Sơn's real 2025 communes, its
  post offices and one-stop shops, a GENERATED road network (package data).
- ``GeoSite``: a named place with a kind and a point (``sites``).
- ``graph_from_xml(path)``, ``graph_from_pbf(path)`` -> ``RoadNetwork``;
  ``PROFILES``, ``DEFAULT_SPEEDS_KPH`` (``network``).
- ``travel_matrix(network, points, profile, cache_dir=None) -> TravelMatrix``;
  ``haversine_matrix(points, profile, detour=None)``, ``calibrate_detour`` (``matrix``).
- ``route_geometry(network, stops, profile)`` -> (lon, lat) polylines per leg (``paths``).
- ``roads_layer(network)`` -> GeoDataFrame of LineStrings for offline maps (``basemap``).
- Errors: ``GeodataError``, ``ValidationError``, ``NoPathError``, ``SnapError``.
"""

from geodata.basemap import roads_layer
from geodata.exceptions import GeodataError, NoPathError, SnapError, ValidationError
from geodata.matrix import TravelMatrix, calibrate_detour, haversine_matrix, travel_matrix
from geodata.network import (
    DEFAULT_SPEEDS_KPH,
    PROFILES,
    RoadNetwork,
    graph_from_pbf,
    graph_from_xml,
)
from geodata.paths import route_geometry
from geodata.sample import SampleProvince, sample_province
from geodata.sites import GeoSite

__all__ = [
    "DEFAULT_SPEEDS_KPH",
    "PROFILES",
    "GeoSite",
    "GeodataError",
    "NoPathError",
    "RoadNetwork",
    "SampleProvince",
    "SnapError",
    "TravelMatrix",
    "ValidationError",
    "calibrate_detour",
    "graph_from_pbf",
    "graph_from_xml",
    "haversine_matrix",
    "roads_layer",
    "route_geometry",
    "sample_province",
    "travel_matrix",
]

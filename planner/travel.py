"""Travel matrices for a day's sites: along a road network, or straight-line estimates.

The pipeline calls one of these per vehicle type used by the fleet; both give
:class:`planner.problem.Travel` indexed like the sites passed in.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from geodata import RoadNetwork, graph_from_pbf, graph_from_xml, travel_matrix
from planner.domain.fleet import VehicleType
from planner.domain.sites import Site
from planner.exceptions import InputError
from planner.problem import DEFAULT_SPEED_KPH, Travel, haversine_travel


def default_cache_dir() -> Path:
    """Where road matrices are cached between runs (``$XDG_CACHE_HOME/bcci-dispatch``)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "bcci-dispatch" / "matrices"


def road_travel(
    network: RoadNetwork,
    sites: Sequence[Site],
    vehicle: VehicleType,
    cache_dir: Path | None = None,
) -> Travel:
    """Fastest-path times and their distances among ``sites`` on ``network`` for ``vehicle``.

    Raises
    ------
    geodata.SnapError
        A site lies too far from every road the vehicle may use (named in the message).
    geodata.NoPathError
        Two sites cannot reach each other (named in the message).
    """
    tm = travel_matrix(
        network,
        [(s.id, s.lon, s.lat) for s in sites],
        str(vehicle),
        cache_dir=cache_dir,
    )
    return Travel(
        np.ceil(tm.distance_m).astype(np.int64),
        np.ceil(tm.duration_s).astype(np.int64),
    )


def straight_travel(sites: Sequence[Site], vehicle: VehicleType) -> Travel:
    """Haversine × detour at the vehicle type's average speed (no road network given)."""
    return haversine_travel(sites, DEFAULT_SPEED_KPH[vehicle])


def read_roads(path: Path) -> RoadNetwork:
    """Read an OpenStreetMap extract: ``.osm.pbf`` (pyrosm) or ``.osm``/``.osm.gz`` XML (osmnx).

    Raises
    ------
    InputError
        If the file is missing or its extension is not an OSM format.
    """
    name = path.name.lower()
    if not path.is_file():
        raise InputError("file not found", source=str(path), field="--roads")
    if name.endswith(".pbf"):
        return graph_from_pbf(path)
    if name.endswith((".osm", ".osm.gz", ".xml", ".osm.bz2")):
        return graph_from_xml(path)
    raise InputError(
        "not an OpenStreetMap extract (expected .osm.pbf, .osm or .osm.gz)",
        source=str(path),
        field="--roads",
    )

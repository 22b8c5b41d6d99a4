"""Basemap layers for offline maps: roads and commune territories as GeoDataFrames."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
from shapely.geometry import LineString

from geodata.network import RoadNetwork


def roads_layer(network: RoadNetwork) -> gpd.GeoDataFrame:
    """One LineString per road segment (both directions merged), with ``highway`` class.

    ``motorbike_only`` marks alleys; ``generated`` tells a generated network apart.
    """
    u, v = network.edge_u, network.edge_v
    keep = np.flatnonzero((u < v) | ~_has_reverse(u, v))
    return gpd.GeoDataFrame(
        {
            "highway": [network.highway[i] for i in keep],
            "motorbike_only": network.motorbike_only[keep],
            "generated": network.generated,
        },
        geometry=[LineString(network.geometry[i]) for i in keep],
        crs="EPSG:4326",
    )


def _has_reverse(u: np.ndarray, v: np.ndarray) -> np.ndarray:
    fwd = set(zip(u.tolist(), v.tolist(), strict=True))
    return np.array(
        [(b, a) in fwd for a, b in zip(u.tolist(), v.tolist(), strict=True)], dtype=bool
    )

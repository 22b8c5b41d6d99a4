"""Route geometries between consecutive stops, following the roads, for maps."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy.sparse.csgraph import dijkstra

from geodata.exceptions import NoPathError
from geodata.matrix import snap_to_nodes
from geodata.network import RoadNetwork


def route_geometry(
    network: RoadNetwork, stops: Sequence[tuple[float, float]], profile: str
) -> list[list[tuple[float, float]]]:
    """One (lon, lat) polyline per leg between consecutive ``stops`` (lon, lat).

    Each leg starts at the stop, follows the fastest path of ``profile`` from the
    stop's nearest node to the next stop's, and ends at the next stop.

    Raises
    ------
    NoPathError
        A leg has no path (cannot happen inside one strongly connected profile graph).
    """
    if len(stops) < 2:
        return []
    pg = network.profile(profile)
    node, _ = snap_to_nodes(network, profile, [s[0] for s in stops], [s[1] for s in stops])
    src = np.unique(node[:-1])
    _, pred = dijkstra(pg.csr("time_s"), directed=True, indices=src, return_predecessors=True)
    row = {int(s): r for r, s in enumerate(src)}
    lon, lat = network.node_lon[pg.nodes], network.node_lat[pg.nodes]
    legs = []
    for k in range(len(stops) - 1):
        a, b = int(node[k]), int(node[k + 1])
        chain = [b]
        while chain[-1] != a:
            p = int(pred[row[a], chain[-1]])
            if p < 0:
                raise NoPathError(f"no {profile} path between stops {k} and {k + 1}")
            chain.append(p)
        chain.reverse()
        legs.append(
            [tuple(stops[k]), *[(float(lon[i]), float(lat[i])) for i in chain], tuple(stops[k + 1])]
        )
    return legs  # type: ignore[return-value]

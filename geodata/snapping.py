"""Snap sites to a profile's road network: nearest edge, projected point, distance.

A site joins the network at the point of its nearest edge closest to it; it can
leave along that edge forwards (to the edge's head) and, when the road is two-way,
backwards (to its tail). The snap distance is reported so far sites are flagged
rather than routed from a wrong place.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy.spatial import cKDTree

from geodata.network import RoadNetwork

EARTH_M = 6_371_008.8
_CANDIDATES = 24


@dataclass(frozen=True)
class Snap:
    """Where each site joins a profile's graph.

    ``edge`` (index in the ProfileGraph), ``fraction`` along it from tail to head,
    the projected point ``lon``/``lat``, ``distance_m`` to it, and ``reverse``
    (index of the opposite edge, -1 on a one-way).
    """

    edge: npt.NDArray[np.int64]
    fraction: npt.NDArray[np.float64]
    lon: npt.NDArray[np.float64]
    lat: npt.NDArray[np.float64]
    distance_m: npt.NDArray[np.float64]
    reverse: npt.NDArray[np.int64]


def _xy(
    lon: npt.NDArray[np.float64], lat: npt.NDArray[np.float64], lat0: float
) -> npt.NDArray[np.float64]:
    k = math.pi / 180 * EARTH_M
    return np.column_stack([lon * k * math.cos(math.radians(lat0)), lat * k])


def snap_points(
    network: RoadNetwork, profile: str, lon: npt.ArrayLike, lat: npt.ArrayLike
) -> Snap:
    """Nearest edge of ``profile``'s graph for each point, with the projected point.

    Parameters
    ----------
    network : RoadNetwork
        The road network.
    profile : {"motorbike", "car", "van"}
        Whose graph to snap to (vans cannot join at an alley).
    lon, lat : sequences or arrays of float
        The points (WGS 84).

    Returns
    -------
    Snap
        Edge, fraction, projected point, distance and reverse edge per point.
    """
    pg = network.profile(profile)
    lat0 = float(np.mean(network.node_lat))
    nodes = _xy(network.node_lon[pg.nodes], network.node_lat[pg.nodes], lat0)
    a, b = nodes[pg.tail], nodes[pg.head]
    p = _xy(np.asarray(lon, float), np.asarray(lat, float), lat0)
    k = min(_CANDIDATES, len(a))
    _, cand = cKDTree((a + b) / 2).query(p, k=k)
    cand = np.asarray(cand).reshape(len(p), k)
    ab = b[cand] - a[cand]
    denom = np.maximum((ab**2).sum(-1), 1e-12)
    f = np.clip(((p[:, None, :] - a[cand]) * ab).sum(-1) / denom, 0, 1)
    proj = a[cand] + f[..., None] * ab
    d = np.sqrt(((proj - p[:, None, :]) ** 2).sum(-1))
    best = d.argmin(1)
    rows = np.arange(len(p))
    edge = cand[rows, best]
    frac = f[rows, best]
    lon_n, lat_n = network.node_lon[pg.nodes], network.node_lat[pg.nodes]
    plon = lon_n[pg.tail[edge]] + frac * (lon_n[pg.head[edge]] - lon_n[pg.tail[edge]])
    plat = lat_n[pg.tail[edge]] + frac * (lat_n[pg.head[edge]] - lat_n[pg.tail[edge]])
    return Snap(
        edge, frac, plon, plat, d[rows, best], _reverse_edges(pg.tail, pg.head, pg.time_s, edge)
    )


def _reverse_edges(
    tail: npt.NDArray[np.int64],
    head: npt.NDArray[np.int64],
    time_s: npt.NDArray[np.float64],
    edge: npt.NDArray[np.int64],
) -> npt.NDArray[np.int64]:
    """For each edge in ``edge``: the fastest edge going the other way, or -1."""
    fastest: dict[tuple[int, int], int] = {}
    for i in np.argsort(-time_s):
        fastest[(int(tail[i]), int(head[i]))] = int(i)
    return np.array([fastest.get((int(head[e]), int(tail[e])), -1) for e in edge], dtype=np.int64)

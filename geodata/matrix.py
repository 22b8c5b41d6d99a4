"""Travel-time and distance matrices among sites, per vehicle profile.

Node-to-node paths come from the network's router (:func:`geodata.routers.router_for`:
the CCH, built once per network and profile, or scipy's Dijkstra); the distance of
each pair is the length of the path its duration comes from, and of equally fast
paths the shortest is taken (:mod:`geodata.routing`).
Each site is snapped to its nearest edge of the profile's graph (the projected point); the snap
distance is reported and sites farther than ``max_snap_m`` raise SnapError.
Unreachable pairs raise NoPathError naming the sites. Results are cached on
disk under a key of graph fingerprint + points + profile.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
from scipy.sparse.csgraph import dijkstra
from scipy.spatial import cKDTree

from geodata.exceptions import NoPathError, SnapError
from geodata.network import RoadNetwork
from geodata.routers import RouterKind, router_for
from geodata.routing import Router
from geodata.snapping import Snap, snap_points

EARTH_M = 6_371_008.8
DEFAULT_MAX_SNAP_M = 1_000.0
DEFAULT_DETOUR = 1.35
"""Road distance / straight-line distance when no graph calibrates it."""
_MATRIX_FORMAT = 2  # part of the cache key: 2 = integer ms/cm arcs, (duration, length) rule


@dataclass(frozen=True)
class TravelMatrix:
    """NxN ``distance_m`` and ``duration_s`` (int64) among ``site_ids``.

    ``snap_m`` is each site's distance to the network node it was routed from
    (0 for a straight-line matrix); ``node`` that node's index in the network
    (-1 without a network).
    """

    site_ids: tuple[str, ...]
    profile: str
    distance_m: npt.NDArray[np.int64]
    duration_s: npt.NDArray[np.int64]
    snap_m: npt.NDArray[np.float64]
    node: npt.NDArray[np.int64]


def _local_xy(
    lon: npt.NDArray[np.float64], lat: npt.NDArray[np.float64], lat0: float
) -> npt.NDArray[np.float64]:
    k = math.pi / 180 * EARTH_M
    return np.column_stack([lon * k * math.cos(math.radians(lat0)), lat * k])


def snap_to_nodes(
    network: RoadNetwork, profile: str, lon: Sequence[float], lat: Sequence[float]
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float64]]:
    """Nearest node of ``profile``'s graph (compact index) and its distance in metres."""
    pg = network.profile(profile)
    lat0 = float(np.mean(network.node_lat))
    tree = cKDTree(_local_xy(network.node_lon[pg.nodes], network.node_lat[pg.nodes], lat0))
    d, i = tree.query(_local_xy(np.asarray(lon, float), np.asarray(lat, float), lat0))
    return np.asarray(i, dtype=np.int64), np.asarray(d, dtype=float)


def _cache_key(
    network: RoadNetwork,
    ids: Sequence[str],
    lon: Sequence[float],
    lat: Sequence[float],
    profile: str,
) -> str:
    h = hashlib.sha256(f"{_MATRIX_FORMAT}:{network.fingerprint()}".encode())
    h.update(
        repr(
            (tuple(ids), tuple(round(x, 7) for x in lon), tuple(round(y, 7) for y in lat), profile)
        ).encode()
    )
    return h.hexdigest()[:32]


def travel_matrix(
    network: RoadNetwork,
    points: Sequence[tuple[str, float, float]],
    profile: str,
    cache_dir: str | Path | None = None,
    max_snap_m: float = DEFAULT_MAX_SNAP_M,
    *,
    router: RouterKind = "auto",
) -> TravelMatrix:
    """Fastest-path durations and their distances among ``points`` on ``network``.

    Parameters
    ----------
    network : RoadNetwork
        The road network, e.g. ``sample_province().network``.
    points : sequence of (site_id, lon, lat)
        The sites, in matrix order.
    profile : {"motorbike", "car", "van"}
        The vehicle profile (``planner`` VehicleType value).
    cache_dir : path, optional
        Directory of ``.npz`` results keyed by graph, points and profile, and of the
        CCH built for the graph and profile.
    max_snap_m : float
        Farthest a site may be from the network.
    router : {"auto", "cch", "dijkstra"}
        Which router computes the paths (:func:`geodata.routers.router_for`); all
        give the same matrix, ``"auto"`` (the CCH) the fastest on large ones.

    Returns
    -------
    TravelMatrix
        ``duration_s`` (fastest paths) and ``distance_m`` (the lengths of those
        paths; of equally fast ones the shortest), rounded to integers.

    Raises
    ------
    SnapError
        A site is farther than ``max_snap_m`` from the profile's network.
    NoPathError
        Some pair of sites cannot reach each other (named in the message).
    ValidationError
        Unknown ``profile`` or ``router``.
    """
    ids = [p[0] for p in points]
    lon = [p[1] for p in points]
    lat = [p[2] for p in points]
    path = None
    if cache_dir is not None:
        path = Path(cache_dir) / f"matrix-{_cache_key(network, ids, lon, lat, profile)}.npz"
        if path.exists():
            with np.load(path) as z:
                return TravelMatrix(
                    tuple(ids), profile, z["distance_m"], z["duration_s"], z["snap_m"], z["node"]
                )
    sn = snap_points(network, profile, lon, lat)
    far = [
        f"{ids[i]} ({sn.distance_m[i]:.0f} m)" for i in np.flatnonzero(sn.distance_m > max_snap_m)
    ]
    if far:
        raise SnapError(
            f"sites farther than {max_snap_m:.0f} m from any {profile} road: {', '.join(far)}"
        )
    dur, dist = _snapped_shortest(
        network, profile, sn, router_for(network, profile, cache_dir, router)
    )
    _raise_unreachable(ids, dur, profile)
    node = network.profile(profile).head[sn.edge]
    tm = TravelMatrix(
        tuple(ids),
        profile,
        np.rint(dist).astype(np.int64),
        np.rint(dur).astype(np.int64),
        sn.distance_m,
        node,
    )
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        np.savez(
            path, distance_m=tm.distance_m, duration_s=tm.duration_s, snap_m=tm.snap_m, node=node
        )
    return tm


def _snapped_shortest(
    network: RoadNetwork, profile: str, sn: Snap, router: Router
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Site-to-site durations and distances, leaving and joining edges at the snapped points.

    A site leaves forwards (to the head, the rest of its edge) or, on a two-way
    road, backwards (to the tail); it is reached from its edge's tail or, on a
    two-way road, from its head. Two sites on the same edge may also drive along it.
    Of the ways that are equally fast, the shortest is taken, as the router does.
    """
    pg = network.profile(profile)
    n, f, e, r = len(sn.edge), sn.fraction, sn.edge, sn.reverse
    two = r >= 0
    rr = np.where(two, r, e)
    inf = np.full(n, np.inf)
    at_tail, at_head = f <= 1e-9, f >= 1 - 1e-9  # at a node: leave/join there even on a one-way
    exits = [  # (node, time to it, length to it) per site
        (pg.head[e], (1 - f) * pg.time_s[e], (1 - f) * pg.length_m[e]),
        (
            pg.tail[e],
            np.where(two, f * pg.time_s[rr], np.where(at_tail, 0, inf)),
            f * pg.length_m[rr],
        ),
    ]
    entries = [
        (pg.tail[e], f * pg.time_s[e], f * pg.length_m[e]),
        (
            pg.head[e],
            np.where(two, (1 - f) * pg.time_s[rr], np.where(at_head, 0, inf)),
            (1 - f) * pg.length_m[rr],
        ),
    ]
    src = np.unique(np.concatenate([exits[0][0], exits[1][0]]))
    tgt = np.unique(np.concatenate([entries[0][0], entries[1][0]]))
    costs = router.matrix(src, tgt)
    t, d = costs.duration_s, costs.length_m
    best_t = np.full((n, n), np.inf)
    best_d = np.zeros((n, n))
    for xn, xt, xd in exits:
        row = np.searchsorted(src, xn)
        for yn, yt, yd in entries:
            col = np.searchsorted(tgt, yn)
            ct = xt[:, None] + t[np.ix_(row, col)] + yt[None, :]
            cd = xd[:, None] + d[np.ix_(row, col)] + yd[None, :]
            best_t, best_d = _better(ct, cd, best_t, best_d)
    same = e[:, None] == e[None, :]
    ahead = same & (f[None, :] >= f[:, None])  # b further along the same edge than a
    direct_t = np.where(ahead, (f[None, :] - f[:, None]) * pg.time_s[e][:, None], np.inf)
    direct_d = (f[None, :] - f[:, None]) * pg.length_m[e][:, None]
    best_t, best_d = _better(direct_t, direct_d, best_t, best_d)
    back = same & two[:, None] & (f[None, :] < f[:, None])
    back_t = np.where(back, (f[:, None] - f[None, :]) * pg.time_s[rr][:, None], np.inf)
    back_d = (f[:, None] - f[None, :]) * pg.length_m[rr][:, None]
    best_t, best_d = _better(back_t, back_d, best_t, best_d)
    np.fill_diagonal(best_t, 0)
    np.fill_diagonal(best_d, 0)
    return best_t, best_d


def _better(
    t: npt.NDArray[np.float64],
    d: npt.NDArray[np.float64],
    best_t: npt.NDArray[np.float64],
    best_d: npt.NDArray[np.float64],
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Elementwise the better of (t, d) and (best_t, best_d): faster, or as fast and shorter."""
    use = (t < best_t) | ((t == best_t) & (d < best_d))
    return np.where(use, t, best_t), np.where(use, d, best_d)


def _raise_unreachable(ids: Sequence[str], dur: npt.NDArray[np.float64], profile: str) -> None:
    bad = np.argwhere(~np.isfinite(dur))
    if len(bad):
        pairs = ", ".join(f"{ids[i]} → {ids[j]}" for i, j in bad[:10])
        more = f" and {len(bad) - 10} more" if len(bad) > 10 else ""
        raise NoPathError(f"no {profile} path for {len(bad)} pairs: {pairs}{more}")


def haversine_m(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Great-circle distance in metres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_M * math.asin(math.sqrt(a))


DEFAULT_STRAIGHT_SPEED_KPH = {"motorbike": 30.0, "car": 30.0, "van": 25.0}
"""Average door-to-door speeds along the straight line × detour, per profile."""


def calibrate_detour(
    network: RoadNetwork, profile: str = "car", samples: int = 200, seed: int = 0
) -> float:
    """Median road distance / straight-line distance over random node pairs of ``network``.

    Pairs closer than 300 m are skipped (snapping noise dominates them).
    """
    pg = network.profile(profile)
    rng = np.random.default_rng(seed)
    src = rng.choice(len(pg.nodes), size=min(samples, len(pg.nodes)), replace=False)
    dst = rng.permutation(src)
    d = dijkstra(pg.csr("length_m"), directed=True, indices=src)[np.arange(len(src)), dst]
    lon, lat = network.node_lon[pg.nodes], network.node_lat[pg.nodes]
    straight = np.array(
        [haversine_m(lon[a], lat[a], lon[b], lat[b]) for a, b in zip(src, dst, strict=True)]
    )
    ok = (straight > 300) & np.isfinite(d)
    return float(np.median(d[ok] / straight[ok])) if ok.any() else DEFAULT_DETOUR


def haversine_matrix(
    points: Sequence[tuple[str, float, float]],
    profile: str,
    detour: float | None = None,
    speed_kph: float | None = None,
) -> TravelMatrix:
    """Straight-line matrix without a network: haversine × ``detour`` / speed of ``profile``."""
    f = DEFAULT_DETOUR if detour is None else detour
    v = DEFAULT_STRAIGHT_SPEED_KPH[profile] if speed_kph is None else speed_kph
    n = len(points)
    lon = np.radians([p[1] for p in points])
    lat = np.radians([p[2] for p in points])
    a = (
        np.sin((lat[None, :] - lat[:, None]) / 2) ** 2
        + np.cos(lat[:, None])
        * np.cos(lat[None, :])
        * np.sin((lon[None, :] - lon[:, None]) / 2) ** 2
    )
    dist = 2 * EARTH_M * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0))) * f
    return TravelMatrix(
        tuple(p[0] for p in points),
        profile,
        np.ceil(dist).astype(np.int64),
        np.ceil(dist / (v / 3.6)).astype(np.int64),
        np.zeros(n),
        np.full(n, -1, dtype=np.int64),
    )

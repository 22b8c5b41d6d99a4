"""Road networks from OpenStreetMap: what each vehicle may use, and how fast.

``graph_from_xml`` (osmnx) and ``graph_from_pbf`` (pyrosm) read an extract into a
:class:`RoadNetwork`: directed edges with length, road class and, per vehicle
profile (``"motorbike"``, ``"car"``, ``"van"``), a travel time in seconds.
Motorbikes may also use alleys (ngõ/hẻm: ``service=alley``, ``motorcar=no``)
that cars and vans cannot. One-ways are respected. Each profile keeps the
largest strongly connected component of the edges it may use.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
import numpy.typing as npt
import osmnx as ox
import pyrosm
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components

from geodata.exceptions import ValidationError

PROFILES = ("motorbike", "car", "van")
"""Vehicle profiles: the values of ``planner.domain.fleet.VehicleType``."""

DEFAULT_SPEEDS_KPH: Mapping[str, Mapping[str, float]] = {
    # Typical Vietnamese urban/rural running speeds, including junction delays.
    "motorbike": {
        "motorway": 60,
        "trunk": 45,
        "primary": 40,
        "secondary": 35,
        "tertiary": 30,
        "unclassified": 25,
        "residential": 20,
        "living_street": 12,
        "service": 12,
        "track": 15,
        "path": 10,
        "road": 20,
    },
    "car": {
        "motorway": 80,
        "trunk": 50,
        "primary": 40,
        "secondary": 35,
        "tertiary": 30,
        "unclassified": 25,
        "residential": 18,
        "living_street": 10,
        "service": 10,
        "track": 12,
        "road": 20,
    },
    "van": {
        "motorway": 70,
        "trunk": 45,
        "primary": 35,
        "secondary": 30,
        "tertiary": 27,
        "unclassified": 22,
        "residential": 15,
        "living_street": 8,
        "service": 8,
        "track": 10,
        "road": 18,
    },
}
"""Speed per road class (``*_link`` uses its class) per profile; override per call."""

_DROP_HIGHWAY = frozenset(
    {
        "footway",
        "pedestrian",
        "steps",
        "cycleway",
        "bridleway",
        "corridor",
        "construction",
        "proposed",
        "platform",
        "elevator",
        "bus_stop",
        "raceway",
        "abandoned",
        "disused",
    }
)
_DROP_SERVICE = frozenset({"parking_aisle", "driveway", "parking", "emergency_access", "private"})
_NO = frozenset({"no", "private"})


@dataclass(frozen=True)
class ProfileGraph:
    """One profile's routable graph: CSR arrays over compact node indices."""

    nodes: npt.NDArray[np.int64]  # indices into RoadNetwork.node_* arrays
    tail: npt.NDArray[np.int64]  # compact indices
    head: npt.NDArray[np.int64]
    edge: npt.NDArray[np.int64]  # index into RoadNetwork.edge_* arrays
    time_s: npt.NDArray[np.float64]
    length_m: npt.NDArray[np.float64]

    def csr(self, weight: str = "time_s", by: str | None = None) -> csr_matrix:
        """Sparse adjacency with ``weight``; of parallel edges keep the smallest ``by``."""
        w = self.time_s if weight == "time_s" else self.length_m
        key = w if by is None else (self.time_s if by == "time_s" else self.length_m)
        order = np.lexsort((key, self.head, self.tail))
        t, h, ww = self.tail[order], self.head[order], w[order]
        first = np.ones(len(t), dtype=bool)
        first[1:] = (t[1:] != t[:-1]) | (h[1:] != h[:-1])
        n = len(self.nodes)
        return csr_matrix((ww[first], (t[first], h[first])), shape=(n, n))


@dataclass(frozen=True)
class RoadNetwork:
    """A directed road network with per-profile travel times.

    Node arrays: ``node_id`` (OSM id), ``node_lon``, ``node_lat``. Edge arrays:
    ``edge_u``/``edge_v`` (node indices), ``length_m``, ``highway`` (road class),
    ``motorbike_only``, ``geometry`` (per edge, (lon, lat) vertex arrays).
    ``profiles`` maps a profile to its :class:`ProfileGraph`.
    """

    name: str
    node_id: npt.NDArray[np.int64]
    node_lon: npt.NDArray[np.float64]
    node_lat: npt.NDArray[np.float64]
    edge_u: npt.NDArray[np.int64]
    edge_v: npt.NDArray[np.int64]
    length_m: npt.NDArray[np.float64]
    highway: tuple[str, ...]
    motorbike_only: npt.NDArray[np.bool_]
    geometry: tuple[npt.NDArray[np.float64], ...]
    speeds_kph: Mapping[str, Mapping[str, float]]
    profiles: Mapping[str, ProfileGraph] = field(default_factory=dict)
    generated: bool = False

    def profile(self, name: str) -> ProfileGraph:
        """The routable graph of profile ``name`` (ValidationError if unknown)."""
        if name not in self.profiles:
            raise ValidationError(
                f"unknown profile {name!r}; expected one of {sorted(self.profiles)}",
                source=self.name,
                field="profile",
            )
        return self.profiles[name]

    def fingerprint(self) -> str:
        """A hash of the graph and speeds, used as part of matrix cache keys."""
        h = hashlib.sha256()
        for a in (
            self.node_id,
            self.node_lon,
            self.node_lat,
            self.edge_u,
            self.edge_v,
            self.length_m,
        ):
            h.update(np.ascontiguousarray(a).tobytes())
        h.update(repr(sorted((p, sorted(s.items())) for p, s in self.speeds_kph.items())).encode())
        h.update("|".join(self.highway).encode())
        return h.hexdigest()[:24]


def _first(value: Any) -> str:
    """OSM tag values can be lists after simplification: keep the first."""
    if isinstance(value, list):
        value = value[0] if value else ""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    return str(value)


def road_use(tags: Mapping[str, Any]) -> str | None:  # noqa: PLR0911 (one rule per return)
    """Classify an OSM way: ``"all"``, ``"motorbike"`` (alleys), or None (not routable).

    Parameters
    ----------
    tags : mapping
        The way's OSM tags (``highway``, ``service``, ``access``, ``motorcar`` ...).
    """
    hw = _first(tags.get("highway"))
    if not hw or hw in _DROP_HIGHWAY or _first(tags.get("area")) == "yes":
        return None
    if _first(tags.get("access")) in _NO or _first(tags.get("motor_vehicle")) in _NO:
        return None
    if _first(tags.get("service")) in _DROP_SERVICE:
        return None
    motorcycle = _first(tags.get("motorcycle"))
    if hw in {"path", "track"} and motorcycle not in {"yes", "designated"}:
        return None if hw == "path" else "all"
    if motorcycle in _NO:
        return None
    if (
        _first(tags.get("motorcar")) in _NO
        or _first(tags.get("service")) == "alley"
        or hw == "path"
    ):
        return "motorbike"
    return "all"


def _road_class(hw: str) -> str:
    return hw[: -len("_link")] if hw.endswith("_link") else hw


def from_edges(
    name: str,
    nodes: Mapping[int, tuple[float, float]],
    edges: list[tuple[int, int, float, dict[str, Any], npt.NDArray[np.float64]]],
    speeds_kph: Mapping[str, Mapping[str, float]] | None = None,
    generated: bool = False,
) -> RoadNetwork:
    """Build a :class:`RoadNetwork` from directed edges ``(u, v, length_m, tags, coords)``.

    Edges whose tags are not routable are dropped; one-way handling is the
    caller's (both readers emit one edge per allowed direction).
    """
    speeds = _merge_speeds(speeds_kph)
    kept = [(u, v, ln, t, g, road_use(t)) for u, v, ln, t, g in edges]
    kept = [k for k in kept if k[5] is not None]
    if not kept:
        raise ValidationError("no routable road in the network", source=name)
    ids = np.array(sorted({k[0] for k in kept} | {k[1] for k in kept}), dtype=np.int64)
    index = {int(i): n for n, i in enumerate(ids)}
    lon = np.array([nodes[int(i)][0] for i in ids])
    lat = np.array([nodes[int(i)][1] for i in ids])
    net = RoadNetwork(
        name=name,
        node_id=ids,
        node_lon=lon,
        node_lat=lat,
        edge_u=np.array([index[k[0]] for k in kept], dtype=np.int64),
        edge_v=np.array([index[k[1]] for k in kept], dtype=np.int64),
        length_m=np.array([max(float(k[2]), 0.1) for k in kept]),
        highway=tuple(_road_class(_first(k[3].get("highway"))) for k in kept),
        motorbike_only=np.array([k[5] == "motorbike" for k in kept]),
        geometry=tuple(k[4] for k in kept),
        speeds_kph=speeds,
        generated=generated,
    )
    return _with_profiles(net)


def _merge_speeds(over: Mapping[str, Mapping[str, float]] | None) -> dict[str, dict[str, float]]:
    speeds = {p: dict(s) for p, s in DEFAULT_SPEEDS_KPH.items()}
    for p, s in (over or {}).items():
        if p not in speeds:
            raise ValidationError(f"unknown profile {p!r}", field="speeds_kph")
        speeds[p].update(s)
    return speeds


def _with_profiles(net: RoadNetwork) -> RoadNetwork:
    profiles = {}
    for p in PROFILES:
        ok = np.ones(len(net.edge_u), dtype=bool) if p == "motorbike" else ~net.motorbike_only
        speed = np.array(
            [net.speeds_kph[p].get(h, net.speeds_kph[p].get("road", 20)) for h in net.highway]
        )
        profiles[p] = _largest_scc(net, ok, net.length_m / (speed / 3.6))
    return RoadNetwork(**{**net.__dict__, "profiles": profiles})


def _largest_scc(
    net: RoadNetwork, ok: npt.NDArray[np.bool_], time_s: npt.NDArray[np.float64]
) -> ProfileGraph:
    n = len(net.node_id)
    edge = np.flatnonzero(ok)
    a = csr_matrix((np.ones(len(edge)), (net.edge_u[edge], net.edge_v[edge])), shape=(n, n))
    _, label = connected_components(a, directed=True, connection="strong")
    big = np.bincount(label).argmax()
    nodes = np.flatnonzero(label == big)
    compact = np.full(n, -1, dtype=np.int64)
    compact[nodes] = np.arange(len(nodes))
    edge = edge[(compact[net.edge_u[edge]] >= 0) & (compact[net.edge_v[edge]] >= 0)]
    return ProfileGraph(
        nodes=nodes,
        tail=compact[net.edge_u[edge]],
        head=compact[net.edge_v[edge]],
        edge=edge,
        time_s=time_s[edge],
        length_m=net.length_m[edge],
    )


def _oneway(tags: Mapping[str, Any]) -> int:
    """+1 forward only, -1 backward only, 0 both ways."""
    ow = _first(tags.get("oneway")).lower()
    if ow in {"yes", "true", "1"}:
        return 1
    if ow in {"-1", "reverse"}:
        return -1
    if ow in {"no", "false", "0"}:
        return 0
    hw = _first(tags.get("highway"))
    return (
        1 if hw == "motorway" or _first(tags.get("junction")) in {"roundabout", "circular"} else 0
    )


def graph_from_xml(
    path: str | Path,
    speeds_kph: Mapping[str, Mapping[str, float]] | None = None,
    generated: bool = False,
) -> RoadNetwork:
    """Read an OSM XML extract (``.osm`` or ``.osm.gz``) with osmnx.

    Parameters
    ----------
    path : str or Path
        The extract. Every way is read; non-roads are dropped here.
    speeds_kph : mapping, optional
        Overrides of :data:`DEFAULT_SPEEDS_KPH`, ``{profile: {class: kph}}``.
    generated : bool
        Mark the network as generated (the sample province), for labels.

    Raises
    ------
    ValidationError
        The file cannot be read or holds no routable road.
    """
    path = Path(path)
    try:
        g = ox.graph_from_xml(path, simplify=False, retain_all=True, bidirectional=False)
    except Exception as err:  # osmnx raises several types on bad XML
        raise ValidationError(f"cannot read OSM XML: {err}", source=str(path)) from err
    return _from_osmnx(str(path.name), g, speeds_kph, generated)


def _from_osmnx(
    name: str,
    g: nx.MultiDiGraph,
    speeds_kph: Mapping[str, Mapping[str, float]] | None,
    generated: bool,
) -> RoadNetwork:
    nodes = {int(n): (float(d["x"]), float(d["y"])) for n, d in g.nodes(data=True)}
    edges = []
    for u, v, d in g.edges(data=True):  # osmnx already applied one-way tags
        coords = np.array([nodes[int(u)], nodes[int(v)]])
        edges.append((int(u), int(v), float(d.get("length", 0.0)), dict(d), coords))
    return from_edges(name, nodes, edges, speeds_kph, generated)


def graph_from_pbf(
    path: str | Path, speeds_kph: Mapping[str, Mapping[str, float]] | None = None
) -> RoadNetwork:
    """Read an ``.osm.pbf`` extract with pyrosm (``driving+service`` ways, so alleys stay).

    Raises
    ------
    ValidationError
        The file cannot be read or holds no routable road.
    """
    path = Path(path)
    try:
        osm = pyrosm.OSM(str(path))
        nodes_gdf, edges_gdf = osm.get_network("driving+service", nodes=True)
    except Exception as err:
        raise ValidationError(f"cannot read OSM PBF: {err}", source=str(path)) from err
    if edges_gdf is None or nodes_gdf is None or len(edges_gdf) == 0:
        raise ValidationError("no routable road in the file", source=str(path))
    nodes = {
        int(i): (float(x), float(y))
        for i, x, y in zip(nodes_gdf["id"], nodes_gdf["lon"], nodes_gdf["lat"], strict=True)
    }
    edges = []
    for row in edges_gdf.itertuples(index=False):
        tags = {
            k: getattr(row, k, None)
            for k in (
                "highway",
                "service",
                "access",
                "motorcar",
                "motor_vehicle",
                "motorcycle",
                "oneway",
                "junction",
                "area",
            )
        }
        tags = {k: v for k, v in tags.items() if v is not None}
        u, v, ln = int(row.u), int(row.v), float(row.length)
        coords = np.asarray(row.geometry.coords, dtype=float)
        ow = _oneway(tags)
        if ow >= 0:
            edges.append((u, v, ln, tags, coords))
        if ow <= 0:
            edges.append((v, u, ln, tags, coords[::-1]))
    return from_edges(path.name, nodes, edges, speeds_kph)

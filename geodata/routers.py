"""The router of a network and profile: built once, kept in memory and, if asked, on disk.

:func:`router_for` gives the CCH router (:mod:`geodata.cch`) by default and
scipy's Dijkstra (:mod:`geodata.dijkstra`) where the CCH's compiled parts cannot
be imported. Both follow the rule of :mod:`geodata.routing`, so the choice never
changes a matrix. A CCH is built once per network and profile and process; with a
``cache_dir`` it is also saved there (``cch-<graph>-<profile>.npz``) and read back
by later processes.
"""

from __future__ import annotations

import importlib.util
import zipfile
from collections import OrderedDict
from pathlib import Path
from typing import Literal

from geodata.dijkstra import DijkstraRouter
from geodata.exceptions import ValidationError
from geodata.network import RoadNetwork
from geodata.routing import ArcGraph, Router, arc_graph

RouterKind = Literal["auto", "cch", "dijkstra"]
_FORMAT = 1  # bump when the saved hierarchy changes
_KEEP = 8  # routers kept in memory (a few networks × three profiles)
_routers: OrderedDict[tuple[str, str, str], Router] = OrderedDict()


def profile_arcs(network: RoadNetwork, profile: str) -> ArcGraph:
    """The arcs of ``profile``'s graph with integer costs (compact node indices).

    Raises
    ------
    ValidationError
        ``profile`` is not one of the network's profiles.
    """
    pg = network.profile(profile)
    return arc_graph(len(pg.nodes), pg.tail, pg.head, pg.time_s, pg.length_m)


def router_for(
    network: RoadNetwork,
    profile: str,
    cache_dir: str | Path | None = None,
    kind: RouterKind = "auto",
) -> Router:
    """The router over ``profile``'s graph of ``network``, reused while the process lives.

    Parameters
    ----------
    network : RoadNetwork
        The road network.
    profile : {"motorbike", "car", "van"}
        Whose graph to route on; node indices are the profile graph's compact ones.
    cache_dir : path, optional
        Where to keep the built CCH between processes.
    kind : {"auto", "cch", "dijkstra"}
        ``"auto"`` is the CCH, or Dijkstra when the CCH cannot be imported.

    Raises
    ------
    ValidationError
        Unknown ``profile`` or ``kind``, or ``kind="cch"`` where the CCH cannot be
        imported.
    """
    if kind not in ("auto", "cch", "dijkstra"):
        raise ValidationError(f"unknown router {kind!r}", field="kind")
    use_cch = kind != "dijkstra" and cch_available()
    if kind == "cch" and not use_cch:
        raise ValidationError("the CCH router needs numba and routingkit-cch", field="kind")
    key = (network.fingerprint(), profile, "cch" if use_cch else "dijkstra")
    if key in _routers:
        _routers.move_to_end(key)
        return _routers[key]
    arcs = profile_arcs(network, profile)
    router: Router
    if use_cch:
        path = (
            None if cache_dir is None else Path(cache_dir) / f"cch{_FORMAT}-{key[0]}-{profile}.npz"
        )
        router = _cch_router(network, profile, arcs, path)
    else:
        router = DijkstraRouter(arcs)
    _routers[key] = router
    if len(_routers) > _KEEP:
        _routers.popitem(last=False)
    return router


def cch_available() -> bool:
    """Whether the CCH's compiled parts (numba, routingkit-cch) can be imported."""
    return all(importlib.util.find_spec(m) is not None for m in ("numba", "routingkit_cch"))


def _cch_router(network: RoadNetwork, profile: str, arcs: ArcGraph, path: Path | None) -> Router:
    """A CCH router from the hierarchy saved at ``path``, or built (and saved there)."""
    from geodata.cch import CCHRouter, Hierarchy, build_hierarchy  # noqa: PLC0415 (optional)

    if path is not None and path.exists():
        try:
            return CCHRouter(Hierarchy.load(path))
        except (OSError, ValueError, KeyError, zipfile.BadZipFile):
            pass  # unreadable (an older format, a broken file): build it again
    nodes = network.profile(profile).nodes
    hierarchy = build_hierarchy(arcs, network.node_lon[nodes], network.node_lat[nodes])
    if path is not None:
        hierarchy.save(path)
    return CCHRouter(hierarchy)

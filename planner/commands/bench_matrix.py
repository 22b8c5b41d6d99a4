"""``planner bench matrix``: the planner's own matrix path on a seeded synthetic grid graph.

Times the router that planning uses (the CCH of :mod:`geodata.cch`, durations and
the lengths of the same paths together) after its one-off build, and checks it
against scipy's Dijkstra under the same rule (:mod:`geodata.routing`). Prints a few
readable lines and, as the last line, one JSON object with ``nodes, sites, ours_s,
ours_build_s, networkx_s, ratio, scipy_s, max_abs_diff_s, max_abs_diff_m`` and,
to read the figures against this machine's load, ``routingkit_times_only_s``
(RoutingKit's own one-to-many CCH query, durations only, as the planner measured
before).
"""

from __future__ import annotations

import argparse
import itertools
import json
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import networkx as nx
import numpy as np
import numpy.typing as npt
import routingkit_cch as rk

from geodata.cch import CCHRouter, available_cores
from geodata.dijkstra import DijkstraRouter
from geodata.synthetic import SyntheticGraph, grid_graph
from planner.commands._args import parse_count

NX_SOURCES = 50


def register(sub: Any) -> None:
    """Add ``planner bench matrix``."""
    p = sub.add_parser("matrix", help="travel-time matrix speed on a synthetic road graph")
    p.add_argument("--sites", type=parse_count, required=True,
                   help="number of sites N (N×N matrix)")
    p.add_argument("--nodes", type=parse_count, required=True, help="approximate graph size M")
    p.add_argument("--seed", type=int, default=0)
    p.set_defaults(func=run)


def measure(sites: int, nodes: int, seed: int) -> dict[str, Any]:
    """Build the graph, time our matrix, networkx and scipy on it; return the figures."""
    g = grid_graph(nodes, seed)
    arcs = g.arcs()
    rng = np.random.default_rng(seed)
    pick = rng.choice(arcs.nodes, size=min(sites, arcs.nodes), replace=False)
    t0 = time.perf_counter()
    router = CCHRouter.build(arcs, g.lon, g.lat)
    router.matrix(pick[:1], pick[:1])  # compiled kernels loaded (or compiled once)
    t1 = time.perf_counter()
    ours = router.matrix(pick, pick)
    t2 = time.perf_counter()
    ref = DijkstraRouter(arcs).matrix(pick, pick)
    scipy_s = time.perf_counter() - t2
    networkx_s, k = _networkx(g, pick)
    ours_s = t2 - t1
    return {
        "nodes": arcs.nodes,
        "sites": len(pick),
        "ours_s": round(ours_s, 3),
        "ours_build_s": round(t1 - t0, 3),
        "networkx_s": round(networkx_s, 3),
        "networkx_extrapolated_from": k,
        "ratio": round(networkx_s / ours_s, 1),
        "scipy_s": round(scipy_s, 3),
        "max_abs_diff_s": float(np.max(np.abs(ours.duration_s - ref.duration_s))),
        "max_abs_diff_m": float(np.max(np.abs(ours.length_m - ref.length_m))),
        "routingkit_times_only_s": round(_routingkit_times(g, pick), 3),
        "cores": available_cores(),
    }


def _networkx(g: SyntheticGraph, pick: npt.NDArray[np.int64]) -> tuple[float, int]:
    """Seconds networkx's Dijkstra would take for all sources (durations only), extrapolated."""
    nxg = nx.DiGraph()
    nxg.add_weighted_edges_from(
        zip(g.tail.tolist(), g.head.tolist(), g.time_s.tolist(), strict=True)
    )
    k = min(NX_SOURCES, len(pick))
    t0 = time.perf_counter()
    for s in pick[:k]:
        nx.single_source_dijkstra_path_length(nxg, int(s), weight="weight")
    return (time.perf_counter() - t0) * len(pick) / k, k


def _routingkit_times(g: SyntheticGraph, pick: npt.NDArray[np.int64]) -> float:
    """Seconds of RoutingKit's one-to-many query for the durations alone (after its build)."""
    t, h = g.tail.tolist(), g.head.tolist()
    cch = rk.CCH(
        rk.compute_order_inertial(len(g.lon), t, h, g.lat.tolist(), g.lon.tolist()), t, h, False
    )
    metric = rk.CCHMetric(cch, np.rint(g.time_s * 1000).astype(np.uint32).tolist())
    src = pick.tolist()

    def rows(lo: int, hi: int) -> None:
        one_to_many = rk.CCHOneToMany(metric, src)
        for i in range(lo, hi):
            one_to_many.distances_from(src[i])

    bounds = np.linspace(0, len(src), available_cores() + 1).astype(int)
    t0 = time.perf_counter()
    with ThreadPoolExecutor(max_workers=available_cores()) as pool:
        for job in [pool.submit(rows, int(a), int(b)) for a, b in itertools.pairwise(bounds)]:
            job.result()
    return time.perf_counter() - t0


def run(args: argparse.Namespace) -> int:
    """Print the figures, the JSON object last."""
    r = measure(args.sites, args.nodes, args.seed)
    print(f"graph: {r['nodes']} nodes (largest SCC of a seeded grid), {r['sites']} sites")
    print(
        f"ours (CCH, durations and lengths): build {r['ours_build_s']} s,"
        f" matrix {r['ours_s']} s on {r['cores']} cores"
    )
    print(
        f"networkx per-source Dijkstra (durations only): {r['networkx_s']} s"
        f" (from {r['networkx_extrapolated_from']} sources)"
    )
    print(
        f"scipy csgraph Dijkstra, durations and lengths (the exactness reference):"
        f" {r['scipy_s']} s; max differences {r['max_abs_diff_s']} s, {r['max_abs_diff_m']} m"
    )
    print(f"RoutingKit's own one-to-many CCH, durations only: {r['routingkit_times_only_s']} s")
    print(json.dumps(r))
    return 0

"""``planner bench matrix``: travel-time matrix speed on a seeded synthetic grid graph.

Prints a few readable lines and, as the last line, one JSON object with
``nodes, sites, ours_s, ours_build_s, networkx_s, ratio, max_abs_diff_s`` and,
to read the figures against this machine's speed, ``scipy_s`` (scipy's Dijkstra on
the same sites, the exactness reference).
"""

from __future__ import annotations

import argparse
import json
import time
from typing import Any

import networkx as nx
import numpy as np
from scipy.sparse.csgraph import dijkstra

from geodata.cch import CCHRouter
from geodata.synthetic import grid_graph

NX_SOURCES = 50


def register(sub: Any) -> None:
    """Add ``planner bench matrix``."""
    p = sub.add_parser("matrix", help="travel-time matrix speed on a synthetic road graph")
    p.add_argument("--sites", type=int, required=True, help="number of sites N (N×N matrix)")
    p.add_argument("--nodes", type=int, required=True, help="approximate graph size M")
    p.add_argument("--seed", type=int, default=0)
    p.set_defaults(func=run)


def measure(sites: int, nodes: int, seed: int) -> dict[str, Any]:
    """Build the graph, time our matrix, networkx and scipy on it; return the figures."""
    g = grid_graph(nodes, seed)
    rng = np.random.default_rng(seed)
    pick = rng.choice(len(g.lon), size=min(sites, len(g.lon)), replace=False)
    t0 = time.perf_counter()
    router = CCHRouter(g.tail, g.head, g.time_s, g.lon, g.lat)
    t1 = time.perf_counter()
    ours = router.durations(pick.tolist(), pick.tolist())
    t2 = time.perf_counter()
    ref = dijkstra(g.csr(), directed=True, indices=pick)[:, pick]
    scipy_s = time.perf_counter() - t2
    nxg = nx.DiGraph()
    nxg.add_weighted_edges_from(
        zip(g.tail.tolist(), g.head.tolist(), g.time_s.tolist(), strict=True)
    )
    k = min(NX_SOURCES, len(pick))
    t3 = time.perf_counter()
    for s in pick[:k]:
        nx.single_source_dijkstra_path_length(nxg, int(s), weight="weight")
    networkx_s = (time.perf_counter() - t3) * len(pick) / k
    ours_s = t2 - t1
    return {
        "nodes": len(g.lon),
        "sites": len(pick),
        "ours_s": round(ours_s, 3),
        "ours_build_s": round(t1 - t0, 3),
        "networkx_s": round(networkx_s, 3),
        "networkx_extrapolated_from": k,
        "ratio": round(networkx_s / ours_s, 1),
        "scipy_s": round(scipy_s, 3),
        "max_abs_diff_s": float(np.max(np.abs(ours - ref))),
    }


def run(args: argparse.Namespace) -> int:
    """Print the figures, the JSON object last."""
    r = measure(args.sites, args.nodes, args.seed)
    print(f"graph: {r['nodes']} nodes (largest SCC of a seeded grid), {r['sites']} sites")
    print(f"ours (RoutingKit CCH): build {r['ours_build_s']} s, matrix {r['ours_s']} s")
    print(
        f"networkx per-source Dijkstra: {r['networkx_s']} s"
        f" (from {r['networkx_extrapolated_from']} sources)"
    )
    print(f"scipy csgraph Dijkstra (the exactness reference): {r['scipy_s']} s")
    print(json.dumps(r))
    return 0

"""Matrix benchmark: the planner's CCH router vs networkx and scipy, synthetic and real roads.

Synthetic: ``planner bench matrix`` figures (seeded grid, ~8 % streets removed).
Real: the OpenStreetMap network of Hai Bà Trưng/Hoàng Mai (Hà Nội) from
``../shared/geodata/roads/`` (© OpenStreetMap contributors, ODbL), motorbike
profile, sites sampled among its nodes: durations and the lengths of the same paths,
against scipy's Dijkstra under the same rule. Results go to ``out/matrix.json``.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import numpy as np

from geodata.cch import CCHRouter
from geodata.dijkstra import DijkstraRouter
from geodata.network import graph_from_xml
from geodata.routers import profile_arcs
from planner.commands.bench_matrix import measure

ROADS = Path(__file__).resolve().parents[1].parent / "shared" / "geodata" / "roads"
REAL = "hanoi_haibatrung_hoangmai_all.osm"


def real_network(sites: int, seed: int = 0) -> dict[str, Any] | None:
    """CCH vs scipy Dijkstra on a real OSM network (None when ../shared is absent).

    The build includes loading the compiled kernels, as in ``planner bench matrix``.
    """
    path = ROADS / REAL
    if not path.exists():
        print(f"matrix: {path} not found; real-network row skipped")
        return None
    net = graph_from_xml(path)
    pg = net.profile("motorbike")
    arcs = profile_arcs(net, "motorbike")
    pick = np.random.default_rng(seed).choice(len(pg.nodes), size=sites, replace=False)
    t0 = time.perf_counter()
    router = CCHRouter.build(arcs, net.node_lon[pg.nodes], net.node_lat[pg.nodes])
    router.matrix(pick[:1], pick[:1])
    t1 = time.perf_counter()
    ours = router.matrix(pick, pick)
    t2 = time.perf_counter()
    ref = DijkstraRouter(arcs).matrix(pick, pick)
    t3 = time.perf_counter()
    return {
        "network": REAL,
        "nodes": len(pg.nodes),
        "sites": sites,
        "ours_build_s": round(t1 - t0, 3),
        "ours_s": round(t2 - t1, 3),
        "scipy_s": round(t3 - t2, 3),
        "max_abs_diff_s": float(np.max(np.abs(ours.duration_s - ref.duration_s))),
        "max_abs_diff_m": float(np.max(np.abs(ours.length_m - ref.length_m))),
    }


def run(quick: bool, out: Path) -> bool:
    """Print the synthetic and real rows; write them as JSON under ``out``."""
    sites, nodes = (300, 30_000) if quick else (1000, 100_000)
    rows = [{"network": "synthetic grid", **measure(sites, nodes, seed=0)}]
    real = real_network(200 if quick else 1000)
    if real is not None:
        rows.append(real)
    for r in rows:
        print("matrix: " + ", ".join(f"{k}={v}" for k, v in r.items()))
    out.mkdir(parents=True, exist_ok=True)
    (out / "matrix.json").write_text(json.dumps(rows, indent=1), encoding="utf-8")
    return all(float(r["max_abs_diff_s"]) == 0 and float(r["max_abs_diff_m"]) == 0 for r in rows)

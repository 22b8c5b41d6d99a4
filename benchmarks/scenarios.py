"""Scenario sweep benchmark: the wall time of one sweep on 1 and on 2 Dask workers.

A small sweep on the sample province (``--quick``: 4 scenarios × 3 days × 2
seeds, 40 orders a day, straight-line travel, a 10-solution limit; ``--full``:
the example file ``scenarios/fleet_and_cutoff.toml`` over 5 days × 2 seeds).
Each measurement starts its own LocalCluster (its start-up counts: that is what
a manager waits for). Timings are printed and written to ``out/scenarios.json``,
never asserted. On a machine busy with other work the speed-up shows that load
as much as Dask.
"""

from __future__ import annotations

import json
import time
from dataclasses import replace
from pathlib import Path

from planner.scenarios import (
    ScenarioFile,
    SolverSettings,
    dask_client,
    read_scenarios,
    run_sweep,
)

EXAMPLE = Path(__file__).resolve().parents[1] / "scenarios" / "fleet_and_cutoff.toml"


def _quick(spec: ScenarioFile) -> ScenarioFile:
    small = SolverSettings(solution_limit=10, roads=False)
    return replace(spec, scenarios=tuple(
        replace(s, demand=replace(s.demand, orders=40), solver=small) for s in spec.scenarios))


def sweep_seconds(spec: ScenarioFile, *, workers: int, days: int, seeds: int) -> tuple[float, int]:
    """Wall seconds of the sweep on a new local cluster of ``workers``, and failed tasks."""
    t0 = time.perf_counter()
    with dask_client(workers=workers) as client:
        outcomes = run_sweep(spec, client, days=days, seeds=seeds)
    return time.perf_counter() - t0, sum(not o.ok for o in outcomes)


def run(*, quick: bool, out: Path) -> bool:
    """Time the sweep on 1 and 2 workers; True when no task failed."""
    spec = read_scenarios(EXAMPLE)
    days, seeds = (3, 2) if quick else (5, 2)
    if quick:
        spec = _quick(spec)
    print(f"scenarios: {len(spec.scenarios)} scenarios × {days} days × {seeds} seeds"
          f"{' (40 orders/day, straight lines)' if quick else ''}")
    rows = {}
    for workers in (1, 2):
        seconds, failed = sweep_seconds(spec, workers=workers, days=days, seeds=seeds)
        rows[workers] = {"seconds": round(seconds, 1), "failed": failed}
        print(f"  {workers} worker(s): {seconds:7.1f} s wall, {failed} failed task(s)")
    speedup = rows[1]["seconds"] / max(rows[2]["seconds"], 1e-9)
    print(f"  speed-up on 2 workers: {speedup:.2f}×")
    out.mkdir(parents=True, exist_ok=True)
    (out / "scenarios.json").write_text(json.dumps(
        {"scenarios": len(spec.scenarios), "days": days, "seeds": seeds, "workers": rows,
         "speedup": round(speedup, 2), "orders_per_day": spec.scenarios[0].demand.orders},
        indent=2) + "\n", encoding="utf-8")
    return all(r["failed"] == 0 for r in rows.values())

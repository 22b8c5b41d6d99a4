"""Split days against one model of the whole day, same budget.

Issue "one solve": at the same budget the split plan never serves fewer items
than one model of the whole day. Both run on this machine's two cores: the
split with its parts on a process pool, the one model with OR-Tools' two
strategies on it. Prints legs served and couriers used for each.

Issue 17, section 3: a generated 3,000-request province day (Thanh Hóa, seed 0,
``benchmarks/generate_province.py``) at 60 s on 2 cores: ours (``planner bench
vrp``, split by geography), one OR-Tools model of the whole day, and PyVRP, each
in its own process, every solution checked by ``../shared/tools/check_solution.py``;
the table shows requests served, couriers, distance, wall time and the peak memory
of the process and its workers together (PSS: a page shared by forked workers counts
once; the RSS sum beside it counts it in every process).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import psutil
from rich.console import Console
from rich.table import Table

from benchmarks.generate_province import generate
from benchmarks.vrp import CHECKER, PEERS, checked
from planner.formats.vrplib import read_instance, route_node_ids, solution_distance, to_problem
from planner.formats.vrplib import write_solution as write_sol
from planner.pipeline import DayInput, build_problem, prepare_day
from planner.plan import Action
from planner.sample_day import sample_day
from planner.solver import Budget, EngineRequest, SolveParams, get_engine, solve, split_servable
from planner.travel import default_cache_dir

DATE = dt.date(2026, 11, 30)
LIMITS = (10.0, 30.0)
#: The large day: a generated Thanh Hóa day (province code 38) of 3,000 requests at 60 s.
LARGE = ("38", 3000, 0)
LARGE_LIMIT_S = 60.0


def run(quick: bool, out: Path) -> bool:
    """Print both tables; False when our plan of the large day is missing or invalid."""
    sample_table(quick)
    return large_day_table(out)


def _measured(cmd: list[str], timeout: float) -> tuple[float, int, int]:
    """Run ``cmd``; its wall seconds and peak MiB of it and its descendants together.

    Returns ``(wall_s, peak_pss_mib, peak_rss_sum_mib)``. The PSS (proportional set
    size, Linux ``smaps``) counts a page shared by several processes once in all: it
    is the memory the group holds. The RSS sum counts it in every process that maps
    it: a worker forked from a parent holding the day's matrices shows them again in
    its own RSS (on the 3,000-request day, 4.0 GiB of RSS sum for 2.5 GiB of PSS).
    """
    t0 = time.monotonic()
    proc = psutil.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak_pss = peak_rss = 0
    while proc.poll() is None:
        if time.monotonic() - t0 > timeout:
            for p in proc.children(recursive=True):
                p.kill()
            proc.kill()
            break
        pss = rss = 0
        for p in [proc, *proc.children(recursive=True)]:
            with contextlib.suppress(psutil.Error):
                mem = p.memory_full_info()
                pss += mem.pss
                rss += mem.rss
        peak_pss, peak_rss = max(peak_pss, pss), max(peak_rss, rss)
        time.sleep(0.2)
    return time.monotonic() - t0, peak_pss // 2**20, peak_rss // 2**20


def one_model(instance: Path, sol: Path, limit: float) -> None:
    """OR-Tools on the whole day as one model (both strategies, 2 processes); writes ``sol``."""
    inst = read_instance(instance, "lilim")
    problem = to_problem(inst)
    params = SolveParams(seed=0, time_limit_s=limit, workers=2)
    with ProcessPoolExecutor(2) as pool:
        result = get_engine("ortools").run(EngineRequest(
            problem=problem, items=tuple(it.tracking_code for it in problem.items),
            params=params, budget=Budget(limit).share(0.95)), executor=pool)
    routes = [r for r in (route_node_ids(evs) for evs in result.routes.values()) if r]
    if routes:
        write_sol(sol, routes, solution_distance(inst, routes))


def large_day_table(out: Path) -> bool:
    """The generated 3,000-request day: ours, one model, PyVRP; True if ours serves all, valid."""
    if not CHECKER.exists():
        print(f"split: {CHECKER} not found; the large day is skipped")
        return True
    out.mkdir(parents=True, exist_ok=True)
    province, requests, seed = LARGE
    day = out / f"province{province}_{requests}.txt"
    day.write_text(generate(province, requests, seed), encoding="utf-8")
    limit = LARGE_LIMIT_S
    # A peer that builds its whole model first is given minutes to write its plan.
    timeouts = {"ours (split)": limit * 4 + 120, "one model (OR-Tools)": limit * 4 + 120,
                "PyVRP": limit * 10 + 600}
    runs = {
        "ours (split)": ([sys.executable, "-m", "planner.cli", "bench", "vrp", "--format",
                          "lilim", "--workers", "2", "--time-limit", str(limit), "--out",
                          str(out / "ours"), str(day)], out / "ours" / f"{day.stem}.sol"),
        "one model (OR-Tools)": ([sys.executable, "-m", "benchmarks.split", "one-model",
                                  str(day), str(out / "one.sol"), str(limit)], out / "one.sol"),
        "PyVRP": ([sys.executable, str(PEERS), "solve", "--solver", "pyvrp", "--instance",
                   str(day), "--out", str(out / "pyvrp.sol"), "--time-limit", str(limit)],
                  out / "pyvrp.sol"),
    }
    rows: list[dict[str, Any]] = []
    for name, (cmd, sol) in runs.items():
        sol.unlink(missing_ok=True)
        wall, peak, rss_sum = _measured(cmd, timeouts[name])
        rec: dict[str, Any] = {"how": name, "wall_s": round(wall, 1), "peak_mib": peak,
                               "peak_rss_sum_mib": rss_sum,
                               "valid": False, "served": 0, "couriers": None, "distance": None}
        if sol.exists():
            chk = checked(day, sol)
            served = sum(len(line.split(":", 1)[1].split())
                         for line in sol.read_text().splitlines() if line.startswith("Route"))
            rec.update({"valid": bool(chk["feasible"]), "served": served // 2,
                        "couriers": chk["vehicles"], "distance": chk["distance"]})
        rows.append(rec)
        print(f"  {day.stem} {rec}", flush=True)
    (out / "large_day.json").write_text(json.dumps(rows, indent=1), encoding="utf-8")
    t = Table(title=f"{day.stem}: {requests:,} requests (generated, seed {seed}) at {limit:g} s "
                    "on 2 cores", title_justify="left")
    for col in ("how", "valid", "served", "couriers", "distance", "wall s", "peak MiB (PSS)",
                "RSS sum MiB"):
        t.add_column(col, justify="left" if col == "how" else "right")
    for r in rows:
        t.add_row(r["how"], str(r["valid"]), f"{r['served']}/{requests}",
                  str(r["couriers"] or "—"),
                  "—" if r["distance"] is None else f"{r['distance']:.0f}",
                  f"{r['wall_s']:.1f}", str(r["peak_mib"]), str(r["peak_rss_sum_mib"]))
    Console().print(t)
    ours = rows[0]
    return bool(ours["valid"] and ours["served"] == requests)


def sample_table(quick: bool) -> None:
    """The sample day split by post office against one model of the province."""
    sample = sample_day(DATE, seed=0)
    day, work = prepare_day(DayInput(DATE, sample.sites, sample.couriers, sample.orders,
                                     backlog=sample.backlog, network=sample.province.network))
    problem = build_problem(day, work, cache_dir=default_cache_dir())
    t = Table(title=f"sample day {DATE}: split by post office against one model (ortools, "
                    "2 workers)", title_justify="left")
    for col in ("limit s", "how", "legs served", "of", "couriers", "wall s"):
        t.add_column(col, justify="right")
    for limit in LIMITS[:1] if quick else LIMITS:
        params = SolveParams(seed=0, time_limit_s=limit, workers=2)
        with ProcessPoolExecutor(2) as pool:
            t0 = time.monotonic()
            budget = Budget(limit)
            servable = split_servable(problem)
            whole = get_engine("ortools").run(EngineRequest(
                problem=problem, items=tuple(it.tracking_code for it in servable.items),
                params=params, budget=budget.share(0.95)), executor=pool)
            served = sum(1 for evs in whole.routes.values() for e in evs
                         if e.action is Action.DELIVERY)
            t.add_row(f"{limit:g}", "one model", str(served), str(len(problem.items)),
                      str(sum(1 for evs in whole.routes.values() if evs)),
                      f"{time.monotonic() - t0:.1f}")
            t0 = time.monotonic()
            plan = solve(problem, params, "ortools", executor=pool)
            t.add_row(f"{limit:g}", "split", str(len(plan.served)), str(len(problem.items)),
                      str(len(plan.routes)), f"{time.monotonic() - t0:.1f}")
    Console().print(t)


if __name__ == "__main__":
    if sys.argv[1:2] == ["one-model"]:
        one_model(Path(sys.argv[2]), Path(sys.argv[3]), float(sys.argv[4]))

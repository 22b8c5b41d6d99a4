"""``planner bench vrp``: solve Li & Lim / Solomon instances, write VRPLIB solutions and a summary.

Each instance is solved with the chosen engine; ``DIR/<stem>.sol`` holds the
routes, ``DIR/summary.json`` one object per instance. The table shows the gap
to the best-known results when a ``bks.csv`` sits beside the instances. Exit
code 1 when any instance got no valid solution.
"""

from __future__ import annotations

import argparse
import csv
import json
import time
from concurrent.futures import Executor
from pathlib import Path
from typing import Any

from planner.commands._args import parse_count, parse_seconds
from planner.commands._day import searches_on
from planner.exceptions import InputError, InputErrors
from planner.formats.vrplib import (
    Instance,
    read_instance,
    route_node_ids,
    solution_distance,
    to_problem,
    write_solution,
)
from planner.output.publish import make_folder
from planner.solver import SolveParams, check, solve


def register(sub: Any) -> None:
    """Add ``planner bench vrp``."""
    p: argparse.ArgumentParser = sub.add_parser("vrp", help="Li & Lim / Solomon benchmarks")
    p.add_argument("--format", choices=("lilim", "solomon"), required=True)
    p.add_argument("--engine", default="auto",
                   help="auto (default), ortools, pyvrp or vroom")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--time-limit", type=parse_seconds, required=True, help="seconds per instance")
    p.add_argument("--workers", type=parse_count, default=1,
                   help="parallel searches, one strategy each (2: both cores)")
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("instances", nargs="+", type=Path)
    p.set_defaults(func=run)


def _bks(path: Path) -> dict[str, tuple[int, float]]:
    f = path.parent / "bks.csv"
    if not f.is_file():
        return {}
    with f.open(encoding="utf-8") as fh:
        return {
            r["instance"]: (int(r["vehicles"]), float(r["distance"])) for r in csv.DictReader(fh)
        }


def read_all(paths: list[Path], fmt: str) -> list[Instance]:
    """Read and check every instance before any is solved.

    Raises
    ------
    InputErrors
        One error per malformed file, all of them at once.
    """
    instances, errors = [], []
    for path in paths:
        try:
            instances.append(read_instance(path, fmt))
        except InputError as err:
            errors.append(err)
    if errors:
        raise InputErrors(errors)
    return instances


def solve_instance(
    path: Path, inst: Instance, engine: str, params: SolveParams, out: Path, *,
    executor: Executor | None = None,
) -> dict[str, object]:
    """Solve one instance, write its .sol file and return its summary record."""
    problem = to_problem(inst)
    t0 = time.perf_counter()
    plan = solve(problem, params, engine=engine, executor=executor)
    solve_s = time.perf_counter() - t0
    routes = [route_node_ids(r.events) for r in plan.routes]
    routes = [r for r in routes if r]
    distance = solution_distance(inst, routes)
    violations = check(problem, {r.courier: r.events for r in plan.routes})
    feasible = not violations and not plan.unassigned and len(routes) <= inst.fleet
    write_solution(out / f"{path.stem}.sol", routes, distance)
    return {
        "instance": path.stem,
        "engine": engine,
        "seed": params.seed,
        "time_limit_s": params.time_limit_s,
        "feasible": feasible,
        "vehicles": len(routes),
        "distance": round(distance, 4),
        "solve_s": round(solve_s, 3),
        "winner": plan.stats.winner,
    }


def run(args: argparse.Namespace) -> int:
    """Check every instance, then solve each, write the files, print the table.

    Returns 1 if any instance got no valid solution. ``summary.json`` is
    rewritten after each instance, so an interrupted run keeps what it solved.
    """
    instances = read_all(args.instances, args.format)
    make_folder(args.out)
    params = SolveParams(seed=args.seed, time_limit_s=args.time_limit, workers=args.workers)
    records = []
    print(
        f"{'instance':<12} {'feas':>5} {'veh':>4} {'distance':>10} {'bks':>4} "
        f"{'bks dist':>10} {'gap %':>7} {'s':>6}"
    )
    with searches_on(params.workers) as executor:
        for path, inst in zip(args.instances, instances, strict=True):
            rec = solve_instance(path, inst, args.engine, params, args.out, executor=executor)
            records.append(rec)
            (args.out / "summary.json").write_text(json.dumps(records, indent=2),
                                                   encoding="utf-8")
            _print_row(path, rec)
    return 0 if all(r["feasible"] for r in records) else 1


def _print_row(path: Path, rec: dict[str, object]) -> None:
    bks = _bks(path).get(path.stem)
    gap = "" if bks is None else f"{100 * (float(rec['distance']) - bks[1]) / bks[1]:7.2f}"  # type: ignore[arg-type]
    bv, bd = ("", "") if bks is None else (str(bks[0]), f"{bks[1]:.2f}")
    print(
        f"{rec['instance']!s:<12} {rec['feasible']!s:>5} {rec['vehicles']!s:>4} "
        f"{rec['distance']!s:>10} {bv:>4} {bd:>10} {gap:>7} {rec['solve_s']!s:>6}",
        flush=True,
    )

"""VRP benchmark: ours against plain OR-Tools, PyVRP and VROOM on Li & Lim and Solomon, checked.

For each set a fixed subset (quick: the first instance of every class, at 10 s)
or every instance (full: at 30 s, resumable) is solved by our engine through
``planner bench vrp`` and by the peers of ``../shared/tools/peers.py`` (each
solve in its own process; VROOM has no time limit and shows its own time).
Every solution is validated by ``../shared/tools/check_solution.py``; the
distance shown is the checker's. Results are appended to
``out/results.jsonl`` and a run skips what that file already holds.

The instances come from ``../shared/benchmarks``, or from the folder named by
``BENCH_INSTANCES`` (``python -m benchmarks.run --instances DIR``): one
sub-folder per set (``lilim100``, ``solomon100``, ``lilim200``) with the
instances and a ``bks.csv`` (``instance,vehicles,distance``); a set missing
there is skipped. That is how instances held out of ``../shared`` are run.
"""

from __future__ import annotations

import csv
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
PEERS = SHARED / "tools" / "peers.py"
CHECKER = SHARED / "tools" / "check_solution.py"
SETS = {"lilim100": "lilim", "solomon100": "solomon", "lilim200": "lilim"}


def instance_root() -> Path:
    """The folder of the sets: ``$BENCH_INSTANCES``, else ``../shared/benchmarks``."""
    return Path(os.environ.get("BENCH_INSTANCES") or SHARED / "benchmarks")


def has_set(set_name: str) -> bool:
    """Whether the instance folder holds ``set_name`` with its best-known results (else says so)."""
    if (instance_root() / set_name / "bks.csv").is_file():
        return True
    print(f"vrp: no {set_name} (with bks.csv) in {instance_root()}; set skipped")
    return False

#: A class's instance names (the quick run takes the first of each class).
CLASSES = {"lilim100": [rf"{c}\d\d" for c in ("lc1", "lc2", "lr1", "lr2", "lrc1", "lrc2")],
           "solomon100": [rf"{c}\d\d" for c in ("c1", "c2", "r1", "r2", "rc1", "rc2")],
           "lilim200": [rf"{c}_2_\d+" for c in ("lc1", "lc2", "lr1", "lr2", "lrc1", "lrc2")]}
#: Seconds per instance: quick and full runs (the 200-task set takes longer).
LIMITS = {"lilim100": (10.0, 30.0), "solomon100": (10.0, 30.0), "lilim200": (30.0, 60.0)}
#: Ours: the portfolio and each of our adapters, through ``planner bench vrp --engine``;
#: then the peers of peers.py as they are.
OURS = {"auto": "auto", "ours-ortools": "ortools", "ours-pyvrp": "pyvrp",
        "ours-vroom": "vroom"}
PEERS_ = ("ortools", "pyvrp", "vroom")
ENGINES = (*OURS, *PEERS_)


def _natural(p: Path) -> list[object]:
    return [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", p.stem.lower())]


def instances(set_name: str, quick: bool) -> list[Path]:
    """The set's instances: all of them, or the first of each class (quick)."""
    files = sorted((instance_root() / set_name).glob("*.txt"), key=_natural)
    if not quick:
        return files
    out = []
    for pattern in CLASSES[set_name]:
        match = [f for f in files if re.fullmatch(pattern, f.stem.lower())]
        out += match[:1]
    return out


def bks(set_name: str) -> dict[str, tuple[int, float]]:
    """Best-known vehicles and distance per instance."""
    path = instance_root() / set_name / "bks.csv"
    with path.open(encoding="utf-8") as fh:
        return {r["instance"]: (int(r["vehicles"]), float(r["distance"]))
                for r in csv.DictReader(fh)}


def checked(instance: Path, solution: Path) -> dict[str, Any]:
    """The independent checker's verdict on a solution file."""
    run = subprocess.run([sys.executable, str(CHECKER), str(instance), str(solution)],
                         capture_output=True, text=True, check=False)
    return dict(json.loads(run.stdout))


def solve_ours(instance: Path, fmt: str, time_limit: float, work: Path,
               engine: str = "auto") -> dict[str, Any]:
    """Solve with ``planner bench vrp --engine`` in its own process and check the result."""
    out = work / f"ours-{engine}-{instance.stem}"
    # Both cores: the portfolio runs one engine line per core; OR-Tools alone runs its two
    # insertion strategies in parallel and keeps the better plan.
    cmd = [sys.executable, "-m", "planner.cli", "bench", "vrp", "--format", fmt,
           "--engine", engine, "--workers", "2", "--time-limit", str(time_limit),
           "--out", str(out), str(instance)]
    run = subprocess.run(cmd, capture_output=True, text=True, timeout=time_limit * 4 + 120,
                         check=False)
    summary = out / "summary.json"
    sol = out / f"{instance.stem}.sol"
    if not summary.exists() or not sol.exists():
        # Say why: a refused instance must not pass as a mere "infeasible".
        said = (run.stderr or run.stdout).strip().splitlines()
        return {"feasible": False, "vehicles": None, "distance": None, "solve_wall_s": None,
                "error": said[-1] if said else f"exit {run.returncode}, no output"}
    rec = json.loads(summary.read_text(encoding="utf-8"))[0]
    chk = checked(instance, sol)
    return {"feasible": bool(chk["feasible"]), "vehicles": chk["vehicles"],
            "distance": chk["distance"], "solve_wall_s": rec["solve_s"],
            "check_errors": chk.get("errors", [])[:3], "winner": rec.get("winner")}


def solve_peer(instance: Path, engine: str, time_limit: float, work: Path) -> dict[str, Any]:
    """Solve with a peer of peers.py in its own process and check the result."""
    sol = work / f"{engine}-{instance.stem}.sol"
    cmd = [sys.executable, str(PEERS), "solve", "--solver", engine, "--instance", str(instance),
           "--out", str(sol), "--time-limit", str(time_limit)]
    run = subprocess.run(cmd, capture_output=True, text=True, timeout=time_limit * 4 + 600,
                         check=False)
    try:
        info = json.loads(run.stdout.strip().splitlines()[-1])
    except (IndexError, json.JSONDecodeError):
        info = {"solved": False}
    if not info.get("solved") or not sol.exists():
        return {"feasible": False, "vehicles": None, "distance": None,
                "solve_wall_s": info.get("solve_wall_s")}
    chk = checked(instance, sol)
    return {"feasible": bool(chk["feasible"]), "vehicles": chk["vehicles"],
            "distance": chk["distance"], "solve_wall_s": info.get("solve_wall_s")}


def _done(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def run_set(set_name: str, quick: bool, time_limit: float, results: Path,
            engines: Iterable[str] = ENGINES) -> list[dict[str, Any]]:
    """Solve the set's instances with every engine not yet in ``results``; return all rows."""
    fmt = SETS[set_name]
    best = bks(set_name)
    # Rows of another instance folder (a held-out run into the same file) are not these.
    root = str(instance_root())
    mine = [r for r in _done(results) if r.get("instances", root) == root]
    have = {(r["set"], r["instance"], r["engine"], r["time_limit_s"]) for r in mine}
    with tempfile.TemporaryDirectory() as tmp:
        for inst in instances(set_name, quick):
            for engine in engines:
                limit = None if engine == "vroom" else time_limit
                if (set_name, inst.stem, engine, limit) in have:
                    continue
                rec = (solve_ours(inst, fmt, time_limit, Path(tmp), OURS[engine])
                       if engine in OURS else solve_peer(inst, engine, time_limit, Path(tmp)))
                bv, bd = best.get(inst.stem, (None, None))
                rec.update({"set": set_name, "instance": inst.stem, "engine": engine,
                            "time_limit_s": limit, "bks_vehicles": bv, "bks_distance": bd,
                            "instances": root})
                with results.open("a", encoding="utf-8") as fh:
                    fh.write(json.dumps(rec) + "\n")
                print(f"  {set_name} {inst.stem:<8} {engine:<8} feasible={rec['feasible']} "
                      f"vehicles={rec['vehicles']} distance={rec['distance']}"
                      + (f" error: {rec['error']}" if rec.get("error") else ""), flush=True)
    names = {i.stem for i in instances(set_name, quick)}
    return [r for r in _done(results) if r["set"] == set_name and r["instance"] in names
            and r["time_limit_s"] in (time_limit, None) and r.get("instances", root) == root]


def summary(rows: list[dict[str, Any]], engine: str) -> dict[str, Any]:
    """Aggregates of one engine: at-BKS count, vehicles over BKS, gaps, median seconds."""
    mine = [r for r in rows if r["engine"] == engine]
    ok = [r for r in mine if r["feasible"]]
    at = [r for r in ok if r["vehicles"] == r["bks_vehicles"]]

    def gap(r: dict[str, Any]) -> float:
        return float(100 * (r["distance"] - r["bks_distance"]) / r["bks_distance"])

    secs = [r["solve_wall_s"] for r in ok if r.get("solve_wall_s") is not None]
    return {
        "engine": engine, "instances": len(mine), "feasible": len(ok), "at_bks": len(at),
        "veh_over_bks": statistics.mean(r["vehicles"] - r["bks_vehicles"] for r in ok)
        if ok else None,
        "gap_all_pct": statistics.mean(gap(r) for r in ok) if ok else None,
        "gap_at_bks_pct": statistics.mean(gap(r) for r in at) if at else None,
        "median_s": statistics.median(secs) if secs else None,
    }


def table(set_name: str, time_limit: float, rows: list[dict[str, Any]]) -> Table:
    """One rich table of a set: an engine per row."""
    t = Table(title=f"{set_name}: {time_limit:g} s per instance (VROOM: its own time)",
              title_justify="left")
    for col in ("engine", "feasible", "at BKS veh.", "veh. over BKS", "gap % (all)",
                "gap % (at BKS veh.)", "median s"):
        t.add_column(col, justify="left" if col == "engine" else "right")

    def f(x: float | None, d: int = 2) -> str:
        return "—" if x is None else f"{x:.{d}f}"

    for engine in ENGINES:
        s = summary(rows, engine)
        if engine == PEERS_[0]:  # a line between ours and the peers
            t.add_section()
        if not s["instances"]:
            continue
        t.add_row(engine, f"{s['feasible']}/{s['instances']}", f"{s['at_bks']}/{s['instances']}",
                  f(s["veh_over_bks"]), f(s["gap_all_pct"]), f(s["gap_at_bks_pct"]),
                  f(s["median_s"], 1))
    return t


def run(quick: bool, out: Path) -> bool:
    """Run both sets; False when any solution is infeasible (ours or a peer's)."""
    if not CHECKER.exists():
        print(f"vrp: {SHARED} not found; section skipped")
        return True
    out.mkdir(parents=True, exist_ok=True)
    # The quick run measures the code as it is now, every engine in one run; only the
    # hours-long full run resumes from earlier results.
    results = out / ("results-quick.jsonl" if quick else "results.jsonl")
    if quick:
        results.unlink(missing_ok=True)
    console = Console()
    ok = True
    for set_name in SETS:
        if not has_set(set_name):
            continue
        time_limit = LIMITS[set_name][0 if quick else 1]
        rows = run_set(set_name, quick, time_limit, results)
        console.print(table(set_name, time_limit, rows))
        ok = ok and all(r["feasible"] for r in rows if r["engine"] in OURS)
    return ok


def run_portfolio(out: Path, time_limit: float = 10.0) -> bool:
    """Every instance of the 100-task sets at ``time_limit``: ``auto`` beside PyVRP alone.

    The issue's target: at least as many best-known vehicle counts as PyVRP in
    the same run, with a distance gap at those counts within 0.2 points.
    """
    out.mkdir(parents=True, exist_ok=True)
    results = out / "results-portfolio.jsonl"
    console = Console()
    ok = True
    for set_name in ("lilim100", "solomon100"):
        if not has_set(set_name):
            continue
        rows = run_set(set_name, False, time_limit, results, engines=("auto", "pyvrp"))
        console.print(table(set_name, time_limit, rows))
        ok = ok and all(r["feasible"] for r in rows if r["engine"] in OURS)
    return ok

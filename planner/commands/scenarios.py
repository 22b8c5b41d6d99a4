"""``planner scenarios run``: compare scenarios over simulated working days, on Dask.

Every scenario of the file is simulated for ``--days`` working days on the
sample province, once per seed (``--seeds``), each scenario × seed one task on
a Dask cluster: a new local cluster of ``--workers`` processes, or the one at
``--scheduler``. The comparison is printed and written into ``--out``:
``comparison.csv`` (one row per scenario), ``days.csv`` (every day),
``run.json`` (what was run), four PNG charts and ``charts.html``
(docs/scenarios.md). A task that fails is reported
for its scenario and seed; the exit code is then 1.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from rich.console import Console

from planner.exceptions import InputError
from planner.scenarios import TaskOutcome, dask_client, read_scenarios, run_sweep
from planner.scenarios.charts import write_charts
from planner.scenarios.report import (
    COMPARISON_CSV,
    DAYS_CSV,
    RUN_JSON,
    print_table,
    summarise,
    write_csv,
    write_days_csv,
    write_run_json,
)


def register(sub: Any) -> None:
    """Add ``planner scenarios run``."""
    p: argparse.ArgumentParser = sub.add_parser(
        "scenarios", help="compare fleets and service-time policies over simulated days",
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    verbs = p.add_subparsers(dest="verb", required=True)
    r: argparse.ArgumentParser = verbs.add_parser(
        "run", help="simulate every scenario of a file and compare them", description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    r.add_argument("file", type=Path, help="scenario file (TOML, docs/scenarios.md)")
    r.add_argument("--days", type=int, required=True, help="working days to simulate")
    r.add_argument("--seeds", type=int, default=1, help="demand seeds per scenario (default 1)")
    r.add_argument("--scheduler", default=None, metavar="ADDRESS",
                   help="an existing Dask scheduler (default: a local cluster of processes)")
    r.add_argument("--workers", type=int, default=2,
                   help="worker processes of the local cluster (default 2)")
    r.add_argument("--out", type=Path, required=True,
                   help="output directory (created; files of the same names are replaced)")
    r.set_defaults(func=run)


def _check_counts(args: argparse.Namespace) -> None:
    for flag in ("days", "seeds", "workers"):
        if getattr(args, flag) < 1:
            raise InputError("must be at least 1", field=f"--{flag}")


def run(args: argparse.Namespace) -> int:
    """Read the file, run the sweep, print and write the comparison."""
    _check_counts(args)
    spec = read_scenarios(args.file)
    console = Console()
    args.out.mkdir(parents=True, exist_ok=True)
    where = args.scheduler or f"a local cluster of {args.workers} processes"
    console.print(f"{len(spec.scenarios)} scenario(s) × {args.seeds} seed(s) × {args.days} "
                  f"working day(s) from {spec.start.isoformat()} on {where}")

    def heard(o: TaskOutcome) -> None:
        if o.simulation is not None:
            console.print(f"  done   {o.scenario} (seed {o.seed}) in {o.simulation.wall_s:.1f} s")
        else:
            console.print(f"  [red]failed[/red] {o.scenario} (seed {o.seed}): {o.error}")

    try:
        with dask_client(args.scheduler, args.workers) as client:
            outcomes = run_sweep(spec, client, days=args.days, seeds=args.seeds,
                                 progress=heard)
    except KeyboardInterrupt:  # Ctrl-C: the cluster is closed on the way out; nothing written
        console.print("interrupted: nothing written")
        return 130
    summaries = summarise(outcomes, [s.name for s in spec.scenarios])
    print_table(summaries, console, days=args.days, seeds=args.seeds)
    files = [write_csv(summaries, args.out / COMPARISON_CSV),
             write_days_csv(outcomes, args.out / DAYS_CSV),
             write_run_json(spec, args.out / RUN_JSON, days=args.days, seeds=args.seeds,
                            failed=sum(not o.ok for o in outcomes))]
    if any(s.failed < s.runs for s in summaries):
        files += write_charts(summaries, outcomes, args.out)
    for f in files:
        console.print(f"  {f}")
    return 0 if all(o.ok for o in outcomes) else 1

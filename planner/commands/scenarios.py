"""``planner scenarios run``: compare scenarios over simulated working days, on Dask.

Every scenario of the file is simulated for ``--days`` working days on the
sample province, once per seed (``--seeds``), each scenario × seed one task on
a Dask cluster: a new local cluster of ``--workers`` processes, or the one at
``--scheduler``. The comparison is printed and written into ``--out``:
``comparison.csv`` (one row per scenario), ``days.csv`` (every day),
``run.json`` (what was run), four PNG charts and ``charts.html``
(docs/scenarios.md). A task that fails is reported
for its scenario and seed; the exit code is then 1.

``planner scenarios national`` runs one scenario (the defaults, or the first
or ``--name``d of ``--scenario FILE``) on every 2025 province
(``--provinces all``, or codes such as ``12,79``), one task per province and
seed, and prints and writes a row per province and the national total
(``national.csv``, ``comparison.csv``, ``days.csv``, ``run.json``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from rich.console import Console

from geodata import sample_province
from planner.commands._args import parse_count, parse_date, parse_seconds, province_codes
from planner.exceptions import InputError
from planner.output.i18n import LANGS, Lang, check_lang, fmt_date, fmt_number, text
from planner.output.publish import make_folder
from planner.scenarios import Scenario, TaskOutcome, dask_client, read_scenarios, run_sweep
from planner.scenarios.charts import write_charts
from planner.scenarios.national import (
    NATIONAL_CSV,
    print_national,
    run_national,
    write_national_csv,
)
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

#: ``planner scenarios run --help``.
RUN_DESCRIPTION = """\
Compare the scenarios of a file over simulated working days, on Dask.

Every scenario of FILE is simulated for --days working days on the sample
province, once per seed (--seeds), each scenario × seed one task on a Dask
cluster: a new local cluster of --workers processes, or the one at
--scheduler. The comparison is printed and written into --out:
comparison.csv (one row per scenario), days.csv (every day), run.json (what
was run), four PNG charts and charts.html (docs/scenarios.md). The progress
lines, the table and the CSVs' headers are in --lang (Vietnamese by default;
English headers are the column keys). A task that fails is reported for its
scenario and seed; the exit code is then 1.
"""

#: ``planner scenarios national --help``.
NATIONAL_DESCRIPTION = """\
Simulate one scenario on every 2025 province, one Dask task per province.

One scenario (the defaults, or the first or --name'd of --scenario FILE) runs
for --days working days on every province of --provinces: all 34 provinces
of 2025 (all, the default) or codes such as 12,79 (4 is 04). Each province is
its real 2025 communes (or those of --geodata FILE) with generated offices and
roads, the orders and vans scaled to it. Every option and the communes file
are checked before the cluster starts. Printed and written into --out: a row
per province and the national total (national.csv, headed in --lang),
comparison.csv, days.csv (headed in --lang too), run.json (docs/scenarios.md, "A national run"). A
province whose task fails is reported; the exit code is then 1.
"""


def register(sub: Any) -> None:
    """Add ``planner scenarios run`` and ``planner scenarios national``."""
    p: argparse.ArgumentParser = sub.add_parser(
        "scenarios", help="compare fleets and service-time policies over simulated days",
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    verbs = p.add_subparsers(dest="verb", required=True)
    r: argparse.ArgumentParser = verbs.add_parser(
        "run", help="simulate every scenario of a file and compare them",
        description=RUN_DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter)
    r.add_argument("file", type=Path, help="scenario file (TOML, docs/scenarios.md)")
    r.add_argument("--days", type=parse_count, required=True, help="working days to simulate")
    r.add_argument("--seeds", type=parse_count, default=1,
                   help="demand seeds per scenario (default 1)")
    r.add_argument("--lang", choices=LANGS, default="vi",
                   help="language of the progress lines, the table and the CSVs' headers "
                        "(default vi; the English headers are the column keys)")
    _cluster_and_out(r)
    r.set_defaults(func=run)
    n: argparse.ArgumentParser = verbs.add_parser(
        "national", help="simulate one scenario on every province, one task per province",
        description=NATIONAL_DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter)
    n.add_argument("--provinces", default="all", metavar="all|CODE,CODE",
                   help="2025 province codes, comma-separated (default all 34)")
    n.add_argument("--days", type=parse_count, required=True, help="working days to simulate")
    n.add_argument("--seeds", type=parse_count, default=1,
                   help="demand seeds per province (default 1)")
    n.add_argument("--start", type=parse_date, default=dt.date(2026, 11, 23),
                   help="first day, YYYY-MM-DD (default 2026-11-23; moved to a working day)")
    n.add_argument("--scenario", type=Path, default=None, metavar="FILE",
                   help="take the settings of a scenario of this file (default: the defaults)")
    n.add_argument("--name", default=None, help="which scenario of --scenario (default the first)")
    n.add_argument("--orders", type=parse_count, default=None,
                   help="orders per day on the sample province, scaled to each province "
                        "(default the scenario's demand.orders, 300)")
    lim = n.add_mutually_exclusive_group()
    lim.add_argument("--solution-limit", type=parse_count, default=None, metavar="K",
                     help="solutions per search (reproducible)")
    lim.add_argument("--time-limit", type=parse_seconds, default=None, metavar="S",
                     help="seconds per day instead")
    n.add_argument("--straight-lines", action="store_true",
                   help="haversine × detour travel instead of the generated roads (faster)")
    n.add_argument("--geodata", type=Path, default=None, metavar="FILE",
                   help="communes CSV (province_code, province, commune_code, commune, type, "
                        "lon, lat) instead of the package's 2025 communes")
    n.add_argument("--lang", choices=LANGS, default="vi",
                   help="language of the table and of the CSVs' headers (default vi)")
    _cluster_and_out(n)
    n.set_defaults(func=national)


def _cluster_and_out(p: argparse.ArgumentParser) -> None:
    """The options every Dask-run command shares: where it runs and where it writes."""
    p.add_argument("--scheduler", default=None, metavar="ADDRESS",
                   help="an existing Dask scheduler (default: a local cluster of processes)")
    p.add_argument("--workers", type=parse_count, default=2,
                   help="worker processes of the local cluster (default 2)")
    p.add_argument("--out", type=Path, required=True,
                   help="output directory (created; files of the same names are replaced)")


def _base(args: argparse.Namespace) -> Scenario:
    """The scenario every province runs: the file's (``--name`` or first) or the defaults."""
    if args.scenario is None:
        base = Scenario(name="national")
    else:
        spec = read_scenarios(args.scenario)
        try:
            base = spec.scenario(args.name) if args.name else spec.scenarios[0]
        except StopIteration:
            raise InputError("no scenario of that name", source=str(args.scenario),
                             row=args.name, field="--name") from None
        if base.network.depots or base.network.hubs:
            raise InputError("names post offices of one province (network.depots/hubs): "
                             "a national run uses every province's own", source=str(args.scenario),
                             row=base.name, field="network")
    solver = base.solver
    if args.solution_limit is not None:
        solver = replace(solver, solution_limit=args.solution_limit, time_limit_s=None)
    if args.time_limit is not None:
        solver = replace(solver, solution_limit=None, time_limit_s=args.time_limit)
    if args.straight_lines:
        solver = replace(solver, roads=False)
    demand = base.demand if args.orders is None else replace(base.demand, orders=args.orders)
    return replace(base, solver=solver, demand=demand)


def national(args: argparse.Namespace) -> int:
    """Run one scenario on every province named, print and write the national table."""
    lang = check_lang(args.lang)
    codes = province_codes(args.provinces, args.geodata)
    for code in codes:  # a bad province of --geodata fails here, not after the cluster starts
        sample_province(code, args.geodata)  # (cached: run_national reuses it)
    base = _base(args)
    make_folder(args.out)
    console = Console()
    where = args.scheduler or text("national.local", lang, workers=args.workers)
    console.print(text("national.intro", lang, n=len(codes), seeds=args.seeds, days=args.days,
                       start=fmt_date(args.start, lang), where=where))

    heard = _reporter(console, lang)
    t0 = time.monotonic()
    try:
        with dask_client(args.scheduler, args.workers) as client:
            result = run_national(codes, base, client, days=args.days, seeds=args.seeds,
                                  start=args.start, communes_csv=args.geodata, progress=heard)
    except KeyboardInterrupt:  # Ctrl-C: the cluster is closed on the way out; nothing written
        console.print(text("scenarios.interrupted", lang))
        return 130
    wall = time.monotonic() - t0
    print_national(result, console, days=args.days, seeds=args.seeds, lang=lang)
    summaries = [p.summary for p in result.provinces]
    failed = sum(not o.ok for o in result.outcomes)
    files = [write_national_csv(result, args.out / NATIONAL_CSV, lang=lang),
             write_csv(summaries, args.out / COMPARISON_CSV, lang=lang),
             write_days_csv(result.outcomes, args.out / DAYS_CSV, lang=lang),
             write_run_json(result.spec, args.out / RUN_JSON, days=args.days, seeds=args.seeds,
                            failed=failed)]
    console.print(_wall_line(wall, lang))
    for f in files:
        console.print(f"  {f}")
    return 0 if failed == 0 else 1


def _wall_line(seconds: float, lang: Lang) -> str:
    """The national run's wall time in whole seconds, in ``lang``'s marks (``1.234 giây``)."""
    return text("national.wall", lang, s=fmt_number(seconds, 0, lang))


def _reporter(console: Console, lang: Lang = "en") -> Callable[[TaskOutcome], None]:
    """A progress callback printing each finished or failed task on ``console``, in ``lang``."""
    def heard(o: TaskOutcome) -> None:
        if o.simulation is not None:
            console.print(text("scenarios.task_done", lang, name=o.scenario, seed=o.seed,
                               s=fmt_number(o.simulation.wall_s, 1, lang)))
        else:
            console.print(text("scenarios.task_failed", lang, name=o.scenario, seed=o.seed,
                               error=o.error))

    return heard


def run(args: argparse.Namespace) -> int:
    """Read the file, run the sweep, print and write the comparison (in ``--lang``)."""
    lang = check_lang(args.lang)
    spec = read_scenarios(args.file)
    make_folder(args.out)
    console = Console()
    where = args.scheduler or text("national.local", lang, workers=args.workers)
    console.print(text("scenarios.intro", lang, n=len(spec.scenarios), seeds=args.seeds,
                       days=args.days, start=fmt_date(spec.start, lang), where=where))

    heard = _reporter(console, lang)
    try:
        with dask_client(args.scheduler, args.workers) as client:
            outcomes = run_sweep(spec, client, days=args.days, seeds=args.seeds,
                                 progress=heard)
    except KeyboardInterrupt:  # Ctrl-C: the cluster is closed on the way out; nothing written
        console.print(text("scenarios.interrupted", lang))
        return 130
    summaries = summarise(outcomes, [s.name for s in spec.scenarios])
    print_table(summaries, console, days=args.days, seeds=args.seeds, lang=lang)
    files = [write_csv(summaries, args.out / COMPARISON_CSV, lang=lang),
             write_days_csv(outcomes, args.out / DAYS_CSV, lang=lang),
             write_run_json(spec, args.out / RUN_JSON, days=args.days, seeds=args.seeds,
                            failed=sum(not o.ok for o in outcomes))]
    if any(s.failed < s.runs for s in summaries):
        files += write_charts(summaries, outcomes, args.out, lang)
    for f in files:
        console.print(f"  {f}")
    return 0 if all(o.ok for o in outcomes) else 1

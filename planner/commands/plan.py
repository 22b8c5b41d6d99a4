"""``planner plan``: plan a real day from the dispatcher's orders, sites and fleet files.

Files may be CSV (UTF-8 or UTF-16 with a BOM, UTF-8, or Windows-1258), Excel
(.xlsx) or JSON, with Vietnamese or English column names (docs/inputs.md).
Every problem in every file (and in ``--out``) is reported at once with file,
row and field, before any solving, and nothing is written. ``--backlog`` takes
in what an earlier day left (its ``backlog.json``); ``--outcomes`` what
happened to that day's legs (failed deliveries are tried again after the
invitation, then returned to the agency: TT 17 art. 5(2)(h)).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from rich.console import Console

from planner.commands._day import (
    add_run_arguments,
    calendar_of,
    report,
    run_day,
    solve_params,
    today_in_vietnam,
    why_not_working,
)
from planner.commands._read import read_day_files
from planner.exceptions import InputError
from planner.output.i18n import check_lang, text
from planner.output.publish import out_path, recover
from planner.pipeline import DayInput, with_outcomes
from planner.travel import read_roads


def register(sub: Any) -> None:
    """Add ``planner plan``."""
    p: argparse.ArgumentParser = sub.add_parser(
        "plan", help="plan a day from orders, sites and fleet files",
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--orders", type=Path, required=True, help="orders file (.csv, .xlsx, .json)")
    p.add_argument("--sites", type=Path, required=True, help="sites file (.csv, .xlsx, .json)")
    p.add_argument("--fleet", type=Path, required=True, help="couriers file (.csv, .xlsx, .json)")
    p.add_argument("--roads", type=Path, default=None,
                   help="OpenStreetMap extract (.osm.pbf, .osm); without: straight-line travel")
    p.add_argument("--backlog", type=Path, default=None, help="backlog.json of an earlier day")
    p.add_argument("--outcomes", type=Path, default=None,
                   help="what happened on the backlog's day (.csv, .xlsx, .json): collected, "
                        "handed over, delivered, failed and why; needs --backlog")
    p.add_argument("--service-times", type=Path, default=None,
                   help="service-time rules (JSON); default: docs/journeys.md values")
    p.add_argument("--province", default="", help="province name shown on the outputs")
    p.add_argument("--out", type=Path, required=True,
                   help="output folder: new, empty, or an earlier plan's (replaced)")
    add_run_arguments(p, default_time_limit=60.0)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Read and check the files, plan the day, write the outputs, print the summary."""
    lang = check_lang(args.lang)
    console = Console()
    calendar = calendar_of(args)
    day = args.date or today_in_vietnam()
    if not calendar.is_working_day(day):
        raise InputError(
            f"{day.isoformat()} is not a working day ({why_not_working(calendar, day, lang)}); "
            "choose another --date (or --saturday where the shops open on Saturdays)",
            field="--date",
        )
    params = solve_params(args)
    args.out = out_path(args.out)
    recover(args.out)
    files = read_day_files(args, day, console)
    network = read_roads(args.roads) if args.roads is not None else None
    day_input = DayInput(
        date=day,
        sites=files.sites,
        couriers=files.couriers,
        orders=files.orders,
        backlog=files.backlog,
        network=network,
        province=args.province,
        calendar=calendar,
        service_times=files.service_times,
    )
    if args.outcomes is not None:
        taken = with_outcomes(day_input, files.outcomes, source=Path(args.outcomes).name)
        day_input = taken.day
        a = taken.applied
        console.print(text("run.outcomes_in", lang, n=a.failures, reattempts=len(a.reattempts),
                           returns=len(a.returns), undone=len(a.undone)))
    outcome = run_day(day_input, args, params, lang, console)
    report(outcome, lang, console,
           backlog_in=len(files.backlog.entries) if files.backlog else 0)
    return 0

"""``planner demo``: plan a generated working day on the embedded sample province.

No files to prepare: the sample province (Lạng Sơn's real communes, its
offices, a generated road network) comes with ``geodata``; the day's orders
and fleet are generated with the seed. A date that is not a working day moves
to the next one. ``--service-times`` takes the same rules as ``planner plan``;
``--export-inputs DIR`` also writes the generated day as the dispatcher's input
files (orders, sites, fleet CSV and the morning's backlog.json, docs/inputs.md),
to edit and plan again with ``planner plan``. ``--province CODE`` plans a day
of another 2025 province instead (its real communes, generated offices, roads
and a day scaled to it); ``--geodata FILE`` takes the communes from a CSV.
"""

from __future__ import annotations

import argparse
from dataclasses import replace
from pathlib import Path
from typing import Any

from rich.console import Console

from geodata import sample_province
from geodata.sample import SAMPLE_CODE
from planner.commands._args import parse_count, province_code
from planner.commands._day import (
    add_run_arguments,
    calendar_of,
    report,
    run_day,
    solve_params,
    today_in_vietnam,
    why_not_working,
)
from planner.day_files import write_day_inputs
from planner.output.i18n import check_lang, text
from planner.output.publish import check_out_dir, out_path, recover, refuse_a_file
from planner.pipeline import DayInput, rules_with
from planner.sample_day import SampleVolumes, province_volumes, sample_day
from planner.service_times import RulesFile, ServiceTimes, read_rules


def register(sub: Any) -> None:
    """Add ``planner demo``."""
    p: argparse.ArgumentParser = sub.add_parser(
        "demo", help="plan a generated day on the sample province (Lạng Sơn)",
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--out", type=Path, default=Path("out/demo"),
                   help="output directory, replaced as a whole (default out/demo)")
    p.add_argument("--orders", type=parse_count, default=None,
                   help=f"orders to generate (default {SampleVolumes().orders} on the sample, "
                        "scaled to another province)")
    p.add_argument("--province", default=SAMPLE_CODE, metavar="CODE",
                   help=f"2025 province code such as 46 (4 is 04; default {SAMPLE_CODE}, "
                        "the sample: Lạng Sơn)")
    p.add_argument("--geodata", type=Path, default=None, metavar="FILE",
                   help="communes CSV (province_code, province, commune_code, commune, type, "
                        "lon, lat) instead of the package's 2025 communes")
    p.add_argument("--service-times", type=Path, default=None,
                   help="service-time rules (JSON); default: docs/journeys.md values")
    p.add_argument("--export-inputs", type=Path, default=None, metavar="DIR",
                   help="also write the generated day as orders, sites and fleet CSV and "
                        "backlog.json into DIR (for planner plan)")
    add_run_arguments(p, default_time_limit=30.0)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Generate the sample day, plan it, write the outputs, print the summary."""
    lang = check_lang(args.lang)
    args.province = province_code(args.province, args.geodata)
    if args.export_inputs is not None:
        refuse_a_file(args.export_inputs, "--export-inputs")
    console = Console()
    calendar = calendar_of(args)
    requested = args.date or today_in_vietnam()
    day = calendar.next_working_day(requested)
    if day != requested:
        console.print(text("run.date_moved", lang, requested=requested.isoformat(),
                           why=why_not_working(calendar, requested, lang), date=day.isoformat()))
    volumes = province_volumes(sample_province(args.province, args.geodata))
    if args.orders is not None:
        volumes = replace(volumes, orders=args.orders)
    params = solve_params(args)
    args.out = out_path(args.out)
    recover(args.out)
    check_out_dir(args.out)
    rules = (read_rules(args.service_times) if args.service_times is not None
             else RulesFile(ServiceTimes()))
    service_times = rules.service_times
    sample = sample_day(day, seed=args.seed, volumes=volumes, calendar=calendar,
                        service_times=service_times, province=args.province,
                        communes_csv=args.geodata)
    if args.export_inputs is not None:
        paths = write_day_inputs(args.export_inputs, sites=sample.sites,
                                 couriers=sample.couriers, orders=sample.orders,
                                 backlog=sample.backlog)
        console.print(text("run.exported", lang, path=str(args.export_inputs),
                           files=", ".join(p.name for p in paths.values())))
    province = sample.province
    day_input = DayInput(
        date=day,
        sites=sample.sites,
        couriers=sample.couriers,
        orders=sample.orders,
        backlog=sample.backlog,
        network=province.network,
        province=province.name,
        territories=province.communes,
        generated_roads=True,
        calendar=calendar,
        service_times=service_times,
        rules=rules_with(rules.incompatible_classes),
    )
    outcome = run_day(day_input, args, params, lang, console)
    report(outcome, lang, console, backlog_in=len(sample.backlog.entries))
    return 0

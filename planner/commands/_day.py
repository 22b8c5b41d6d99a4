"""Arguments and reporting shared by ``planner demo`` and ``planner plan``."""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, ProcessPoolExecutor
from contextlib import contextmanager
from pathlib import Path

from rich.console import Console

from planner.calendar import WorkingCalendar, read_calendar
from planner.commands._args import parse_count, parse_date, parse_seconds
from planner.exceptions import InputError
from planner.output import print_summary
from planner.output.i18n import LANGS, Lang, text
from planner.pipeline import DayInput, DayOutcome, plan_day, publish
from planner.progress import ProgressBar
from planner.solver import SolveParams, engine_names
from planner.travel import default_cache_dir

#: Vietnam keeps one offset all year (no daylight saving time).
VIETNAM_TZ = dt.timezone(dt.timedelta(hours=7), "ICT")


def today_in_vietnam() -> dt.date:
    """Today's date in Vietnam, whatever the machine's own time zone."""
    return dt.datetime.now(VIETNAM_TZ).date()


def add_run_arguments(p: argparse.ArgumentParser, *, default_time_limit: float) -> None:
    """Options every planning command shares: date, limits, seed, engine, language."""
    p.add_argument("--date", type=parse_date, default=None,
                   help="planning day YYYY-MM-DD (default: today in Vietnam)")
    p.add_argument("--seed", type=int, default=0, help="solver seed (default 0)")
    lim = p.add_mutually_exclusive_group()
    lim.add_argument("--time-limit", type=parse_seconds, default=None, metavar="S",
                     help=f"solver wall-clock seconds (default {default_time_limit:g})")
    lim.add_argument("--solution-limit", type=parse_count, default=None, metavar="K",
                     help="stop after K improving solutions: reproducible plans")
    p.add_argument("--workers", type=parse_count, default=2,
                   help="post offices solved in parallel (default 2, this machine's cores)")
    p.add_argument("--engine", default="auto",
                   help="routing engine: auto (the best of every engine that models the day; "
                        "default), ortools, pyvrp or vroom")
    p.add_argument("--lang", choices=LANGS, default="vi", help="language of the outputs")
    p.add_argument("--saturday", action="store_true",
                   help="the province's one-stop shops open on Saturday mornings")
    p.add_argument("--calendar", type=Path, default=None, metavar="FILE",
                   help="the province's days off, make-up working days and agencies' "
                        "Saturdays (TOML or CSV, docs/calendar.md)")
    p.add_argument("--no-maps", action="store_true", help="skip the HTML maps")
    p.add_argument("--no-cache", action="store_true", help="do not cache road matrices")
    p.set_defaults(default_time_limit=default_time_limit)


def solve_params(args: argparse.Namespace) -> SolveParams:
    """Seed and limits from the arguments (a solution limit alone makes the run reproducible)."""
    if args.engine not in engine_names():
        known = ", ".join(engine_names())
        raise InputError(f"unknown engine '{args.engine}' (known: {known})", field="--engine")
    if args.solution_limit is not None:
        return SolveParams(seed=args.seed, time_limit_s=None,
                           solution_limit=args.solution_limit, workers=args.workers)
    limit = args.time_limit if args.time_limit is not None else args.default_time_limit
    return SolveParams(seed=args.seed, time_limit_s=limit, workers=args.workers)


@contextmanager
def searches_on(workers: int) -> Iterator[Executor | None]:
    """Where the day's parallel searches run: a process pool of ``workers``, or None for one.

    The command line owns the processes (no solver module opens its own pool).
    """
    if workers <= 1:
        yield None
        return
    with ProcessPoolExecutor(max_workers=workers) as pool:
        yield pool


def phase_label(lang: Lang) -> Callable[[str], str]:
    """Translate the pipeline's phase names for the progress bar."""
    def label(phase: str) -> str:
        if phase.startswith("matrix "):
            return text("run.matrix", lang, vehicle=phase.removeprefix("matrix "))
        if phase in ("legs", "outputs"):
            return text(f"run.{phase}", lang)
        return text("run.solve", lang)
    return label


def run_day(day: DayInput, args: argparse.Namespace, params: SolveParams, lang: Lang,
            console: Console) -> DayOutcome:
    """Plan ``day`` with a progress bar, then publish it into ``args.out``."""
    cache = None if args.no_cache else default_cache_dir()
    with searches_on(params.workers) as executor, \
            ProgressBar(phase_label(lang), console) as bar:
        result = plan_day(day, params=params, engine=args.engine, executor=executor,
                          progress=bar, cache_dir=cache)
        bar(1.0, "outputs")
        return publish(result, args.out, lang=lang, maps=not args.no_maps)


def calendar_of(args: argparse.Namespace) -> WorkingCalendar:
    """The working-day calendar the arguments describe (``--calendar``, ``--saturday``)."""
    if args.calendar is not None:
        return read_calendar(args.calendar, saturday_open=bool(args.saturday))
    return WorkingCalendar(saturday_open=bool(args.saturday))


def why_not_working(calendar: WorkingCalendar, day: dt.date, lang: Lang) -> str:
    """The holiday's name, or 'weekend'."""
    return calendar.holiday_name(day) or text("run.weekend", lang)


def report(outcome: DayOutcome, lang: Lang, console: Console, backlog_in: int) -> None:
    """The final summary: KPIs, what carries over, and where the outputs are."""
    title = f"{text('kpi.title', lang)} · {outcome.problem.date.isoformat()}"
    print_summary(outcome.files.kpis, lang, console=console, title=title)
    if backlog_in:
        console.print(text("run.backlog_in", lang, n=backlog_in))
    if outcome.work.not_today:
        console.print(text("run.not_today", lang, n=len(outcome.work.not_today)))
    overdue = len(outcome.backlog.overdue(_next_day(outcome)))
    console.print(text("run.backlog_out", lang, n=len(outcome.backlog.entries), overdue=overdue))
    console.print(text("run.outputs_at", lang, path=str(outcome.files.out_dir)))
    console.print(text("run.open", lang, path=str(Path(outcome.files.index_html))))


def _next_day(outcome: DayOutcome) -> dt.date:
    return outcome.problem.date + dt.timedelta(days=1)

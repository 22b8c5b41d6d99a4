"""Reading a day's files for ``planner plan``: every file checked, every problem reported at once.

The sites, orders, fleet, backlog, outcomes and service-time files and the ``--out``
folder are all checked before anything is solved; their problems come back
together in one :class:`~planner.exceptions.InputErrors`. A day larger than the
solver takes is refused here, after a quick read, with its size and the limit.
"""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from planner.backlog import Backlog, read_backlog
from planner.domain.fleet import Courier
from planner.domain.orders import Order
from planner.domain.outcomes import Outcome
from planner.domain.sites import Site
from planner.exceptions import InputError, InputErrors
from planner.formats import read_fleet, read_orders, read_outcomes, read_sites
from planner.output.publish import check_out_dir
from planner.service_times import ServiceTimes, read_service_times

T = TypeVar("T")

#: The largest day ``planner plan`` takes, in orders (new + carried over). Measured on
#: this 2-core, 23 GB machine (docs/inputs.md, "How large a day"): the sample day with
#: 2,000 orders peaks at 2.0 GB, with 5,000 orders at 16.7 GB and 5 min (its fixed fleet
#: is too small for either to find a first plan in 60 s). The largest benchmarked day,
#: ``quangngai_1000`` (1,000 requests), needs 60 s for a good plan (docs/solver.md).
#: Beyond this, refuse clearly instead of swapping.
MAX_DAY_ITEMS = 2_000
#: The largest number of distinct sites (matrix rows). Travel matrices are n × n int64
#: per vehicle type, distance and duration, with float temporaries: measured peak
#: 1.2 GB for 5,000 sites and 4.2 GB for 10,000 (one vehicle type); 100,000 sites
#: would need 75 GiB for one float temporary alone (the crash of issue 14).
MAX_DAY_SITES = 5_000


@dataclass(frozen=True)
class DayFiles:
    """The checked contents of a day's files."""

    sites: tuple[Site, ...]
    orders: tuple[Order, ...]
    couriers: tuple[Courier, ...]
    backlog: Backlog | None
    service_times: ServiceTimes
    outcomes: tuple[Outcome, ...] = ()


class _Collect:
    """Runs readers, keeping every problem they raise instead of stopping at the first."""

    def __init__(self) -> None:
        self.errors: list[InputError] = []

    def run(self, read: Callable[[], T]) -> T | None:
        try:
            return read()
        except InputErrors as err:
            self.errors += err.errors
        except InputError as err:
            self.errors.append(err)
        return None


def read_day_files(args: argparse.Namespace, day: dt.date, console: Console) -> DayFiles:
    """Check ``--out`` and read every input file of ``planner plan``.

    Raises
    ------
    InputErrors
        Every problem of every file and of ``--out``, together.
    InputError
        The day is larger than :data:`MAX_DAY_ITEMS` or :data:`MAX_DAY_SITES`.
    """
    outcomes_path = getattr(args, "outcomes", None)
    inputs = [p for p in (args.orders, args.sites, args.fleet, args.backlog,
                          args.service_times, args.roads, outcomes_path) if p is not None]
    c = _Collect()
    c.run(lambda: check_out_dir(args.out, inputs))
    with _bar(console) as tick:
        sites = c.run(lambda: read_sites(args.sites, progress=tick(args.sites)))
        by_id = None if sites is None else {s.id: s for s in sites}
        orders = c.run(lambda: read_orders(args.orders, sites=by_id, default_date=day,
                                           progress=tick(args.orders), max_rows=MAX_DAY_ITEMS))
        couriers = c.run(lambda: read_fleet(args.fleet, sites=by_id, progress=tick(args.fleet)))
    backlog = c.run(lambda: read_backlog(args.backlog)) if args.backlog is not None else None
    times = (c.run(lambda: read_service_times(args.service_times))
             if args.service_times is not None else ServiceTimes())
    outcomes = (c.run(lambda: read_outcomes(outcomes_path, before=day))
                if outcomes_path is not None else ())
    if outcomes_path is not None and args.backlog is None:
        c.errors.append(InputError("outcomes describe an earlier day's orders: give that "
                                   "day's backlog too (--backlog)",
                                   source=Path(outcomes_path).name))
    if orders == () and args.backlog is None:
        c.errors.append(InputError("no orders and no --backlog: nothing to plan",
                                   source=Path(args.orders).name))
    if c.errors:
        raise InputErrors(c.errors)
    assert sites is not None
    assert orders is not None
    assert couriers is not None
    assert times is not None
    check_day_size(orders, couriers, backlog)
    return DayFiles(sites, orders, couriers, backlog, times, outcomes or ())


def check_day_size(orders: tuple[Order, ...], couriers: tuple[Courier, ...],
                   backlog: Backlog | None) -> None:
    """Refuse a day larger than the solver takes, before any matrix is built.

    Raises
    ------
    InputError
        More legs than :data:`MAX_DAY_ITEMS` or sites than :data:`MAX_DAY_SITES`.
    """
    entries = backlog.entries if backlog is not None else ()
    items = len(orders) + len(entries)
    used = {o.origin for o in orders} | {o.destination for o in orders}
    used |= {c.start_site for c in couriers} | {c.end_site for c in couriers}
    used |= {s.id for s in backlog.sites} if backlog is not None else set()
    if items > MAX_DAY_ITEMS or len(used) > MAX_DAY_SITES:
        raise InputError(
            f"the day has {items:,} orders (new and carried over) at {len(used):,} sites; "
            f"the planner takes at most {MAX_DAY_ITEMS:,} orders and {MAX_DAY_SITES:,} sites "
            f"a day (travel matrices grow with the square of the sites: "
            f"{_matrix_gib(len(used)):,.1f} GiB for this day). Split the day by post office "
            "or over several days (docs/inputs.md, 'How large a day')",
            field="--orders")


def _matrix_gib(n_sites: int) -> float:
    """Memory of one vehicle type's distance and duration matrices (int64)."""
    return 2 * 8 * n_sites**2 / 2**30


@contextmanager
def _bar(console: Console) -> Iterator[Callable[[Path], Callable[[int, int], None]]]:
    """A progress bar per file: ``tick(path)`` gives the reader's ``progress`` callback."""
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=console, transient=True) as bar:

        def tick(path: Path) -> Callable[[int, int], None]:
            task = bar.add_task(Path(path).name, total=None)

            def update(done: int, total: int) -> None:
                bar.update(task, completed=done, total=total)

            return update

        yield tick

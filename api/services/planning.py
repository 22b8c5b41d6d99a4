"""The ONE module that calls the planner's planning: a day's inputs in, the stored documents out.

Everything the service knows about how ``planner`` plans a day is here. Today
it calls :func:`planner.pipeline.plan_day`, which writes its outputs into a
directory: the day is planned into a temporary directory and the files are
read back (``plan.json``, ``kpis.json``, ``backlog.json``,
``routes/<courier>.pdf``, ``maps/<courier>.html``). Progress is reported
coarsely from the pipeline's phases (building → solving → writing), and the
cancel token is checked between phases (the job runner ends the worker
process to stop a search at once).

When the pipeline plans in memory (``plan_day`` returning problem, plan,
backlog and figures, with a ``progress(fraction, phase)`` callback and a
cancel token, and a separate ``publish``), only :func:`plan` changes: its
signature, :class:`DayRequest` and :class:`PlannedDay` stay.
"""

from __future__ import annotations

import datetime as dt
import json
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from geodata import sample_province
from geodata.sample import PROVINCE_CODE
from planner.backlog import Backlog
from planner.calendar import WorkingCalendar
from planner.domain import Courier, Order, Site
from planner.output.i18n import Lang, text
from planner.pipeline import DayInput, plan_day
from planner.progress import Phases
from planner.solver import SolveParams

#: progress(fraction 0..1, phase name)
Progress = Callable[[float, str], None]
#: Each coarse phase and the share of the bar it ends at.
PHASES: dict[str, float] = {"building": 0.25, "solving": 0.85, "writing": 0.98}
LANG: Lang = "vi"
#: A province's ``roads`` value for the embedded sample province's generated network.
SAMPLE_ROADS = "sample"
SAMPLE_PROVINCE_CODE = PROVINCE_CODE


class CancelToken(Protocol):
    """Set when the job is to stop (a ``threading.Event`` is one)."""

    def is_set(self) -> bool:
        """Whether stopping was asked for."""
        ...


class Cancelled(Exception):
    """The job was cancelled between two phases."""


@dataclass(frozen=True)
class DayRequest:
    """A province's day to plan: its inputs as planner objects and the solver's limits.

    ``roads``: ``sample`` plans on the embedded sample province's generated
    roads (with its communes on the maps); anything else on straight lines.
    """

    date: dt.date
    province_name: str
    roads: str
    sites: tuple[Site, ...]
    couriers: tuple[Courier, ...]
    orders: tuple[Order, ...]
    backlog: Backlog | None
    time_limit_s: float
    seed: int = 0
    cache_dir: Path | None = None


@dataclass(frozen=True)
class PlannedDay:
    """What the service stores of a planned day (JSON texts as the planner wrote them)."""

    plan_json: str
    kpis_json: str
    backlog_json: str
    sheets: dict[str, bytes] = field(default_factory=dict)
    maps: dict[str, bytes] = field(default_factory=dict)


def plan(request: DayRequest, progress: Progress, cancel: CancelToken) -> PlannedDay:
    """Plan ``request``'s day; progress through ``progress``; stop between phases on ``cancel``.

    Raises
    ------
    Cancelled
        ``cancel`` was set.
    InputError, InputErrors, PlannerError
        As the planner raises them (bad references, infeasible day).
    """
    progress(0.0, "building")
    day = _day_input(request)
    params = SolveParams(seed=request.seed, time_limit_s=request.time_limit_s, workers=1)
    phases = _Reporter(progress, cancel)
    with tempfile.TemporaryDirectory(prefix="bcci-plan-") as tmp:
        out = Path(tmp) / "day"
        outcome = plan_day(day, out, params=params, lang=LANG, phases=phases,
                           cache_dir=request.cache_dir)
        files = outcome.files
        planned = PlannedDay(
            plan_json=files.plan_json.read_text(encoding="utf-8"),
            kpis_json=files.kpis_json.read_text(encoding="utf-8"),
            backlog_json=outcome.backlog_path.read_text(encoding="utf-8"),
            sheets={c: p.read_bytes() for c, p in files.route_pdfs.items()},
            maps={c: p.read_bytes() for c, p in files.courier_maps.items()},
        )
    json.loads(planned.plan_json)  # a truncated file must fail here, not when served
    progress(PHASES["writing"], "writing")
    return planned


def _day_input(request: DayRequest) -> DayInput:
    network, territories = None, None
    if request.roads == SAMPLE_ROADS:
        province = sample_province()
        network, territories = province.network, province.communes
    return DayInput(date=request.date, sites=request.sites, couriers=request.couriers,
                    orders=request.orders, backlog=request.backlog, network=network,
                    province=request.province_name, territories=territories,
                    generated_roads=network is not None, calendar=WorkingCalendar())


def is_working_day(day: dt.date) -> str | None:
    """None on a working day; else why not (holiday name or 'weekend')."""
    calendar = WorkingCalendar()
    if calendar.is_working_day(day):
        return None
    return calendar.holiday_name(day) or "weekend"


class _Reporter(Phases):
    """The pipeline's phases as coarse progress: building, solving (ticking), writing."""

    def __init__(self, progress: Progress, cancel: CancelToken) -> None:
        super().__init__(enabled=False)
        self._report = progress
        self._cancel = cancel
        self._labels = {text("run.legs", LANG): "building", text("run.solve", LANG): "solving",
                        text("run.outputs", LANG): "writing"}
        self._at = 0.0

    def _coarse(self, label: str) -> str:
        return self._labels.get(label, "building")

    @contextmanager
    def phase(self, label: str, expected_s: float | None = None) -> Iterator[None]:
        """Report the phase's start, tick through an expected duration, check for cancel."""
        if self._cancel.is_set():
            raise Cancelled
        name = self._coarse(label)
        start, end = self._at, PHASES[name]
        self._report(start, name)
        stop = threading.Event()
        ticker = None
        if expected_s:
            ticker = threading.Thread(target=self._tick, daemon=True,
                                      args=(stop, name, start, end, expected_s))
            ticker.start()
        try:
            yield
        finally:
            stop.set()
            if ticker is not None:
                ticker.join()
        self._at = max(self._at, start + (end - start) * (0.5 if name == "building" else 1.0))
        self._report(self._at, name)

    def _tick(self, stop: threading.Event, name: str, start: float, end: float,
              expected_s: float) -> None:
        t0 = time.monotonic()
        while not stop.wait(1.0):
            share = min((time.monotonic() - t0) / expected_s, 1.0)
            self._report(start + (end - start) * share, name)



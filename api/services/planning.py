"""The ONE module that calls the planner's planning: a day's inputs in, the stored documents out.

Everything the service knows about how ``planner`` plans a day is here:
:func:`planner.pipeline.plan_day` computes the day in memory, with progress
through a plain ``progress(fraction, phase)`` callback and a cancel token the
search looks at; :func:`planner.pipeline.publish` then writes the documents
into a temporary directory, and they are read back to be stored in one
transaction (``plan.json``, ``kpis.json``, ``backlog.json``,
``routes/<courier>.pdf``, ``maps/<courier>.html``).
"""

from __future__ import annotations

import datetime as dt
import json
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from geodata import sample_province
from geodata.sample import PROVINCE_CODE
from planner.backlog import Backlog
from planner.calendar import WorkingCalendar
from planner.domain import Courier, Order, Site
from planner.domain.outcomes import Outcome
from planner.output.i18n import Lang
from planner.pipeline import DayInput, plan_day, publish
from planner.solver import SolveCancelled, SolveParams

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
    engine: str = "auto"
    #: What happened on the backlog's day (``Backlog.as_of``), applied to it before planning.
    outcomes: tuple[Outcome, ...] = ()


@dataclass(frozen=True)
class PlannedDay:
    """What the service stores of a planned day (JSON texts as the planner wrote them)."""

    plan_json: str
    kpis_json: str
    backlog_json: str
    sheets: dict[str, bytes] = field(default_factory=dict)
    maps: dict[str, bytes] = field(default_factory=dict)


def plan(request: DayRequest, progress: Progress, cancel: CancelToken) -> PlannedDay:
    """Plan ``request``'s day; progress through ``progress``; stop when ``cancel`` is set.

    ``request.outcomes`` (of the backlog's day) are applied to the backlog
    first: failed deliveries tried again or returned, other failed legs
    undone (:func:`planner.outcomes.apply_outcomes`, TT 17 art. 5(2)(h)).

    Raises
    ------
    Cancelled
        ``cancel`` was set (the search stops at its next solution).
    InputError, InputErrors, PlannerError
        As the planner raises them (bad references, infeasible day).
    """
    progress(0.0, "building")
    day = _day_input(request)
    params = SolveParams(seed=request.seed, time_limit_s=request.time_limit_s, workers=1)

    def report(fraction: float, phase: str) -> None:
        name = "building" if phase == "legs" or phase.startswith("matrix") else "solving"
        progress(PHASES["solving"] * fraction, name)

    try:
        result = plan_day(day, params=params, engine=request.engine, progress=report,
                          cancel=cancel, cache_dir=request.cache_dir,
                          outcomes=request.outcomes or None, outcomes_source="stored outcomes")
    except SolveCancelled as err:
        raise Cancelled from err
    if cancel.is_set():
        raise Cancelled
    progress(PHASES["solving"], "writing")
    with tempfile.TemporaryDirectory(prefix="bcci-plan-") as tmp:
        outcome = publish(result, Path(tmp) / "day", lang=LANG)
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

"""Scenario files: what a manager changes against a base, as frozen, validated settings.

A scenario file is TOML (``tomllib``)::

    start = 2026-11-23          # first simulated working day (moved to a working day)

    [base]                      # optional: what every scenario starts from
    costs.per_courier_day_vnd = 150000

    [[scenario]]
    name = "today"

    [[scenario]]
    name = "cut-off 16:00"
    policy.cutoff = "16:00"

Each ``[[scenario]]`` names only what differs from ``[base]``, which itself
only names what differs from the defaults below. Every section is a small
frozen dataclass checked in ``__post_init__``; a bad file raises
:class:`~planner.exceptions.InputError` naming the file, the scenario (as the
row) and the key (``fleet.vans``). docs/scenarios.md documents every key.
"""

from __future__ import annotations

import datetime as dt
import tomllib
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from planner.calendar import WorkingCalendar, read_calendar
from planner.domain.fleet import VehicleType
from planner.domain.hours import hhmm_to_s
from planner.exceptions import InputError
from planner.solver import engine_names

__all__ = ["CalendarSettings", "Costs", "Demand", "Fleet", "Network", "Policy", "Scenario",
           "ScenarioFile", "Shifts", "SolverSettings", "read_scenarios", "scenarios_from_dict"]


class _SpecError(ValueError):
    """A bad value inside one section; the reader adds the file and scenario."""

    def __init__(self, key: str, message: str) -> None:
        super().__init__(message)
        self.key, self.message = key, message


def _check(ok: bool, key: str, message: str) -> None:
    if not ok:
        raise _SpecError(key, message)


def _clock(key: str, value: str) -> int:
    try:
        return hhmm_to_s(value)
    except ValueError as err:
        raise _SpecError(key, str(err)) from None


def _share(key: str, value: float) -> None:
    _check(0.0 <= value <= 1.0, key, f"must be a share between 0 and 1, got {value!r}")


@dataclass(frozen=True)
class Fleet:
    """Couriers per post office and their vehicle; vans for the trunk run (the sample's fleet).

    ``vehicle`` is the local couriers' vehicle (``motorbike`` or ``car``);
    capacities count items.
    """

    couriers_per_district_office: int = 2
    couriers_at_provincial_office: int = 4
    vans: int = 2
    vehicle: str = "motorbike"
    capacity: int = 40
    van_capacity: int = 300

    def __post_init__(self) -> None:
        for key in ("couriers_per_district_office", "couriers_at_provincial_office", "vans"):
            _check(getattr(self, key) >= 0, key, "must not be negative")
        _check(self.couriers_per_district_office + self.couriers_at_provincial_office > 0,
               "couriers_per_district_office", "the fleet has no local courier")
        _check(self.vehicle in (VehicleType.MOTORBIKE, VehicleType.CAR), "vehicle",
               f"must be 'motorbike' or 'car', got {self.vehicle!r}")
        for key in ("capacity", "van_capacity"):
            _check(getattr(self, key) > 0, key, "must be positive")


@dataclass(frozen=True)
class Shifts:
    """Every courier's shift and lunch break: ``lunch_minutes`` starting within the window."""

    start: str = "07:00"
    end: str = "17:30"
    lunch_from: str = "11:00"
    lunch_until: str = "13:30"
    lunch_minutes: int = 60

    def __post_init__(self) -> None:
        start, end = _clock("start", self.start), _clock("end", self.end)
        lo, hi = _clock("lunch_from", self.lunch_from), _clock("lunch_until", self.lunch_until)
        _check(start < end, "end", "the shift must end after it starts")
        _check(lo <= hi, "lunch_until", "the lunch window must end after it opens")
        _check(0 <= self.lunch_minutes <= 180, "lunch_minutes", "must be 0 to 180 minutes")
        earliest = max(lo, start)
        _check(self.lunch_minutes == 0 or (earliest <= hi
                                           and earliest + 60 * self.lunch_minutes <= end),
               "lunch_from", "the lunch break cannot start within its window and end in the shift")


@dataclass(frozen=True)
class Policy:
    """The service-time policy: the one-stop shops' cut-off and the J+n norms.

    ``cutoff``: agencies take hand-overs for the same day until this time (the
    15:00 cut-off, a soft limit for the solver). ``local_days`` /
    ``province_days``: J+n for dossiers and results inside one post office's
    territory / across the province (TT 17/2017 art. 7: 1 and 2); an
    appointment slip adds as many days again (2 and 4). ``saturday_open``: the
    one-stop shops and couriers work on Saturday mornings.
    """

    cutoff: str = "15:00"
    local_days: int = 1
    province_days: int = 2
    saturday_open: bool = False

    def __post_init__(self) -> None:
        _clock("cutoff", self.cutoff)
        _check(self.local_days >= 0, "local_days", "must not be negative")
        _check(self.province_days >= self.local_days, "province_days",
               "must be at least local_days")

    @property
    def cutoff_s(self) -> int:
        """The cut-off in seconds since midnight."""
        return hhmm_to_s(self.cutoff)


@dataclass(frozen=True)
class Demand:
    """Orders per working day and their mix (the sample generator's :class:`SampleVolumes`).

    ``delivery_failure_rate``: the share of results and slips delivered to a
    citizen's door that fail (nobody home); the simulation turns them into
    outcomes of the day (``planner.outcomes``: re-attempt after the
    invitation, return to the agency after the second failure).
    """

    orders: int = 300
    dossier_share: float = 0.35
    result_share: float = 0.55
    service_center_share: float = 0.3
    carried_share: float = 0.25
    delivery_failure_rate: float = 0.0
    online_only_share: float = 0.0
    online_only_procedures: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        _check(self.orders >= 0, "orders", "must not be negative")
        for key in ("dossier_share", "result_share", "service_center_share", "carried_share",
                    "delivery_failure_rate", "online_only_share"):
            _share(key, getattr(self, key))
        _check(self.dossier_share + self.result_share <= 1, "result_share",
               "dossier and result shares add up to more than 1")


@dataclass(frozen=True)
class Costs:
    """Unit costs in VND (assumptions; docs/scenarios.md gives their reasoning).

    Applied to the plan (km, courier-hours, couriers used) and given to the
    solver as each courier's cost, so it optimises what is reported.
    """

    per_km_motorbike_vnd: int = 2_000
    per_km_car_vnd: int = 4_000
    per_km_van_vnd: int = 6_000
    per_courier_hour_vnd: int = 45_000
    per_van_hour_vnd: int = 70_000
    per_courier_day_vnd: int = 150_000
    per_van_day_vnd: int = 600_000

    def __post_init__(self) -> None:
        for f in fields(self):
            _check(getattr(self, f.name) >= 0, f.name, "must not be negative")

    def per_km(self, vehicle: str) -> int:
        """VND per km for ``vehicle``."""
        return int(getattr(self, f"per_km_{vehicle}_vnd"))


@dataclass(frozen=True)
class SolverSettings:
    """How each day is solved: engine, a solution limit (reproducible) or a time limit, roads.

    ``roads`` false: straight-line travel (haversine × detour) instead of the
    sample's generated road network: much faster, for quick sweeps and tests.
    """

    engine: str = "ortools"
    solution_limit: int | None = 50
    time_limit_s: float | None = None
    roads: bool = True

    def __post_init__(self) -> None:
        _check(self.engine in engine_names(), "engine",
               f"unknown engine {self.engine!r} (known: {', '.join(engine_names())})")
        _check(self.solution_limit is not None or self.time_limit_s is not None,
               "solution_limit", "set a solution limit or a time limit")
        _check(self.solution_limit is None or self.solution_limit > 0, "solution_limit",
               "must be positive")
        _check(self.time_limit_s is None or self.time_limit_s > 0, "time_limit_s",
               "must be positive")


@dataclass(frozen=True)
class Network:
    """Which post offices are depots and hubs, and whether a scheduled mid-day trunk runs.

    ``depots``: post offices where local couriers start and end their day
    (empty: every post office); the couriers of an office that is not a
    depot are based at the nearest depot (straight line), so the fleet keeps
    its size. ``hubs``: post offices where the trunk vans are based (empty:
    the provincial post office), in turn. ``midday_trunk``: a scheduled
    vehicle leaves every hub at ``trunk_departs`` and carries every item
    waiting at a post office for its trunk leg that morning to the
    destination's post office by ``trunk_arrives``, where the next leg may
    start the same afternoon (planner.journeys.midday_trunk).
    ``trunk_cost_vnd``: the trunk's cost per working day when the province
    knows it (its timetable's share); None: estimated
    (:func:`planner.scenarios.simulate.trunk_cost_vnd`).
    """

    depots: tuple[str, ...] = ()
    hubs: tuple[str, ...] = ()
    midday_trunk: bool = False
    trunk_departs: str = "11:00"
    trunk_arrives: str = "13:00"
    trunk_cost_vnd: int | None = None

    def __post_init__(self) -> None:
        dep, arr = _clock("trunk_departs", self.trunk_departs), _clock("trunk_arrives",
                                                                        self.trunk_arrives)
        _check(dep < arr, "trunk_arrives", "the trunk must arrive after it departs")
        _check(self.trunk_cost_vnd is None or self.trunk_cost_vnd >= 0, "trunk_cost_vnd",
               "must not be negative")
        for key in ("depots", "hubs"):
            ids = getattr(self, key)
            _check(len(set(ids)) == len(ids), key, "names a post office twice")

    @property
    def trunk_arrives_s(self) -> int:
        """The trunk's arrival in seconds since midnight."""
        return hhmm_to_s(self.trunk_arrives)

    @property
    def trunk_hours(self) -> float:
        """Hours from the trunk's departure to its arrival."""
        return (hhmm_to_s(self.trunk_arrives) - hhmm_to_s(self.trunk_departs)) / 3600


@dataclass(frozen=True)
class CalendarSettings:
    """The scenario's working-day calendar beyond the national one (docs/calendar.md).

    ``file``: a calendar file as ``planner plan --calendar`` reads (TOML or
    CSV, relative to the scenario file), read once with the scenario file and
    merged into ``days_off`` / ``working_days`` (make-up days) and
    ``saturday_sites``. ``policy.saturday_open`` (or the file's
    ``saturday_open``) opens Saturdays.
    """

    file: str = ""
    days_off: tuple[dt.date, ...] = ()
    working_days: tuple[dt.date, ...] = ()
    saturday_sites: tuple[tuple[str, bool], ...] = field(default=(), metadata={"toml": False})
    saturday_open: bool = field(default=False, metadata={"toml": False})

    def __post_init__(self) -> None:
        both = sorted(set(self.days_off) & set(self.working_days))
        _check(not both, "working_days",
               f"{both[0].isoformat() if both else ''} is both a day off and a working day")

    def calendar(self, saturday_open: bool) -> WorkingCalendar:
        """The working calendar (``saturday_open``: the scenario's policy)."""
        return WorkingCalendar(saturday_open=saturday_open or self.saturday_open,
                               extra_holidays=frozenset(self.days_off),
                               extra_working_days=frozenset(self.working_days),
                               saturday_sites=dict(self.saturday_sites))


_SECTIONS: dict[str, type] = {"fleet": Fleet, "shifts": Shifts, "policy": Policy,
                              "demand": Demand, "costs": Costs, "solver": SolverSettings,
                              "network": Network, "calendar": CalendarSettings}


@dataclass(frozen=True)
class Scenario:
    """One scenario: a name and its settings (plain data: it travels to Dask workers).

    ``province``: the 2025 province code simulated (default ``20``, the sample
    province); ``communes_csv``: a user's communes CSV its geography comes from
    ("": the package's 2025 communes; ``planner scenarios national --geodata``).
    """

    name: str
    description: str = ""
    province: str = "20"
    communes_csv: str = ""
    fleet: Fleet = field(default_factory=Fleet)
    shifts: Shifts = field(default_factory=Shifts)
    policy: Policy = field(default_factory=Policy)
    demand: Demand = field(default_factory=Demand)
    costs: Costs = field(default_factory=Costs)
    solver: SolverSettings = field(default_factory=SolverSettings)
    network: Network = field(default_factory=Network)
    calendar: CalendarSettings = field(default_factory=CalendarSettings)

    def working_calendar(self) -> WorkingCalendar:
        """The scenario's working calendar (its calendar settings and Saturday policy)."""
        return self.calendar.calendar(self.policy.saturday_open)


@dataclass(frozen=True)
class ScenarioFile:
    """A file's scenarios, in order, and the first simulated day."""

    scenarios: tuple[Scenario, ...]
    start: dt.date
    source: str = ""

    def scenario(self, name: str) -> Scenario:
        """The scenario called ``name``.

        Raises
        ------
        KeyError
            No scenario has that name.
        """
        return next(s for s in self.scenarios if s.name == name)


def _kinds(annotation: Any) -> tuple[type, ...]:
    if isinstance(annotation, types.UnionType):
        return tuple(a for a in typing.get_args(annotation) if a is not type(None))
    return (annotation,)


def _value(key: str, value: Any, annotation: Any) -> Any:
    if typing.get_origin(annotation) is tuple:  # tuple[X, ...]: a TOML array of X
        inner = typing.get_args(annotation)[0]
        if not isinstance(value, list):
            raise _SpecError(key, f"expected a list of {_kind_name((inner,))}, got {value!r}")
        return tuple(_value(key, v, inner) for v in value)
    kinds = _kinds(annotation)
    if float in kinds and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, dt.datetime) and dt.datetime not in kinds:
        raise _SpecError(key, f"expected {_kind_name(kinds)}, got {value!r}")
    if isinstance(value, bool) and bool not in kinds:
        raise _SpecError(key, f"expected {_kind_name(kinds)}, got {value!r}")
    if not isinstance(value, kinds):
        raise _SpecError(key, f"expected {_kind_name(kinds)}, got {value!r}")
    return value


def _kind_name(kinds: tuple[type, ...]) -> str:
    names = {int: "a whole number", float: "a number", str: "text", bool: "true or false",
             dt.date: "a date such as 2026-12-07"}
    return " or ".join(names.get(k, k.__name__) for k in kinds)


def _section(name: str, cls: type, doc: Any) -> Any:
    if not isinstance(doc, Mapping):
        raise _SpecError(name, "must be a table of settings")
    hints = typing.get_type_hints(cls)
    known = {f.name for f in fields(cls) if f.metadata.get("toml", True)}
    values = {}
    for key, value in doc.items():
        if key not in known:
            raise _SpecError(f"{name}.{key}", f"unknown key (known: {', '.join(sorted(known))})")
        values[key] = _value(f"{name}.{key}", value, hints[key])
    try:
        return cls(**values)
    except _SpecError as err:
        raise _SpecError(f"{name}.{err.key}", err.message) from None


def _merged(base: Mapping[str, Any], over: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in over.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), Mapping):
            out[key] = _merged(out[key], value)
        else:
            out[key] = value
    return out


def _scenario(doc: Mapping[str, Any]) -> Scenario:
    unknown = set(doc) - {"name", "description", "province", *_SECTIONS}
    if unknown:
        key = sorted(unknown)[0]
        known = ", ".join(["name", "description", "province", *_SECTIONS])
        raise _SpecError(key, f"unknown key (known: {known})")
    name = _value("name", doc.get("name"), str) if "name" in doc else ""
    _check(bool(name.strip()), "name", "every scenario needs a name")
    description = _value("description", doc.get("description", ""), str)
    province = _value("province", doc.get("province", "20"), str)
    if province != "20":
        # geodata lists the 2025 provinces: only a file naming another province needs it
        from geodata import province_names  # noqa: PLC0415

        codes = province_names()
        _check(province in codes, "province", f"'{province}' is not a 2025 province code "
               f"(known: {', '.join(f'{c} {n}' for c, n in codes.items())})")
    sections = {k: _section(k, cls, doc.get(k, {})) for k, cls in _SECTIONS.items()}
    return Scenario(name=name, description=description, province=province, **sections)


def _with_calendar_file(s: Scenario, base_dir: Path,
                        cache: dict[Path, WorkingCalendar]) -> Scenario:
    """``s`` with its calendar file read and merged into its calendar settings."""
    cal = s.calendar
    if not cal.file:
        return s
    path = (base_dir / cal.file).resolve()
    if path not in cache:
        cache[path] = read_calendar(path)  # InputError names the calendar file and row
    read = cache[path]
    days_off = tuple(sorted(set(cal.days_off) | (read.extra_holidays - set(cal.working_days))))
    working = tuple(sorted(set(cal.working_days) | (read.extra_working_days - set(cal.days_off))))
    merged = CalendarSettings(cal.file, days_off, working,
                              tuple(sorted(read.saturday_sites.items())), read.saturday_open)
    return replace(s, calendar=merged)


def _check_post_offices(s: Scenario, offices: frozenset[str]) -> None:
    where = "the sample province" if s.province == "20" else f"province {s.province}"
    for key in ("depots", "hubs"):
        for office in getattr(s.network, key):
            _check(office in offices, f"network.{key}",
                   f"'{office}' is not a post office of {where} "
                   f"(known: {', '.join(sorted(offices))})")


def sample_post_offices(province: str = "20") -> frozenset[str]:
    """The ids of a province's post offices (default the sample's: what ``network`` may name)."""
    # geodata loads the province's geography: only a file naming post offices needs it
    from geodata import sample_province  # noqa: PLC0415
    from planner.domain.sites import SiteKind  # noqa: PLC0415

    return frozenset(g.id for g in sample_province(province).sites
                     if SiteKind(g.kind).is_post_office)


def scenarios_from_dict(doc: Mapping[str, Any], *, source: str = "scenarios",
                        base_dir: Path | None = None) -> ScenarioFile:
    """Build the scenarios of a parsed TOML document (see the module's docstring).

    ``base_dir``: where a ``calendar.file`` is looked for (the scenario file's
    folder; default the current directory).

    Raises
    ------
    InputError
        With ``source``, the scenario (its name or number, as ``row``) and the
        key of the first problem: an unknown key, a wrong type, a value out of
        range (a post office in ``network`` that the sample province does not
        have), a missing or repeated name, no scenario at all; or a calendar
        file's own error (naming that file).
    """
    top = set(doc) - {"start", "base", "scenario"}
    if top:
        raise InputError("unknown key (known: start, base, scenario)", source=source,
                         field=sorted(top)[0])
    start = doc.get("start", dt.date(2026, 11, 23))
    if not isinstance(start, dt.date) or isinstance(start, dt.datetime):
        raise InputError(f"expected a date such as 2026-11-23, got {start!r}", source=source,
                         field="start")
    base = doc.get("base", {})
    if not isinstance(base, Mapping) or "name" in base:
        raise InputError("must be a table of settings, without a name", source=source,
                         field="base")
    listed = doc.get("scenario")
    if not isinstance(listed, list) or not listed:
        raise InputError("no [[scenario]] in the file", source=source, field="scenario")
    out: list[Scenario] = []
    calendars: dict[Path, WorkingCalendar] = {}
    offices: dict[str, frozenset[str]] = {}
    for n, entry in enumerate(listed, start=1):
        row = entry.get("name", n) if isinstance(entry, Mapping) else n
        try:
            if not isinstance(entry, Mapping):
                raise _SpecError("scenario", "must be a table")
            scenario = _scenario(_merged(base, entry))
            if scenario.network.depots or scenario.network.hubs:
                if scenario.province not in offices:
                    offices[scenario.province] = sample_post_offices(scenario.province)
                _check_post_offices(scenario, offices[scenario.province])
            out.append(_with_calendar_file(scenario, base_dir or Path(), calendars))
        except _SpecError as err:
            raise InputError(err.message, source=source, row=str(row), field=err.key) from None
    names = [s.name for s in out]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise InputError("appears more than once", source=source, row=repeated[0], field="name")
    return ScenarioFile(tuple(out), start, source)


def read_scenarios(path: Path) -> ScenarioFile:
    """Read a scenario file (TOML).

    Raises
    ------
    InputError
        The file is missing or not TOML (with the parser's line and column), or
        a scenario is malformed (see :func:`scenarios_from_dict`).
    """
    path = Path(path)
    try:
        doc = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise InputError("file not found", source=str(path)) from None
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as err:
        raise InputError(f"not a TOML file: {err}", source=str(path)) from None
    return scenarios_from_dict(doc, source=path.name, base_dir=path.parent)

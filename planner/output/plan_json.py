"""``plan.json``: the plan's stable, versioned, documented serialised form.

The layout is defined by ``plan.schema.json`` (JSON Schema 2020-12) beside
this module and explained in ``docs/plan-json.md``. Times are ISO 8601 with the
+07:00 offset, distances metres, durations seconds, money VND. The reader
rebuilds a :class:`planner.plan.Plan` plus the site and courier facts the
file carries, so the API and other tools can show a plan without the solver
or the original inputs.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from planner.domain.fleet import VehicleType
from planner.domain.items import ItemKind
from planner.domain.sites import Site, SiteKind
from planner.exceptions import InputError
from planner.kpis import Kpis, compute_kpis, kpis_from_dict, kpis_to_dict
from planner.output.i18n import reason_detail
from planner.output.itinerary import public_name
from planner.plan import (
    Action,
    Event,
    Plan,
    Route,
    SolveStats,
    Stop,
    Unassigned,
    UnassignedReason,
)
from planner.problem import Problem
from planner.timeline import Activity, Span, route_timeline

#: Version written into every ``plan.json``; readers accept any minor of major 1.
PLAN_SCHEMA_VERSION = "1.3"
#: Vietnam's fixed UTC offset (no daylight saving).
VN_TZ = dt.timezone(dt.timedelta(hours=7))


def plan_schema() -> dict[str, Any]:
    """The JSON Schema of ``plan.json`` (a dict, for validators and docs)."""
    text = resources.files("planner.output").joinpath("plan.schema.json").read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


# -- writing ---------------------------------------------------------------------------


def iso_time(day: dt.date, seconds: int) -> str:
    """Seconds since midnight of ``day`` as ISO 8601 with +07:00 (``2026-11-23T07:30:00+07:00``)."""
    midnight = dt.datetime.combine(day, dt.time(), tzinfo=VN_TZ)
    return (midnight + dt.timedelta(seconds=int(seconds))).isoformat()


def _site(site: Site, codes: Iterable[str] = ()) -> dict[str, Any]:
    """A site as plan.json shows it: a citizen's by kind and tracking codes, never by name."""
    return {
        "id": site.id,
        "name": public_name(site, codes),
        "kind": site.kind.value,
        "address": site.address,
        "lon": site.lon,
        "lat": site.lat,
    }


def _wait(day: dt.date, w: Span) -> dict[str, Any]:
    return {"start": iso_time(day, w.start_s), "end": iso_time(day, w.end_s),
            "cause": w.cause.value if w.cause is not None else "other",
            "tracking_code": w.item}


def _stop(problem: Problem, number: int, stop: Stop,
          waits: tuple[Span, ...] = ()) -> dict[str, Any]:
    day = problem.date
    events = []
    for e in stop.events:
        item = problem.item(e.item)
        events.append(
            {
                "tracking_code": e.item,
                "action": e.action.value,
                "item_kind": item.kind.value,
                "fee_vnd": item.fee_collected_vnd(e.action),
                "postage_vnd": item.postage_collected_vnd(e.action),
                "fee_handed_vnd": item.fee_handed_vnd(e.action),
                "fee_taken_vnd": item.fee_taken_vnd(e.action),
            }
        )
    return {
        "sequence": number,
        "site": _site(problem.site(stop.site), (e.item for e in stop.events)),
        "arrival": iso_time(day, stop.arrival_s),
        "start": iso_time(day, stop.start_s),
        "departure": iso_time(day, stop.departure_s),
        "wait_s": stop.wait_s,
        "travel_s": stop.travel_s,
        "distance_m": stop.distance_m,
        "load_after": list(stop.load_after),
        "cash_after_vnd": stop.cash_after_vnd,
        "events": events,
        "waits": [_wait(day, w) for w in waits],
    }


def _route(problem: Problem, route: Route) -> dict[str, Any]:
    courier = problem.courier(route.courier)
    day = problem.date
    timeline = [s for s in route_timeline(problem, route) if s.activity is Activity.WAIT]
    lunch = None
    if route.lunch_start_s is not None and route.lunch_end_s is not None:
        lunch = {
            "start": iso_time(day, route.lunch_start_s),
            "end": iso_time(day, route.lunch_end_s),
        }
    return {
        "courier": courier.id,
        "courier_name": courier.name,
        "vehicle": courier.vehicle.value,
        "start_depot": _site(problem.site(courier.start_site)),
        "end_depot": _site(problem.site(courier.end_site)),
        "start": iso_time(day, route.start_s),
        "end": iso_time(day, route.end_s),
        "duration_s": route.duration_s,
        "distance_m": route.distance_m,
        "lunch": lunch,
        "stops": [_stop(problem, i, s, waits=tuple(w for w in timeline if w.stop == i - 1))
                  for i, s in enumerate(route.stops, start=1)],
        "waits_between_stops": [_wait(day, w) for w in timeline if w.stop is None],
    }


def _unassigned(problem: Problem, u: Unassigned) -> dict[str, Any]:
    item = problem.item(u.item)
    return {
        "tracking_code": u.item,
        "item_kind": item.kind.value,
        "reason": u.reason.value,
        "detail": u.detail,
        "detail_key": u.key,
        "detail_args": dict(u.args),
        "detail_vi": reason_detail(u, "vi"),
        "pickup_site": _site(problem.site(item.pickup_site), [u.item]),
        "delivery_site": _site(problem.site(item.delivery_site), [u.item]),
        "deadline": item.deadline.isoformat() if item.deadline else None,
    }


def _solve(stats: SolveStats) -> dict[str, Any]:
    return {
        "engine": stats.engine,
        "seed": stats.seed,
        "time_limit_s": stats.time_limit_s,
        "solution_limit": stats.solution_limit,
        "solve_s": stats.solve_s,
        "objective": stats.objective,
        "phases": [{"name": n, "seconds": s} for n, s in stats.phases],
    }


def plan_to_dict(
    problem: Problem,
    plan: Plan,
    *,
    province: str = "",
    kpis: Kpis | None = None,
    generated_at: dt.datetime | None = None,
) -> dict[str, Any]:
    """The ``plan.json`` document of ``plan`` as a dict (see ``plan.schema.json``).

    Parameters
    ----------
    problem, plan
        The day's problem and its plan; every id in the plan must exist in the problem.
    province
        Province name shown to people (the Problem does not carry it).
    kpis
        Precomputed key figures; computed here when None.
    generated_at
        Time stamp to record (default: now); fix it for byte-identical golden files.

    Raises
    ------
    KeyError
        If the plan names a courier, site or item that the problem does not have.
    """
    stamp = (generated_at or dt.datetime.now(VN_TZ)).astimezone(VN_TZ).replace(microsecond=0)
    return {
        "schema_version": PLAN_SCHEMA_VERSION,
        "generated_at": stamp.isoformat(),
        "date": problem.date.isoformat(),
        "province": province,
        "solve": _solve(plan.stats),
        "dimensions": list(problem.dimensions),
        "routes": [_route(problem, r) for r in plan.routes],
        "unassigned": [_unassigned(problem, u) for u in plan.unassigned],
        "kpis": kpis_to_dict(kpis if kpis is not None else compute_kpis(problem, plan)),
    }


def write_plan_json(
    problem: Problem,
    plan: Plan,
    path: Path,
    *,
    province: str = "",
    kpis: Kpis | None = None,
    generated_at: dt.datetime | None = None,
) -> Path:
    """Write ``plan.json`` (UTF-8, indented, Vietnamese kept readable) and return its path.

    See :func:`plan_to_dict` for the parameters.
    """
    doc = plan_to_dict(problem, plan, province=province, kpis=kpis, generated_at=generated_at)
    path.write_text(json.dumps(doc, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path


# -- reading ---------------------------------------------------------------------------


@dataclass(frozen=True)
class SiteRef:
    """A site as ``plan.json`` records it (what is needed to show it)."""

    id: str
    name: str
    kind: SiteKind
    address: str
    lon: float
    lat: float


@dataclass(frozen=True)
class CourierRef:
    """A used courier as ``plan.json`` records it."""

    id: str
    name: str
    vehicle: VehicleType
    start_depot: str  # site id
    end_depot: str  # site id


@dataclass(frozen=True)
class ItemRef:
    """An item as ``plan.json`` records it (kind, fee per event, deadline if unassigned)."""

    tracking_code: str
    kind: ItemKind
    fees_vnd: Mapping[Action, int]
    deadline: dt.date | None = None


@dataclass(frozen=True)
class PlanDocument:
    """A ``plan.json`` read back: the :class:`Plan` plus what it shows about sites and people."""

    schema_version: str
    generated_at: dt.datetime
    date: dt.date
    province: str
    dimensions: tuple[str, ...]
    plan: Plan
    sites: Mapping[str, SiteRef]
    couriers: Mapping[str, CourierRef]
    items: Mapping[str, ItemRef]
    kpis: Kpis


class _Reader:
    """Walks a plan.json document, raising InputError with the JSON path of a bad field."""

    def __init__(self, source: str, date: dt.date) -> None:
        self.source = source
        self.date = date
        self.sites: dict[str, SiteRef] = {}
        self.items: dict[str, ItemRef] = {}

    def fail(self, where: str, message: str) -> InputError:
        return InputError(message, source=self.source, field=where)

    def get(self, obj: Mapping[str, Any], key: str, where: str) -> Any:
        if not isinstance(obj, Mapping) or key not in obj:
            raise self.fail(f"{where}.{key}", "missing")
        return obj[key]

    def seconds(self, text: Any, where: str) -> int:
        try:
            moment = dt.datetime.fromisoformat(text)
        except (TypeError, ValueError) as err:
            raise self.fail(where, f"'{text}' is not an ISO 8601 time") from err
        if moment.tzinfo is None:
            raise self.fail(where, f"'{text}' has no UTC offset (expected +07:00)")
        midnight = dt.datetime.combine(self.date, dt.time(), tzinfo=VN_TZ)
        return int((moment - midnight).total_seconds())

    def site(self, obj: Mapping[str, Any], where: str) -> str:
        try:
            ref = SiteRef(
                id=str(self.get(obj, "id", where)),
                name=str(self.get(obj, "name", where)),
                kind=SiteKind(self.get(obj, "kind", where)),
                address=str(self.get(obj, "address", where)),
                lon=float(self.get(obj, "lon", where)),
                lat=float(self.get(obj, "lat", where)),
            )
        except ValueError as err:
            if isinstance(err, InputError):
                raise
            raise self.fail(where, str(err)) from err
        self.sites[ref.id] = ref
        return ref.id

    def item(self, code: str, kind: Any, where: str) -> ItemRef:
        try:
            item_kind = ItemKind(kind)
        except ValueError as err:
            raise self.fail(f"{where}.item_kind", str(err)) from err
        ref = self.items.get(code) or ItemRef(code, item_kind, {})
        self.items[code] = ref
        return ref

    def event(self, obj: Mapping[str, Any], where: str) -> Event:
        code = str(self.get(obj, "tracking_code", where))
        try:
            act = Action(self.get(obj, "action", where))
        except ValueError as err:
            raise self.fail(f"{where}.action", str(err)) from err
        ref = self.item(code, self.get(obj, "item_kind", where), where)
        fees = dict(ref.fees_vnd)
        fees[act] = int(self.get(obj, "fee_vnd", where))
        self.items[code] = ItemRef(code, ref.kind, fees, ref.deadline)
        return Event(code, act)

    def stop(self, obj: Mapping[str, Any], where: str) -> Stop:
        g = self.get
        return Stop(
            site=self.site(g(obj, "site", where), f"{where}.site"),
            arrival_s=self.seconds(g(obj, "arrival", where), f"{where}.arrival"),
            start_s=self.seconds(g(obj, "start", where), f"{where}.start"),
            departure_s=self.seconds(g(obj, "departure", where), f"{where}.departure"),
            events=tuple(
                self.event(e, f"{where}.events[{i}]") for i, e in enumerate(g(obj, "events", where))
            ),
            load_after=tuple(int(q) for q in g(obj, "load_after", where)),
            cash_after_vnd=int(g(obj, "cash_after_vnd", where)),
            travel_s=int(g(obj, "travel_s", where)),
            distance_m=int(g(obj, "distance_m", where)),
        )

    def route(self, obj: Mapping[str, Any], where: str) -> tuple[Route, CourierRef]:
        g = self.get
        lunch = g(obj, "lunch", where)
        try:
            vehicle = VehicleType(g(obj, "vehicle", where))
        except ValueError as err:
            raise self.fail(f"{where}.vehicle", str(err)) from err
        courier = CourierRef(
            id=str(g(obj, "courier", where)),
            name=str(g(obj, "courier_name", where)),
            vehicle=vehicle,
            start_depot=self.site(g(obj, "start_depot", where), f"{where}.start_depot"),
            end_depot=self.site(g(obj, "end_depot", where), f"{where}.end_depot"),
        )
        route = Route(
            courier=courier.id,
            start_s=self.seconds(g(obj, "start", where), f"{where}.start"),
            end_s=self.seconds(g(obj, "end", where), f"{where}.end"),
            stops=tuple(
                self.stop(s, f"{where}.stops[{i}]") for i, s in enumerate(g(obj, "stops", where))
            ),
            distance_m=int(g(obj, "distance_m", where)),
            lunch_start_s=None if lunch is None else self.seconds(lunch.get("start"), where),
            lunch_end_s=None if lunch is None else self.seconds(lunch.get("end"), where),
        )
        return route, courier

    def unassigned(self, obj: Mapping[str, Any], where: str) -> Unassigned:
        g = self.get
        code = str(g(obj, "tracking_code", where))
        try:
            reason = UnassignedReason(g(obj, "reason", where))
        except ValueError as err:
            raise self.fail(f"{where}.reason", str(err)) from err
        self.site(g(obj, "pickup_site", where), f"{where}.pickup_site")
        self.site(g(obj, "delivery_site", where), f"{where}.delivery_site")
        deadline = g(obj, "deadline", where)
        ref = self.item(code, g(obj, "item_kind", where), where)
        self.items[code] = ItemRef(
            code, ref.kind, ref.fees_vnd, dt.date.fromisoformat(deadline) if deadline else None
        )
        args = obj.get("detail_args") or {}
        return Unassigned(code, reason, str(g(obj, "detail", where)),
                          str(obj.get("detail_key", "")),
                          tuple((str(k), str(v)) for k, v in args.items()))


def _stats(r: _Reader, obj: Mapping[str, Any]) -> SolveStats:
    g = r.get
    phases = g(obj, "phases", "solve")
    return SolveStats(
        engine=str(g(obj, "engine", "solve")),
        seed=int(g(obj, "seed", "solve")),
        solve_s=float(g(obj, "solve_s", "solve")),
        objective=g(obj, "objective", "solve"),
        time_limit_s=g(obj, "time_limit_s", "solve"),
        solution_limit=g(obj, "solution_limit", "solve"),
        phases=tuple((str(p["name"]), float(p["seconds"])) for p in phases),
    )


def plan_from_dict(doc: Mapping[str, Any], *, source: str = "plan.json") -> PlanDocument:
    """Rebuild a :class:`PlanDocument` from a ``plan.json`` dict.

    Raises
    ------
    InputError
        If the schema's major version is not 1, or a field is missing or malformed
        (``field`` is the JSON path, e.g. ``routes[0].stops[2].arrival``).
    """
    version = str(doc.get("schema_version", ""))
    if version.split(".", 1)[0] != PLAN_SCHEMA_VERSION.split(".", 1)[0]:
        raise InputError(
            f"schema_version '{version}' is not supported (expected {PLAN_SCHEMA_VERSION})",
            source=source,
            field="schema_version",
        )
    try:
        date = dt.date.fromisoformat(doc["date"])
        generated_at = dt.datetime.fromisoformat(doc["generated_at"])
    except (KeyError, TypeError, ValueError) as err:
        raise InputError(f"bad or missing date: {err}", source=source, field="date") from err
    r = _Reader(source, date)
    try:
        return _document(r, doc, version, generated_at)
    except InputError:
        raise
    except (AttributeError, KeyError, TypeError, ValueError) as err:
        # a value of the wrong type somewhere the walk does not name precisely
        raise InputError(f"malformed plan: {err!r}", source=source) from err


def _document(r: _Reader, doc: Mapping[str, Any], version: str,
              generated_at: dt.datetime) -> PlanDocument:
    couriers: dict[str, CourierRef] = {}
    routes = []
    for i, obj in enumerate(r.get(doc, "routes", "$")):
        route, courier = r.route(obj, f"routes[{i}]")
        routes.append(route)
        couriers[courier.id] = courier
    unassigned = tuple(
        r.unassigned(u, f"unassigned[{i}]") for i, u in enumerate(r.get(doc, "unassigned", "$"))
    )
    try:
        kpis = kpis_from_dict(r.get(doc, "kpis", "$"))
    except (KeyError, TypeError) as err:
        raise r.fail("kpis", f"incomplete key figures: {err}") from err
    plan = Plan(tuple(routes), unassigned, _stats(r, r.get(doc, "solve", "$")))
    return PlanDocument(
        schema_version=version,
        generated_at=generated_at,
        date=r.date,
        province=str(doc.get("province", "")),
        dimensions=tuple(r.get(doc, "dimensions", "$")),
        plan=plan,
        sites=r.sites,
        couriers=couriers,
        items=r.items,
        kpis=kpis,
    )


def read_plan_json(path: Path) -> PlanDocument:
    """Read a ``plan.json`` file written by :func:`write_plan_json`.

    Raises
    ------
    InputError
        If the file is not JSON or does not follow the schema (naming the field).
    """
    try:
        doc = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise InputError(f"cannot read plan: {err}", source=str(path)) from err
    if not isinstance(doc, dict):
        raise InputError("top level is not a JSON object", source=str(path))
    return plan_from_dict(doc, source=str(path))

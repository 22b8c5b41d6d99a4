"""What is left for the next working day: open orders, where their items are, their deadlines.

``backlog.json`` is written beside each day's plan and read by the next day's
``planner plan --backlog``. It is self-contained: it carries every site its
entries name (a citizen's address from yesterday's orders is not in today's
files), so it can be taken in with any sites file.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from planner.domain.hours import TimeWindow, parse_windows
from planner.domain.items import FeeMoment, ItemKind
from planner.domain.orders import Order
from planner.domain.sites import Site, SiteKind
from planner.exceptions import InputError

BACKLOG_SCHEMA_VERSION = "1.0"


@dataclass(frozen=True)
class InFlight:
    """An open order between days: its next leg, where its item is now, its deadline.

    ``next_leg`` indexes the order's legs (``planner.journeys.legs_of``);
    ``at_site`` is where the item physically is; ``days_waited`` counts days it
    had a leg but was not served; ``last_reason`` says why (an unassigned reason).

    Failed deliveries (TT 17 art. 5(2)(h), ``planner.outcomes``): ``attempts``
    counts the failed delivery attempts; ``invited_on`` is the day the last
    invitation to collect was left; ``not_before`` the first working day the
    next leg may be done (a re-attempt waits 2 working days after the
    invitation). ``clock_on_time`` is None while the end-to-end clock runs and,
    once the first delivery attempt stopped it (TT 17 art. 3(5)), whether that
    attempt was within the J+n deadline. ``moved_on`` is the day its last leg
    was done (an outcome of that day undoes or confirms it). ``return_to``: the
    agency a re-attempted result goes back to if it fails again (its origin
    before the re-attempt started from the post office).
    ``ready_s``: within one day only, the time (seconds since midnight) the item
    reaches ``at_site`` today (a mid-day trunk's arrival); None: there since the
    morning. Not written to backlog files: the next day starts without it.
    """

    order: Order
    next_leg: int
    at_site: str
    deadline: dt.date
    days_waited: int = 0
    last_reason: str = ""
    attempts: int = 0
    invited_on: dt.date | None = None
    not_before: dt.date | None = None
    clock_on_time: bool | None = None
    moved_on: dt.date | None = None
    return_to: str = ""
    ready_s: int | None = None


@dataclass(frozen=True)
class Backlog:
    """The open orders after the day ``as_of``, with the sites they name.

    ``delivered``: orders whose final leg was done on ``as_of``, kept one day
    so that an outcomes file can reopen a failed delivery (``planner.outcomes``);
    they are not planned again unless it does.
    """

    as_of: dt.date
    entries: tuple[InFlight, ...]
    sites: tuple[Site, ...] = field(default=())
    #: The file it was read from, so an error in an entry names it (not compared).
    source: str = field(default="backlog.json", compare=False)
    delivered: tuple[InFlight, ...] = field(default=())

    def overdue(self, day: dt.date) -> tuple[InFlight, ...]:
        """Entries whose deadline is before ``day`` (late if still open on ``day``)."""
        return tuple(e for e in self.entries if e.deadline < day)


# -- writing ---------------------------------------------------------------------------


def _windows(ws: tuple[TimeWindow, ...]) -> str:
    return "; ".join(str(w).replace("–", "-") for w in ws)


def _order_dict(o: Order, meets_citizen: bool) -> dict[str, Any]:
    return {
        "tracking_code": o.tracking_code,
        "kind": o.kind.value,
        "origin": o.origin,
        "destination": o.destination,
        "accepted_on": o.accepted_on.isoformat(),
        "deadline": o.deadline.isoformat() if o.deadline else None,
        "quantity": list(o.quantity),
        "origin_windows": _windows(o.origin_windows),
        "destination_windows": _windows(o.destination_windows),
        "ready_s": o.ready_s,
        "fee_vnd": o.fee_vnd,
        "postage_vnd": o.postage_vnd,
        "fee_at": o.fee_at.value,
        "required_skills": sorted(o.required_skills),
        "item_class": o.item_class,
        "priority": o.priority,
        "same_day": o.same_day,
        "citizen_name": o.citizen_name if meets_citizen else "",
        "citizen_phone": o.citizen_phone if meets_citizen else "",
        "procedure": o.procedure,
        "follows": o.follows,
    }


def _site_dict(s: Site, phone_needed: bool) -> dict[str, Any]:
    citizen = s.kind is SiteKind.CITIZEN  # named after the person: the id stands for it
    return {
        "id": s.id, "name": s.id if citizen else s.name, "kind": s.kind.value,
        "lon": s.lon, "lat": s.lat,
        "opening": _windows(s.opening), "visit_s": s.visit_s, "cutoff_s": s.cutoff_s,
        "address": s.address, "commune_code": s.commune_code,
        "phone": s.phone if not citizen or phone_needed else "",
        "home_post_office": s.home_post_office,
    }


def _meets_citizen(e: InFlight, citizens: set[str]) -> bool:
    """Whether a leg still ahead of ``e`` meets its citizen (a pickup to do, a delivery)."""
    return e.order.destination in citizens or (e.next_leg == 0 and e.order.origin in citizens)


def backlog_to_dict(backlog: Backlog) -> dict[str, Any]:
    """The JSON-ready form of ``backlog``, with the least personal data the next day needs.

    A citizen's name and phone go with an order only while a leg ahead still meets
    the citizen: the courier's route sheet of that day shows them, to call ahead and
    to check the recipient's ID (TT 17 art. 5(2)(d)); the next day's orders file does
    not hold yesterday's orders, so the backlog is their only source. A dossier
    already collected carries neither. A citizen's site, named after the person, is
    written under its id, its phone only when an order meeting the citizen there
    has none of its own; its address and position stay (the courier must get there).
    """
    citizens = {s.id for s in backlog.sites if s.kind is SiteKind.CITIZEN}
    meets = {e.order.tracking_code: _meets_citizen(e, citizens) for e in backlog.entries}
    phone_needed = {site for e in backlog.entries if meets[e.order.tracking_code]
                    and not e.order.citizen_phone
                    for site in (e.order.origin, e.order.destination)}
    phone_needed |= {e.order.destination for e in backlog.delivered
                     if e.order.destination in citizens and not e.order.citizen_phone}
    return {
        "schema_version": BACKLOG_SCHEMA_VERSION,
        "as_of": backlog.as_of.isoformat(),
        "entries": [_entry_dict(e, meets[e.order.tracking_code]) for e in backlog.entries],
        # a delivered result may come back failed tomorrow: its re-attempt meets the citizen
        "delivered": [_entry_dict(e, e.order.destination in citizens)
                      for e in backlog.delivered],
        "sites": [_site_dict(s, s.id in phone_needed) for s in backlog.sites],
    }


def _iso(day: dt.date | None) -> str | None:
    return None if day is None else day.isoformat()


def _entry_dict(e: InFlight, meets_citizen: bool) -> dict[str, Any]:
    return {
        "order": _order_dict(e.order, meets_citizen),
        "next_leg": e.next_leg,
        "at_site": e.at_site,
        "deadline": e.deadline.isoformat(),
        "days_waited": e.days_waited,
        "last_reason": e.last_reason,
        "attempts": e.attempts,
        "invited_on": _iso(e.invited_on),
        "not_before": _iso(e.not_before),
        "clock_on_time": e.clock_on_time,
        "moved_on": _iso(e.moved_on),
        "return_to": e.return_to,
    }


def write_backlog(path: Path, backlog: Backlog) -> Path:
    """Write ``backlog.json`` atomically (a temporary file renamed into place)."""
    path = Path(path)
    text = json.dumps(backlog_to_dict(backlog), ensure_ascii=False, indent=1) + "\n"
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        mask = os.umask(0o022)
        os.umask(mask)
        Path(tmp).chmod(0o666 & ~mask)  # mkstemp makes 0600; the file is an ordinary output
        Path(tmp).replace(path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


# -- reading ---------------------------------------------------------------------------


class _Reader:
    """Field access that names the file, the entry and the field on any error."""

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, row: int | str | None, key: str, message: str) -> InputError:
        return InputError(message, source=self.source, row=row, field=key)

    def get(self, obj: Mapping[str, Any], key: str, row: int | str | None,
            kind: type | tuple[type, ...], *, optional: bool = False) -> Any:
        if not isinstance(obj, Mapping):
            raise self.fail(row, key, "expected a JSON object")
        if key not in obj or (optional and obj[key] is None):
            if optional:
                return None
            raise self.fail(row, key, "missing")
        value = obj[key]
        if isinstance(value, bool) and bool not in (kind if isinstance(kind, tuple) else (kind,)):
            raise self.fail(row, key, f"expected {_name(kind)}, got {value!r}")
        if not isinstance(value, kind):
            raise self.fail(row, key, f"expected {_name(kind)}, got {value!r}")
        return value

    def convert(self, row: int | str | None, key: str, fn: Callable[[Any], Any],
                value: Any) -> Any:
        try:
            return fn(value)
        except (ValueError, TypeError) as err:
            raise self.fail(row, key, str(err)) from None


def _name(kind: type | tuple[type, ...]) -> str:
    kinds = kind if isinstance(kind, tuple) else (kind,)
    return " or ".join({int: "a whole number", float: "a number", str: "text", bool: "true/false",
                        list: "a list", dict: "an object"}.get(k, k.__name__) for k in kinds)


def _order(r: _Reader, obj: Mapping[str, Any], row: int | str) -> Order:
    g = r.get
    deadline = g(obj, "deadline", row, str, optional=True)
    postage = g(obj, "postage_vnd", row, int, optional=True)  # absent from older backlogs
    return Order(
        tracking_code=g(obj, "tracking_code", row, str),
        kind=r.convert(row, "kind", ItemKind, g(obj, "kind", row, str)),
        origin=g(obj, "origin", row, str),
        destination=g(obj, "destination", row, str),
        accepted_on=r.convert(row, "accepted_on", dt.date.fromisoformat,
                              g(obj, "accepted_on", row, str)),
        deadline=None if deadline is None else r.convert(row, "deadline", dt.date.fromisoformat,
                                                         deadline),
        quantity=tuple(r.convert(row, "quantity", _non_negative, q)
                       for q in g(obj, "quantity", row, list)),
        origin_windows=r.convert(row, "origin_windows", parse_windows,
                                 g(obj, "origin_windows", row, str)),
        destination_windows=r.convert(row, "destination_windows", parse_windows,
                                      g(obj, "destination_windows", row, str)),
        ready_s=g(obj, "ready_s", row, int, optional=True),
        fee_vnd=r.convert(row, "fee_vnd", _non_negative, g(obj, "fee_vnd", row, int)),
        fee_at=r.convert(row, "fee_at", FeeMoment, g(obj, "fee_at", row, str)),
        required_skills=frozenset(g(obj, "required_skills", row, list)),
        item_class=g(obj, "item_class", row, str),
        priority=g(obj, "priority", row, int),
        same_day=g(obj, "same_day", row, bool),
        citizen_name=g(obj, "citizen_name", row, str),
        citizen_phone=g(obj, "citizen_phone", row, str),
        procedure=g(obj, "procedure", row, str),
        follows=g(obj, "follows", row, str, optional=True) or "",
        postage_vnd=0 if postage is None else r.convert(row, "postage_vnd", _non_negative,
                                                        postage),
    )


def _non_negative(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"expected a whole number >= 0, got {value!r}")
    return value


def _site(r: _Reader, obj: Mapping[str, Any], row: int | str) -> Site:
    g = r.get
    return Site(
        id=g(obj, "id", row, str),
        name=g(obj, "name", row, str),
        kind=r.convert(row, "kind", SiteKind, g(obj, "kind", row, str)),
        lon=float(g(obj, "lon", row, (int, float))),
        lat=float(g(obj, "lat", row, (int, float))),
        opening=r.convert(row, "opening", parse_windows, g(obj, "opening", row, str)),
        visit_s=g(obj, "visit_s", row, int),
        cutoff_s=g(obj, "cutoff_s", row, int, optional=True),
        address=g(obj, "address", row, str),
        commune_code=g(obj, "commune_code", row, str),
        phone=g(obj, "phone", row, str),
        home_post_office=g(obj, "home_post_office", row, str),
    )


def backlog_from_dict(doc: Any, *, source: str = "backlog.json") -> Backlog:
    """Rebuild a :class:`Backlog` from its JSON form.

    Raises
    ------
    InputError
        Naming the source, the entry (tracking code when known, else its number)
        and the field that is missing or wrong.
    """
    r = _Reader(source)
    if not isinstance(doc, Mapping):
        raise r.fail(None, "", "must be a JSON object")
    version = r.get(doc, "schema_version", None, str)
    if version.partition(".")[0] != BACKLOG_SCHEMA_VERSION.partition(".")[0]:
        raise r.fail(None, "schema_version",
                     f"version {version} is not readable (expected {BACKLOG_SCHEMA_VERSION})")
    as_of = r.convert(None, "as_of", dt.date.fromisoformat, r.get(doc, "as_of", None, str))
    entries = [_entry(r, e, n) for n, e in enumerate(r.get(doc, "entries", None, list), start=1)]
    # written since schema 1.0 files gained failed deliveries; absent in older files
    delivered = [_entry(r, e, n) for n, e in
                 enumerate(r.get(doc, "delivered", None, list, optional=True) or [], start=1)]
    sites = []
    for n, s in enumerate(r.get(doc, "sites", None, list), start=1):
        sid = s.get("id") if isinstance(s, Mapping) else None
        sites.append(_site(r, s, f"site {sid if isinstance(sid, str) else n}"))
    codes = [e.order.tracking_code for e in (*entries, *delivered)]
    dup = sorted({c for c in codes if codes.count(c) > 1})
    if dup:
        raise r.fail(dup[0], "tracking_code", "appears more than once")
    known = {s.id for s in sites}
    for e in (*entries, *delivered):
        for key, sid in (("at_site", e.at_site), ("origin", e.order.origin),
                         ("destination", e.order.destination), ("return_to", e.return_to)):
            if sid and sid not in known:
                raise r.fail(e.order.tracking_code, key,
                             f"site '{sid}' is not among the backlog's sites")
    return Backlog(as_of, tuple(entries), tuple(sites), source=source,
                   delivered=tuple(delivered))


def _optional_date(r: _Reader, obj: Mapping[str, Any], key: str,
                   row: int | str) -> dt.date | None:
    value = r.get(obj, key, row, str, optional=True)
    return None if value is None else r.convert(row, key, dt.date.fromisoformat, value)


def _entry(r: _Reader, e: Any, n: int) -> InFlight:
    """One entry; the failed-delivery fields may be absent (files written before them)."""
    order_obj = r.get(e, "order", n, dict)
    row: int | str = order_obj.get("tracking_code") or n
    attempts = r.get(e, "attempts", row, int, optional=True)
    return InFlight(
        order=_order(r, order_obj, row),
        next_leg=r.convert(row, "next_leg", _non_negative, r.get(e, "next_leg", row, int)),
        at_site=r.get(e, "at_site", row, str),
        deadline=r.convert(row, "deadline", dt.date.fromisoformat,
                           r.get(e, "deadline", row, str)),
        days_waited=r.convert(row, "days_waited", _non_negative,
                              r.get(e, "days_waited", row, int)),
        last_reason=r.get(e, "last_reason", row, str),
        attempts=0 if attempts is None else r.convert(row, "attempts", _non_negative, attempts),
        invited_on=_optional_date(r, e, "invited_on", row),
        not_before=_optional_date(r, e, "not_before", row),
        clock_on_time=r.get(e, "clock_on_time", row, bool, optional=True),
        moved_on=_optional_date(r, e, "moved_on", row),
        return_to=r.get(e, "return_to", row, str, optional=True) or "",
    )


def read_backlog(path: Path) -> Backlog:
    """Read ``backlog.json`` written by an earlier day.

    Raises
    ------
    InputError
        The file is missing or not JSON, or an entry is malformed (file, entry, field).
    """
    path = Path(path)
    try:
        doc = json.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise InputError("file not found", source=str(path)) from None
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise InputError(f"not a JSON file: {err}", source=str(path)) from None
    return backlog_from_dict(doc, source=path.name)

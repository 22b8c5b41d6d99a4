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
    """

    order: Order
    next_leg: int
    at_site: str
    deadline: dt.date
    days_waited: int = 0
    last_reason: str = ""


@dataclass(frozen=True)
class Backlog:
    """The open orders after the day ``as_of``, with the sites they name."""

    as_of: dt.date
    entries: tuple[InFlight, ...]
    sites: tuple[Site, ...] = field(default=())
    #: The file it was read from, so an error in an entry names it (not compared).
    source: str = field(default="backlog.json", compare=False)

    def overdue(self, day: dt.date) -> tuple[InFlight, ...]:
        """Entries whose deadline is before ``day`` (late if still open on ``day``)."""
        return tuple(e for e in self.entries if e.deadline < day)


# -- writing ---------------------------------------------------------------------------


def _windows(ws: tuple[TimeWindow, ...]) -> str:
    return "; ".join(str(w).replace("–", "-") for w in ws)


def _order_dict(o: Order) -> dict[str, Any]:
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
        "citizen_name": o.citizen_name,
        "citizen_phone": o.citizen_phone,
        "procedure": o.procedure,
    }


def _site_dict(s: Site) -> dict[str, Any]:
    return {
        "id": s.id, "name": s.name, "kind": s.kind.value, "lon": s.lon, "lat": s.lat,
        "opening": _windows(s.opening), "visit_s": s.visit_s, "cutoff_s": s.cutoff_s,
        "address": s.address, "commune_code": s.commune_code, "phone": s.phone,
        "home_post_office": s.home_post_office,
    }


def backlog_to_dict(backlog: Backlog) -> dict[str, Any]:
    """The JSON-ready form of ``backlog``."""
    return {
        "schema_version": BACKLOG_SCHEMA_VERSION,
        "as_of": backlog.as_of.isoformat(),
        "entries": [
            {
                "order": _order_dict(e.order),
                "next_leg": e.next_leg,
                "at_site": e.at_site,
                "deadline": e.deadline.isoformat(),
                "days_waited": e.days_waited,
                "last_reason": e.last_reason,
            }
            for e in backlog.entries
        ],
        "sites": [_site_dict(s) for s in backlog.sites],
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
    entries = []
    for n, e in enumerate(r.get(doc, "entries", None, list), start=1):
        order_obj = r.get(e, "order", n, dict)
        row: int | str = order_obj.get("tracking_code") or n
        entries.append(InFlight(
            order=_order(r, order_obj, row),
            next_leg=r.convert(row, "next_leg", _non_negative, r.get(e, "next_leg", row, int)),
            at_site=r.get(e, "at_site", row, str),
            deadline=r.convert(row, "deadline", dt.date.fromisoformat,
                               r.get(e, "deadline", row, str)),
            days_waited=r.convert(row, "days_waited", _non_negative,
                                  r.get(e, "days_waited", row, int)),
            last_reason=r.get(e, "last_reason", row, str),
        ))
    sites = []
    for n, s in enumerate(r.get(doc, "sites", None, list), start=1):
        sid = s.get("id") if isinstance(s, Mapping) else None
        sites.append(_site(r, s, f"site {sid if isinstance(sid, str) else n}"))
    codes = [e.order.tracking_code for e in entries]
    dup = sorted({c for c in codes if codes.count(c) > 1})
    if dup:
        raise r.fail(dup[0], "tracking_code", "appears more than once")
    known = {s.id for s in sites}
    for e in entries:
        for key, sid in (("at_site", e.at_site), ("origin", e.order.origin),
                         ("destination", e.order.destination)):
            if sid not in known:
                raise r.fail(e.order.tracking_code, key,
                             f"site '{sid}' is not among the backlog's sites")
    return Backlog(as_of, tuple(entries), tuple(sites), source=source)


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

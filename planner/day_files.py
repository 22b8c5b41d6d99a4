"""A day written back as the dispatcher's input files: orders, sites and fleet CSV (docs/inputs.md).

``planner demo --export-inputs DIR`` writes its generated day here so that a
dispatcher can open it in a spreadsheet, edit it and plan it again with
``planner plan --orders DIR/orders.csv --sites DIR/sites.csv --fleet
DIR/fleet.csv --backlog DIR/backlog.json``. The columns are the documented
English names; files are UTF-8 with a byte-order mark (Excel shows the
diacritics). Visit minutes and cut-offs are left empty so the service-time
rules of the run that reads them apply.

The readers live in ``planner.formats``; these writers are their inverse for
the fields the formats have.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from pathlib import Path

from planner.backlog import Backlog, write_backlog
from planner.domain.fleet import Courier
from planner.domain.hours import TimeWindow, s_to_hhmm
from planner.domain.orders import Order
from planner.domain.sites import Site

SITE_COLUMNS = ("id", "name", "kind", "lon", "lat", "commune_code", "address", "opening",
                "phone", "home_post_office")
ORDER_COLUMNS = ("tracking_code", "kind", "origin", "destination", "accepted_on", "deadline",
                 "quantity", "origin_windows", "destination_windows", "ready", "fee_vnd",
                 "postage_vnd", "fee_at", "skills", "class", "priority", "same_day",
                 "citizen_name", "citizen_phone", "procedure", "follows")
FLEET_COLUMNS = ("id", "name", "vehicle", "capacity", "shift", "start_site", "end_site",
                 "lunch_window", "lunch_min", "max_hours", "max_km", "fixed_cost", "cost_per_km",
                 "cost_per_hour", "skills", "cash_limit_vnd", "phone")


def _windows(ws: Iterable[TimeWindow]) -> str:
    return "; ".join(f"{s_to_hhmm(w.start_s)}-{s_to_hhmm(w.end_s)}" for w in ws)


def _list(values: Iterable[str]) -> str:
    return ";".join(sorted(values))


def site_row(s: Site) -> list[str]:
    """One sites.csv row (visit minutes and cut-off left to the rules)."""
    return [s.id, s.name, s.kind.value, f"{s.lon:.6f}", f"{s.lat:.6f}", s.commune_code,
            s.address, _windows(s.opening), s.phone, s.home_post_office]


def order_row(o: Order) -> list[str]:
    """One orders.csv row."""
    return [o.tracking_code, o.kind.value, o.origin, o.destination, o.accepted_on.isoformat(),
            o.deadline.isoformat() if o.deadline else "", str(o.quantity[0]),
            _windows(o.origin_windows), _windows(o.destination_windows),
            s_to_hhmm(o.ready_s) if o.ready_s is not None else "", str(o.fee_vnd),
            str(o.postage_vnd), o.fee_at.value, _list(o.required_skills), o.item_class,
            str(o.priority), "yes" if o.same_day else "no", o.citizen_name, o.citizen_phone,
            o.procedure, o.follows]


def courier_row(c: Courier) -> list[str]:
    """One fleet.csv row."""
    lunch = c.lunch
    return [c.id, c.name, c.vehicle.value, str(c.capacity[0]), _windows([c.shift]),
            c.start_site, c.end_site, _windows([lunch.window]) if lunch else "",
            str(lunch.duration_s // 60) if lunch else "",
            f"{c.max_duration_s / 3600:g}" if c.max_duration_s is not None else "",
            f"{c.max_distance_m / 1000:g}" if c.max_distance_m is not None else "",
            str(c.fixed_cost), str(c.cost_per_km), str(c.cost_per_hour), _list(c.skills),
            str(c.cash_limit_vnd) if c.cash_limit_vnd is not None else "", c.phone]


def _write(path: Path, header: Sequence[str], rows: Iterable[list[str]]) -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def write_day_inputs(
    directory: Path,
    *,
    sites: Iterable[Site],
    couriers: Iterable[Courier],
    orders: Iterable[Order],
    backlog: Backlog | None = None,
) -> dict[str, Path]:
    """Write ``sites.csv``, ``fleet.csv``, ``orders.csv`` (and ``backlog.json``) into ``directory``.

    Returns the paths by name (``sites``, ``fleet``, ``orders``, ``backlog``).

    Raises
    ------
    OSError
        When the directory cannot be written.
    """
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    paths = {
        "sites": _write(directory / "sites.csv", SITE_COLUMNS, map(site_row, sites)),
        "fleet": _write(directory / "fleet.csv", FLEET_COLUMNS, map(courier_row, couriers)),
        "orders": _write(directory / "orders.csv", ORDER_COLUMNS, map(order_row, orders)),
    }
    if backlog is not None:
        paths["backlog"] = write_backlog(directory / "backlog.json", backlog)
    return paths

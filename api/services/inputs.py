"""Sites, fleet and orders in: uploads and updates read by the CLI's own readers.

An uploaded file is written to a temporary directory under its own name and
read by ``planner.formats`` exactly as ``planner plan`` reads it: same
messages, every problem with file, row and field, nothing stored when any
row is bad. An update is checked the same way: the changed row goes through
the reader as a one-row JSON file.
"""

from __future__ import annotations

import json
import re
import tempfile
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import BigInteger, select
from sqlalchemy.orm import Session

from api.convert import (
    courier_columns,
    courier_public,
    order_columns,
    order_public,
    site_columns,
    site_of,
    site_public,
)
from api.db.models import CourierRow, OrderRow, SiteRow
from planner.domain import Courier, Order, Site
from planner.exceptions import InputError, InputErrors
from planner.formats import read_fleet, read_orders, read_sites

T = TypeVar("T")
_REQUEST = "request.json"


def safe_name(filename: str) -> str:
    """The file's own name without any directory, safe to create (its suffix kept)."""
    name = re.sub(r"[^\w.\- ]+", "_", Path(filename.replace("\\", "/")).name).strip(" .")
    return name or "upload"


def read_file(data: bytes, filename: str, reader: Callable[[Path], T]) -> T:
    """Run ``reader`` on ``data`` saved as ``filename`` (errors name that file).

    Raises
    ------
    InputError, InputErrors
        As the reader raises them.
    """
    with tempfile.TemporaryDirectory(prefix="bcci-upload-") as tmp:
        path = Path(tmp) / safe_name(filename)
        path.write_bytes(data)
        return reader(path)


def _read_records(records: Sequence[Mapping[str, Any]], list_key: str,
                  reader: Callable[[Path], T]) -> T:
    data = json.dumps({list_key: list(records)}, ensure_ascii=False, default=str).encode()
    return read_file(data, _REQUEST, reader)


def province_sites(session: Session, province: str) -> dict[str, Site]:
    """The province's sites as planner sites, by id."""
    rows = session.scalars(select(SiteRow).where(SiteRow.province_code == province))
    return {r.site_id: site_of(r) for r in rows}


def check_storable(model: Any, records: Sequence[Mapping[str, Any]], key: str,
                   source: str) -> None:
    """Every value fits its column (integer range, text length, no NUL byte).

    Raises
    ------
    InputErrors
        One error per value that does not fit, naming the record's id and the field.
    """
    columns = model.__table__.c
    errors = []
    for values in records:
        for name, value in values.items():
            problem = _unfit(columns[name].type, value)
            if problem:
                errors.append(InputError(problem, source=source, row=str(values[key]),
                                         field=name))
    if errors:
        raise InputErrors(errors)


def _unfit(kind: Any, value: Any) -> str | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        limit = 2**63 - 1 if isinstance(kind, BigInteger) else 2**31 - 1
        return f"{value} is too large (at most {limit})" if abs(value) > limit else None
    if isinstance(value, str):
        if "\x00" in value:
            return "contains a NUL byte"
        length = getattr(kind, "length", None)
        if length is not None and len(value) > length:
            return f"longer than {length} characters"
    return None


def _upsert(session: Session, model: Any, key: str, province: str,
            records: Sequence[dict[str, Any]], *, source: str) -> tuple[int, int]:
    check_storable(model, records, key, source)
    column = getattr(model, key)
    keys = [r[key] for r in records]
    existing = {getattr(r, key): r for r in session.scalars(
        select(model).where(model.province_code == province, column.in_(keys)))}
    for values in records:
        row = existing.get(values[key])
        if row is None:
            session.add(model(province_code=province, **values))
        else:
            for name, value in values.items():
                setattr(row, name, value)
    return len(records) - len(existing), len(existing)


def store_sites(session: Session, province: str, sites: Sequence[Site], *,
                source: str) -> tuple[int, int]:
    """Add or replace ``sites`` (by id); (created, updated). Not committed."""
    return _upsert(session, SiteRow, "site_id", province, [site_columns(s) for s in sites],
                   source=source)


def store_couriers(session: Session, province: str, couriers: Sequence[Courier], *,
                   source: str) -> tuple[int, int]:
    """Add or replace ``couriers`` (by id); (created, updated). Not committed."""
    return _upsert(session, CourierRow, "courier_id", province,
                   [courier_columns(c) for c in couriers], source=source)


def store_orders(session: Session, province: str, orders: Sequence[Order], *,
                 source: str) -> int:
    """Add new ``orders``; a tracking code already stored is an error of its row.

    Raises
    ------
    InputErrors
        Naming every order already stored; nothing is added.
    """
    codes = [o.tracking_code for o in orders]
    taken = set(session.scalars(select(OrderRow.tracking_code).where(
        OrderRow.province_code == province, OrderRow.tracking_code.in_(codes))))
    if taken:
        raise InputErrors([InputError("tracking code already stored", source=source, row=c,
                                      field="tracking_code") for c in codes if c in taken])
    records = [order_columns(o) for o in orders]
    check_storable(OrderRow, records, "tracking_code", source)
    session.add_all(OrderRow(province_code=province, **r) for r in records)
    return len(orders)


def upload_sites(session: Session, province: str, data: bytes,
                 filename: str) -> tuple[int, int]:
    """Read a sites file and store every site (all or nothing). Not committed."""
    sites = read_file(data, filename, read_sites)
    return store_sites(session, province, sites, source=safe_name(filename))


def upload_fleet(session: Session, province: str, data: bytes,
                 filename: str) -> tuple[int, int]:
    """Read a fleet file against the province's sites and store every courier."""
    sites = province_sites(session, province)
    couriers = read_file(data, filename, lambda p: read_fleet(p, sites=sites))
    return store_couriers(session, province, couriers, source=safe_name(filename))


def upload_orders(session: Session, province: str, data: bytes,
                  filename: str) -> tuple[Order, ...]:
    """Read an orders file against the province's sites and add every order."""
    sites = province_sites(session, province)
    orders = read_file(data, filename, lambda p: read_orders(p, sites=sites))
    store_orders(session, province, orders, source=safe_name(filename))
    return orders


def update_site(session: Session, row: SiteRow, changes: Mapping[str, Any]) -> None:
    """Apply ``changes`` (sites-file fields) to ``row`` once the sites reader accepts them.

    The province's other sites are read along, so a home post office is checked too.
    """
    others = session.scalars(select(SiteRow).where(SiteRow.province_code == row.province_code,
                                                   SiteRow.id != row.id))
    changed = {**site_public(row).model_dump(mode="json"), **changes}
    records = [changed, *(site_public(o).model_dump(mode="json") for o in others)]
    site = next(s for s in _read_records(records, "sites", read_sites) if s.id == row.site_id)
    _assign(row, site_columns(site))


def update_courier(session: Session, row: CourierRow, changes: Mapping[str, Any]) -> None:
    """Apply ``changes`` (fleet-file fields) to ``row`` once the fleet reader accepts them."""
    sites = province_sites(session, row.province_code)
    changed = {**courier_public(row).model_dump(mode="json"), **changes}
    (courier,) = _read_records([changed], "fleet", lambda p: read_fleet(p, sites=sites))
    _assign(row, courier_columns(courier))


def update_order(session: Session, row: OrderRow, changes: Mapping[str, Any]) -> None:
    """Apply ``changes`` (orders-file fields) to ``row`` once the orders reader accepts them."""
    sites = province_sites(session, row.province_code)
    changed = {**order_public(row).model_dump(mode="json"), **changes}
    (order,) = _read_records([changed], "orders", lambda p: read_orders(p, sites=sites))
    _assign(row, order_columns(order))


def _assign(row: Any, values: Mapping[str, Any]) -> None:
    check_storable(type(row), [values], next(iter(values)), _REQUEST)
    for name, value in values.items():
        setattr(row, name, value)

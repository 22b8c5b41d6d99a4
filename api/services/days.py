"""A province's day from the database: what a plan for a date takes in.

A day's plan takes the province's sites and fleet, the backlog left by the
latest earlier day (the published plan's, or a loaded one such as the demo's
morning backlog), and the orders accepted after that backlog's day up to the
planning date (all orders up to the date when there is no backlog).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from api.convert import courier_of, order_of, site_of
from api.db.models import BacklogRow, CourierRow, OrderRow, Province, SiteRow
from api.services.outcomes import day_outcomes
from api.services.planning import DayRequest
from planner.backlog import Backlog, backlog_from_dict


def latest_backlog(session: Session, province: str, day: dt.date) -> Backlog | None:
    """The backlog of the latest day before ``day`` (None: none stored)."""
    row = session.scalar(select(BacklogRow).where(BacklogRow.province_code == province,
                                                  BacklogRow.as_of < day)
                         .order_by(BacklogRow.as_of.desc()).limit(1))
    if row is None:
        return None
    return backlog_from_dict(json.loads(row.document), source=f"backlog of {row.as_of}")


def _orders_query(province: str, day: dt.date,
                  backlog: Backlog | None) -> Select[OrderRow]:
    query = select(OrderRow).where(OrderRow.province_code == province,
                                   OrderRow.accepted_on <= day)
    if backlog is not None:
        query = query.where(OrderRow.accepted_on > backlog.as_of)
    return query.order_by(OrderRow.tracking_code)


def work_count(session: Session, province: str, day: dt.date) -> tuple[int, int, int]:
    """(couriers, orders, backlog entries) a plan of ``day`` would take in."""
    backlog = latest_backlog(session, province, day)
    orders = session.scalar(select(func.count()).select_from(
        _orders_query(province, day, backlog).subquery())) or 0
    couriers = session.scalar(select(func.count()).select_from(CourierRow).where(
        CourierRow.province_code == province)) or 0
    return couriers, orders, len(backlog.entries) if backlog else 0


def day_request(session: Session, province: Province, day: dt.date, time_limit_s: float,
                cache_dir: Path | None = None, *, engine: str = "auto") -> DayRequest:
    """Everything ``planning.plan`` needs for ``province`` on ``day``.

    The outcomes stored for the backlog's day go along (``plan_day(outcomes=)``).
    """
    code = province.code
    backlog = latest_backlog(session, code, day)
    sites = session.scalars(select(SiteRow).where(SiteRow.province_code == code)
                            .order_by(SiteRow.site_id))
    couriers = session.scalars(select(CourierRow).where(CourierRow.province_code == code)
                               .order_by(CourierRow.courier_id))
    orders = session.scalars(_orders_query(code, day, backlog))
    outcomes = day_outcomes(session, code, backlog.as_of) if backlog is not None else ()
    return DayRequest(date=day, province_name=province.name, roads=province.roads,
                      sites=tuple(site_of(s) for s in sites),
                      couriers=tuple(courier_of(c) for c in couriers),
                      orders=tuple(order_of(o) for o in orders), backlog=backlog,
                      time_limit_s=time_limit_s, cache_dir=cache_dir, engine=engine,
                      outcomes=outcomes)

"""``serve --demo``: the sample province's day in an empty database.

Loads what ``planner demo`` plans: Lạng Sơn (code 20, travel on the embedded
generated roads), its post offices, one-stop shops and citizens' addresses,
the fleet, the day's GENERATED orders and the morning's backlog, for the
given date or the next working day. A database that already holds planning
data (provinces, sites, couriers, orders or plans) is left alone.
"""

from __future__ import annotations

import datetime as dt
import json
import logging

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from api.db.models import BacklogRow, CourierRow, OrderRow, PlanRow, Province, SiteRow
from api.services.inputs import store_couriers, store_orders, store_sites
from api.services.planning import SAMPLE_ROADS
from planner.backlog import backlog_to_dict
from planner.calendar import WorkingCalendar
from planner.sample_day import SampleVolumes, sample_day

LOG = logging.getLogger("api.demo")
#: Vietnam keeps one offset all year.
VIETNAM_TZ = dt.timezone(dt.timedelta(hours=7), "ICT")


def holds_data(session: Session) -> bool:
    """Whether any province, site, courier, order or plan is stored (users do not count)."""
    tables = (Province, SiteRow, CourierRow, OrderRow, PlanRow)
    return any(session.scalar(select(func.count()).select_from(t)) for t in tables)


def demo_date(requested: dt.date | None, calendar: WorkingCalendar) -> dt.date:
    """``requested`` or tomorrow in Vietnam, moved to the next working day."""
    day = requested or dt.datetime.now(VIETNAM_TZ).date() + dt.timedelta(days=1)
    return calendar.next_working_day(day)


def load_demo(session: Session, requested: dt.date | None, *, orders: int = 300) -> bool:
    """Load the sample day into an empty database (committed); False when it held data."""
    if holds_data(session):
        LOG.info("demo: the database already holds data; nothing loaded")
        return False
    calendar = WorkingCalendar()
    day = demo_date(requested, calendar)
    sample = sample_day(day, seed=0, volumes=SampleVolumes(orders=orders), calendar=calendar)
    code = sample.province.code
    session.add(Province(code=code, name=sample.province.name, roads=SAMPLE_ROADS))
    session.flush()
    store_sites(session, code, sample.sites, source="sample day")
    store_couriers(session, code, sample.couriers, source="sample day")
    store_orders(session, code, sample.orders, source="sample day")
    session.add(BacklogRow(province_code=code, as_of=sample.backlog.as_of,
                           document=json.dumps(backlog_to_dict(sample.backlog),
                                               ensure_ascii=False)))
    session.commit()
    LOG.info("demo: loaded %s for %s: %d sites, %d couriers, %d orders, %d in the backlog",
             sample.province.name, day, len(sample.sites), len(sample.couriers),
             len(sample.orders), len(sample.backlog.entries))
    return True

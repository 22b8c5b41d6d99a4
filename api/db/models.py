"""Tables (SQLAlchemy 2, typed ``Mapped[]``): kept apart from the API's schemas (``api.schemas``).

Site, courier and order rows hold the planner's domain fields in plain columns
(time windows as ``HH:MM-HH:MM; ...`` text, skills as ``a; b``); ``api.convert``
turns them into planner objects and API shapes. A plan's documents (plan.json,
KPIs, backlog) are stored as the JSON text the planner wrote, its route sheets
and maps as bytes, all in the one transaction that finishes the job.
"""

from __future__ import annotations

import datetime as dt
from typing import overload

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


def utcnow() -> dt.datetime:
    """Now, in UTC (aware)."""
    return dt.datetime.now(dt.UTC)


@overload
def aware(moment: dt.datetime) -> dt.datetime: ...
@overload
def aware(moment: None) -> None: ...
def aware(moment: dt.datetime | None) -> dt.datetime | None:
    """``moment`` in UTC (SQLite hands back naive times)."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=dt.UTC)


class Base(DeclarativeBase):
    """Base of every table."""


class Meta(Base):
    """Key/value facts about this database (the token-signing key when none is configured)."""

    __tablename__ = "app_meta"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class Province(Base):
    """A province (2025 code, e.g. ``20`` for Lạng Sơn) and how its travel is computed."""

    __tablename__ = "provinces"
    code: Mapped[str] = mapped_column(String(8), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    #: ``straight-line`` (haversine × detour) or ``sample`` (the embedded generated roads).
    roads: Mapped[str] = mapped_column(String(32), default="straight-line")


class UserProvince(Base):
    """A user's province (managers without any are national)."""

    __tablename__ = "user_provinces"
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         primary_key=True)
    province_code: Mapped[str] = mapped_column(ForeignKey("provinces.code"), primary_key=True)


class User(Base):
    """Someone who signs in: admin, manager, dispatcher or courier."""

    __tablename__ = "users"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16))
    #: The courier id a courier user is (in their one province's fleet).
    courier_id: Mapped[str | None] = mapped_column(String(64), default=None)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    province_links: Mapped[list[UserProvince]] = relationship(
        cascade="all, delete-orphan", lazy="selectin")

    @property
    def provinces(self) -> frozenset[str]:
        """Codes of the user's provinces."""
        return frozenset(link.province_code for link in self.province_links)


class SiteRow(Base):
    """One site of a province's sites file (``planner.domain.Site``)."""

    __tablename__ = "sites"
    __table_args__ = (UniqueConstraint("province_code", "site_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    province_code: Mapped[str] = mapped_column(ForeignKey("provinces.code"), index=True)
    site_id: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(32))
    lon: Mapped[float] = mapped_column(Float)
    lat: Mapped[float] = mapped_column(Float)
    opening: Mapped[str] = mapped_column(String(200), default="")
    visit_s: Mapped[int] = mapped_column(Integer, default=0)
    cutoff_s: Mapped[int | None] = mapped_column(Integer, default=None)
    address: Mapped[str] = mapped_column(String(300), default="")
    commune_code: Mapped[str] = mapped_column(String(16), default="")
    phone: Mapped[str] = mapped_column(String(32), default="")
    home_post_office: Mapped[str] = mapped_column(String(64), default="")


class CourierRow(Base):
    """One courier of a province's fleet (``planner.domain.Courier``)."""

    __tablename__ = "couriers"
    __table_args__ = (UniqueConstraint("province_code", "courier_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    province_code: Mapped[str] = mapped_column(ForeignKey("provinces.code"), index=True)
    courier_id: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))
    vehicle: Mapped[str] = mapped_column(String(16))
    capacity: Mapped[int] = mapped_column(Integer)
    shift: Mapped[str] = mapped_column(String(16))
    start_site: Mapped[str] = mapped_column(String(64))
    end_site: Mapped[str] = mapped_column(String(64))
    lunch_window: Mapped[str] = mapped_column(String(16), default="")
    lunch_s: Mapped[int] = mapped_column(Integer, default=0)
    max_duration_s: Mapped[int | None] = mapped_column(Integer, default=None)
    max_distance_m: Mapped[int | None] = mapped_column(Integer, default=None)
    fixed_cost: Mapped[int] = mapped_column(BigInteger, default=0)
    cost_per_km: Mapped[int] = mapped_column(BigInteger, default=0)
    cost_per_hour: Mapped[int] = mapped_column(BigInteger, default=0)
    skills: Mapped[str] = mapped_column(String(300), default="")
    cash_limit_vnd: Mapped[int | None] = mapped_column(BigInteger, default=None)
    phone: Mapped[str] = mapped_column(String(32), default="")


class OrderRow(Base):
    """One order (phiếu gửi) of a province (``planner.domain.Order``); holds personal data."""

    __tablename__ = "orders"
    __table_args__ = (UniqueConstraint("province_code", "tracking_code"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    province_code: Mapped[str] = mapped_column(ForeignKey("provinces.code"), index=True)
    tracking_code: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(32))
    origin: Mapped[str] = mapped_column(String(64))
    destination: Mapped[str] = mapped_column(String(64))
    accepted_on: Mapped[dt.date] = mapped_column(Date, index=True)
    deadline: Mapped[dt.date | None] = mapped_column(Date, default=None)
    quantity: Mapped[int] = mapped_column(Integer, default=1)
    origin_windows: Mapped[str] = mapped_column(String(200), default="")
    destination_windows: Mapped[str] = mapped_column(String(200), default="")
    ready_s: Mapped[int | None] = mapped_column(Integer, default=None)
    fee_vnd: Mapped[int] = mapped_column(BigInteger, default=0)
    fee_at: Mapped[str] = mapped_column(String(16), default="pickup")
    skills: Mapped[str] = mapped_column(String(300), default="")
    item_class: Mapped[str] = mapped_column(String(32), default="")
    priority: Mapped[int] = mapped_column(Integer, default=0)
    same_day: Mapped[bool] = mapped_column(Boolean, default=False)
    citizen_name: Mapped[str] = mapped_column(String(200), default="")
    citizen_phone: Mapped[str] = mapped_column(String(32), default="")
    procedure: Mapped[str] = mapped_column(String(300), default="")
    #: Postage (cước, the post's revenue), apart from the government fee ``fee_vnd``.
    postage_vnd: Mapped[int] = mapped_column(BigInteger, default=0)
    #: An appointment slip's dossier (its tracking code; QĐ 45 art. 7(5)), else empty.
    follows: Mapped[str] = mapped_column(String(64), default="")


class OutcomeRow(Base):
    """What happened to a tracking code's leg on an earlier day (a row of the outcomes file).

    The planning job applies those of its backlog's day (``plan_day(outcomes=)``,
    TT 17 art. 5(2)(h)); one row per province, tracking code and day.
    """

    __tablename__ = "outcomes"
    __table_args__ = (UniqueConstraint("province_code", "tracking_code", "date"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    province_code: Mapped[str] = mapped_column(ForeignKey("provinces.code"), index=True)
    tracking_code: Mapped[str] = mapped_column(String(64))
    date: Mapped[dt.date] = mapped_column(Date, index=True)
    #: ``collected``, ``handed_over``, ``delivered`` or ``failed`` (``OutcomeStatus``).
    status: Mapped[str] = mapped_column(String(16))
    #: A failure's reason (``FailureReason``); None for any other status.
    reason: Mapped[str | None] = mapped_column(String(16), default=None)
    note: Mapped[str] = mapped_column(String(500), default="")
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    recorded_by: Mapped[str] = mapped_column(String(100), default="")


class BacklogRow(Base):
    """What a province carries into the days after ``as_of`` (``backlog.json``)."""

    __tablename__ = "backlogs"
    __table_args__ = (UniqueConstraint("province_code", "as_of"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    province_code: Mapped[str] = mapped_column(ForeignKey("provinces.code"), index=True)
    as_of: Mapped[dt.date] = mapped_column(Date)
    document: Mapped[str] = mapped_column(Text)
    #: The published plan that left it (None: loaded, e.g. the demo's morning backlog).
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("plans.id"), default=None)


class PlanRow(Base):
    """A province's plan for a day: pending until its job stores every document at once."""

    __tablename__ = "plans"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    province_code: Mapped[str] = mapped_column(ForeignKey("provinces.code"), index=True)
    date: Mapped[dt.date] = mapped_column(Date)
    #: ``pending`` (being planned), ``ready`` or ``failed``.
    status: Mapped[str] = mapped_column(String(16), default="pending")
    time_limit_s: Mapped[float] = mapped_column(Float)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True),
                                                            default=None)
    published_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True),
                                                             default=None)
    # The documents load only when read (a plan.json is hundreds of kilobytes).
    plan_json: Mapped[str | None] = mapped_column(Text, default=None, deferred=True)
    kpis_json: Mapped[str | None] = mapped_column(Text, default=None, deferred=True)
    backlog_json: Mapped[str | None] = mapped_column(Text, default=None, deferred=True)


class PlanFile(Base):
    """One courier's route sheet (PDF) or map (HTML) of a plan."""

    __tablename__ = "plan_files"
    __table_args__ = (UniqueConstraint("plan_id", "courier_id", "kind"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    courier_id: Mapped[str] = mapped_column(String(64))
    #: ``sheet`` or ``map``.
    kind: Mapped[str] = mapped_column(String(8))
    content: Mapped[bytes] = mapped_column(LargeBinary)


class Job(Base):
    """A planning job: status, progress, heartbeat and attempts (survives the server)."""

    __tablename__ = "jobs"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"), index=True)
    province_code: Mapped[str] = mapped_column(ForeignKey("provinces.code"))
    #: queued, running, succeeded, failed, cancelled or interrupted.
    status: Mapped[str] = mapped_column(String(16), default="queued", index=True)
    progress: Mapped[float] = mapped_column(Float, default=0.0)
    phase: Mapped[str] = mapped_column(String(32), default="queued")
    message: Mapped[str] = mapped_column(Text, default="")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    cancel_requested: Mapped[bool] = mapped_column(Boolean, default=False)
    heartbeat_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True),
                                                             default=None)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), default=None)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    started_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True),
                                                           default=None)
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True),
                                                            default=None)


class AuditEntry(Base):
    """Who read or changed personal data, when, what, and which plan or item."""

    __tablename__ = "audit"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(Integer, default=None)
    user_name: Mapped[str] = mapped_column(String(100))
    #: ``read``, ``create``, ``update``, ``publish``, ``plan``.
    action: Mapped[str] = mapped_column(String(16))
    #: The resource: ``orders``, ``sites``, ``plan``, ``route``, ``route sheet``, ...
    what: Mapped[str] = mapped_column(String(32))
    province_code: Mapped[str | None] = mapped_column(String(8), default=None)
    plan_id: Mapped[int | None] = mapped_column(Integer, default=None)
    item: Mapped[str | None] = mapped_column(String(200), default=None)
    detail: Mapped[str] = mapped_column(Text, default="")


class ScenarioRun(Base):
    """A stored scenario comparison (``planner scenarios run``'s output), read-only to managers.

    ``comparison_json``: the rows of ``comparison.csv`` (one per scenario) as a
    JSON list of objects; ``days_json``: the rows of ``days.csv``; ``run_json``:
    ``run.json`` as written (what was run).
    """

    __tablename__ = "scenario_runs"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    province_code: Mapped[str] = mapped_column(ForeignKey("provinces.code"), index=True)
    source: Mapped[str] = mapped_column(String(200))
    start: Mapped[dt.date] = mapped_column(Date)
    days: Mapped[int] = mapped_column(Integer)
    seeds: Mapped[int] = mapped_column(Integer)
    scenarios: Mapped[int] = mapped_column(Integer)
    failed: Mapped[int] = mapped_column(Integer, default=0)
    imported_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    imported_by: Mapped[str] = mapped_column(String(100), default="")
    run_json: Mapped[str] = mapped_column(Text, deferred=True)
    comparison_json: Mapped[str] = mapped_column(Text, deferred=True)
    days_json: Mapped[str] = mapped_column(Text, deferred=True)

"""Provinces, sites, fleet and orders as the API shows and changes them.

Sites, couriers and orders are shown with the columns of their input files
(docs/inputs.md), so a list read from the API is also a valid JSON upload.
Creating is uploading a file (CSV, XLSX or JSON, all-or-nothing); updating
takes the fields to change and checks the result with the same readers.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from api.schemas.common import ProvinceCode
from planner.domain import FeeMoment, ItemKind, SiteKind, VehicleType
from planner.domain.outcomes import FailureReason, OutcomeStatus

Roads = Literal["straight-line", "sample"]


class ProvinceCreate(BaseModel):
    """A new province: one of the 34 of 2025; its name by default the official one."""

    model_config = ConfigDict(extra="forbid")
    code: ProvinceCode
    name: str | None = Field(default=None, min_length=1, max_length=200,
                             description="default: the official name (e.g. Tỉnh Lạng Sơn)")
    roads: Roads = "straight-line"


class ProvinceUpdate(BaseModel):
    """Changes to a province."""

    model_config = ConfigDict(extra="forbid")
    name: str | None = Field(default=None, min_length=1, max_length=200)
    roads: Roads | None = None


class ProvincePublic(BaseModel):
    """A province; ``roads``: straight-line travel, or the sample province's generated roads."""

    code: str
    name: str
    roads: str


class UploadResult(BaseModel):
    """What an upload stored (all rows, or none when any was bad)."""

    source: str
    created: int
    updated: int


class SitePublic(BaseModel):
    """A site, as a row of the sites file."""

    id: str
    name: str
    kind: SiteKind
    lon: float
    lat: float
    commune_code: str
    address: str
    opening: str
    visit_min: int
    cutoff: str | None
    phone: str
    home_post_office: str


class SiteUpdate(BaseModel):
    """Fields of a site to change (checked as the sites file would be)."""

    model_config = ConfigDict(extra="forbid")
    name: str | None = None
    kind: SiteKind | None = None
    lon: float | None = None
    lat: float | None = None
    commune_code: str | None = None
    address: str | None = None
    opening: str | None = None
    visit_min: int | None = None
    cutoff: str | None = None
    phone: str | None = None
    home_post_office: str | None = None


class CourierPublic(BaseModel):
    """A courier, as a row of the fleet file."""

    id: str
    name: str
    vehicle: VehicleType
    capacity: int
    shift: str
    start_site: str
    end_site: str
    lunch_window: str
    lunch_min: int
    max_hours: float | None
    max_km: float | None
    fixed_cost: int
    cost_per_km: int
    cost_per_hour: int
    skills: str
    cash_limit_vnd: int | None
    phone: str


class CourierUpdate(BaseModel):
    """Fields of a courier to change (checked as the fleet file would be)."""

    model_config = ConfigDict(extra="forbid")
    name: str | None = None
    vehicle: VehicleType | None = None
    capacity: int | None = None
    shift: str | None = None
    start_site: str | None = None
    end_site: str | None = None
    lunch_window: str | None = None
    lunch_min: int | None = None
    max_hours: float | None = None
    max_km: float | None = None
    fixed_cost: int | None = None
    cost_per_km: int | None = None
    cost_per_hour: int | None = None
    skills: str | None = None
    cash_limit_vnd: int | None = None
    phone: str | None = None


class OrderPublic(BaseModel):
    """An order, as a row of the orders file (carries the citizen's personal data)."""

    tracking_code: str
    kind: ItemKind
    origin: str
    destination: str
    accepted_on: dt.date
    deadline: dt.date | None
    quantity: int
    origin_windows: str
    destination_windows: str
    ready: str | None
    fee_vnd: int
    postage_vnd: int
    fee_at: FeeMoment
    skills: str
    item_class: str
    priority: int
    same_day: bool
    citizen_name: str
    citizen_phone: str
    procedure: str
    follows: str


class OrderUpdate(BaseModel):
    """Fields of an order to change (checked as the orders file would be)."""

    model_config = ConfigDict(extra="forbid")
    kind: ItemKind | None = None
    origin: str | None = None
    destination: str | None = None
    accepted_on: dt.date | None = None
    deadline: dt.date | None = None
    quantity: int | None = None
    origin_windows: str | None = None
    destination_windows: str | None = None
    ready: str | None = None
    fee_vnd: int | None = None
    postage_vnd: int | None = None
    fee_at: FeeMoment | None = None
    skills: str | None = None
    item_class: str | None = None
    priority: int | None = None
    same_day: bool | None = None
    citizen_name: str | None = None
    citizen_phone: str | None = None
    procedure: str | None = None
    follows: str | None = None


class OutcomePublic(BaseModel):
    """An outcome, as a row of the outcomes file (docs/inputs.md; TT 17 art. 5(2)(h))."""

    tracking_code: str
    date: dt.date
    status: OutcomeStatus
    reason: FailureReason | None
    note: str

"""The service's own terms: sites, hours, couriers, items."""

from planner.domain.fleet import Courier, LunchBreak, VehicleType
from planner.domain.hours import (
    OFFICE_HOURS,
    SAME_DAY_CUTOFF_S,
    SATURDAY_HOURS,
    TimeWindow,
    hhmm_to_s,
    parse_windows,
    s_to_hhmm,
)
from planner.domain.items import FeeMoment, Item, ItemKind
from planner.domain.orders import Order
from planner.domain.sites import Site, SiteKind

__all__ = [
    "OFFICE_HOURS",
    "SAME_DAY_CUTOFF_S",
    "SATURDAY_HOURS",
    "Courier",
    "FeeMoment",
    "Item",
    "ItemKind",
    "LunchBreak",
    "Order",
    "Site",
    "SiteKind",
    "TimeWindow",
    "VehicleType",
    "hhmm_to_s",
    "parse_windows",
    "s_to_hhmm",
]

"""Sites: post offices, commune post points, one-stop shops, citizens' addresses."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from planner.domain.hours import TimeWindow


class SiteKind(StrEnum):
    """What a stop is; decides default hours, service times and map markers."""

    PROVINCIAL_POST_OFFICE = "provincial_post_office"  # Bưu điện tỉnh
    DISTRICT_POST_OFFICE = "district_post_office"  # Bưu điện huyện / bưu cục
    POST_POINT = "post_point"  # Bưu điện văn hóa xã (BĐVHX)
    COMMUNE_ONE_STOP = "commune_one_stop"  # Bộ phận một cửa cấp xã
    DISTRICT_ONE_STOP = "district_one_stop"  # Bộ phận một cửa cấp huyện (pre-2025)
    SERVICE_CENTER = "service_center"  # Trung tâm Phục vụ hành chính công tỉnh
    CITIZEN = "citizen"  # Địa chỉ của công dân

    @property
    def is_agency(self) -> bool:
        """One-stop shops and the service centre: office hours, hand-over records."""
        return self in (
            SiteKind.COMMUNE_ONE_STOP,
            SiteKind.DISTRICT_ONE_STOP,
            SiteKind.SERVICE_CENTER,
        )

    @property
    def is_post_office(self) -> bool:
        """Post offices that can be a depot and a transfer point between legs."""
        return self in (SiteKind.PROVINCIAL_POST_OFFICE, SiteKind.DISTRICT_POST_OFFICE)


@dataclass(frozen=True)
class Site:
    """A place a courier stops at.

    ``opening`` lists the intervals of the planning day when the site can be
    served (several per day: morning and afternoon sessions; empty: any time).
    ``visit_s`` is the fixed time of one visit (parking, finding the officer,
    one hand-over record), paid once however many items are handed over there;
    each item's own formalities are on the item (``pickup_service_s`` ...).
    ``cutoff_s`` is a soft latest arrival (the one-stop 15:00 cut-off): later
    arrivals are allowed but cost. ``home_post_office`` is the id of the post
    office whose territory the site lies in (where its items change hands
    between local couriers and the trunk run); empty when not known.
    """

    id: str
    name: str
    kind: SiteKind
    lon: float
    lat: float
    opening: tuple[TimeWindow, ...] = ()
    visit_s: int = 0
    cutoff_s: int | None = None
    address: str = ""
    commune_code: str = ""
    phone: str = ""
    home_post_office: str = ""

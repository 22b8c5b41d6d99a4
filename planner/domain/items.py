"""Items a courier carries: dossiers (hồ sơ), results (kết quả), appointment slips."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum

from planner.domain.hours import TimeWindow


class ItemKind(StrEnum):
    """What is carried (DOMAIN.md 8.1).

    ``TRANSFER`` is a dossier carried between the agencies of an inter-agency
    (liên thông) procedure; ``RETURN`` is a result that could not be delivered
    after the invitations, going back to the agency that issued it.
    """

    DOSSIER = "dossier"  # hồ sơ: citizen / post point → agency
    RESULT = "result"  # kết quả: agency → citizen / post point
    APPOINTMENT_SLIP = "appointment_slip"  # giấy hẹn trả kết quả: agency → citizen
    TRANSFER = "transfer"  # hồ sơ liên thông: agency → agency (QĐ 45 art. 16(2))
    RETURN = "return"  # kết quả hoàn trả: undelivered result → its agency (TT 17 art. 5(2)(h))

    @property
    def is_filing(self) -> bool:
        """Whether handing it to an agency files a dossier there (QĐ 45 art. 7(4), 16(2))."""
        return self in (ItemKind.DOSSIER, ItemKind.TRANSFER)


class FeeMoment(StrEnum):
    """When a fee in cash is collected: from the citizen at pickup or at delivery."""

    PICKUP = "pickup"
    DELIVERY = "delivery"


@dataclass(frozen=True)
class Item:
    """One tracked item (one consignment note, số hiệu phiếu gửi) to move today.

    A pickup at ``pickup_site`` and a delivery at ``delivery_site`` by the same
    courier, pickup first. ``quantity`` is aligned with ``Problem.dimensions``.
    Windows are the item's own (a citizen's preferred hours); the site's
    opening hours apply as well. ``deadline`` is the last working day the
    delivery may happen (J+n); an item due today that is left unassigned is
    late. ``item_class`` takes part in incompatibility rules (for example
    ``"KT1"`` may not share a vehicle with ordinary loads). ``penalty`` is the
    cost (VND) of leaving the item for tomorrow; None lets the solver derive
    it from deadline and priority. ``on_board`` names the courier already
    carrying it (its pickup is done: re-optimisation mid-day). ``attempt``: the
    delivery attempt this is after failed ones (2 for the first re-attempt,
    TT 17 art. 5(2)(h); 0 for a first attempt), printed on the route sheet.
    """

    tracking_code: str
    kind: ItemKind
    pickup_site: str
    delivery_site: str
    quantity: tuple[int, ...] = (1,)
    pickup_windows: tuple[TimeWindow, ...] = ()
    delivery_windows: tuple[TimeWindow, ...] = ()
    pickup_service_s: int = 0
    delivery_service_s: int = 0
    deadline: dt.date | None = None
    required_skills: frozenset[str] = field(default_factory=frozenset)
    item_class: str = ""
    priority: int = 0
    penalty: int | None = None
    fee_vnd: int = 0
    fee_at: FeeMoment = FeeMoment.PICKUP
    on_board: str | None = None
    citizen_name: str = ""
    citizen_phone: str = ""
    procedure: str = ""
    attempt: int = 0

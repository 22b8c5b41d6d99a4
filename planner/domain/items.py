"""Items a courier carries: dossiers (hồ sơ), results (kết quả), appointment slips."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum

from planner.domain.hours import TimeWindow
from planner.plan import Action


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
    """When the citizen pays in cash: at their dossier's pickup or their result's delivery.

    The same moment holds for the government fee and the postage: both are paid
    by the citizen at their door (QĐ 45 art. 6(4), 11, 12(1); TT 17 art. 5(2)(e)).
    """

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
    ``released_s``: the agency releases the result at this time today (the
    QĐ 45 art. 8(4) notice); its pickup starts no earlier, whatever its own
    windows say, and a reason can name the release when it leaves no window
    (``planner.solver.reasons``).

    Cash (QĐ 45 art. 11, 12, 15(2); TT 17 art. 5(2)(e); DOMAIN.md §3.5):
    ``fee_vnd`` is the government fee or charge (phí, lệ phí: the agency's
    money) and ``postage_vnd`` the postage (cước: the post's revenue) the
    courier collects from the citizen on this leg, at ``fee_at``; both are 0
    on a leg that does not reach the citizen's door (the payer is not there).
    ``fee_to_agency``: the fee collected at pickup travels with the dossier and
    is handed to the agency at this leg's delivery, on the biên bản (QĐ 45
    art. 7(5)); otherwise it stays on board, with the postage, until the
    courier remits the day's cash at the post office. ``fee_carried_vnd``: the
    fee of a dossier the citizen paid on an earlier leg (remitted at the post
    office by that leg's courier) or at a post point's counter; this leg's
    courier takes it with the dossier at the pickup and hands it to the agency
    at the delivery, on the biên bản (QĐ 45 art. 7(5), 11, 15(2)).
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
    released_s: int | None = None
    postage_vnd: int = 0
    fee_to_agency: bool = False
    fee_carried_vnd: int = 0

    def _paid_at(self, action: Action) -> bool:
        return (action is Action.PICKUP) == (self.fee_at is FeeMoment.PICKUP)

    def fee_collected_vnd(self, action: Action) -> int:
        """Government fee collected from the citizen at this event (VND; 0: none here)."""
        return self.fee_vnd if self._paid_at(action) else 0

    def postage_collected_vnd(self, action: Action) -> int:
        """Postage collected from the citizen at this event (VND; 0: none here)."""
        return self.postage_vnd if self._paid_at(action) else 0

    def fee_handed_vnd(self, action: Action) -> int:
        """Government fee handed to the agency with the dossier at this event (VND).

        The fee collected at pickup, at the dossier's delivery to the agency
        when ``fee_to_agency`` (QĐ 45 art. 7(5): the fees go with the dossier),
        and the fee carried from the post office (``fee_carried_vnd``).
        """
        if action is not Action.DELIVERY:
            return 0
        handed = self.fee_to_agency and self.fee_at is FeeMoment.PICKUP
        return (self.fee_vnd if handed else 0) + self.fee_carried_vnd

    def fee_taken_vnd(self, action: Action) -> int:
        """Government fee taken at the post office with the dossier at this event (VND).

        The fee of an earlier leg or a post point's counter, for the agency
        (``fee_carried_vnd``), taken at this leg's pickup.
        """
        return self.fee_carried_vnd if action is Action.PICKUP else 0

    def cash_delta_vnd(self, action: Action) -> int:
        """Change of the cash the courier carries at this event (VND, may be negative)."""
        return (self.fee_collected_vnd(action) + self.postage_collected_vnd(action)
                + self.fee_taken_vnd(action) - self.fee_handed_vnd(action))

    @property
    def cash_peak_vnd(self) -> int:
        """Most cash this item alone puts on board at once (VND): after its pickup or delivery."""
        after_pickup = self.cash_delta_vnd(Action.PICKUP)
        return max(after_pickup, after_pickup + self.cash_delta_vnd(Action.DELIVERY))

    @property
    def cash_on_board_vnd(self) -> int:
        """Cash already carried for this item when it is on board (its pickup is done)."""
        return self.cash_delta_vnd(Action.PICKUP)

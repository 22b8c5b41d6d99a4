"""Orders: what a citizen or an agency asked the post to move, before it is cut into legs.

An order goes from its ``origin`` to its ``destination``; when the two lie in
different post-office territories it travels in legs through post offices,
possibly over several working days (``planner.journeys``). Each day's legs
become :class:`planner.domain.items.Item` objects for the solver, carrying the
order's tracking code.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from planner.domain.hours import TimeWindow
from planner.domain.items import FeeMoment, ItemKind


@dataclass(frozen=True)
class Order:
    """One consignment (phiếu gửi) to move from ``origin`` to ``destination``.

    ``accepted_on`` is J, the acceptance day on the phiếu gửi; ``deadline`` is
    the last working day for the final delivery (J+n); None lets the calendar
    derive it from the scope (``planner.calendar``). ``origin_windows`` and
    ``destination_windows`` are the citizen's own preferred hours (sites'
    opening hours apply as well). ``ready_s``: a result is released by the
    agency at this time of day (earliest pickup). ``same_day``: a same-day
    procedure (QĐ 45 art. 16(3)): high priority, due today, one direct leg.
    ``follows``: for an appointment slip, the tracking code of the dossier
    whose hand-over issues it (QĐ 45 art. 7(5)); the slip moves only once that
    dossier has been handed over (empty: the slip is already at the agency).

    ``fee_vnd`` is the government fee or charge (phí, lệ phí) and
    ``postage_vnd`` the postage (cước) the citizen pays in cash at ``fee_at``
    (at their door: the dossier's pickup or the result's delivery; QĐ 45
    art. 11, 12(1)). Neither is collected by the courier when that end is not
    the citizen's address (a post point: paid at the counter).
    """

    tracking_code: str
    kind: ItemKind
    origin: str
    destination: str
    accepted_on: dt.date
    deadline: dt.date | None = None
    quantity: tuple[int, ...] = (1,)
    origin_windows: tuple[TimeWindow, ...] = ()
    destination_windows: tuple[TimeWindow, ...] = ()
    ready_s: int | None = None
    fee_vnd: int = 0
    fee_at: FeeMoment = FeeMoment.PICKUP
    required_skills: frozenset[str] = field(default_factory=frozenset)
    item_class: str = ""
    priority: int = 0
    same_day: bool = False
    citizen_name: str = ""
    citizen_phone: str = ""
    procedure: str = ""
    follows: str = ""
    postage_vnd: int = 0

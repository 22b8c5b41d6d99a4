"""Earlier days' outcomes applied to the backlog: failed legs undone, failed deliveries tried again.

The backlog written after a day assumes every planned leg was done. The
outcomes file (``planner.formats.outcomes``) says what really happened; a
confirmation (collected, handed over, delivered) changes nothing, a failure
changes the order's next step:

* a failed delivery of a result or an appointment slip to the citizen leaves
  an invitation to collect; the item goes back to the destination's post
  office and is tried again no earlier than 2 working days after the
  invitation (TT 17 art. 5(2)(h); DOMAIN.md 3.3, 8.15). After the second
  failed attempt, or at once when another visit cannot succeed (refused,
  wrong address: :attr:`FailureReason.reattempted`), a return leg carries it
  back to the agency that issued it (an order of kind ``return``);
* any other failed leg (a citizen absent for a pickup, an agency that did not
  take a dossier) is undone: the leg is planned again from where it started.

The end-to-end clock of a result stops at the first delivery attempt (TT 17
art. 3(5)): re-attempts and return legs keep ``InFlight.clock_on_time`` as the
first attempt set it, and the KPIs count the order on time or late by it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from planner.backlog import Backlog, InFlight
from planner.calendar import WorkingCalendar
from planner.domain.items import FeeMoment, ItemKind
from planner.domain.orders import Order
from planner.domain.outcomes import FailureReason, Outcome, OutcomeStatus
from planner.domain.sites import Site
from planner.exceptions import InputError, InputErrors
from planner.journeys import home_post_office, legs_of, order_deadline, sites_named

#: Failed delivery attempts after which a result goes back to its agency (TT 17 art. 5(2)(h):
#: "at least twice").
MAX_ATTEMPTS = 2
#: Working days between an invitation to collect and the next attempt (TT 17 art. 5(2)(h)).
INVITATION_GAP_DAYS = 2
#: Kinds delivered to the citizen under the invitation rule (TT 17 art. 5(2)(h)).
INVITED_KINDS = frozenset({ItemKind.RESULT, ItemKind.APPOINTMENT_SLIP})

__all__ = ["INVITATION_GAP_DAYS", "INVITED_KINDS", "MAX_ATTEMPTS", "AppliedOutcomes",
           "apply_outcomes"]


@dataclass(frozen=True)
class AppliedOutcomes:
    """The backlog after the outcomes, and what they changed (tracking codes)."""

    backlog: Backlog
    reattempts: tuple[str, ...] = ()
    returns: tuple[str, ...] = ()
    undone: tuple[str, ...] = ()
    confirmed: int = 0

    @property
    def failures(self) -> int:
        """Failed legs taken in."""
        return len(self.reattempts) + len(self.returns) + len(self.undone)


def apply_outcomes(
    backlog: Backlog,
    outcomes: Iterable[Outcome],
    *,
    calendar: WorkingCalendar,
    sites: Iterable[Site] = (),
    source: str = "outcomes",
) -> AppliedOutcomes:
    """Apply ``outcomes`` of earlier days to ``backlog`` (what the day after it starts from).

    Parameters
    ----------
    backlog
        The backlog written after the last planned day (with its ``delivered``).
    outcomes
        What happened, per tracking code and day. Those of the backlog's day
        (``Backlog.as_of``) apply, a failure to the leg done that day
        (``InFlight.moved_on``); those of earlier days were applied to their
        own day's backlog and are skipped, so one growing file can be given
        every day.
    calendar
        Working days, for the day of a re-attempt and a return leg's J+n.
    sites
        Today's sites (the backlog's own sites take precedence for its orders).
    source
        The outcomes file's name, for errors.

    Returns
    -------
    AppliedOutcomes
        The new backlog: failed entries reopened or moved back, the others as they were.

    Raises
    ------
    InputErrors
        Every outcome of the backlog's day naming a tracking code the backlog
        does not have, or failing an order no leg of which was done that day;
        every outcome dated after the backlog's day (row: tracking code).
    """
    all_sites = {s.id: s for s in sites} | {s.id: s for s in backlog.sites}
    open_ = {e.order.tracking_code: e for e in backlog.entries}
    delivered = {e.order.tracking_code: e for e in backlog.delivered}
    errors: list[InputError] = []
    reattempts: list[str] = []
    returns: list[str] = []
    undone: list[str] = []
    confirmed = 0
    for o in outcomes:
        code = o.tracking_code
        if o.date < backlog.as_of:
            continue  # an earlier day's: applied to that day's backlog
        if o.date > backlog.as_of:
            errors.append(InputError(
                f"{o.date.isoformat()} is after the backlog's day {backlog.as_of.isoformat()}: "
                "plan that day first", source=source, row=code, field="date"))
            continue
        e = open_.get(code) or delivered.get(code)
        if e is None:
            errors.append(InputError(
                f"not in the backlog of {backlog.as_of.isoformat()} (neither open nor "
                "delivered that day)", source=source, row=code, field="tracking_code"))
            continue
        if o.status is not OutcomeStatus.FAILED:
            confirmed += 1
            continue
        if e.moved_on != o.date:
            errors.append(InputError(
                f"failed on {o.date.isoformat()}, but the backlog has no leg of it done that "
                f"day (last leg done: {e.moved_on.isoformat() if e.moved_on else 'none'})",
                source=source, row=code, field="date"))
            continue
        assert o.reason is not None
        final = code in delivered
        if final and e.order.kind in INVITED_KINDS:
            new = _failed_delivery(e, o.date, o.reason, all_sites, calendar)
            (returns if new.order.kind is ItemKind.RETURN else reattempts).append(code)
        else:
            new = _undo(e, o.reason, all_sites)
            undone.append(code)
        delivered.pop(code, None)
        open_[code] = new
    if errors:
        raise InputErrors(errors)
    entries = tuple(open_.values())
    kept = tuple(delivered.values())
    out = Backlog(backlog.as_of, entries, sites_named([*entries, *kept], all_sites),
                  source=backlog.source, delivered=kept)
    return AppliedOutcomes(out, tuple(reattempts), tuple(returns), tuple(undone), confirmed)


def _label(reason: FailureReason) -> str:
    return f"failed: {reason.value}"


def _undo(e: InFlight, reason: FailureReason, sites: Mapping[str, Site]) -> InFlight:
    """The leg done on ``e.moved_on`` did not happen: plan it again from where it started."""
    legs = legs_of(e.order, sites)
    leg = legs[e.next_leg - 1]
    return replace(e, next_leg=leg.index, at_site=leg.pickup_site, moved_on=None,
                   days_waited=e.days_waited + 1, last_reason=_label(reason),
                   clock_on_time=e.clock_on_time if e.attempts else None)


def _failed_delivery(e: InFlight, day: dt.date, reason: FailureReason,
                     sites: Mapping[str, Site], calendar: WorkingCalendar) -> InFlight:
    """A failed delivery to the citizen: an invitation and a re-attempt, or a return leg.

    The item is back at the destination's post office (the courier's base).
    """
    o = e.order
    attempts = e.attempts + 1
    post = home_post_office(sites[o.destination], sites)
    if reason.reattempted and attempts < MAX_ATTEMPTS:
        again = calendar.add_working_days(day, INVITATION_GAP_DAYS)
        # a fee due at pickup was collected on the first journey
        fee = o.fee_vnd if o.fee_at is FeeMoment.DELIVERY else 0
        retry = replace(o, origin=post, origin_windows=(), ready_s=None, same_day=False,
                        follows="", fee_vnd=fee)
        return InFlight(retry, 0, post, again, attempts=attempts, invited_on=day,
                        not_before=again, clock_on_time=e.clock_on_time,
                        return_to=e.return_to or o.origin,
                        last_reason=f"{_label(reason)}; invited to collect on {day.isoformat()}")
    back = Order(tracking_code=o.tracking_code, kind=ItemKind.RETURN, origin=post,
                 destination=e.return_to or o.origin, accepted_on=day, quantity=o.quantity,
                 required_skills=o.required_skills, item_class=o.item_class,
                 priority=o.priority, citizen_name=o.citizen_name,
                 citizen_phone=o.citizen_phone, procedure=o.procedure)
    deadline = order_deadline(back, legs_of(back, sites), calendar)
    return InFlight(back, 0, post, deadline, attempts=attempts, invited_on=e.invited_on,
                    clock_on_time=e.clock_on_time,
                    last_reason=f"{_label(reason)}; returned to the agency after "
                                f"{attempts} attempt(s) (TT 17 art. 5(2)(h))")

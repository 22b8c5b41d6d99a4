"""Earlier days' outcomes applied to the backlog: re-attempts after the invitation, return legs."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from planner.backlog import Backlog, backlog_from_dict, backlog_to_dict
from planner.calendar import WorkingCalendar
from planner.domain import FeeMoment, ItemKind, Order, Site, SiteKind
from planner.domain.outcomes import FailureReason, Outcome, OutcomeStatus
from planner.exceptions import InputErrors
from planner.journeys import carry_over, todays_work
from planner.outcomes import apply_outcomes

# Mon 23/11/2026; Tue 24/11 is a holiday (planner.calendar); then Wed 25, Thu 26, Fri 27, Mon 30.
MON, WED, THU, FRI = (dt.date(2026, 11, d) for d in (23, 25, 26, 27))
NEXT_MON = dt.date(2026, 11, 30)
CAL = WorkingCalendar()
SITES = {s.id: s for s in (
    Site("BD", "Bưu điện tỉnh", SiteKind.PROVINCIAL_POST_OFFICE, 106.76, 21.85,
         home_post_office="BD"),
    Site("BC", "Bưu điện Cao Lộc", SiteKind.DISTRICT_POST_OFFICE, 106.77, 21.89,
         home_post_office="BC"),
    Site("TT", "Trung tâm PVHCC", SiteKind.SERVICE_CENTER, 106.75, 21.85, home_post_office="BD"),
    Site("MC", "Một cửa Cao Lộc", SiteKind.COMMUNE_ONE_STOP, 106.78, 21.89,
         home_post_office="BC"),
    Site("A", "Nguyễn Thị Hương", SiteKind.CITIZEN, 106.80, 21.92, home_post_office="BC"),
)}


def _result(code: str = "KQ1", **kw: object) -> Order:
    """A result from the commune one-stop shop to a citizen of the same territory (one leg)."""
    return Order(code, ItemKind.RESULT, "MC", "A", MON, **kw)  # type: ignore[arg-type]


def _delivered_on_monday(*orders: Order) -> Backlog:
    """Monday's backlog after every order's only leg was delivered."""
    work = todays_work(MON, orders, None, SITES, calendar=CAL)
    return carry_over(work, [o.tracking_code for o in orders], {}, MON)


def _failed(code: str, reason: FailureReason, day: dt.date = MON) -> Outcome:
    return Outcome(code, day, OutcomeStatus.FAILED, reason)


def test_a_delivered_order_is_kept_a_day_and_stops_its_clock() -> None:
    """The final leg done leaves the open entries for ``delivered``, clock met at the attempt."""
    backlog = _delivered_on_monday(_result())
    assert backlog.entries == ()
    (e,) = backlog.delivered
    assert (e.moved_on, e.clock_on_time, e.attempts) == (MON, True, 0)
    assert backlog_from_dict(json.loads(json.dumps(backlog_to_dict(backlog)))) == backlog


def test_an_absent_citizen_gets_a_reattempt_two_working_days_after_the_invitation() -> None:
    """TT 17 art. 5(2)(h): invited on Monday, tried again Thursday (Tuesday is a holiday)."""
    applied = apply_outcomes(_delivered_on_monday(_result()),
                             [_failed("KQ1", FailureReason.ABSENT)], calendar=CAL)
    assert applied.reattempts == ("KQ1",)
    (e,) = applied.backlog.entries
    assert applied.backlog.delivered == ()
    assert (e.attempts, e.invited_on, e.not_before, e.deadline) == (1, MON, THU, THU)
    assert (e.order.origin, e.at_site, e.order.destination) == ("BC", "BC", "A")
    wed = todays_work(WED, [], applied.backlog, {}, calendar=CAL)
    assert wed.items == ()
    assert "re-attempt from 2026-11-26" in wed.not_today["KQ1"]
    (item,) = todays_work(THU, [], applied.backlog, {}, calendar=CAL).items
    assert (item.pickup_site, item.delivery_site, item.deadline) == ("BC", "A", THU)
    assert item.attempt == 2, "the route sheet says it is the second attempt"


def test_a_reattempt_collects_only_a_fee_due_at_delivery() -> None:
    """A fee due at delivery is still owed; one due at pickup was taken on the first journey."""
    backlog = _delivered_on_monday(_result("KQ1", fee_vnd=30_000, fee_at=FeeMoment.DELIVERY),
                                   _result("KQ2", fee_vnd=30_000, fee_at=FeeMoment.PICKUP))
    applied = apply_outcomes(backlog, [_failed("KQ1", FailureReason.ABSENT),
                                       _failed("KQ2", FailureReason.NO_VALID_ID)], calendar=CAL)
    fees = {e.order.tracking_code: e.order.fee_vnd for e in applied.backlog.entries}
    assert fees == {"KQ1": 30_000, "KQ2": 0}


def test_the_second_failed_attempt_plans_a_return_leg_to_the_agency() -> None:
    """After two failed attempts the result goes back to the one-stop shop that issued it."""
    first = apply_outcomes(_delivered_on_monday(_result()),
                           [_failed("KQ1", FailureReason.ABSENT)], calendar=CAL)
    work = todays_work(THU, [], first.backlog, {}, calendar=CAL)
    thursday = carry_over(work, ["KQ1"], {}, THU)
    assert thursday.delivered[0].attempts == 1
    second = apply_outcomes(thursday, [_failed("KQ1", FailureReason.ABSENT, THU)], calendar=CAL)
    assert second.returns == ("KQ1",)
    (e,) = second.backlog.entries
    assert e.order.kind is ItemKind.RETURN
    assert (e.order.origin, e.order.destination, e.attempts, e.not_before) == ("BC", "MC", 2,
                                                                                None)
    (item,) = todays_work(FRI, [], second.backlog, {}, calendar=CAL).items
    assert (item.kind, item.pickup_site, item.delivery_site, item.attempt) == (
        ItemKind.RETURN, "BC", "MC", 0)


@pytest.mark.parametrize("reason", [FailureReason.REFUSED, FailureReason.WRONG_ADDRESS])
def test_a_refusal_or_a_wrong_address_returns_the_result_at_once(reason: FailureReason) -> None:
    """Another visit cannot cure these: the return leg is planned the next working day."""
    applied = apply_outcomes(_delivered_on_monday(_result()), [_failed("KQ1", reason)],
                             calendar=CAL)
    (e,) = applied.backlog.entries
    assert (e.order.kind, e.attempts) == (ItemKind.RETURN, 1)
    assert [i.tracking_code for i in todays_work(WED, [], applied.backlog, {},
                                                 calendar=CAL).items] == ["KQ1"]


def test_a_failed_pickup_is_planned_again_from_the_citizen() -> None:
    """A dossier not collected (citizen absent) is undone: its first leg again, from home."""
    hs = Order("HS1", ItemKind.DOSSIER, "A", "TT", MON)
    work = todays_work(MON, [hs], None, SITES, calendar=CAL)
    backlog = carry_over(work, ["HS1"], {}, MON)
    assert backlog.entries[0].at_site == "BC"
    applied = apply_outcomes(backlog, [_failed("HS1", FailureReason.ABSENT)], calendar=CAL)
    assert applied.undone == ("HS1",)
    (e,) = applied.backlog.entries
    assert (e.next_leg, e.at_site, e.last_reason, e.attempts) == (0, "A", "failed: absent", 0)


def test_confirmations_and_earlier_days_change_nothing() -> None:
    """A delivery confirmed, or an outcome already applied on its own day, leaves the backlog."""
    backlog = _delivered_on_monday(_result())
    applied = apply_outcomes(backlog, [
        Outcome("KQ1", MON, OutcomeStatus.DELIVERED),
        _failed("OLD", FailureReason.ABSENT, dt.date(2026, 11, 20)),
    ], calendar=CAL)
    assert applied.backlog == backlog
    assert (applied.confirmed, applied.failures) == (1, 0)


def test_outcomes_the_backlog_cannot_explain_are_errors() -> None:
    """An unknown code, a failure on a day nothing moved, a day after the backlog's: all named."""
    hs = Order("HS9", ItemKind.DOSSIER, "A", "MC", MON)
    work = todays_work(MON, [_result(), hs], None, SITES, calendar=CAL)
    backlog = carry_over(work, ["KQ1"], {"HS9": "fleet_full"}, MON)
    with pytest.raises(InputErrors) as exc:
        apply_outcomes(backlog, [_failed("NOPE", FailureReason.ABSENT),
                                 _failed("HS9", FailureReason.ABSENT),
                                 _failed("KQ1", FailureReason.ABSENT, WED)],
                       calendar=CAL, source="outcomes.csv")
    errors = exc.value.errors
    assert [(e.source, e.row, e.field) for e in errors] == [
        ("outcomes.csv", "NOPE", "tracking_code"), ("outcomes.csv", "HS9", "date"),
        ("outcomes.csv", "KQ1", "date")]


def test_an_outcome_needs_a_reason_exactly_when_it_failed() -> None:
    """The domain type refuses a failure without a reason and a reason without a failure."""
    with pytest.raises(ValueError, match="reason"):
        Outcome("KQ1", MON, OutcomeStatus.FAILED)
    with pytest.raises(ValueError, match="reason"):
        Outcome("KQ1", MON, OutcomeStatus.DELIVERED, FailureReason.ABSENT)

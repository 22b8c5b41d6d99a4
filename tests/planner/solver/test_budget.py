"""The one time budget: its clock, its shares, and how it crosses a process boundary."""

from __future__ import annotations

import pickle
import time

import pytest

from planner.exceptions import InputError
from planner.solver.budget import SHARES, Budget, Shares


def test_a_budget_counts_down_and_expires() -> None:
    """Remaining time falls with the clock and never goes below zero."""
    b = Budget(0.05)
    assert not b.expired()
    time.sleep(0.06)
    assert b.expired()
    assert b.remaining_s() == 0.0
    assert b.fraction_used() == 1.0


def test_without_a_limit_nothing_expires() -> None:
    """A solution-limited run has no clock: shares of it are unlimited too."""
    b = Budget(None)
    assert b.remaining_s() is None
    assert not b.expired()
    assert b.share(0.5).remaining_s() is None


def test_a_share_is_a_fraction_of_what_is_left_with_a_floor() -> None:
    """share(0.5) of 10 s is about 5 s; ``at_least_s`` lifts a tiny share."""
    b = Budget(10.0)
    assert 4.5 < (b.share(0.5).remaining_s() or 0) <= 5.0
    assert (b.share(0.01, at_least_s=2.0).remaining_s() or 0) > 1.9
    assert (b.seconds(3.0).remaining_s() or 0) <= 3.0


@pytest.mark.parametrize("bad", [0.0, -1.0])
def test_a_limit_must_be_positive(bad: float) -> None:
    """A zero or negative limit is refused with the field named."""
    with pytest.raises(InputError, match="time_limit_s"):
        Budget(bad)


def test_a_pickled_budget_keeps_its_remaining_time() -> None:
    """Sent to another process, a budget is re-based on that clock with the same time left."""
    b = Budget(10.0)
    time.sleep(0.05)
    again = pickle.loads(pickle.dumps(b))
    assert abs((again.remaining_s() or 0) - (b.remaining_s() or 0)) < 0.05


def test_a_budget_waiting_in_a_queue_loses_the_time_it_waited(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Pickled when queued, unpickled 9 s later: 9 s less, not the time left at queueing.

    A process pool pickles a part's job when it queues it; a part queued behind a
    9 s part had started with 9 s too many, and the day's last parts lost them.
    """
    b = Budget(20.0)
    sent = pickle.dumps(b)
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now + 9.0)
    later = pickle.loads(sent)
    assert 10.0 <= (later.remaining_s() or 0) <= 11.0
    assert (later.until(0.5).remaining_s() or 0) <= 1.0 + 1e-3


def test_until_ends_at_a_fraction_of_the_whole_limit() -> None:
    """``until`` counts from the budget's start; a late part still gets its floor."""
    b = Budget(10.0, _start=time.monotonic() - 6.0)
    assert 3.9 <= (b.until(1.0).remaining_s() or 0) <= 4.0
    assert (b.until(0.5, at_least_s=0.5).remaining_s() or 0) == pytest.approx(0.5, abs=0.01)
    assert Budget(None).until(0.5).limit_s is None


def test_shares_are_checked() -> None:
    """The shares live in one validated place; nonsense is refused."""
    assert 0 < SHARES.finish < 1
    with pytest.raises(InputError):
        Shares(first_plan=0.9, elimination_end=0.5)

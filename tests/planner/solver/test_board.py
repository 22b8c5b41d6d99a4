"""The board the portfolio's lines share a plan on: each post seen once, whole, or nothing."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from planner.plan import Action, Event
from planner.solver import board as board_module
from planner.solver.board import PlanBoard

ROUTES = {"K1": [Event("D1", Action.PICKUP), Event("D1", Action.DELIVERY)]}


@pytest.fixture
def no_wait(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(board_module, "POLL_S", 0.0)


@pytest.mark.usefixtures("no_wait")
def test_a_reader_sees_each_post_once() -> None:
    """A post is news once; the next post is news again."""
    with PlanBoard.temporary() as board:
        assert board is not None
        reader = board.reader()
        assert reader.news() is None  # nothing posted yet
        board.post(ROUTES)
        assert reader.news() == ROUTES
        assert reader.news() is None
        board.post({"K2": ROUTES["K1"]})
        assert reader.news() == {"K2": ROUTES["K1"]}


def test_a_reader_looks_at_most_every_poll_interval(monkeypatch: pytest.MonkeyPatch) -> None:
    """A post within ``POLL_S`` of the last look waits for the next look."""
    monkeypatch.setattr(board_module, "POLL_S", 3600.0)
    with PlanBoard.temporary() as board:
        assert board is not None
        reader = board.reader()
        assert reader.news() is None
        board.post(ROUTES)
        assert reader.news() is None  # too soon: a search asks on every iteration


@pytest.mark.usefixtures("no_wait")
def test_an_unreadable_post_is_no_news(tmp_path: Path) -> None:
    """Bytes that are not a posted plan are skipped, not raised into the search."""
    board = PlanBoard(tmp_path / "plan.pickle")
    board.path.write_bytes(b"not a plan")
    assert board.reader().news() is None
    board.path.write_bytes(b"\x80\x04N.")  # a pickled None: not routes
    assert board.reader().news() is None
    board.path.write_bytes(pickle.dumps({"K1": ["not an event"]}))
    assert board.reader().news() is None


def test_a_board_whose_folder_is_gone_takes_no_post(tmp_path: Path) -> None:
    """Sharing is a help: posting where nothing can be written does not raise."""
    board = PlanBoard(tmp_path / "gone" / "plan.pickle")
    board.post(ROUTES)
    assert not board.path.exists()
    assert board.reader().news() is None


def test_the_temporary_board_is_removed_with_its_plan() -> None:
    with PlanBoard.temporary() as board:
        assert board is not None
        board.post(ROUTES)
        assert board.path.exists()
    assert not board.path.parent.exists()


def test_no_board_where_no_temporary_folder_can_be_made(monkeypatch: pytest.MonkeyPatch) -> None:
    """A full or read-only disk gives no board (the lines search on their own), not an error."""
    import errno
    import tempfile

    def full(*args: object, **kwargs: object) -> str:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(tempfile, "mkdtemp", full)
    with PlanBoard.temporary() as board:
        assert board is None

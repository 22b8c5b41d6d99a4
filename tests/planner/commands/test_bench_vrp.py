"""``planner bench vrp``: every instance checked before any is solved."""

from __future__ import annotations

from pathlib import Path

import pytest

from planner.cli import main
from planner.exceptions import InputError
from planner.formats import read_lilim

VRPLIB = Path(__file__).resolve().parents[2] / "data" / "vrplib"


def test_a_pair_whose_delivery_does_not_cancel_its_pickup_is_refused() -> None:
    """A delivery of -1 for a pickup of 2 names the pickup's row (line) and the demand field."""
    with pytest.raises(InputError, match="row 3, field 'demand': delivery 2's demand -1"):
        read_lilim(VRPLIB / "lilim_demand_mismatch.txt")


def test_a_bad_second_file_stops_the_run_before_solving(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A malformed second instance: exit 2 naming it, and the first is not solved."""
    out = tmp_path / "out"
    args = ["bench", "vrp", "--format", "lilim", "--time-limit", "1", "--out", str(out),
            str(VRPLIB / "tiny_lilim.txt"), str(VRPLIB / "lilim_demand_mismatch.txt"),
            str(VRPLIB / "bad_number.txt")]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert "lilim_demand_mismatch.txt" in err
    assert "bad_number.txt" in err
    assert not out.exists()

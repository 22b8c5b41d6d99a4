"""``planner scenarios run``: user mistakes are one readable line and exit code 2."""

from __future__ import annotations

from pathlib import Path

import pytest

from planner.cli import main


def test_a_bad_scenario_file_is_one_line_with_file_scenario_and_key(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A bad key is reported before any cluster starts."""
    bad = tmp_path / "bad.toml"
    bad.write_text('[[scenario]]\nname = "a"\nfleet.vans = -2\n', encoding="utf-8")
    code = main(["scenarios", "run", str(bad), "--days", "1", "--out", str(tmp_path / "o")])
    assert code == 2
    assert "bad.toml, entry a, field 'fleet.vans': must not be negative" in capsys.readouterr().err


def test_zero_days_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--days 0 names the option."""
    code = main(["scenarios", "run", "x.toml", "--days", "0", "--out", str(tmp_path)])
    assert code == 2
    assert "--days" in capsys.readouterr().err

"""``planner scenarios run``: user mistakes are one readable line and exit code 2."""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

from planner.cli import main
from planner.commands.scenarios import _reporter, _wall_line
from planner.output.i18n import Lang
from planner.scenarios import DayFigures, Simulation, TaskOutcome
from planner.scenarios.report import COMPARISON_COLUMNS, DAYS_COLUMNS, header_keys


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
    with pytest.raises(SystemExit) as e:
        main(["scenarios", "run", "x.toml", "--days", "0", "--out", str(tmp_path)])
    assert e.value.code == 2
    assert "--days: must be at least 1" in capsys.readouterr().err


CSV_HEAD = "province_code,province,commune_code,commune,type,lon,lat\n"


def _no_cluster(*args: object, **kwargs: object) -> None:
    raise AssertionError("a Dask cluster was started")


@pytest.mark.parametrize(("rows", "words"), [
    # a code outside the 34 of 2025 (it has 3 communes: it would have run as a new province)
    (["12,Tỉnh Lai Châu,1,Xã A,Xã,103.1,22.1", "12,Tỉnh Lai Châu,2,Xã B,Xã,103.2,22.2",
      "12,Tỉnh Lai Châu,3,Xã C,Xã,103.3,22.0", "99,Tỉnh Mới,4,Xã D,Xã,103.4,22.3"],
     "communes.csv, row 5, field 'province_code': '99' is not a 2025 province code"),
    # a 2025 province of fewer than 3 communes: refused before the cluster too
    (["12,Tỉnh Lai Châu,1,Xã A,Xã,103.1,22.1", "12,Tỉnh Lai Châu,2,Xã B,Xã,103.2,22.2"],
     "communes.csv, field 'province': a province needs at least 3 communes"),
])
def test_a_bad_communes_csv_is_refused_before_the_cluster_starts(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
        rows: list[str], words: str) -> None:
    """``national --geodata``: the file's every province is checked up front, exit 2."""
    monkeypatch.setattr("planner.commands.scenarios.dask_client", _no_cluster)
    path = tmp_path / "communes.csv"
    path.write_text(CSV_HEAD + "\n".join(rows) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    assert main(["scenarios", "national", "--geodata", str(path), "--days", "1",
                 "--out", str(out)]) == 2
    assert words in capsys.readouterr().err
    assert not out.exists()


def test_national_help_describes_the_national_run(capsys: pytest.CaptureFixture[str]) -> None:
    """``national --help`` opens with its own description, not the sweep's."""
    with pytest.raises(SystemExit):
        main(["scenarios", "national", "--help"])
    help_text = capsys.readouterr().out
    description = help_text.split("\n\n")[1]
    assert description.startswith("Simulate one scenario on every 2025 province")
    assert "Every scenario of FILE" not in help_text
    with pytest.raises(SystemExit):
        main(["scenarios", "run", "--help"])
    assert capsys.readouterr().out.split("\n\n")[1].startswith("Compare the scenarios")


def test_national_progress_lines_follow_the_language() -> None:
    """A failed task's line is Vietnamese by default for ``national`` and English for ``run``."""
    failed = TaskOutcome("12 Tỉnh Lai Châu", 0, None, "RuntimeError: no plan")
    cases: list[tuple[Lang, str]] = [
        ("vi", "lỗi    12 Tỉnh Lai Châu (lượt 0): RuntimeError: no plan"),
        ("en", "failed 12 Tỉnh Lai Châu (seed 0): RuntimeError: no plan")]
    for lang, words in cases:
        console = Console(record=True, width=200)
        _reporter(console, lang)(failed)
        assert words in console.export_text()


def _fake_sweep(monkeypatch: pytest.MonkeyPatch) -> None:
    """``scenarios run`` without a cluster: each scenario of the file one day, seed 0."""
    @contextlib.contextmanager
    def no_cluster(*_args: object) -> Iterator[None]:
        yield None

    def sweep(spec: Any, _client: object, *, progress: Callable[[TaskOutcome], None],
              **_kw: object) -> list[TaskOutcome]:
        day = DayFigures(dt.date(2026, 11, 23), 5, 1, 120.5, 30.0, 3_000_000, 40, 38,
                         {"fleet_full": 2}, 7)
        outcomes = [TaskOutcome(s.name, 0, Simulation(s.name, 0, (day,), (), 1.0))
                    for s in spec.scenarios]
        for o in outcomes:
            progress(o)
        return outcomes

    monkeypatch.setattr("planner.commands.scenarios.dask_client", no_cluster)
    monkeypatch.setattr("planner.commands.scenarios.run_sweep", sweep)
    monkeypatch.setattr("planner.commands.scenarios.write_charts", lambda *_a: [])


@pytest.mark.parametrize(("lang", "words"), [
    ([], ["2 kịch bản × 1 lượt mô phỏng (seed) × 1 ngày làm việc", "từ 23/11/2026",
          "phân vị 95", "xong   a (lượt 0)",
          "Kịch bản", "Chi phí (nghìn đồng/ngày)", "b so với a: chi phí +0 đồng/ngày",
          "Hết năng lực trong ngày 2"]),
    (["--lang", "en"], ["2 scenario(s) × 1 seed(s) × 1 working day(s)", "from 2026-11-23",
                        "p95", "done   a (seed 0)",
                        "scenario", "cost kVND /day", "b vs a: cost +0 VND/day"]),
])
def test_run_speaks_the_language_and_its_csvs_keep_their_keys(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        lang: list[str], words: list[str]) -> None:
    """``scenarios run`` is Vietnamese by default (``--lang en``: English); the CSVs' headers
    follow the language and read back as the same column keys (what the service stores)."""
    _fake_sweep(monkeypatch)
    toml = tmp_path / "s.toml"
    toml.write_text('start = 2026-11-23\n[[scenario]]\nname = "a"\n[[scenario]]\nname = "b"\n',
                    encoding="utf-8")
    out = tmp_path / "out"
    monkeypatch.setenv("COLUMNS", "400")
    assert main(["scenarios", "run", str(toml), "--days", "1", "--out", str(out), *lang]) == 0
    shown = capsys.readouterr().out
    for w in words:
        assert w in shown
    for name, columns in (("comparison.csv", COMPARISON_COLUMNS), ("days.csv", DAYS_COLUMNS)):
        with (out / name).open(encoding="utf-8", newline="") as fh:
            header = next(csv.reader(fh))
        assert (header == list(columns)) is (lang != [])  # English: the keys themselves
        assert header_keys(header) == list(columns)


def test_the_progress_line_writes_seconds_in_the_language_marks() -> None:
    """``xong a (lượt 0) trong 1,5 giây``: a decimal comma in Vietnamese, a point in English."""
    done = TaskOutcome("a", 0, Simulation("a", 0, (), (), 1.5))
    cases: list[tuple[Lang, str]] = [("vi", "trong 1,5 giây"), ("en", "in 1.5 s")]
    for lang, words in cases:
        console = Console(record=True, width=200)
        _reporter(console, lang)(done)
        assert words in console.export_text()


def test_the_national_wall_time_groups_thousands_in_the_language_marks() -> None:
    """A 34-province run takes thousands of seconds: ``1.234 giây``, ``1,234 s``."""
    assert _wall_line(1_234.4, "vi") == "Thời gian chạy 1.234 giây"
    assert _wall_line(1_234.4, "en") == "wall time 1,234 s"

"""``planner plan``: the dispatcher's files in, outputs out; bad files stop it before writing."""

from __future__ import annotations

import errno
import os
import shutil
from pathlib import Path

import pytest

from planner import pipeline
from planner.backlog import read_backlog
from planner.cli import build_parser, main
from planner.commands import _read
from planner.commands.plan import run
from planner.domain import ItemKind
from planner.exceptions import InputError
from planner.output import read_plan_json

DATA = Path(__file__).resolve().parents[2] / "data" / "day"
HANOI = Path(__file__).resolve().parents[2] / "data" / "hanoi_day"


def _args(out: Path, data: Path = DATA, *extra: str) -> list[str]:
    return ["plan", "--orders", str(data / "orders.csv"), "--sites", str(data / "sites.csv"),
            "--fleet", str(data / "fleet.csv"), "--date", "2026-11-23", "--solution-limit", "20",
            "--no-cache", "--no-maps", "--out", str(out), *extra]


def test_plan_writes_sheets_and_plan_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]
                                         ) -> None:
    """A good day exits 0, writes plan.json with routes and prints where the outputs are."""
    out = tmp_path / "out"
    assert main(_args(out)) == 0
    doc = read_plan_json(out / "plan.json")
    assert doc.plan.routes
    assert list((out / "routes").glob("*.pdf"))
    assert str(out) in capsys.readouterr().out
    index = (out / "index.html").read_text(encoding="utf-8")
    for name in ("plan.json", "kpis.json", "backlog.json"):
        assert f'href="{name}"' in index


def test_plan_in_english(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``--lang en`` gives an English summary."""
    assert main(_args(tmp_path / "en", DATA, "--lang", "en")) == 0
    assert "Plan summary" in capsys.readouterr().out


def _broken_copy(tmp_path: Path, name: str, old: str, new: str) -> Path:
    d = tmp_path / "in"
    shutil.copytree(DATA, d)
    f = d / name
    text = f.read_text(encoding="utf-8")
    assert old in text
    f.write_text(text.replace(old, new, 1), encoding="utf-8")
    return d


@pytest.mark.parametrize(
    ("name", "old", "new", "expected"),
    [
        ("orders.csv", "HS0004VN,dossier,CD-003", "HS0001VN,dossier,CD-003",
         ["orders.csv", "row 5", "HS0001VN"]),
        ("orders.csv", ",CD-002,TTHCC,", ",CD-002,TTHCC-X,", ["orders.csv", "row 3", "TTHCC-X"]),
        ("orders.csv", "08:00-11:00", "11:00-08:00", ["orders.csv", "row 2", "origin_windows"]),
        ("sites.csv", "106.7550,21.8450", "106.7550,nan", ["sites.csv", "row 7", "lat"]),
        ("fleet.csv", "BT-02,Nông Thị Lan,motorbike", "BT-02,Nông Thị Lan,tàu thủy",
         ["fleet.csv", "row 3", "vehicle"]),
    ],
)
def test_bad_files_are_reported_with_row_and_field_and_nothing_is_written(  # noqa: PLR0917
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, old: str, new: str,
    expected: list[str],
) -> None:
    """Each bad input names file, row and field, exits 2, and creates no output directory."""
    data = _broken_copy(tmp_path, name, old, new)
    out = tmp_path / "out"
    assert main(_args(out, data)) == 2
    err = capsys.readouterr().err
    for word in expected:
        assert word in err
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in"]


def test_a_sunday_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Planning a Sunday is an error that says why, not a silent move."""
    args = _args(tmp_path / "out")
    args[args.index("2026-11-23")] = "2026-11-22"
    assert main(args) == 2
    assert "2026-11-22" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_plan_on_real_openstreetmap_roads(tmp_path: Path, shared_dir: Path) -> None:
    """Central Hà Nội's OSM extract (.osm.pbf): sites snap to real streets and every leg is served.

    The sites file leaves citizens' home post office empty (the nearest office stands
    in) and every order runs between neighbouring wards, so each is one direct leg.
    """
    roads = shared_dir / "geodata" / "roads" / "hanoi_central_drive.osm.pbf"
    out = tmp_path / "hn"
    args = ["plan", "--orders", str(HANOI / "orders.csv"), "--sites", str(HANOI / "sites.csv"),
            "--fleet", str(HANOI / "fleet.csv"), "--roads", str(roads), "--date", "2026-11-23",
            "--solution-limit", "20", "--no-cache", "--out", str(out)]
    assert main(args) == 0
    doc = read_plan_json(out / "plan.json")
    assert not doc.plan.unassigned
    assert len(doc.plan.served) == 4
    assert sum(r.distance_m for r in doc.plan.routes) > 5_000, "distances follow the streets"
    assert (out / "maps" / "overview.html").exists()


def test_problems_in_several_files_are_reported_together(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A bad orders file and a bad fleet file: both named in one report, nothing solved."""
    data = _broken_copy(tmp_path, "orders.csv", ",CD-002,TTHCC,", ",CD-002,TTHCC-X,")
    fleet = data / "fleet.csv"
    fleet.write_text(fleet.read_text(encoding="utf-8").replace("motorbike", "tàu thủy", 1),
                     encoding="utf-8")
    assert main(_args(tmp_path / "out", data)) == 2
    err = capsys.readouterr().err
    assert "orders.csv, row 3" in err
    assert "fleet.csv, row 2, field 'vehicle'" in err


@pytest.mark.parametrize(
    ("out", "expected"),
    [
        (lambda tmp: tmp / "in" / "orders.csv", "is a file, not a folder"),
        (lambda tmp: tmp / "in", "holds the input file"),
    ],
)
def test_an_out_that_would_lose_files_is_refused_before_solving(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], out: object, expected: str) -> None:
    """``--out`` naming an input file or the inputs' folder: exit 2, the inputs untouched."""
    data = _broken_copy(tmp_path, "orders.csv", "HS0001VN", "HS0001VN")
    assert callable(out)
    assert main(_args(out(tmp_path), data)) == 2
    assert expected in capsys.readouterr().err
    assert sorted(p.name for p in data.iterdir()) == ["fleet.csv", "orders.csv", "sites.csv"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in"]


def test_a_day_of_only_carried_over_legs_is_planned(tmp_path: Path) -> None:
    """No new orders (a header only) and yesterday's backlog: a normal day."""
    inputs = DATA.parent / "inputs"
    args = _args(tmp_path / "out")
    args[args.index("--orders") + 1] = str(inputs / "orders_header_only.csv")
    args[args.index("2026-11-23")] = "2026-11-25"
    assert main([*args, "--backlog", str(inputs / "backlog_one_leg.json")]) == 0
    doc = read_plan_json(tmp_path / "out" / "plan.json")
    assert len(doc.plan.served) + len(doc.plan.unassigned) == 1


def test_a_day_too_large_is_refused_with_its_size(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """More orders than the solver takes: refused after reading, naming the size and the limit."""
    monkeypatch.setattr(_read, "MAX_DAY_ITEMS", 3)
    assert main(_args(tmp_path / "out")) == 2
    err = capsys.readouterr().err
    assert "orders.csv: 6 orders: the planner takes at most 3 a day" in err
    assert not (tmp_path / "out").exists()


def test_a_day_too_large_with_its_backlog_is_refused(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """New orders within the limit, but with the backlog above it: refused with both counted."""
    monkeypatch.setattr(_read, "MAX_DAY_ITEMS", 6)
    args = _args(tmp_path / "out")
    args[args.index("2026-11-23")] = "2026-11-25"
    inputs = DATA.parent / "inputs"
    assert main([*args, "--backlog", str(inputs / "backlog_one_leg.json")]) == 2
    assert "the day has 7 orders (new and carried over)" in capsys.readouterr().err


def test_a_disk_error_while_writing_is_a_message(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A disk that fills while the outputs are written: exit 2 and one line, no traceback."""

    def full(*_: object, **__: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), "plan.json")

    monkeypatch.setattr(pipeline, "render_outputs", full)
    assert main(_args(tmp_path / "out")) == 2
    assert "plan.json: No space left on device" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_calendar_file_makes_a_day_off(tmp_path: Path) -> None:
    """``--calendar`` with the planning day as the province's day off refuses it with the reason."""
    cal = tmp_path / "cal.csv"
    cal.write_text("date,kind,reason\n2026-11-23,nghỉ,Ngày hội của tỉnh\n", encoding="utf-8")
    with pytest.raises(InputError, match="Ngày hội của tỉnh"):
        run(build_parser().parse_args(_args(tmp_path / "out", DATA, "--calendar", str(cal))))


@pytest.mark.parametrize("limit", ["inf", "nan", "0", "-5", "abc"])
def test_a_time_limit_that_is_not_finite_and_positive_is_refused(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], limit: str) -> None:
    """``--time-limit inf`` (or nan, 0, negative) is a usage error, not a traceback."""
    args = [a for a in _args(tmp_path / "out") if a not in ("--solution-limit", "20")]
    with pytest.raises(SystemExit) as exc:
        main([*args, "--time-limit", limit])
    assert exc.value.code == 2
    assert "--time-limit" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("out", [".", "./", ""])
def test_the_current_folder_as_out_is_an_input_error(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
        out: str) -> None:
    """``--out .`` in a folder holding other files is refused by name, not a traceback."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "ghi chú.txt").write_text("x")
    assert main([*_args(Path(out))[:-1], out]) == 2
    assert "holds files the planner did not write (ghi chú.txt)" in capsys.readouterr().err


def test_outcomes_of_the_day_before_reopen_a_failed_delivery(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Day 1's delivered result fails (absent): day 2 plans none of it, day 3 tries again."""
    inputs = DATA.parent / "inputs"
    assert main(_args(tmp_path / "mon")) == 0
    backlog = read_backlog(tmp_path / "mon" / "backlog.json")
    failed = next(e.order.tracking_code for e in backlog.delivered
                  if e.order.kind is ItemKind.RESULT)
    outcomes = tmp_path / "outcomes.csv"
    outcomes.write_text("Số hiệu,Ngày,Kết quả,Lý do\n"
                        f"{failed},23/11/2026,không thành công,vắng nhà\n", encoding="utf-8")
    capsys.readouterr()
    for day, out, planned in (("2026-11-25", "wed", False), ("2026-11-26", "thu", True)):
        args = _args(tmp_path / out)
        args[args.index("--orders") + 1] = str(inputs / "orders_header_only.csv")
        args[args.index("2026-11-23")] = day
        prev = tmp_path / ("mon" if out == "wed" else "wed")
        assert main([*args, "--backlog", str(prev / "backlog.json"),
                     "--outcomes", str(outcomes)]) == 0
        doc = read_plan_json(tmp_path / out / "plan.json")
        codes = doc.plan.served | {u.item for u in doc.plan.unassigned}
        assert (failed in codes) == planned
    assert "1 không thành công (1 phát lại" in capsys.readouterr().out


def test_outcomes_without_a_backlog_are_refused(tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    """Outcomes describe an earlier day's orders: without its backlog nothing is planned."""
    outcomes = tmp_path / "outcomes.csv"
    outcomes.write_text("tracking_code,date,status\nKQ1,20/11/2026,delivered\n",
                        encoding="utf-8")
    assert main([*_args(tmp_path / "out"), "--outcomes", str(outcomes)]) == 2
    assert "--backlog" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()

"""Option values every command shares: one rule and one sentence per kind of option."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

import pytest

from planner.cli import main
from planner.commands._args import (
    parse_count,
    parse_date,
    province_code,
    province_codes,
)
from planner.exceptions import InputError

CSV_HEAD = "province_code,province,commune_code,commune,type,lon,lat\n"


def test_a_date_is_yyyy_mm_dd() -> None:
    """A date parses; a month 13 is one readable sentence with the value."""
    assert parse_date("2026-11-23") == dt.date(2026, 11, 23)
    with pytest.raises(argparse.ArgumentTypeError,
                       match=r"^'2026-13-01' is not a date YYYY-MM-DD$"):
        parse_date("2026-13-01")


@pytest.mark.parametrize(("value", "words"), [
    ("0", "must be at least 1 (got 0)"), ("-3", "must be at least 1 (got -3)"),
    ("2.5", "'2.5' is not a whole number"), ("many", "'many' is not a whole number"),
])
def test_a_count_is_a_whole_number_of_at_least_1(value: str, words: str) -> None:
    """0 is refused like a negative count, with the same words."""
    assert parse_count("1") == 1
    with pytest.raises(argparse.ArgumentTypeError) as e:
        parse_count(value)
    assert str(e.value) == words


def test_province_codes() -> None:
    """``all`` is the 34 provinces; a code may drop its leading zero; repeats go."""
    assert len(province_codes("all")) == 34
    assert province_codes("46, 12,46") == ["46", "12"]
    assert province_codes("4,04,79") == ["04", "79"]
    assert province_code("4") == "04"
    assert province_code(" 20 ") == "20"


@pytest.mark.parametrize(("call", "option"), [
    (lambda: province_codes("79,7"), "--provinces"),
    (lambda: province_code("XX"), "--province")])
def test_a_bad_code_names_its_option_and_lists_the_34(call: object, option: str) -> None:
    """The error names the option (not the package), the code and every valid code."""
    with pytest.raises(InputError, match=r"is not a province code; the 34 provinces of 2025 "
                                         r"are: 01 Thành phố Hà Nội, 04 Tỉnh Cao Bằng.*96 ") as e:
        call()  # type: ignore[operator]
    assert e.value.field == option


def test_the_codes_of_a_communes_csv(tmp_path: Path) -> None:
    """With ``--geodata`` the valid codes are the file's, named in the message."""
    path = tmp_path / "communes.csv"
    path.write_text(CSV_HEAD + "".join(f"12,Tỉnh Lai Châu,9000{k},Xã {k},Xã,103.{k},22.{k}\n"
                                       for k in range(1, 4)), encoding="utf-8")
    assert province_codes("all", path) == ["12"]
    with pytest.raises(InputError, match=r"'4' is not a province code; the provinces of "
                                         r"communes\.csv are: 12 Tỉnh Lai Châu$"):
        province_code("4", path)


def _scenario_file(tmp_path: Path) -> str:
    path = tmp_path / "s.toml"
    path.write_text('[[scenario]]\nname = "a"\n', encoding="utf-8")
    return str(path)


#: Every command with each kind of option, as (arguments before the option, option).
NATIONAL = ["scenarios", "national", "--provinces", "12", "--days", "1"]
SWEEP = ["scenarios", "run", "{toml}", "--days", "1"]
DEMO = ["demo", "--no-maps"]
COUNTS = [
    (DEMO, "--orders"), (DEMO, "--workers"), (DEMO, "--solution-limit"),
    (["scenarios", "national", "--out", "{out}"], "--days"),
    (NATIONAL, "--seeds"), (NATIONAL, "--orders"), (NATIONAL, "--workers"),
    (NATIONAL, "--solution-limit"),
    (["scenarios", "run", "{toml}", "--out", "{out}"], "--days"), (SWEEP, "--seeds"),
    (SWEEP, "--workers"),
    (["bench", "vrp", "--format", "solomon", "--time-limit", "1", "--out", "{out}"],
     "--workers"),
    (["bench", "matrix", "--nodes", "10"], "--sites"),
    (["bench", "matrix", "--sites", "10"], "--nodes"),
]


def _fill(args: list[str], tmp_path: Path) -> list[str]:
    return [a.format(toml=_scenario_file(tmp_path), out=tmp_path / "out") for a in args]


@pytest.mark.parametrize(("args", "option"), COUNTS)
@pytest.mark.parametrize("value", ["0", "-1"])
def test_every_count_option_refuses_0_and_negatives_alike(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], option: str,
        value: str) -> None:
    """0 and -1 are one usage error naming the option: 'must be at least 1'; nothing written."""
    argv = [*_fill(args, tmp_path), option, value]
    if "--out" not in argv and args[0] != "bench":
        argv += ["--out", str(tmp_path / "out")]
    with pytest.raises(SystemExit) as e:
        main(argv)
    assert e.value.code == 2
    assert f"argument {option}: must be at least 1 (got {value})" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(("args", "option"), [
    (["demo", "--out", "{out}"], "--date"),
    (["plan", "--orders", "o.csv", "--sites", "s.csv", "--fleet", "f.csv", "--out", "{out}"],
     "--date"),
    (["scenarios", "national", "--days", "1", "--out", "{out}"], "--start"),
])
def test_every_date_option_says_what_a_date_is(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str],
        option: str) -> None:
    """A bad date is one line naming the option and the value, not argparse's raw message."""
    with pytest.raises(SystemExit) as e:
        main([*_fill(args, tmp_path), option, "2026-13-01"])
    assert e.value.code == 2
    assert (f"argument {option}: '2026-13-01' is not a date YYYY-MM-DD"
            in capsys.readouterr().err)


@pytest.mark.parametrize(("args", "option"), [
    (["demo", "--no-maps", "--out", "{file}"], "--out"),
    (["demo", "--no-maps", "--export-inputs", "{file}", "--out", "{out}"], "--export-inputs"),
    (["plan", "--orders", "o.csv", "--sites", "s.csv", "--fleet", "f.csv", "--out", "{file}"],
     "--out"),
    ([*NATIONAL, "--out", "{file}"], "--out"),
    ([*NATIONAL, "--out", "{file}/sub"], "--out"),
    ([*SWEEP, "--out", "{file}"], "--out"),
])
def test_every_folder_option_that_is_a_file_gets_one_message(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str],
        option: str) -> None:
    """A file given for a folder: the same sentence from every command, exit 2, before any work."""
    file = tmp_path / "a_file"
    file.write_text("mine", encoding="utf-8")
    argv = [a.format(file=file, out=tmp_path / "out", toml=_scenario_file(tmp_path))
            for a in args]
    assert main(argv) == 2
    err = capsys.readouterr().err
    below = "/sub" in args[-1]
    what = f"so '{file}/sub' cannot be created" if below else "not a folder"
    assert f"field '{option}': '{file}' is a file, {what}: choose another {option}" in err
    assert "File exists" not in err
    assert file.read_text(encoding="utf-8") == "mine"
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("args", [
    DEMO, [*NATIONAL, "--out", "{out}"],
    ["bench", "vrp", "--format", "solomon", "--out", "{out}"],
])
@pytest.mark.parametrize("value", ["0", "inf", "-1"])
def test_every_time_limit_is_positive_finite_seconds(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str],
        value: str) -> None:
    """``--time-limit`` has one rule in every command (national took ``inf`` before)."""
    argv = [*_fill(args, tmp_path), "--time-limit", value]
    if "--out" not in argv:
        argv += ["--out", str(tmp_path / "out")]
    with pytest.raises(SystemExit) as e:
        main(argv)
    assert e.value.code == 2
    assert (f"argument --time-limit: '{value}' is not a positive, finite number of seconds"
            in capsys.readouterr().err)

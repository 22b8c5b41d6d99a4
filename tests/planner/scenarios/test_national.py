"""The national run on a Dask LocalCluster: a row per province and a total that is their sum."""

from __future__ import annotations

import csv
import datetime as dt
import math
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

from planner.cli import main
from planner.scenarios import Demand, Scenario, Simulation, SolverSettings, dask_client, simulate
from planner.scenarios.national import (
    NATIONAL_COLUMNS,
    print_national,
    run_national,
    write_national_csv,
)

MONDAY = dt.date(2026, 11, 23)
TINY = Scenario("national", demand=Demand(orders=12, carried_share=0.0),
                solver=SolverSettings(solution_limit=3, roads=False))


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    """A LocalCluster of one single-threaded worker process."""
    with dask_client(workers=1) as c:
        yield c


def test_two_provinces_give_a_row_each_and_their_sum(client: Any, tmp_path: Path) -> None:
    """Lai Châu and Huế: one row each, on their own sites; the total adds them up."""
    run = run_national(["12", "46"], TINY, client, days=1, seeds=1, start=MONDAY)
    assert [(p.code, p.name) for p in run.provinces] == [("12", "Tỉnh Lai Châu"),
                                                         ("46", "Thành phố Huế")]
    rows = [p.summary for p in run.provinces]
    assert all(s.failed == 0 and s.couriers.mean >= 1 and s.km.mean > 0 for s in rows)
    assert rows[0].km.mean != rows[1].km.mean  # two geographies, not one twice
    total = run.total
    for key in ("couriers", "vans", "km", "cost_vnd", "courier_hours"):
        assert getattr(total, key).mean == pytest.approx(sum(getattr(s, key).mean for s in rows),
                                                         abs=0.11)
    reasons = {r for s in rows for r in s.unassigned_per_day}
    assert total.unassigned_per_day == {
        r: pytest.approx(sum(s.unassigned_per_day.get(r, 0) for s in rows)) for r in reasons}
    assert total.orders_decided + total.orders_open == sum(
        s.orders_decided + s.orders_open for s in rows)
    assert 0 <= total.on_time_share.mean <= 1 or math.isnan(total.on_time_share.mean)
    # orders scaled to each province: Huế has more wards than Lai Châu
    assert run.provinces[1].orders_per_day > run.provinces[0].orders_per_day
    lines = write_national_csv(run, tmp_path / "national.csv").read_text("utf-8").splitlines()
    assert len(lines) == 4
    assert lines[-1].startswith("total,Toàn quốc,")
    header = next(csv.reader(lines[:1]))
    assert header[:4] == ["Mã tỉnh", "Tỉnh/thành phố", "Số xã/phường", "Bưu gửi/ngày"]
    assert header[-1] == "Lỗi"
    en = write_national_csv(run, tmp_path / "en.csv", lang="en").read_text("utf-8").splitlines()
    en_header = next(csv.reader(en[:1]))
    assert en_header[:len(NATIONAL_COLUMNS) - 1] == list(NATIONAL_COLUMNS[:-1])
    assert en_header[-1] == "errors"
    assert len(en_header) == len(header)
    assert en[-1].startswith("total,National total,")
    assert en[1:-1] == lines[1:-1]  # only the words change, not the figures
    assert {o.scenario for o in run.outcomes} == {"12 Tỉnh Lai Châu", "46 Thành phố Huế"}


def _fail_in_lai_chau(scenario: Scenario, seed: int, days: int, start: dt.date) -> Simulation:
    """Raises for Lai Châu, simulates any other province."""
    if scenario.province == "12":
        raise RuntimeError("no plan today")
    return simulate(scenario, seed, days, start)


def test_a_failed_province_is_reported_and_left_out_of_the_total(client: Any,
                                                                 tmp_path: Path) -> None:
    """A province whose task fails is reported; the total is the others'."""
    run = run_national(["12", "46"], TINY, client, days=1, start=MONDAY, task=_fail_in_lai_chau)
    lai_chau, hue = (p.summary for p in run.provinces)
    assert lai_chau.failed == 1
    assert "no plan today" in lai_chau.errors[0]
    assert hue.failed == 0
    assert run.total.couriers.mean == hue.couriers.mean
    assert run.total.errors
    assert "12 Tỉnh Lai Châu" in run.total.errors[0]
    path = write_national_csv(run, tmp_path / "national.csv", lang="en")
    with path.open(encoding="utf-8") as fh:
        rows = {r["code"]: r for r in csv.DictReader(fh)}
    assert rows["12"]["unassigned"] == ""  # no figures, not "0 unassigned"
    assert rows["46"]["unassigned"] != ""


def _printed(run: Any, lang: Any) -> str:
    console = Console(record=True, width=250)
    print_national(run, console, days=1, seeds=1, lang=lang)
    return console.export_text()


def test_the_table_is_vietnamese_first_and_english_on_request(client: Any) -> None:
    """The terminal table's title, columns, failures and total follow ``lang`` (default vi)."""
    run = run_national(["12", "46"], TINY, client, days=1, start=MONDAY, task=_fail_in_lai_chau)
    vi = _printed(run, "vi")
    for words in ("Chạy toàn quốc: 2 tỉnh, thành phố", "Tỉnh/thành phố", "Bưu tá",
                  "Chi phí (nghìn đồng)", "Toàn quốc", "(1 lỗi)"):
        assert words in vi
    assert "couriers" not in vi
    assert "failed" not in vi
    en = _printed(run, "en")
    for words in ("National run: 2 province(s)", "couriers", "National total", "(1 failed)"):
        assert words in en


def test_the_command_refuses_a_bad_code_before_starting(capsys: Any, tmp_path: Path) -> None:
    """``planner scenarios national --provinces 99`` exits 2 naming the code; nothing written."""
    out = tmp_path / "out"
    code = main(["scenarios", "national", "--provinces", "99", "--days", "1", "--out", str(out)])
    assert code == 2
    assert "'99' is not a province code" in capsys.readouterr().err
    assert not out.exists()

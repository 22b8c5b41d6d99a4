"""The sweep on a Dask LocalCluster of processes: one row per scenario; failures are reported."""

from __future__ import annotations

import datetime as dt
import math
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from planner.output.i18n import LANGS
from planner.sample_day import SampleVolumes, sample_day
from planner.scenarios import (
    Demand,
    Fleet,
    Scenario,
    ScenarioFile,
    Simulation,
    SolverSettings,
    dask_client,
    run_sweep,
)
from planner.scenarios.charts import CHART_FILES, write_charts
from planner.scenarios.report import (
    COMPARISON_COLUMNS,
    DAYS_COLUMNS,
    comparison_header,
    days_header,
    header_keys,
    summarise,
    write_csv,
)

MONDAY = dt.date(2026, 11, 23)
TINY = SolverSettings(solution_limit=3, roads=False)


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    """A LocalCluster of one single-threaded worker process that gives up on a dead task."""
    with dask_client(workers=1) as c:
        yield c


def _tiny(name: str, **changes: Any) -> Scenario:
    """A sample-province scenario with 12 orders a day and a 3-solution limit."""
    return Scenario(name, demand=Demand(orders=12, carried_share=0.0), solver=TINY, **changes)


def test_two_scenarios_two_days_give_one_sane_row_each(client: Any, tmp_path: Path) -> None:
    """2 scenarios × 2 days × 1 seed: a row each, with couriers, km, cost and shares in range."""
    spec = ScenarioFile((_tiny("today"), _tiny("fewer", fleet=Fleet(vans=1))), MONDAY)
    outcomes = run_sweep(spec, client, days=2, seeds=1)
    assert [(o.scenario, o.ok) for o in outcomes] == [("today", True), ("fewer", True)]
    rows = summarise(outcomes, ["today", "fewer"])
    volumes = SampleVolumes(orders=12, carried_share=0.0)  # with KT1 letters, liên thông, slips
    per_day = [len(sample_day(d, seed=0, volumes=volumes).orders)
               for d in (MONDAY, dt.date(2026, 11, 25))]
    for row in rows:
        assert row.failed == 0
        assert 1 <= row.couriers.mean <= 30
        assert row.km.mean > 0
        assert row.cost_vnd.mean > 150_000 * row.couriers.mean
        assert 0 <= row.on_time_share.mean <= 1
        assert row.delay_mean_days.mean >= 0
        assert row.orders_decided + row.orders_open == sum(per_day)  # every order of two days
        assert row.couriers.std is None  # one seed: no spread
    sim = outcomes[0].simulation
    assert sim is not None
    assert [d.date for d in sim.days] == [MONDAY, dt.date(2026, 11, 25)]  # 24/11 is a holiday
    assert sim.days[1].legs >= sim.days[0].backlog - sum(not o.decided for o in sim.orders)
    write_csv(rows, tmp_path / "comparison.csv")
    assert len((tmp_path / "comparison.csv").read_text(encoding="utf-8").splitlines()) == 3
    paths = write_charts(rows, outcomes, tmp_path)
    assert [p.name for p in paths] == list(CHART_FILES)
    assert all(p.stat().st_size > 1000 for p in paths)


def _crash_or_fake(scenario: Scenario, seed: int, days: int, start: dt.date) -> Simulation:
    """A task that kills its worker, raises, or returns an empty simulation, by name."""
    if scenario.name == "crash":
        os._exit(3)
    if scenario.name == "raise":
        raise RuntimeError("no plan today")
    return Simulation(scenario.name, seed, (), (), 0.0)


def test_a_task_whose_worker_dies_or_raises_is_reported_failed(client: Any) -> None:
    """The dead worker's scenario is failed once (not retried); the others still report."""
    spec = ScenarioFile((_tiny("crash"), _tiny("raise"), _tiny("fine")), MONDAY)
    outcomes = run_sweep(spec, client, days=1, seeds=1, task=_crash_or_fake)
    by_name = {o.scenario: o for o in outcomes}
    assert not by_name["crash"].ok
    assert "KilledWorker" in by_name["crash"].error
    assert not by_name["raise"].ok
    assert "no plan today" in by_name["raise"].error
    assert by_name["fine"].ok
    rows = summarise(outcomes, ["crash", "raise", "fine"])
    assert [r.failed for r in rows] == [1, 1, 0]
    assert math.isnan(rows[0].cost_vnd.mean)


def test_the_comparison_gives_filing_by_cutoff_and_delays_in_working_hours(
        tmp_path: Path) -> None:
    """Filed-by-cut-off share over the horizon; delays in working hours over decided orders."""
    from planner.scenarios import DayFigures, OrderOutcome, TaskOutcome

    def day(filed: int, before: int) -> DayFigures:
        return DayFigures(MONDAY, 3, 1, 50.0, 20.0, 1_000_000, 30, 30, {}, 0,
                          dossiers_filed=filed, filed_before_cutoff=before,
                          filing_profile={"before_11_30": before, "after_15_00": filed - before})

    late = [OrderOutcome(f"HS{k}", "dossier", MONDAY, MONDAY, MONDAY, int(h > 0), h)
            for k, h in enumerate((0.0, 4.0, 8.0))]
    sim = Simulation("a", 0, (day(6, 6), day(4, 2)), tuple(late), 1.0)
    (row,) = summarise([TaskOutcome("a", 0, sim)], ["a"])
    assert row.filed_before_cutoff_share.mean == 0.8
    assert row.delay_mean_hours.mean == 4.0
    assert row.filing_profile == {"before_11_30": 4.0, "after_15_00": 1.0}
    write_csv([row], tmp_path / "comparison.csv", lang="en")
    header = (tmp_path / "comparison.csv").read_text(encoding="utf-8").splitlines()[0]
    assert {"filed_before_cutoff_share_mean", "delay_p95_hours_mean",
            "filing_profile_per_day"} <= set(header.split(","))


def test_csv_headers_are_words_in_vietnamese_and_keys_in_english() -> None:
    """Each language heads every column once; a header names one column key in both files."""
    assert comparison_header("en") == list(COMPARISON_COLUMNS)
    assert days_header("en") == list(DAYS_COLUMNS)
    seen: dict[str, str] = {}
    for lang in LANGS:
        for header, columns in ((comparison_header(lang), COMPARISON_COLUMNS),
                                (days_header(lang), DAYS_COLUMNS)):
            assert len(set(header)) == len(header)
            assert header_keys(header) == list(columns)
            for h, key in zip(header, columns, strict=True):
                assert seen.setdefault(h, key) == key, f"{h!r} heads {key} and {seen[h]}"
    assert "Chi phí (đồng/ngày): trung bình" in comparison_header("vi")
    assert days_header("vi")[:3] == ["Kịch bản", "Lượt mô phỏng (seed)", "Ngày"]

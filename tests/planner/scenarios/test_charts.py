"""The manager's charts speak the run's language: words, reasons and numbers (vi first)."""

from __future__ import annotations

import datetime as dt
import json
import math
from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest
from matplotlib.figure import Figure

from planner.output import i18n
from planner.plan import UnassignedReason
from planner.scenarios.charts import CHART_FILES, _delay_bins, write_charts
from planner.scenarios.report import Spread, Summary


def _summary(name: str, cost_vnd: float, on_time: float) -> Summary:
    return Summary(
        scenario=name, runs=2, errors=(),
        couriers=Spread(12.5, 0.5), vans=Spread(1.0, 0.0), km=Spread(1_234.0, 35.0),
        courier_hours=Spread(88.0, 1.5), cost_vnd=Spread(cost_vnd, 150_000.0),
        on_time_share=Spread(on_time, 0.01), delay_mean_days=Spread(0.25, 0.05),
        delay_p95_days=Spread(1.5, 0.5), backlog_end=Spread(3.0, 1.0),
        unassigned_per_day={"fleet_full": 2.5}, orders_decided=900, orders_open=12,
        delay_mean_hours=Spread(math.nan, None),
    )


ROWS = [_summary("base", 4_567_800.0, 0.955), _summary("more vans", 6_789_100.0, 0.97)]


@pytest.fixture
def saved(monkeypatch: pytest.MonkeyPatch) -> list[Figure]:
    """Every matplotlib figure the charts save, kept for inspection (and still written)."""
    figures: list[Figure] = []
    real = Figure.savefig

    def keep(self: Figure, *args: Any, **kwargs: Any) -> None:
        figures.append(self)
        real(self, *args, **kwargs)

    monkeypatch.setattr(Figure, "savefig", keep)
    return figures


def test_charts_are_vietnamese_by_default(tmp_path: Path, saved: list[Figure]) -> None:
    paths = write_charts(ROWS, [], tmp_path)
    assert [p.name for p in paths] == list(CHART_FILES)
    cost_ax = saved[0].axes[0]
    assert cost_ax.get_title() == i18n.text("charts.cost.title", "vi")
    assert cost_ax.get_xlabel() == "chi phí mỗi ngày làm việc (đồng)"
    saved[0].canvas.draw()
    ticks = [t.get_text() for t in cost_ax.get_xticklabels() if t.get_text()]
    assert any("." in t for t in ticks), ticks  # 5.000.000
    assert not any("," in t for t in ticks), ticks
    legend = saved[2].axes[0].get_legend()
    assert legend is not None
    assert [t.get_text() for t in legend.get_texts()] == [
        i18n.reason(UnassignedReason.FLEET_FULL, "vi")]
    delays = saved[1].axes[0].get_legend()
    assert delays is not None
    assert delays.get_texts()[0].get_text() == "đúng hạn"
    html = paths[-1].read_text(encoding="utf-8")
    assert "<html lang='vi'>" in html
    assert json.dumps(i18n.text("charts.cost.title", "vi"))[1:-1] in html  # plotly's JSON escapes
    assert '"separators":",."' in html
    assert '"tickformat":",.0f"' in html  # whole đồng with the separators, no English "4.5M"
    assert "fleet_full" not in html


def test_charts_in_english_on_request(tmp_path: Path, saved: list[Figure]) -> None:
    paths = write_charts(ROWS, [], tmp_path, "en")
    assert saved[0].axes[0].get_xlabel() == "cost per working day (VND)"
    saved[0].canvas.draw()
    ticks = [t.get_text() for t in saved[0].axes[0].get_xticklabels() if t.get_text()]
    assert any("," in t for t in ticks), ticks
    html = paths[-1].read_text(encoding="utf-8")
    assert "<html lang='en'>" in html
    assert "Unassigned items per day, by reason" in html
    # the front's meaning, as the Vietnamese says it: nothing both cheaper and more on time
    assert "Pareto front (no other scenario both cheaper and more on time)" in html
    assert '"separators":".,"' in html


def test_an_unknown_language_is_refused_before_anything_is_written(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="fr"):
        write_charts(ROWS, [], tmp_path, "fr")  # type: ignore[arg-type]
    assert not list(tmp_path.iterdir())


def test_small_values_keep_distinct_tick_labels(tmp_path: Path, saved: list[Figure]) -> None:
    """0,1 unassigned item a day: ticks 0,00 0,02 … not ``0``, ``0,0``, ``0,0``."""
    rare = [replace(r, unassigned_per_day={"fleet_full": 0.1}) for r in ROWS]
    write_charts(rare, [], tmp_path)
    saved[2].canvas.draw()
    ticks = [t.get_text() for t in saved[2].axes[0].get_yticklabels() if t.get_text()]
    assert len(ticks) > 2
    assert len(set(ticks)) == len(ticks), ticks
    assert "0,10" in ticks, ticks


def _day(date: dt.date, couriers: float) -> SimpleNamespace:
    return SimpleNamespace(date=date, couriers_used=couriers, courier_hours=8 * couriers)


def test_workload_dates_as_the_language_writes_them_in_date_order(
        tmp_path: Path, saved: list[Figure]) -> None:
    """Two scenarios with their own calendars: the axis is every day, in order, dd/mm/yyyy."""
    mon, tue, wed = dt.date(2026, 11, 23), dt.date(2026, 11, 24), dt.date(2026, 11, 25)
    outcomes: list[Any] = [
        SimpleNamespace(scenario="base", simulation=SimpleNamespace(
            days=[_day(mon, 10), _day(wed, 11)], orders=[])),
        SimpleNamespace(scenario="more vans", simulation=SimpleNamespace(
            days=[_day(mon, 9), _day(tue, 9), _day(wed, 10)], orders=[]))]
    paths = write_charts(ROWS, outcomes, tmp_path)
    saved[3].canvas.draw()
    bottom = saved[3].axes[1]
    assert [t.get_text() for t in bottom.get_xticklabels()] == [
        "23/11/2026", "24/11/2026", "25/11/2026"]
    base = bottom.get_lines()[0]
    # Wednesday after Tuesday, not beside Monday
    assert [float(x) for x in np.asarray(base.get_xdata())] == [0, 2]
    html = paths[-1].read_text(encoding="utf-8")
    assert '"x":["23\\u002f11\\u002f2026","25\\u002f11\\u002f2026"]' in html
    assert "2026-11-2" not in html  # no ISO date, so no English month names from plotly
    # courier-hours below the couriers, as in workload.png (base: 8 hours a courier)
    assert '"y":[80.0,88.0]' in html
    assert json.dumps(i18n.text("charts.workload.hours", "vi"))[1:-1] in html


def test_a_scenario_name_is_drawn_as_written(tmp_path: Path, saved: list[Figure]) -> None:
    """Dollars are no formula (``$\\frac$`` would fail every chart); ``_x`` keeps its legend."""
    names = ["cost $\\frac$ plan", "_trial"]
    rows = [replace(r, scenario=n) for r, n in zip(ROWS, names, strict=True)]
    day = SimpleNamespace(date=dt.date(2026, 11, 23), couriers_used=3, courier_hours=24.0)
    outcomes: list[Any] = [SimpleNamespace(scenario=n, simulation=SimpleNamespace(
        days=[day], orders=[])) for n in names]
    write_charts(rows, outcomes, tmp_path)
    saved[1].canvas.draw()
    ticks = saved[1].axes[0].get_xticklabels()
    assert ticks[0].get_text() == "cost \\$\\frac\\$ plan"  # escaped: drawn with its dollars
    legend = saved[3].axes[0].get_legend()
    assert legend is not None
    assert [t.get_text().strip() for t in legend.get_texts()] == ["cost \\$\\frac\\$ plan",
                                                                   "_trial"]


def test_english_delay_bins_say_day_and_days() -> None:
    assert _delay_bins("en") == ("on time", "1 day late", "2 days late", "3+ days late")
    assert _delay_bins("vi") == ("đúng hạn", "trễ 1 ngày", "trễ 2 ngày", "trễ từ 3 ngày")


def test_plotly_tool_bar_speaks_vietnamese_and_stays_english_on_request(tmp_path: Path) -> None:
    """plotly.js's buttons and hints (Zoom in, Reset axes) come with a Vietnamese dictionary."""
    (tmp_path / "vi").mkdir()
    (tmp_path / "en").mkdir()
    vi = write_charts(ROWS, [], tmp_path / "vi")[-1].read_text(encoding="utf-8")
    assert '"locale": "vi"' in vi
    assert json.dumps({"Zoom in": "Phóng to"})[1:-1] in vi
    en = write_charts(ROWS, [], tmp_path / "en", "en")[-1].read_text(encoding="utf-8")
    assert '"locale": "vi"' not in en
    assert "Phóng to" not in en

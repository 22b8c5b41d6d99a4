"""The scenario comparison's terminal table: numbers in the language's marks."""

from __future__ import annotations

import math

import pytest
from rich.console import Console

from planner.output import i18n
from planner.scenarios.report import Spread, Summary, print_table


def _summary(name: str, cost_vnd: float, on_time: float, km: float) -> Summary:
    return Summary(
        scenario=name, runs=2, errors=(),
        couriers=Spread(12.5, 0.5), vans=Spread(1.0, 0.0), km=Spread(km, 35.0),
        courier_hours=Spread(88.25, 1.5), cost_vnd=Spread(cost_vnd, 150_000.0),
        on_time_share=Spread(on_time, 0.01), delay_mean_days=Spread(0.25, 0.05),
        delay_p95_days=Spread(1.5, 0.5), backlog_end=Spread(3.0, 1.0),
        unassigned_per_day={"fleet_full": 2.5, "outside_windows": 0.25},
        orders_decided=900, orders_open=12,
        delay_mean_hours=Spread(1.5, 0.25), delay_p95_hours=Spread(6.5, 1.0),
        filed_before_cutoff_share=Spread(0.9, 0.01), failed_deliveries=Spread(1.0, None),
    )


def _printed(lang: i18n.Lang) -> str:
    console = Console(record=True, width=400)
    print_table([_summary("base", 4_567_800.0, 0.955, 1_234.0),
                 _summary("more vans", 6_789_100.0, 0.97, 1_530.0)],
                console, days=5, seeds=2, lang=lang)
    return console.export_text()


def test_the_vietnamese_table_groups_thousands_with_dots_and_marks_decimals_with_commas(
) -> None:
    """vi: ``1.234`` km, ``4.568`` thousand VND, ``95,5`` %; the comparison line too."""
    vi = _printed("vi")
    for cell in ("1.234 ± 35", "4.568 ± 150", "95,5 ± 1,0", "12,5 ± 0,5", "88,2 ± 1,5",
                 "0,25 ± 0,05 / 1,5 ± 0,5", "6,5 ± 1,0", "+2.221.300", "+1,5"):
        assert cell in vi, cell
    assert " 2,5" in vi  # unassigned per day, after each reason's label
    assert " 0,25" in vi
    assert "1,234" not in vi
    assert "95.5" not in vi


def test_the_english_table_keeps_english_marks() -> None:
    en = _printed("en")
    for cell in ("1,234 ± 35", "4,568 ± 150", "95.5 ± 1.0", "+2,221,300", "+1.5"):
        assert cell in en, cell


@pytest.mark.parametrize(("value", "decimals", "lang", "sign", "expected"), [
    (1_234_567.891, 2, "vi", False, "1.234.567,89"),
    (1_234_567.891, 2, "en", False, "1,234,567.89"),
    (-1_500.0, 0, "vi", True, "-1.500"),
    (1_500.0, 0, "vi", True, "+1.500"),
    (0.05, 1, "vi", False, "0,1"),
    (math.nan, 1, "vi", False, "–"),
])
def test_fmt_number(value: float, decimals: int, lang: i18n.Lang, sign: bool,
                    expected: str) -> None:
    assert i18n.fmt_number(value, decimals, lang, sign=sign) == expected


def test_fmt_count_shows_whole_counts_whole_and_small_means_with_two_decimals() -> None:
    assert i18n.fmt_count(3.0, "vi") == "3"
    assert i18n.fmt_count(1_250.0, "vi") == "1.250"
    assert i18n.fmt_count(2.5, "vi") == "2,5"
    assert i18n.fmt_count(0.03, "vi") == "0,03"
    assert i18n.fmt_count(0.03, "en") == "0.03"

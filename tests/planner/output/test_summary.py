"""The terminal summary and the message catalogue."""

from __future__ import annotations

import pytest
from rich.console import Console

from planner.domain import ItemKind, SiteKind, VehicleType
from planner.kpis import compute_kpis
from planner.output import i18n
from planner.output.i18n import Lang
from planner.output.summary import print_summary, summary_rows
from planner.plan import Action, Plan, UnassignedReason
from planner.problem import Problem
from planner.timeline import WaitCause


def test_summary_in_vietnamese(problem: Problem, plan: Plan) -> None:
    """The Vietnamese summary uses decimal commas, VND grouping and reason labels."""
    rows = dict(summary_rows(compute_kpis(problem, plan), "vi"))
    assert rows["Tổng quãng đường (km)"] == "96,0"
    assert rows["Tỷ lệ đúng hạn (đến hạn hôm nay)"] == "50,0 % (2/4)"
    assert rows["Phí, lệ phí thu hộ (VND)"] == "80.000 ₫"
    assert rows["  · Hết năng lực trong ngày"] == "1"
    assert rows["Chặng đã giao hôm nay"] == "4 / 6"


def test_summary_gives_fees_postage_and_cash_apart(problem: Problem, plan: Plan) -> None:
    """Government fees, postage, fees handed to agencies, cash peak and cash to remit."""
    rows = dict(summary_rows(compute_kpis(problem, plan), "vi"))
    assert rows["Cước thu (VND)"] == "52.000 ₫"
    assert rows["Phí, lệ phí đã nộp cơ quan (VND)"] == "50.000 ₫"
    assert rows["Tiền mang theo cao nhất (VND)"] == "82.000 ₫"
    assert rows["Tiền nộp bưu cục (VND)"] == "82.000 ₫"


def test_summary_splits_time_and_counts_visits(problem: Problem, plan: Plan) -> None:
    """Waits per cause (hours), lunch, biên bản, filing profile and fleet cost are shown."""
    rows = dict(summary_rows(compute_kpis(problem, plan), "vi"))
    assert rows["Giờ chờ"] == "2,3"
    assert rows["  · chờ cơ quan trả kết quả"] == "0,2"
    assert rows["  · chờ mở cửa"] == "0,2"
    assert rows["Giờ nghỉ trưa"] == "1,0"
    assert rows["  · Công dân"] == "0,5"  # service at citizens' doors
    assert rows["Biên bản giao nhận"] == "2"
    assert rows["Hồ sơ nộp: trước 11:30 / 13:00–15:00 / sau 15:00"] == "0 / 2 / 1"
    assert rows["Chi phí đội xe"] == "0 ₫"


def test_summary_prints_in_english(problem: Problem, plan: Plan) -> None:
    """The English table prints its title and figures on a rich console."""
    console = Console(record=True, width=100)
    print_summary(compute_kpis(problem, plan), "en", console=console)
    out = console.export_text()
    assert "Plan summary" in out
    assert "96.0" in out
    assert "80,000 VND" in out


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_catalogue_is_complete(lang: Lang) -> None:
    """Every enum value has a label and both languages define the same message keys."""
    assert i18n._VI.keys() == i18n._EN.keys()
    for kind in SiteKind:
        assert i18n.site_kind(kind, lang)
    for item in ItemKind:
        assert i18n.item_kind(item, lang)
    for act in Action:
        assert i18n.action(act, lang)
    for v in VehicleType:
        assert i18n.vehicle(v, lang)
    for r in UnassignedReason:
        assert i18n.reason(r, lang)
    for cause in WaitCause:
        assert i18n.wait_cause(cause, lang)


def test_formats() -> None:
    """km with one decimal, H:MM hours, VND with thousands separators."""
    assert i18n.fmt_km(12_345) == "12.3 km"
    assert i18n.fmt_km_lang(12_345, "vi") == "12,3 km"
    assert i18n.fmt_hours(7 * 3600 + 45 * 60) == "7:45"
    assert i18n.fmt_vnd(1_250_000, "vi") == "1.250.000 ₫"
    assert i18n.fmt_vnd(1_250_000, "en") == "1,250,000 VND"
    with pytest.raises(ValueError, match="fr"):
        i18n.text("sheet.title", "fr")  # type: ignore[arg-type]

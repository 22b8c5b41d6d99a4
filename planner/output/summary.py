"""The terminal summary of a plan: one ``rich`` table of the key figures.

Shown by ``planner demo`` / ``planner plan`` at the end of a run, in the
dispatcher's language (Vietnamese by default).
"""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from planner.domain.sites import SiteKind
from planner.kpis import Kpis
from planner.output import i18n
from planner.output.i18n import Lang
from planner.plan import UnassignedReason
from planner.timeline import WaitCause


def _num(value: float, lang: Lang, decimals: int = 1) -> str:
    return i18n.fmt_number(value, decimals, lang)


def summary_rows(kpis: Kpis, lang: Lang = "vi") -> list[tuple[str, str]]:
    """(label, value) pairs of the summary, in display order.

    Orders end to end first (when known), then legs, time, visits and money.
    """
    t = i18n.messages(lang)
    rows = [(t("kpi.couriers_used"), f"{kpis.couriers_used} / {kpis.couriers_available}")]
    rows += _order_rows(kpis, lang)
    rows += [
        (t("kpi.legs_served"), f"{kpis.items_served} / {kpis.items_total}"),
        (t("kpi.unassigned"), str(kpis.unassigned)),
    ]
    for code, n in kpis.unassigned_by_reason.items():
        rows.append((f"  · {i18n.reason(UnassignedReason(code), lang)}", str(n)))
    rows += _time_rows(kpis, lang)
    rows += _visit_rows(kpis, lang)
    return rows


def _order_rows(kpis: Kpis, lang: Lang) -> list[tuple[str, str]]:
    t = i18n.messages(lang)
    na = t("kpi.na")
    share = kpis.on_time_share
    rows = [(t("kpi.on_time_share"),
             na if share is None else f"{_num(100 * share, lang)} % ({kpis.due_on_time}/"
                                      f"{kpis.due_items})")]
    if kpis.orders_open is None:
        return rows
    return [
        (t("kpi.orders_finished"), f"{kpis.orders_finished} / {kpis.orders_open}"),
        (t("kpi.orders_on_time"), str(kpis.orders_on_time)),
        (t("kpi.orders_late"), str(kpis.orders_late)),
        (t("kpi.orders_in_flight"), f"{kpis.orders_in_flight} ({kpis.orders_overdue})"),
        *rows,
    ]


def _hours(seconds: int, lang: Lang) -> str:
    return _num(seconds / 3600, lang)


def _time_rows(kpis: Kpis, lang: Lang) -> list[tuple[str, str]]:
    t = i18n.messages(lang)
    use = kpis.utilisation_share
    rows = [
        (t("kpi.distance_km"), _num(kpis.distance_km, lang)),
        (t("kpi.courier_hours"), _num(kpis.courier_hours, lang)),
        (t("kpi.drive_h"), _hours(kpis.drive_s, lang)),
        (t("kpi.service_h"), _hours(kpis.visit_s + kpis.service_s, lang)),
    ]
    rows += [(f"  · {i18n.site_kind(SiteKind(k), lang)}", _hours(v, lang))
             for k, v in kpis.service_by_site_kind.items()]
    rows += [(t("kpi.wait_h"), _hours(kpis.wait_s, lang))]
    rows += [(f"  · {i18n.wait_cause(WaitCause(c), lang)}", _hours(s, lang))
             for c, s in kpis.wait_by_cause.items()]
    rows += [
        (t("kpi.lunch_h"), _hours(kpis.lunch_s, lang)),
        (t("kpi.utilisation"), t("kpi.na") if use is None else f"{_num(100 * use, lang)} %"),
    ]
    return rows


def _visit_rows(kpis: Kpis, lang: Lang) -> list[tuple[str, str]]:
    t = i18n.messages(lang)
    per_hour = kpis.items_per_courier_hour
    profile = " / ".join(str(kpis.filing_profile.get(k, 0))
                         for k in ("before_11_30", "13_00_15_00", "after_15_00"))
    return [
        (t("kpi.agency_visits"), f"{kpis.agency_visits} ({kpis.agency_repeat_visits})"),
        (t("kpi.handover_records"), str(kpis.handover_records)),
        (t("kpi.filing"), profile),
        (t("kpi.cutoff_late_visits"), str(kpis.cutoff_late_visits)),
        (t("kpi.cutoff_late_min"), _num(kpis.cutoff_late_s / 60, lang, 0)),
        (t("kpi.items_per_hour"), t("kpi.na") if per_hour is None else _num(per_hour, lang, 2)),
        (t("kpi.fees_vnd"), i18n.fmt_vnd(kpis.fees_vnd, lang)),
        (t("kpi.postage_vnd"), i18n.fmt_vnd(kpis.postage_vnd, lang)),
        (t("kpi.fees_handed_vnd"), i18n.fmt_vnd(kpis.fees_handed_vnd, lang)),
        (t("kpi.cash_peak_vnd"), i18n.fmt_vnd(kpis.cash_peak_vnd, lang)),
        (t("kpi.cash_to_remit_vnd"), i18n.fmt_vnd(kpis.cash_to_remit_vnd, lang)),
        (t("kpi.cost_vnd"), i18n.fmt_vnd(kpis.cost_vnd, lang)),
    ]


def summary_table(kpis: Kpis, lang: Lang = "vi", *, title: str = "") -> Table:
    """A ``rich`` table of the key figures."""
    table = Table(title=title or i18n.text("kpi.title", lang), title_justify="left")
    table.add_column(i18n.text("kpi.metric", lang))
    table.add_column(i18n.text("kpi.value", lang), justify="right")
    for label, value in summary_rows(kpis, lang):
        table.add_row(label, value)
    return table


def print_summary(kpis: Kpis, lang: Lang = "vi", *, console: Console | None = None,
                  title: str = "") -> None:
    """Print the summary table on ``console`` (default: standard output)."""
    (console or Console()).print(summary_table(kpis, lang, title=title))

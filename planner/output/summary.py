"""The terminal summary of a plan: one ``rich`` table of the key figures.

Shown by ``planner demo`` / ``planner plan`` at the end of a run, in the
dispatcher's language (Vietnamese by default).
"""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from planner.kpis import Kpis
from planner.output import i18n
from planner.output.i18n import Lang
from planner.plan import UnassignedReason


def _num(value: float, lang: Lang, decimals: int = 1) -> str:
    text = f"{value:,.{decimals}f}"
    if lang == "vi":  # 1.234,5
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text


def summary_rows(kpis: Kpis, lang: Lang = "vi") -> list[tuple[str, str]]:
    """(label, value) pairs of the summary, in display order."""
    t = i18n.messages(lang)
    na = t("kpi.na")
    share = kpis.on_time_share
    per_hour = kpis.items_per_courier_hour
    rows = [
        (t("kpi.couriers_used"), f"{kpis.couriers_used} / {kpis.couriers_available}"),
        (t("kpi.distance_km"), _num(kpis.distance_km, lang)),
        (t("kpi.courier_hours"), _num(kpis.courier_hours, lang)),
        (t("kpi.items_served"), f"{kpis.items_served} / {kpis.items_total}"),
        (t("kpi.unassigned"), str(kpis.unassigned)),
    ]
    for code, n in kpis.unassigned_by_reason.items():
        rows.append((f"  · {i18n.reason(UnassignedReason(code), lang)}", str(n)))
    rows += [
        (t("kpi.on_time_share"),
         na if share is None else f"{_num(100 * share, lang)} % ({kpis.due_on_time}/"
                                  f"{kpis.due_items})"),
        (t("kpi.cutoff_late_visits"), str(kpis.cutoff_late_visits)),
        (t("kpi.cutoff_late_min"), _num(kpis.cutoff_late_s / 60, lang, 0)),
        (t("kpi.wait_min"), _num(kpis.wait_s / 60, lang, 0)),
        (t("kpi.items_per_hour"), na if per_hour is None else _num(per_hour, lang, 2)),
        (t("kpi.fees_vnd"), i18n.fmt_vnd(kpis.fees_vnd, lang)),
    ]
    return rows


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

"""The manager's four charts, as PNG (matplotlib, Agg) and as one interactive HTML page (plotly).

1. cost per day against the on-time share, ± the spread over seeds, with
   the Pareto front (no other scenario is both cheaper and more on time);
2. delay distribution: the share of orders delivered 0, 1, 2, 3+ working
   days after their deadline;
3. unassigned items per day by reason;
4. daily workload over the horizon: couriers used and courier-hours per day.

The HTML page carries plotly.js inline, so it opens offline like the maps.
Titles, axes, legends, reasons and numbers are in the run's language
(Vietnamese first, ``--lang en`` for English; numbers in its marks).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from planner.output.i18n import Lang, check_lang, fmt_date, fmt_number, text
from planner.scenarios.report import Summary, pareto_front, reason_label
from planner.scenarios.run import TaskOutcome

__all__ = ["CHART_FILES", "write_charts"]

#: PNG files, in the order of the module docstring, and the HTML page.
CHART_FILES = ("cost_vs_on_time.png", "delays.png", "unassigned.png", "workload.png",
               "charts.html")

#: plotly.js's own words (tool bar, hints) in Vietnamese: the inline bundle has
#: only English, and config ``locales`` carries a dictionary with the chart
#: (plotly.js ``config.locales[lang].dictionary``, keyed by its English text).
_PLOTLY_VI: dict[str, str] = {
    "Autoscale": "Tự động co giãn",
    "Box Select": "Chọn theo hộp",
    "Compare data on hover": "So sánh dữ liệu khi di chuột",
    "Double-click on legend to isolate one trace": "Nhấp đúp vào chú giải để chỉ xem một đường",
    "Double-click to zoom back out": "Nhấp đúp để thu nhỏ lại",
    "Download plot": "Tải biểu đồ xuống",
    "Download plot as a PNG": "Tải biểu đồ xuống (PNG)",
    "Download plot as a png": "Tải biểu đồ xuống (PNG)",
    "Download plot as JSON": "Tải biểu đồ xuống (JSON)",
    "Lasso Select": "Chọn tự do",
    "Pan": "Kéo",
    "Produced with Plotly.js": "Vẽ bằng Plotly.js",
    "Reset": "Đặt lại",
    "Reset axes": "Đặt lại trục",
    "Show closest data on hover": "Hiện dữ liệu gần nhất khi di chuột",
    "Sorry, there was a problem downloading your image!": "Không tải được ảnh xuống!",
    "Sorry, there was a problem downloading your JSON file!": "Không tải được tệp JSON xuống!",
    "Toggle Spike Lines": "Bật/tắt đường dóng",
    "Toggle show closest data on hover": "Bật/tắt hiện dữ liệu gần nhất khi di chuột",
    "Toggle attribution": "Bật/tắt nguồn",
    "Zoom": "Phóng to vùng chọn",
    "Zoom in": "Phóng to",
    "Zoom out": "Thu nhỏ",
    "trace": "đường",
}


def _delay_bins(lang: Lang) -> tuple[str, ...]:
    """Labels of the delay bins 0, 1, 2 and 3+ working days after the deadline."""
    return (text("charts.delays.on_time", lang), text("charts.delays.late_one", lang, n=1),
            text("charts.delays.late", lang, n=2), text("charts.delays.late_more", lang, n=3))


def _delay_shares(outcomes: Sequence[TaskOutcome], name: str) -> list[float]:
    delays = [min(o.delay_days, 3) for t in outcomes if t.scenario == name and t.simulation
              for o in t.simulation.orders if o.decided]
    n = len(delays) or 1
    return [100 * delays.count(k) / n for k in range(4)]


def _daily(outcomes: Sequence[TaskOutcome], name: str, attr: str) -> tuple[list[str], list[float]]:
    rows: dict[str, list[float]] = {}
    for t in outcomes:
        if t.scenario == name and t.simulation is not None:
            for d in t.simulation.days:
                rows.setdefault(d.date.isoformat(), []).append(float(getattr(d, attr)))
    dates = sorted(rows)
    return dates, [float(np.mean(rows[d])) for d in dates]


def _as_written(name: str) -> str:
    """A user's scenario name for matplotlib, shown as written.

    Matplotlib reads ``$…$`` as mathematics (``cost $a$`` would lose its dollars,
    an unbalanced formula fails the whole chart) and hides a legend label that
    starts with ``_``: dollars are escaped, such a label gets a leading space.
    """
    name = name.replace("$", r"\$")
    return f" {name}" if name.startswith("_") else name


def _tick_decimals(locs: Sequence[float]) -> int:
    """The fewest decimals that write every tick exactly (``0,25`` not ``0,2``; at most 6)."""
    for decimals in range(7):
        if all(abs(round(x, decimals) - x) <= 1e-9 * max(1.0, abs(x)) for x in locs):
            return decimals
    return 6


def _ticks(lang: Lang) -> Any:
    """A matplotlib tick formatter in ``lang``'s marks, as precise as the ticks' step.

    One number of decimals for every tick of an axis (``7,5 8,0 8,5``), enough
    that neighbouring ticks never read the same (``0,02`` and ``0,04``, not
    ``0,0`` twice).
    """
    from matplotlib.ticker import Formatter  # noqa: PLC0415 - only charts need matplotlib

    class Ticks(Formatter):
        decimals = 0

        def set_locs(self, locs: Sequence[float]) -> None:
            self.decimals = _tick_decimals([float(x) for x in locs])

        def __call__(self, x: float, _pos: int | None = None) -> str:
            return fmt_number(x, self.decimals, lang)

    return Ticks()


def _day_labels(outcomes: Sequence[TaskOutcome], names: Sequence[str],
                lang: Lang) -> tuple[list[str], list[str]]:
    """Every simulated date of the scenarios ``names`` in order (ISO) and its label in ``lang``.

    Scenarios with their own calendars may work on different days: the axis is
    the union, in date order (``23/11/2026`` in Vietnamese, ``2026-11-23`` in
    English, :func:`planner.output.i18n.fmt_date`).
    """
    days = sorted({d for n in names for d in _daily(outcomes, n, "couriers_used")[0]})
    return days, [fmt_date(dt.date.fromisoformat(d), lang) for d in days]


def _points(summaries: Sequence[Summary]) -> list[tuple[float, float]]:
    return [(s.cost_vnd.mean, 100 * s.on_time_share.mean) for s in summaries]


def _reasons(summaries: Sequence[Summary]) -> list[str]:
    return sorted({r for s in summaries for r in s.unassigned_per_day})


def _png_cost(summaries: Sequence[Summary], path: Path, lang: Lang) -> None:
    from matplotlib.figure import Figure  # noqa: PLC0415 - only charts need matplotlib

    fig = Figure(figsize=(8, 5.5), layout="constrained")
    ax = fig.add_subplot()
    pts = _points(summaries)
    front = pareto_front(pts)
    for k, (s, (c, share)) in enumerate(zip(summaries, pts, strict=True)):
        if math.isnan(c) or math.isnan(share):
            continue
        xerr = s.cost_vnd.std or 0.0
        yerr = 100 * (s.on_time_share.std or 0.0)
        ax.errorbar(c, share, xerr=xerr, yerr=yerr, fmt="o", ms=9, capsize=4,
                    color="tab:red" if k in front else "tab:gray")
        # staggered labels: scenarios within the noise sit on top of one another
        ax.annotate(_as_written(s.scenario), (c, share), textcoords="offset points",
                    xytext=(8, 6 - 14 * (k % 3)), fontsize="small",
                    arrowprops={"arrowstyle": "-", "alpha": 0.4})
    if len(front) > 1:
        ax.plot([pts[k][0] for k in front], [pts[k][1] for k in front], "--", color="tab:red",
                label=text("charts.cost.front", lang))
        ax.legend(loc="lower right")
    ax.set_xlabel(text("charts.cost.x", lang))
    ax.set_ylabel(text("charts.cost.y", lang))
    ax.set_title(text("charts.cost.title", lang))
    ax.xaxis.set_major_formatter(_ticks(lang))
    ax.yaxis.set_major_formatter(_ticks(lang))
    ax.grid(alpha=0.3)
    fig.savefig(path, dpi=110)


def _png_bars(summaries: Sequence[Summary], labels: Sequence[str],
              values: Sequence[Sequence[float]], *, title: str, ylabel: str,
              path: Path, lang: Lang) -> None:
    from matplotlib.figure import Figure  # noqa: PLC0415

    fig = Figure(figsize=(8, 5), layout="constrained")
    ax = fig.add_subplot()
    x = np.arange(len(summaries))
    bottom = np.zeros(len(summaries))
    for label, vals in zip(labels, values, strict=True):
        ax.bar(x, vals, bottom=bottom, label=label)
        bottom += np.asarray(vals)
    ax.set_xticks(x, [_as_written(s.scenario) for s in summaries], rotation=15, ha="right")
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    if labels:
        ax.legend()
    else:
        ax.text(0.5, 0.5, text("charts.none", lang), transform=ax.transAxes, ha="center",
                fontsize=14)
    ax.yaxis.set_major_formatter(_ticks(lang))
    ax.grid(axis="y", alpha=0.3)
    fig.savefig(path, dpi=110)


def _png_workload(summaries: Sequence[Summary], outcomes: Sequence[TaskOutcome],
                  path: Path, lang: Lang) -> None:
    from matplotlib.figure import Figure  # noqa: PLC0415

    fig = Figure(figsize=(9, 6), layout="constrained")
    top, bottom = fig.subplots(2, 1, sharex=True)
    styles = ("o-", "s--", "^-.", "D:", "v-", "P--")  # scenarios with equal days stay visible
    days, labels = _day_labels(outcomes, [s.scenario for s in summaries], lang)
    at = {d: k for k, d in enumerate(days)}
    for k, s in enumerate(summaries):
        dates, couriers = _daily(outcomes, s.scenario, "couriers_used")
        _, hours = _daily(outcomes, s.scenario, "courier_hours")
        style = styles[k % len(styles)]
        x = [at[d] for d in dates]
        top.plot(x, couriers, style, label=_as_written(s.scenario), alpha=0.8)
        bottom.plot(x, hours, style, label=_as_written(s.scenario), alpha=0.8)
    every = max(1, math.ceil(len(days) / 15))  # at most 15 dates written under the axis
    bottom.set_xticks(range(0, len(days), every), labels[::every])
    top.set_ylabel(text("charts.workload.couriers", lang))
    bottom.set_ylabel(text("charts.workload.hours", lang))
    top.set_title(text("charts.workload.title", lang))
    top.legend(fontsize="small")
    for ax in (top, bottom):
        ax.grid(alpha=0.3)
        ax.yaxis.set_major_formatter(_ticks(lang))
    bottom.tick_params(axis="x", rotation=20)
    fig.savefig(path, dpi=110)


def _html(summaries: Sequence[Summary], outcomes: Sequence[TaskOutcome], path: Path,
          lang: Lang) -> None:
    import plotly.graph_objects as go  # noqa: PLC0415 - only charts need plotly
    from plotly.colors import qualitative  # noqa: PLC0415
    from plotly.subplots import make_subplots  # noqa: PLC0415

    names = [s.scenario for s in summaries]
    pts = _points(summaries)
    front = pareto_front(pts)
    cost = go.Figure()
    cost.add_trace(go.Scatter(
        x=[p[0] for p in pts], y=[p[1] for p in pts], mode="markers+text", text=names,
        textposition="top center", name=text("charts.cost.scenarios", lang),
        error_x={"array": [s.cost_vnd.std or 0 for s in summaries]},
        error_y={"array": [100 * (s.on_time_share.std or 0) for s in summaries]},
        marker={"size": 12, "color": ["crimson" if k in front else "gray"
                                      for k in range(len(pts))]}))
    cost.add_trace(go.Scatter(x=[pts[k][0] for k in front], y=[pts[k][1] for k in front],
                              mode="lines", line={"dash": "dash", "color": "crimson"},
                              name=text("charts.cost.front", lang)))
    cost.update_layout(title=text("charts.cost.title", lang),
                       xaxis_title=text("charts.cost.x", lang),
                       xaxis_tickformat=",.0f",  # 4.500.000 đồng, not plotly's English "4.5M"
                       yaxis_title=text("charts.cost.y", lang))
    delays = go.Figure([go.Bar(name=b, x=names, y=[_delay_shares(outcomes, n)[k] for n in names])
                        for k, b in enumerate(_delay_bins(lang))])
    delays.update_layout(barmode="stack", title=text("charts.delays.title", lang),
                         yaxis_title=text("charts.delays.y", lang))
    reasons = _reasons(summaries)
    unassigned = go.Figure([go.Bar(name=reason_label(r, lang), x=names,
                                   y=[s.unassigned_per_day.get(r, 0) for s in summaries])
                            for r in reasons])
    unassigned.update_layout(barmode="stack", title=text("charts.unassigned.title", lang),
                             yaxis_title=text("charts.unassigned.y", lang))
    days, labels = _day_labels(outcomes, names, lang)
    label = dict(zip(days, labels, strict=True))
    # couriers above, courier-hours below (as workload.png), a colour per scenario in both
    workload = make_subplots(rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.08)
    for k, n in enumerate(names):
        dates, couriers = _daily(outcomes, n, "couriers_used")
        _, hours = _daily(outcomes, n, "courier_hours")
        x = [label[d] for d in dates]
        colour = {"color": qualitative.Plotly[k % len(qualitative.Plotly)]}
        workload.add_trace(go.Scatter(x=x, y=couriers, name=n, legendgroup=n, line=colour,
                                      mode="lines+markers"), row=1, col=1)
        workload.add_trace(go.Scatter(x=x, y=hours, name=n, legendgroup=n, showlegend=False,
                                      line=colour, mode="lines+markers"), row=2, col=1)
    # dates as the language writes them, in date order (not plotly's English month names)
    workload.update_layout(title=text("charts.workload.title", lang))
    workload.update_xaxes(type="category", categoryorder="array", categoryarray=labels)
    workload.update_yaxes(title_text=text("charts.workload.couriers", lang), row=1, col=1)
    workload.update_yaxes(title_text=text("charts.workload.hours", lang), row=2, col=1)
    figs: list[Any] = [cost, delays, unassigned, workload]
    for f in figs:  # plotly's decimal mark, then its thousands separator
        f.update_layout(separators=",." if lang == "vi" else ".,")
    config = ({"locale": "vi", "locales": {"vi": {"dictionary": _PLOTLY_VI}}} if lang == "vi"
              else {})
    parts = [f.to_html(full_html=False, include_plotlyjs=(k == 0), config=config)
             for k, f in enumerate(figs)]
    path.write_text(f"<!doctype html><html lang='{lang}'><head><meta charset='utf-8'>"
                    f"<title>{text('charts.html.title', lang)}</title>"
                    "</head><body>" + "".join(parts) + "</body></html>\n", encoding="utf-8")


def write_charts(summaries: Sequence[Summary], outcomes: Sequence[TaskOutcome],
                 out_dir: Path, lang: Lang = "vi") -> list[Path]:
    """Write the four PNG charts and ``charts.html`` into ``out_dir``; returns their paths.

    Words and numbers in ``lang`` (Vietnamese by default). Raises ValueError for
    an unknown language.
    """
    lang = check_lang(lang)
    out_dir = Path(out_dir)
    paths = [out_dir / f for f in CHART_FILES]
    ok = [s for s in summaries if s.failed < s.runs]
    _png_cost(ok, paths[0], lang)
    delay = [_delay_shares(outcomes, s.scenario) for s in ok]
    _png_bars(ok, _delay_bins(lang), [[d[k] for d in delay] for k in range(4)],
              title=text("charts.delays.title", lang), ylabel=text("charts.delays.y", lang),
              path=paths[1], lang=lang)
    reasons = _reasons(ok)
    _png_bars(ok, [reason_label(r, lang) for r in reasons],
              [[s.unassigned_per_day.get(r, 0) for s in ok] for r in reasons],
              title=text("charts.unassigned.title", lang),
              ylabel=text("charts.unassigned.y", lang), path=paths[2], lang=lang)
    _png_workload(ok, outcomes, paths[3], lang)
    _html(ok, outcomes, paths[4], lang)
    return paths

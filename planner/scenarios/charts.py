"""The manager's four charts, as PNG (matplotlib, Agg) and as one interactive HTML page (plotly).

1. cost per day against the on-time share, ± the spread over seeds, with
   the Pareto front (no other scenario is both cheaper and more on time);
2. delay distribution: the share of orders delivered 0, 1, 2, 3+ working
   days after their deadline;
3. unassigned items per day by reason;
4. daily workload over the horizon: couriers used and courier-hours per day.

The HTML page carries plotly.js inline, so it opens offline like the maps.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from planner.scenarios.report import Summary, pareto_front
from planner.scenarios.run import TaskOutcome

__all__ = ["CHART_FILES", "write_charts"]

#: PNG files, in the order of the module docstring, and the HTML page.
CHART_FILES = ("cost_vs_on_time.png", "delays.png", "unassigned.png", "workload.png",
               "charts.html")
_DELAY_BINS = ("on time", "1 day late", "2 days late", "3+ days late")


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


def _points(summaries: Sequence[Summary]) -> list[tuple[float, float]]:
    return [(s.cost_vnd.mean, 100 * s.on_time_share.mean) for s in summaries]


def _reasons(summaries: Sequence[Summary]) -> list[str]:
    return sorted({r for s in summaries for r in s.unassigned_per_day})


def _png_cost(summaries: Sequence[Summary], path: Path) -> None:
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
        ax.annotate(s.scenario, (c, share), textcoords="offset points",
                    xytext=(8, 6 - 14 * (k % 3)), fontsize="small",
                    arrowprops={"arrowstyle": "-", "alpha": 0.4})
    if len(front) > 1:
        ax.plot([pts[k][0] for k in front], [pts[k][1] for k in front], "--", color="tab:red",
                label="Pareto front (cheaper or more on time than every other)")
        ax.legend(loc="lower right")
    ax.set_xlabel("cost per working day (VND)")
    ax.set_ylabel("orders within their legal deadline (%)")
    ax.set_title("Cost against on-time share (bars: ± sd over seeds)")
    ax.xaxis.set_major_formatter(lambda v, _p: f"{v:,.0f}")
    ax.grid(alpha=0.3)
    fig.savefig(path, dpi=110)


def _png_bars(summaries: Sequence[Summary], labels: Sequence[str],
              values: Sequence[Sequence[float]], *, title: str, ylabel: str,
              path: Path) -> None:
    from matplotlib.figure import Figure  # noqa: PLC0415

    fig = Figure(figsize=(8, 5), layout="constrained")
    ax = fig.add_subplot()
    x = np.arange(len(summaries))
    bottom = np.zeros(len(summaries))
    for label, vals in zip(labels, values, strict=True):
        ax.bar(x, vals, bottom=bottom, label=label)
        bottom += np.asarray(vals)
    ax.set_xticks(x, [s.scenario for s in summaries], rotation=15, ha="right")
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    if labels:
        ax.legend()
    else:
        ax.text(0.5, 0.5, "none", transform=ax.transAxes, ha="center", fontsize=14)
    ax.grid(axis="y", alpha=0.3)
    fig.savefig(path, dpi=110)


def _png_workload(summaries: Sequence[Summary], outcomes: Sequence[TaskOutcome],
                  path: Path) -> None:
    from matplotlib.figure import Figure  # noqa: PLC0415

    fig = Figure(figsize=(9, 6), layout="constrained")
    top, bottom = fig.subplots(2, 1, sharex=True)
    styles = ("o-", "s--", "^-.", "D:", "v-", "P--")  # scenarios with equal days stay visible
    for k, s in enumerate(summaries):
        dates, couriers = _daily(outcomes, s.scenario, "couriers_used")
        _, hours = _daily(outcomes, s.scenario, "courier_hours")
        style = styles[k % len(styles)]
        top.plot(dates, couriers, style, label=s.scenario, alpha=0.8)
        bottom.plot(dates, hours, style, label=s.scenario, alpha=0.8)
    top.set_ylabel("couriers used")
    bottom.set_ylabel("courier-hours")
    top.set_title("Daily workload over the horizon (mean over seeds)")
    top.legend(fontsize="small")
    for ax in (top, bottom):
        ax.grid(alpha=0.3)
    bottom.tick_params(axis="x", rotation=20)
    fig.savefig(path, dpi=110)


def _html(summaries: Sequence[Summary], outcomes: Sequence[TaskOutcome], path: Path) -> None:
    import plotly.graph_objects as go  # noqa: PLC0415 - only charts need plotly

    names = [s.scenario for s in summaries]
    pts = _points(summaries)
    front = pareto_front(pts)
    cost = go.Figure()
    cost.add_trace(go.Scatter(
        x=[p[0] for p in pts], y=[p[1] for p in pts], mode="markers+text", text=names,
        textposition="top center", name="scenarios",
        error_x={"array": [s.cost_vnd.std or 0 for s in summaries]},
        error_y={"array": [100 * (s.on_time_share.std or 0) for s in summaries]},
        marker={"size": 12, "color": ["crimson" if k in front else "gray"
                                      for k in range(len(pts))]}))
    cost.add_trace(go.Scatter(x=[pts[k][0] for k in front], y=[pts[k][1] for k in front],
                              mode="lines", line={"dash": "dash", "color": "crimson"},
                              name="Pareto front"))
    cost.update_layout(title="Cost against on-time share", xaxis_title="cost per day (VND)",
                       yaxis_title="within the legal deadline (%)")
    delays = go.Figure([go.Bar(name=b, x=names, y=[_delay_shares(outcomes, n)[k] for n in names])
                        for k, b in enumerate(_DELAY_BINS)])
    delays.update_layout(barmode="stack", title="Delay after the deadline (share of orders)",
                         yaxis_title="%")
    reasons = _reasons(summaries)
    unassigned = go.Figure([go.Bar(name=r, x=names,
                                   y=[s.unassigned_per_day.get(r, 0) for s in summaries])
                            for r in reasons])
    unassigned.update_layout(barmode="stack", title="Unassigned items per day by reason")
    workload = go.Figure([go.Scatter(x=_daily(outcomes, n, "couriers_used")[0],
                                     y=_daily(outcomes, n, "couriers_used")[1], name=n,
                                     mode="lines+markers") for n in names])
    workload.update_layout(title="Couriers used per day", yaxis_title="couriers")
    figs: list[Any] = [cost, delays, unassigned, workload]
    parts = [f.to_html(full_html=False, include_plotlyjs=(k == 0)) for k, f in enumerate(figs)]
    path.write_text("<!doctype html><html><head><meta charset='utf-8'><title>Scenarios</title>"
                    "</head><body>" + "".join(parts) + "</body></html>\n", encoding="utf-8")


def write_charts(summaries: Sequence[Summary], outcomes: Sequence[TaskOutcome],
                 out_dir: Path) -> list[Path]:
    """Write the four PNG charts and ``charts.html`` into ``out_dir``; returns their paths."""
    out_dir = Path(out_dir)
    paths = [out_dir / f for f in CHART_FILES]
    ok = [s for s in summaries if s.failed < s.runs]
    _png_cost(ok, paths[0])
    delay = [_delay_shares(outcomes, s.scenario) for s in ok]
    _png_bars(ok, _DELAY_BINS, [[d[k] for d in delay] for k in range(4)],
              title="Delay after the legal deadline (orders decided in the horizon)",
              ylabel="share of orders (%)", path=paths[1])
    reasons = _reasons(ok)
    _png_bars(ok, reasons, [[s.unassigned_per_day.get(r, 0) for s in ok] for r in reasons],
              title="Unassigned items per day, by reason", ylabel="items per day",
              path=paths[2])
    _png_workload(ok, outcomes, paths[3])
    _html(ok, outcomes, paths[4])
    return paths

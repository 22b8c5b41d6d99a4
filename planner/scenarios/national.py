"""The national run: one scenario simulated on many provinces, one Dask task per province.

Every province named (all 34 of 2025 by default) gets the same scenario's
settings on its own geography (:func:`geodata.sample_province`: real 2025
communes, generated offices and roads) with its demand and vans scaled to it
(:func:`planner.sample_day.province_volumes`). The provinces go through the
same fan-out as a scenario sweep (:func:`planner.scenarios.run.run_sweep`:
plain data across processes, ``plan_day`` with no executor of its own, a task
whose worker dies failed for that province alone). The result is a row per
province and a national total: the sum of the provinces' couriers, km, cost
and unassigned items, and the on-time share and delays over all their orders
pooled (docs/scenarios.md, "A national run").
"""

from __future__ import annotations

import csv
import datetime as dt
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from geodata import SampleProvince, sample_province
from planner.output.i18n import Lang, fmt_count, fmt_number, text
from planner.sample_day import SampleVolumes, province_volumes
from planner.scenarios.report import Summary, reason_label, summarise
from planner.scenarios.run import Task, TaskOutcome, run_sweep
from planner.scenarios.simulate import DayFigures, Simulation, simulate
from planner.scenarios.spec import Scenario, ScenarioFile

__all__ = ["NATIONAL_COLUMNS", "NATIONAL_CSV", "NationalRun", "ProvinceRow", "national_header",
           "national_total", "print_national", "run_national", "write_national_csv"]

NATIONAL_CSV = "national.csv"
#: ``national.csv``'s column keys, in order (the English headers; ``unassigned_<reason>``
#: columns go before ``errors``). The headers follow the language (``national.csv.<key>``).
NATIONAL_COLUMNS: tuple[str, ...] = (
    "code", "province", "communes", "orders_per_day", "runs", "failed", "couriers", "km",
    "cost_vnd", "on_time_share", "delay_p95_hours", "unassigned", "errors")
#: The name of the national total's row.
TOTAL = "total"


@dataclass(frozen=True)
class ProvinceRow:
    """One province of the run: what it is and its summary over seeds."""

    code: str
    name: str
    communes: int
    orders_per_day: int
    summary: Summary


@dataclass(frozen=True)
class NationalRun:
    """Every province's row, the national total over the provinces that ran, and all tasks."""

    provinces: tuple[ProvinceRow, ...]
    total: Summary
    outcomes: tuple[TaskOutcome, ...]
    spec: ScenarioFile


def _add_days(a: DayFigures, b: DayFigures) -> DayFigures:
    """Two provinces' figures of the same day, added (counts, km, hours, cost)."""

    def merged(x: Any, y: Any) -> dict[str, int]:
        return {k: x.get(k, 0) + y.get(k, 0) for k in sorted({*x, *y})}

    return DayFigures(
        a.date, a.couriers_used + b.couriers_used, a.vans_used + b.vans_used,
        round(a.distance_km + b.distance_km, 1), round(a.courier_hours + b.courier_hours, 2),
        a.cost_vnd + b.cost_vnd, a.legs + b.legs, a.served + b.served,
        merged(a.unassigned_by_reason, b.unassigned_by_reason), a.backlog + b.backlog,
        a.trunk_carried + b.trunk_carried, a.trunk_cost_vnd + b.trunk_cost_vnd,
        a.dossiers_filed + b.dossiers_filed, a.filed_before_cutoff + b.filed_before_cutoff,
        merged(a.filing_profile, b.filing_profile), a.failed_deliveries + b.failed_deliveries)


def national_total(outcomes: Sequence[TaskOutcome], seeds: int) -> Summary:
    """The national row: per seed, every province that ran pooled into one simulation.

    Day by day the provinces' figures are added (so couriers, km, cost and
    unassigned items per day are the sum of the provinces' rows when every
    task ran); their orders are pooled, so the on-time share and the delays
    are over all orders of the country, not an average of shares. A failed
    task is left out of its seed's total (and counted in ``errors``).
    """
    pooled: list[TaskOutcome] = []
    for seed in range(seeds):
        sims = [o.simulation for o in outcomes if o.seed == seed and o.simulation is not None]
        errors = [f"{o.scenario}: {o.error}" for o in outcomes if o.seed == seed and not o.ok]
        if not sims:
            pooled.append(TaskOutcome(TOTAL, seed, None, "; ".join(errors) or "no province"))
            continue
        days = list(sims[0].days)
        for sim in sims[1:]:
            days = [_add_days(x, y) for x, y in zip(days, sim.days, strict=True)]
        orders = tuple(o for sim in sims for o in sim.orders)
        wall = round(sum(sim.wall_s for sim in sims), 2)
        pooled.append(TaskOutcome(TOTAL, seed, Simulation(TOTAL, seed, tuple(days), orders,
                                                          wall)))
    total = summarise(pooled, [TOTAL])[0]
    failed = tuple(f"{o.scenario} seed {o.seed}: {o.error}" for o in outcomes if not o.ok)
    return replace(total, runs=len(outcomes), errors=failed)


def _name(code: str, geo: SampleProvince) -> str:
    return f"{code} {geo.name}"


def run_national(
    codes: Sequence[str],
    base: Scenario,
    client: Any,
    *,
    days: int,
    seeds: int = 1,
    start: dt.date,
    communes_csv: Path | None = None,
    task: Task = simulate,
    progress: Callable[[TaskOutcome], None] | None = None,
) -> NationalRun:
    """Simulate ``base`` on every province of ``codes``, one task per province × seed.

    Parameters
    ----------
    codes
        2025 province codes, checked (``planner.commands._args.province_codes``).
    base
        The settings every province runs with; ``demand.orders`` and
        ``fleet.vans`` are the sample province's and are scaled to each.
    client
        A ``distributed.Client`` (:func:`planner.scenarios.run.dask_client`).
    days, seeds, start
        Working days per simulation, seeds per province, the first day.
    communes_csv
        A user's communes CSV the provinces' geography comes from (None: the package's).
    task, progress
        As :func:`planner.scenarios.run.run_sweep`.

    Returns
    -------
    NationalRun
        A row per province (in ``codes``' order) and the national total.

    Raises
    ------
    geodata.exceptions.ValidationError
        An unknown code or a bad CSV (before any task runs).
    """
    scenarios, rows = [], []
    csv_text = str(communes_csv) if communes_csv is not None else ""
    for code in codes:
        geo = sample_province(code, communes_csv)
        sc = replace(base, name=_name(code, geo), province=code, communes_csv=csv_text)
        scenarios.append(sc)
        orders = province_volumes(geo, SampleVolumes(orders=base.demand.orders)).orders
        rows.append((code, geo.name, len(geo.communes), orders))
    spec = ScenarioFile(tuple(scenarios), start, source="national")
    outcomes = run_sweep(spec, client, days=days, seeds=seeds, task=task, progress=progress)
    summaries = summarise(outcomes, [s.name for s in scenarios])
    provinces = tuple(ProvinceRow(code, name, n, orders, s)
                      for (code, name, n, orders), s in zip(rows, summaries, strict=True))
    return NationalRun(provinces, national_total(outcomes, seeds), tuple(outcomes), spec)


def _num(x: float, digits: int = 1) -> object:
    return "" if math.isnan(x) else round(x, digits)


def _reasons(run: NationalRun) -> list[str]:
    return sorted({r for p in run.provinces for r in p.summary.unassigned_per_day}
                  | set(run.total.unassigned_per_day))


def national_header(reasons: Sequence[str], lang: Lang = "vi") -> list[str]:
    """``national.csv``'s header row in ``lang``, a column per unassigned reason before errors.

    The columns are :data:`NATIONAL_COLUMNS`. English headers are the column keys
    (``unassigned_<reason>`` per reason), for programs; Vietnamese ones are words
    with diacritics, as every other output.
    """
    keys = [text(f"national.csv.{k}", lang) for k in NATIONAL_COLUMNS]
    per_reason = [text("national.csv.unassigned_reason", lang, code=r,
                       label=reason_label(r, lang)) for r in reasons]
    return [*keys[:-1], *per_reason, keys[-1]]


def write_national_csv(run: NationalRun, path: Path, lang: Lang = "vi") -> Path:
    """Write ``national.csv``: a row per province, then the national total (means over seeds).

    Columns :data:`NATIONAL_COLUMNS` (``code, province, communes,
    orders_per_day, runs, failed, couriers, km, cost_vnd, on_time_share,
    delay_p95_hours, unassigned``, one ``unassigned_<reason>`` column per reason
    (items per day), ``errors``), headed in ``lang`` (:func:`national_header`).
    The total's code is ``total`` in every language.
    """
    reasons = _reasons(run)

    def row(code: str, name: str, communes: object, orders: object, s: Summary) -> list[object]:
        un = s.unassigned_per_day
        # A province whose every run failed has no figures: blank, not "0 unassigned".
        none = s.runs > 0 and s.failed == s.runs
        counts = ["" for _ in reasons] if none else [un.get(r, 0) for r in reasons]
        return [code, name, communes, orders, s.runs, s.failed, _num(s.couriers.mean, 2),
                _num(s.km.mean), _num(s.cost_vnd.mean, 0), _num(s.on_time_share.mean, 4),
                _num(s.delay_p95_hours.mean, 2), "" if none else round(sum(un.values()), 2),
                *counts, " | ".join(s.errors)]

    with Path(path).open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(national_header(reasons, lang))
        for p in run.provinces:
            w.writerow(row(p.code, p.name, p.communes, p.orders_per_day, p.summary))
        t = run.total
        w.writerow(row(TOTAL, text("national.total", lang),
                       sum(p.communes for p in run.provinces),
                       sum(p.orders_per_day for p in run.provinces), t))
    return Path(path)


def print_national(run: NationalRun, console: Console, *, days: int, seeds: int,
                   lang: Lang = "vi") -> None:
    """The national table in the terminal, in ``lang``: a row per province, the total last."""
    t = Table(title=text("national.title", lang, n=len(run.provinces), days=days, seeds=seeds))
    for key in ("province", "orders", "couriers", "km", "cost", "on_time", "p95", "unassigned"):
        t.add_column(text(f"national.col.{key}", lang), overflow="fold",
                     justify="left" if key == "province" else "right")
    failed_word = text("national.failed", lang)

    def cells(s: Summary) -> list[str]:
        if s.failed == s.runs:
            return ["–"] * 5 + [f"[red]{failed_word}[/red]"]
        un = ", ".join(f"{reason_label(r, lang)} {fmt_count(n, lang)}"
                       for r, n in s.unassigned_per_day.items()) or "0"
        return [fmt_number(s.couriers.mean, 1, lang), fmt_number(s.km.mean, 0, lang),
                fmt_number(s.cost_vnd.mean / 1000, 0, lang),
                fmt_number(100 * s.on_time_share.mean, 1, lang),
                fmt_number(s.delay_p95_hours.mean, 1, lang), un]

    for p in run.provinces:
        n_failed = text("national.n_failed", lang, n=p.summary.failed)
        failed = f" [red]({n_failed})[/red]" if p.summary.failed else ""
        t.add_row(f"{p.code} {p.name}{failed}", fmt_number(p.orders_per_day, 0, lang),
                  *cells(p.summary))
    t.add_section()
    t.add_row(f"[bold]{text('national.total', lang)}[/bold]",
              fmt_number(sum(p.orders_per_day for p in run.provinces), 0, lang),
              *cells(run.total))
    console.print(t)
    for e in run.total.errors:
        console.print(f"  [red]{failed_word}[/red] {e}")

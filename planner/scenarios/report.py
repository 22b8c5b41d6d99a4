"""What the manager sees: one row per scenario (mean ± spread over seeds), CSV, charts.

Figures per seed are first averaged over the simulated days (or taken over
the seed's orders), then the seeds give a mean and a standard deviation. A
difference between two scenarios smaller than their combined spread
(√(sd₁² + sd₂²)) is reported as within the noise; with one seed the spread is
unknown and said so.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from rich.console import Console
from rich.table import Table

from planner.output import i18n
from planner.output.i18n import LANGS, Lang, fmt_count, fmt_number, text
from planner.plan import UnassignedReason
from planner.scenarios.run import TaskOutcome
from planner.scenarios.simulate import Simulation
from planner.scenarios.spec import ScenarioFile

__all__ = ["COMPARISON_COLUMNS", "DAYS_COLUMNS", "Spread", "Summary", "compare",
           "comparison_header", "days_header", "header_keys", "pareto_front", "print_table",
           "reason_label", "summarise", "write_csv", "write_days_csv", "write_run_json"]

COMPARISON_CSV = "comparison.csv"
DAYS_CSV = "days.csv"
RUN_JSON = "run.json"
#: Version of the ``run.json`` layout (what ``bcci-dispatch scenarios import`` reads).
RUN_SCHEMA_VERSION = 1
#: The figures of ``comparison.csv`` given as ``<figure>_mean`` and ``<figure>_std``.
FIGURES: tuple[str, ...] = (
    "couriers", "vans", "km", "courier_hours", "cost_vnd", "on_time_share", "delay_mean_days",
    "delay_p95_days", "delay_mean_hours", "delay_p95_hours", "filed_before_cutoff_share",
    "trunk_carried", "backlog_end", "failed_deliveries")
#: ``comparison.csv``'s column keys, in order: its English headers, which programs read
#: (the Vietnamese ones are words, :func:`comparison_header`).
COMPARISON_COLUMNS: tuple[str, ...] = (
    "scenario", "runs", "failed", *(f"{f}_{m}" for f in FIGURES for m in ("mean", "std")),
    "orders_decided", "orders_open", "unassigned_per_day", "filing_profile_per_day",
    "versus_first", "errors")
#: ``days.csv``'s column keys, in order (its English headers; :func:`days_header`).
DAYS_COLUMNS: tuple[str, ...] = (
    "scenario", "seed", "date", "couriers_used", "vans_used", "distance_km", "courier_hours",
    "cost_vnd", "legs", "served", "unassigned", "backlog", "trunk_carried", "trunk_cost_vnd",
    "dossiers_filed", "filed_before_cutoff", "failed_deliveries")


@dataclass(frozen=True)
class Spread:
    """A figure over seeds: the mean and the sample standard deviation (None: one seed)."""

    mean: float
    std: float | None

    @classmethod
    def of(cls, values: Sequence[float]) -> Spread:
        """The spread of per-seed ``values`` (NaN mean when there are none)."""
        vals = [v for v in values if not math.isnan(v)]
        if not vals:
            return cls(math.nan, None)
        std = float(np.std(vals, ddof=1)) if len(vals) > 1 else None
        return cls(float(np.mean(vals)), std)

    def text(self, decimals: int = 1, lang: Lang = "vi") -> str:
        """``mean ± std`` (just the mean with one seed, ``–`` when undefined).

        Numbers in ``lang``'s marks (:func:`planner.output.i18n.fmt_number`):
        ``1.234,5 ± 12,0`` in Vietnamese, ``1,234.5 ± 12.0`` in English.
        """
        if math.isnan(self.mean):
            return "–"
        base = fmt_number(self.mean, decimals, lang)
        return base if self.std is None else f"{base} ± {fmt_number(self.std, decimals, lang)}"


@dataclass(frozen=True)
class Summary:
    """One scenario over its seeds.

    Per day (mean over days, then over seeds): couriers and vans used, km,
    courier-hours, cost, unassigned items by reason, failed deliveries. Over the orders accepted
    in the horizon whose outcome is known: the on-time share and the mean and
    95th-percentile delay in working days and in working hours (office hours,
    :meth:`planner.calendar.WorkingCalendar.working_seconds_between`).
    ``filed_before_cutoff_share``: dossiers handed over at agencies by their
    cut-off, over all dossiers handed over; ``filing_profile``: dossiers
    handed over per day by band of time (:data:`planner.kpis.FILING_BANDS`).
    ``orders_open``: accepted orders neither delivered nor yet due after the
    last day (left out of the shares).
    """

    scenario: str
    runs: int
    errors: tuple[str, ...]
    couriers: Spread
    vans: Spread
    km: Spread
    courier_hours: Spread
    cost_vnd: Spread
    on_time_share: Spread
    delay_mean_days: Spread
    delay_p95_days: Spread
    backlog_end: Spread
    unassigned_per_day: dict[str, float]
    orders_decided: int
    orders_open: int
    failed_deliveries: Spread = Spread(math.nan, None)
    delay_mean_hours: Spread = Spread(math.nan, None)
    delay_p95_hours: Spread = Spread(math.nan, None)
    filed_before_cutoff_share: Spread = Spread(math.nan, None)
    filing_profile: dict[str, float] = field(default_factory=dict)
    trunk_carried: Spread = Spread(math.nan, None)

    @property
    def failed(self) -> int:
        """Tasks of this scenario that failed."""
        return len(self.errors)


def _per_day(sim: Simulation, attr: str) -> float:
    return float(np.mean([getattr(d, attr) for d in sim.days])) if sim.days else math.nan


def _on_time(sim: Simulation) -> float:
    decided = [o for o in sim.orders if o.decided]
    return sum(o.on_time for o in decided) / len(decided) if decided else math.nan


def _delays(sim: Simulation) -> list[int]:
    return [o.delay_days for o in sim.orders if o.decided]


def _delay(sim: Simulation, q: float | None, *, hours: bool = False) -> float:
    d = [o.delay_hours for o in sim.orders if o.decided] if hours else _delays(sim)
    if not d:
        return math.nan
    return float(np.mean(d)) if q is None else float(np.percentile(d, q))


def _unassigned(sims: Sequence[Simulation]) -> dict[str, float]:
    days = sum(len(s.days) for s in sims)
    total: dict[str, float] = {}
    for s in sims:
        for d in s.days:
            for reason, n in d.unassigned_by_reason.items():
                total[reason] = total.get(reason, 0) + n
    return {r: round(n / days, 2) for r, n in sorted(total.items())} if days else {}


def _filed_share(sim: Simulation) -> float:
    filed = sum(d.dossiers_filed for d in sim.days)
    return sum(d.filed_before_cutoff for d in sim.days) / filed if filed else math.nan


def _filing_profile(sims: Sequence[Simulation]) -> dict[str, float]:
    days = sum(len(s.days) for s in sims)
    total: dict[str, float] = {}
    for s in sims:
        for d in s.days:
            for band, n in d.filing_profile.items():
                total[band] = total.get(band, 0) + n
    return {b: round(n / days, 2) for b, n in total.items()} if days else {}


def _summary(name: str, outcomes: Sequence[TaskOutcome]) -> Summary:
    sims = [o.simulation for o in outcomes if o.simulation is not None]
    errors = tuple(f"seed {o.seed}: {o.error}" for o in outcomes if not o.ok)

    def spread(fn: object) -> Spread:
        return Spread.of([fn(s) for s in sims])  # type: ignore[operator]

    return Summary(
        name, len(outcomes), errors,
        couriers=spread(lambda s: _per_day(s, "couriers_used")),
        vans=spread(lambda s: _per_day(s, "vans_used")),
        km=spread(lambda s: _per_day(s, "distance_km")),
        courier_hours=spread(lambda s: _per_day(s, "courier_hours")),
        cost_vnd=spread(lambda s: _per_day(s, "cost_vnd")),
        on_time_share=spread(_on_time),
        delay_mean_days=spread(lambda s: _delay(s, None)),
        delay_p95_days=spread(lambda s: _delay(s, 95)),
        backlog_end=spread(lambda s: float(s.days[-1].backlog) if s.days else math.nan),
        unassigned_per_day=_unassigned(sims),
        orders_decided=sum(o.decided for s in sims for o in s.orders),
        orders_open=sum(not o.decided for s in sims for o in s.orders),
        failed_deliveries=spread(lambda s: _per_day(s, "failed_deliveries")),
        delay_mean_hours=spread(lambda s: _delay(s, None, hours=True)),
        delay_p95_hours=spread(lambda s: _delay(s, 95, hours=True)),
        filed_before_cutoff_share=spread(_filed_share),
        filing_profile=_filing_profile(sims),
        trunk_carried=spread(lambda s: _per_day(s, "trunk_carried")),
    )


def summarise(outcomes: Iterable[TaskOutcome], order: Sequence[str]) -> list[Summary]:
    """One :class:`Summary` per scenario name in ``order``."""
    by_name: dict[str, list[TaskOutcome]] = {n: [] for n in order}
    for o in outcomes:
        by_name.setdefault(o.scenario, []).append(o)
    return [_summary(n, by_name[n]) for n in order]


def comparison_header(lang: Lang = "vi") -> list[str]:
    """``comparison.csv``'s header row in ``lang`` (:data:`COMPARISON_COLUMNS`).

    English headers are the column keys, for programs; Vietnamese ones are words
    with diacritics (``Chi phí (đồng/ngày): trung bình``), as every other output.
    """
    head = [text(f"scenarios.csv.{k}", lang) for k in COMPARISON_COLUMNS[:3]]
    for f in FIGURES:
        label = text(f"scenarios.csv.{f}", lang)
        head += [text(f"scenarios.csv.{m}", lang, column=f, label=label) for m in ("mean", "std")]
    return head + [text(f"scenarios.csv.{k}", lang)
                   for k in COMPARISON_COLUMNS[3 + 2 * len(FIGURES):]]


def days_header(lang: Lang = "vi") -> list[str]:
    """``days.csv``'s header row in ``lang`` (:data:`DAYS_COLUMNS`; English: the keys)."""
    return [text(f"scenarios.days.{k}", lang) for k in DAYS_COLUMNS]


def header_keys(header: Sequence[str]) -> list[str]:
    """The column keys of a ``comparison.csv`` or ``days.csv`` header in any language.

    For programs that read the files (``bcci-dispatch scenarios import``): a
    header written with ``--lang vi`` or ``--lang en`` gives the same keys; a
    column this version does not know keeps its header.

    Examples
    --------
    >>> header_keys(["Kịch bản", "Chi phí (đồng/ngày): trung bình", "cost_vnd_std", "new"])
    ['scenario', 'cost_vnd_mean', 'cost_vnd_std', 'new']
    """
    keys = _keys_of_headers()
    return [keys.get(h.strip(), h) for h in header]


@functools.cache
def _keys_of_headers() -> dict[str, str]:
    """Every language's header of both files, to its column key (built on first use)."""
    keys: dict[str, str] = {}
    for lang in LANGS:
        keys |= dict(zip(comparison_header(lang), COMPARISON_COLUMNS, strict=True))
        keys |= dict(zip(days_header(lang), DAYS_COLUMNS, strict=True))
    return keys


def reason_label(code: str, lang: Lang) -> str:
    """An unassigned reason's name in ``lang`` (its code if the catalogue has none)."""
    try:
        return i18n.reason(UnassignedReason(code), lang)
    except ValueError:
        return code


def compare(a: Spread, b: Spread) -> tuple[float, str]:
    """``b - a`` and whether it stands out of the seeds' noise.

    Returns the difference and ``"clear"``, ``"within noise"`` (smaller than
    √(sd_a² + sd_b²)) or ``"spread unknown"`` (one seed).
    """
    diff = b.mean - a.mean
    if a.std is None or b.std is None:
        return diff, "spread unknown"
    noise = math.hypot(a.std, b.std)
    return diff, "within noise" if abs(diff) <= noise else "clear"


def _versus(ref: Summary, s: Summary, lang: Lang = "en") -> str:
    """``s`` against the first scenario ``ref``: cost and on-time share, each with its noise."""
    if s is ref:
        return text("scenarios.reference", lang)
    if s.runs == s.failed or ref.runs == ref.failed:
        return "–"
    dc, nc = compare(ref.cost_vnd, s.cost_vnd)
    dt_, nt = compare(ref.on_time_share, s.on_time_share)
    # numbers written as in the table beside it (and national's), in the language's marks
    return text("scenarios.versus", lang, cost=fmt_number(dc, 0, lang, sign=True),
                on_time=fmt_number(100 * dt_, 1, lang, sign=True),
                cost_noise=text(f"scenarios.noise.{nc.replace(' ', '_')}", lang),
                on_time_noise=text(f"scenarios.noise.{nt.replace(' ', '_')}", lang))


def pareto_front(points: Sequence[tuple[float, float]]) -> list[int]:
    """Indexes of the points no other beats: lower or equal cost and higher or equal share.

    ``points`` are ``(cost, on_time_share)``; NaNs are never on the front. The
    front is returned by increasing cost.

    Examples
    --------
    >>> pareto_front([(10, 0.9), (8, 0.95), (12, 0.99), (9, 0.8)])
    [1, 2]
    """
    ok = [k for k, (c, s) in enumerate(points) if not (math.isnan(c) or math.isnan(s))]

    def beaten(k: int) -> bool:
        c, s = points[k]
        return any(points[j][0] <= c and points[j][1] >= s and points[j] != points[k]
                   for j in ok)

    return sorted((k for k in ok if not beaten(k)), key=lambda k: points[k][0])


def _row(s: Summary, ref: Summary, lang: Lang = "en") -> dict[str, object]:
    row: dict[str, object] = {"scenario": s.scenario, "runs": s.runs, "failed": s.failed}
    for key in FIGURES:
        sp: Spread = getattr(s, key)
        row[f"{key}_mean"] = "" if math.isnan(sp.mean) else round(sp.mean, 4)
        row[f"{key}_std"] = "" if sp.std is None else round(sp.std, 4)
    row["orders_decided"], row["orders_open"] = s.orders_decided, s.orders_open
    row["unassigned_per_day"] = "; ".join(f"{r}={n:g}" for r, n in s.unassigned_per_day.items())
    row["filing_profile_per_day"] = "; ".join(f"{b}={n:g}" for b, n in s.filing_profile.items())
    row["versus_first"] = _versus(ref, s, lang)
    row["errors"] = " | ".join(s.errors)
    return row


def write_csv(summaries: Sequence[Summary], path: Path, lang: Lang = "vi") -> Path:
    """Write ``comparison.csv``: one row per scenario, means and standard deviations apart.

    Columns :data:`COMPARISON_COLUMNS`, headed in ``lang`` (:func:`comparison_header`);
    ``versus_first`` is a sentence in ``lang``, the other values are the same in both.
    """
    rows = [_row(s, summaries[0], lang) for s in summaries]
    with Path(path).open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(comparison_header(lang))
        w.writerows([row[k] for k in COMPARISON_COLUMNS] for row in rows)
    return Path(path)


def write_days_csv(outcomes: Iterable[TaskOutcome], path: Path, lang: Lang = "vi") -> Path:
    """Write ``days.csv``: every scenario, seed and day's figures (the workload chart's data).

    Columns :data:`DAYS_COLUMNS`, headed in ``lang`` (:func:`days_header`).
    """
    with Path(path).open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(days_header(lang))
        for o in outcomes:
            for d in o.simulation.days if o.simulation is not None else ():
                w.writerow([o.scenario, o.seed, d.date.isoformat(), d.couriers_used, d.vans_used,
                            d.distance_km, d.courier_hours, d.cost_vnd, d.legs, d.served,
                            sum(d.unassigned_by_reason.values()), d.backlog, d.trunk_carried,
                            d.trunk_cost_vnd, d.dossiers_filed, d.filed_before_cutoff,
                            d.failed_deliveries])
    return Path(path)


def print_table(summaries: Sequence[Summary], console: Console, *, days: int, seeds: int,
                lang: Lang = "vi") -> None:
    """The comparison table in the terminal, in ``lang``, then each scenario against the first."""
    t = Table(title=text("scenarios.title", lang, days=days, seeds=seeds))
    for col in ("scenario", "couriers", "km", "courier_hours", "cost", "on_time", "delay_days",
                "delay_hours", "filed", "failed_deliveries", "unassigned"):
        t.add_column(text(f"scenarios.col.{col}", lang), overflow="fold")
    for s in summaries:
        if s.failed == s.runs:
            t.add_row(s.scenario, *["–"] * 9, f"[red]{text('scenarios.failed', lang)}[/red]")
            continue
        share = Spread(100 * s.on_time_share.mean,
                       None if s.on_time_share.std is None else 100 * s.on_time_share.std)
        cost = Spread(s.cost_vnd.mean / 1000,
                      None if s.cost_vnd.std is None else s.cost_vnd.std / 1000)
        unassigned = ", ".join(f"{reason_label(r, lang)} {fmt_count(n, lang)}"
                               for r, n in s.unassigned_per_day.items()) or "0"
        filed = s.filed_before_cutoff_share
        filed_pct = Spread(100 * filed.mean, None if filed.std is None else 100 * filed.std)
        failed = (f" [red]({text('scenarios.n_failed', lang, n=s.failed)})[/red]"
                  if s.failed else "")
        t.add_row(s.scenario + failed, s.couriers.text(1, lang), s.km.text(0, lang),
                  s.courier_hours.text(1, lang), cost.text(0, lang), share.text(1, lang),
                  f"{s.delay_mean_days.text(2, lang)} / {s.delay_p95_days.text(1, lang)}",
                  f"{s.delay_mean_hours.text(1, lang)} / {s.delay_p95_hours.text(1, lang)}",
                  filed_pct.text(0, lang), s.failed_deliveries.text(1, lang), unassigned)
    console.print(t)
    for s in summaries[1:]:
        console.print(text("scenarios.vs", lang, name=s.scenario, ref=summaries[0].scenario,
                           versus=_versus(summaries[0], s, lang)))
    for s in summaries:
        for e in s.errors:
            console.print(text("scenarios.error", lang, name=s.scenario, error=e))


def write_run_json(spec: ScenarioFile, path: Path, *, days: int, seeds: int,
                   failed: int = 0) -> Path:
    """Write ``run.json``: what was run (file, first day, days, seeds, scenarios), beside the CSVs.

    ``{"schema": 1, "source": "fleet_and_cutoff.toml", "start": "2026-11-23",
    "days": 5, "seeds": 3, "failed": 0, "finished_at": ISO time (UTC),
    "scenarios": [{"name": ..., "description": ...}, ...]}``; the service
    imports a run from this file and the two CSVs (docs/scenarios.md).
    """
    doc = {"schema": RUN_SCHEMA_VERSION, "source": spec.source, "start": spec.start.isoformat(),
           "days": days, "seeds": seeds, "failed": failed,
           "finished_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
           "scenarios": [{"name": s.name, "description": s.description}
                         for s in spec.scenarios]}
    Path(path).write_text(json.dumps(doc, ensure_ascii=False, indent=2) + "\n",
                          encoding="utf-8")
    return Path(path)

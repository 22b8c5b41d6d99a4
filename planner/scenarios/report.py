"""What the manager sees: one row per scenario (mean ± spread over seeds), CSV, charts.

Figures per seed are first averaged over the simulated days (or taken over
the seed's orders), then the seeds give a mean and a standard deviation. A
difference between two scenarios smaller than their combined spread
(√(sd₁² + sd₂²)) is reported as within the noise; with one seed the spread is
unknown and said so.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from rich.console import Console
from rich.table import Table

from planner.scenarios.run import TaskOutcome
from planner.scenarios.simulate import Simulation

__all__ = ["Spread", "Summary", "compare", "pareto_front", "print_table", "summarise",
           "write_csv"]

COMPARISON_CSV = "comparison.csv"
DAYS_CSV = "days.csv"


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

    def text(self, fmt: str = "{:,.1f}") -> str:
        """``mean ± std`` (just the mean with one seed, ``–`` when undefined)."""
        if math.isnan(self.mean):
            return "–"
        base = fmt.format(self.mean)
        return base if self.std is None else f"{base} ± {fmt.format(self.std)}"


@dataclass(frozen=True)
class Summary:
    """One scenario over its seeds.

    Per day (mean over days, then over seeds): couriers and vans used, km,
    courier-hours, cost, unassigned items by reason, failed deliveries. Over the orders accepted
    in the horizon whose outcome is known: the on-time share and the mean and
    95th-percentile delay in working days. ``orders_open``: accepted orders
    neither delivered nor yet due after the last day (left out of the shares).
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


def _delay(sim: Simulation, q: float | None) -> float:
    d = _delays(sim)
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
    )


def summarise(outcomes: Iterable[TaskOutcome], order: Sequence[str]) -> list[Summary]:
    """One :class:`Summary` per scenario name in ``order``."""
    by_name: dict[str, list[TaskOutcome]] = {n: [] for n in order}
    for o in outcomes:
        by_name.setdefault(o.scenario, []).append(o)
    return [_summary(n, by_name[n]) for n in order]


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


def _versus(ref: Summary, s: Summary) -> str:
    if s is ref:
        return "reference"
    if s.runs == s.failed or ref.runs == ref.failed:
        return "–"
    dc, nc = compare(ref.cost_vnd, s.cost_vnd)
    dt_, nt = compare(ref.on_time_share, s.on_time_share)
    return f"cost {dc:+,.0f} VND/day ({nc}); on time {100 * dt_:+.1f} pt ({nt})"


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


def _row(s: Summary, ref: Summary) -> dict[str, object]:
    row: dict[str, object] = {"scenario": s.scenario, "runs": s.runs, "failed": s.failed}
    for key in ("couriers", "vans", "km", "courier_hours", "cost_vnd", "on_time_share",
                "delay_mean_days", "delay_p95_days", "backlog_end", "failed_deliveries"):
        sp: Spread = getattr(s, key)
        row[f"{key}_mean"] = "" if math.isnan(sp.mean) else round(sp.mean, 4)
        row[f"{key}_std"] = "" if sp.std is None else round(sp.std, 4)
    row["orders_decided"], row["orders_open"] = s.orders_decided, s.orders_open
    row["unassigned_per_day"] = "; ".join(f"{r}={n:g}" for r, n in s.unassigned_per_day.items())
    row["versus_first"] = _versus(ref, s)
    row["errors"] = " | ".join(s.errors)
    return row


def write_csv(summaries: Sequence[Summary], path: Path) -> Path:
    """Write ``comparison.csv``: one row per scenario, means and standard deviations apart."""
    rows = [_row(s, summaries[0]) for s in summaries]
    with Path(path).open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    return Path(path)


def write_days_csv(outcomes: Iterable[TaskOutcome], path: Path) -> Path:
    """Write ``days.csv``: every scenario, seed and day's figures (the workload chart's data)."""
    fields = ["scenario", "seed", "date", "couriers_used", "vans_used", "distance_km",
              "courier_hours", "cost_vnd", "legs", "served", "unassigned", "backlog",
              "failed_deliveries"]
    with Path(path).open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(fields)
        for o in outcomes:
            for d in o.simulation.days if o.simulation is not None else ():
                w.writerow([o.scenario, o.seed, d.date.isoformat(), d.couriers_used, d.vans_used,
                            d.distance_km, d.courier_hours, d.cost_vnd, d.legs, d.served,
                            sum(d.unassigned_by_reason.values()), d.backlog,
                            d.failed_deliveries])
    return Path(path)


def print_table(summaries: Sequence[Summary], console: Console, *, days: int, seeds: int) -> None:
    """The comparison table in the terminal, then each scenario against the first."""
    t = Table(title=f"{days} working days × {seeds} seed(s): mean ± sd over seeds")
    for col in ("scenario", "couriers /day", "km /day", "courier-h /day", "cost kVND /day",
                "on time %", "delay wd mean / p95", "failed deliveries /day",
                "unassigned /day"):
        t.add_column(col, overflow="fold")
    for s in summaries:
        if s.failed == s.runs:
            t.add_row(s.scenario, *["–"] * 7, "[red]failed[/red]")
            continue
        share = Spread(100 * s.on_time_share.mean,
                       None if s.on_time_share.std is None else 100 * s.on_time_share.std)
        cost = Spread(s.cost_vnd.mean / 1000,
                      None if s.cost_vnd.std is None else s.cost_vnd.std / 1000)
        unassigned = ", ".join(f"{r} {n:g}" for r, n in s.unassigned_per_day.items()) or "0"
        failed = f" [red]({s.failed} failed)[/red]" if s.failed else ""
        t.add_row(s.scenario + failed, s.couriers.text(), s.km.text("{:,.0f}"),
                  s.courier_hours.text(), cost.text("{:,.0f}"), share.text("{:.1f}"),
                  f"{s.delay_mean_days.text('{:.2f}')} / {s.delay_p95_days.text('{:.1f}')}",
                  s.failed_deliveries.text(), unassigned)
    console.print(t)
    for s in summaries[1:]:
        console.print(f"  {s.scenario} vs {summaries[0].scenario}: {_versus(summaries[0], s)}")
    for s in summaries:
        for e in s.errors:
            console.print(f"  [red]{s.scenario} failed[/red] ({e})")

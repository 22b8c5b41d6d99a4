"""One time budget for a whole request, on one clock, and how it is shared out.

A :class:`Budget` is created once, where a request starts (``plan_day``, the
service's job, a benchmark run), and passed down as the same object: travel
matrices, the split into parts, each part's search, the repair across parts and
the reasons of what is left all take their time from it. Only
:data:`SHARES` says how it is cut, each share with its reason, so no module keeps
private fractions (PyVRP's ``stop.MaxRuntime`` is the model: one small validated
object that owns its clock).

The clock is ``time.monotonic``. A budget sent to another process (pickled)
travels as the wall-clock time it started (``time.time``) and is re-based on
the receiving process's monotonic clock when it arrives, so the time it spent
waiting in a queue counts. (It travelled as "seconds elapsed", which froze the
clock while it waited: a process pool pickles a job when it queues it, and a
part queued behind a 9 s part started with 9 s too many, which the last parts
of the day lost.) Across machines this assumes their clocks agree (NTP).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from planner.exceptions import InputError


class Budget:
    """Seconds that a request may take, counted from its creation.

    Parameters
    ----------
    limit_s
        Wall-clock seconds, or None for no time limit (runs bounded by a
        solution count instead: they are reproducible).

    Raises
    ------
    InputError
        If ``limit_s`` is not positive.

    Examples
    --------
    >>> b = Budget(10.0)
    >>> 9.0 < (b.remaining_s() or 0) <= 10.0
    True
    >>> Budget(None).remaining_s() is None
    True
    """

    def __init__(self, limit_s: float | None, *, _start: float | None = None) -> None:
        if limit_s is not None and not limit_s > 0:
            raise InputError(f"time limit must be positive, got {limit_s}", field="time_limit_s")
        self.limit_s = limit_s
        self._start = time.monotonic() if _start is None else _start

    def __repr__(self) -> str:
        return f"Budget(limit_s={self.limit_s}, remaining_s={self.remaining_s()})"

    def __getstate__(self) -> dict[str, float | None]:
        return {"limit_s": self.limit_s, "started_at": time.time() - self.elapsed_s()}

    def __setstate__(self, state: dict[str, float | None]) -> None:
        self.limit_s = state["limit_s"]
        elapsed = max(0.0, time.time() - float(state["started_at"] or 0.0))
        self._start = time.monotonic() - elapsed

    @property
    def limited(self) -> bool:
        """Whether the budget has a time limit."""
        return self.limit_s is not None

    @property
    def deadline(self) -> float | None:
        """The end on ``time.monotonic``'s clock (of this process), or None."""
        return None if self.limit_s is None else self._start + self.limit_s

    def elapsed_s(self) -> float:
        """Seconds since the budget started."""
        return time.monotonic() - self._start

    def remaining_s(self) -> float | None:
        """Seconds left (never negative), or None without a time limit."""
        if self.limit_s is None:
            return None
        return max(0.0, self.limit_s - self.elapsed_s())

    def expired(self) -> bool:
        """Whether a time limit has run out."""
        left = self.remaining_s()
        return left is not None and left <= 0.0

    def fraction_used(self) -> float:
        """Share of the time limit used so far, 0..1 (0 without a limit)."""
        if self.limit_s is None:
            return 0.0
        return min(1.0, self.elapsed_s() / self.limit_s)

    def share(self, fraction: float, *, at_least_s: float = 0.0) -> Budget:
        """A budget of ``fraction`` of the time left now (at least ``at_least_s``).

        The child starts now. ``at_least_s`` lets a part that must find a first
        plan run past its parent's end, so a search never returns empty-handed
        only because the request was already late.

        Raises
        ------
        InputError
            If ``fraction`` is outside (0, 1].
        """
        if not 0.0 < fraction <= 1.0:
            raise InputError(f"a share must be in (0, 1], got {fraction}", field="fraction")
        left = self.remaining_s()
        if left is None:
            return Budget(None)
        return Budget(max(at_least_s, left * fraction, 1e-3))

    def until(self, fraction: float, *, at_least_s: float = 0.0) -> Budget:
        """A budget from now until ``fraction`` of this one's limit, counted from its start.

        At least ``at_least_s`` (a part started late still gets a first plan).

        Raises
        ------
        InputError
            If ``fraction`` is outside (0, 1].
        """
        if not 0.0 < fraction <= 1.0:
            raise InputError(f"an end must be in (0, 1], got {fraction}", field="fraction")
        if self.limit_s is None:
            return Budget(None)
        return Budget(max(at_least_s, fraction * self.limit_s - self.elapsed_s(), 1e-3))

    def seconds(self, seconds: float, *, at_least_s: float = 0.0) -> Budget:
        """A budget of ``seconds`` from now, never past this one's end (but ``at_least_s``)."""
        left = self.remaining_s()
        return Budget(max(1e-3, at_least_s, seconds if left is None else min(seconds, left)))


@dataclass(frozen=True)
class Shares:
    """How one solve's budget is cut. Every fraction is of the time left at that point.

    Attributes
    ----------
    finish
        Kept after the search for re-timing every route in check mode and for
        the reasons of unassigned items (whose probe is itself capped by
        ``reasons_s``). Measured: re-timing and reasons take 0.2-1.5 s on the
        sample day (28 couriers, 375 legs); 5 % of a 30 s run is 1.5 s.
    repair
        When a day is split into parts: kept for the repair across parts
        (insert every leftover into any route of any post office, then a short
        search over the couriers who could take them). Leftovers are usually a
        few percent of the items, so a short search suffices.
    min_part_s
        The least a part's search gets, however small its share: its first plan
        takes far less, and a part never gets zero time.
    first_plan
        Of an engine run: the first plan with a weight on every courier used
        (fewest couriers first); it goes on past its share until a plan exists,
        except with a strategy other than the fastest (see ``first_plan_slow``).
    first_plan_slow
        Of ``first_plan``'s time: a first-solution heuristic (other than the
        fastest, parallel cheapest insertion over near nodes) whose first plan
        came later than this was cut at the share's end or nearly so, and the
        fastest makes a first plan too; the better goes on. Local cheapest
        insertion gives a benchmark's first plan in 0.01-0.1 s (Li & Lim 100
        and 200), but on the sample day's provincial office (147 items, lunch
        breaks, agency sessions) it needed 25-40 s of CPU and, cut at 4.5 s,
        had placed 50 of 147 items: half the share tells the two apart.
    elimination_end
        Of an engine run: until this point couriers are emptied one at a time
        (fleet minimisation); the rest shortens the routes. Measured on all 38
        Solomon instances at 30 s (docs/solver.md): 0.30/0.75 gave 11 vehicles
        over best-known against 19 with no elimination phase.
    elimination_slices
        The elimination's time is first cut into this many tries; a failed round
        doubles the length of each try.
    reasons_s
        Wall-clock cap for probing why fleet-full items were left (on a trunk
        van's long route each probe re-times every lunch position: 80 s was seen
        for one depot's leftovers before the cap).
    reasons_min_s
        The probe's time even when the search has used the whole budget (a
        request may end this much late): on the sample day at 30 s the parts
        and the repair used it all, and every fleet-full item said "not probed
        further (the 0.001 s budget ran out)" where a probe takes milliseconds.
    repair_insert, repair_idle
        Of the repair's time left when each step starts: the insertion pass
        (cheap, needs no extra courier), then a fresh model of the idle couriers
        (small); the search over busy routes gets the rest. On the sample day the
        three steps took 0.7 s each of a 3.4 s repair.
    portfolio_first
        Of a portfolio line's time, for an engine followed by OR-Tools: VROOM
        usually stops on its own well within it; OR-Tools gets the rest from its
        plan. At 25 % the sample day's auto run used 28 couriers against
        OR-Tools' 26 (the seeded search had too little time); at 15 %, 27.
    portfolio_pyvrp
        With one worker, PyVRP's share of what VROOM left (OR-Tools the rest).
    portfolio_fresh
        With one worker where only OR-Tools models the request: OR-Tools' share,
        from no plan, of what VROOM left; OR-Tools then goes on for the rest from
        the better of its plan and VROOM's (its own plan unless VROOM's beats it).
    pyvrp_required
        Of PyVRP's time, how long its search with every item required may go
        without a plan that serves them all before the rest of the time goes to
        the search with optional items (prizes), started from its best routes.
        A day whose required search finds a complete plan keeps the whole time
        there (the search goes on); only a day too big for its fleet pays, with
        half its time. On eleven Li & Lim 100-task instances (eight at 5 s, three
        at 10 s, a loaded machine) the required search reached the best-known
        vehicle count on lc104 and lrc208 where the search with prizes stayed one
        over, and was never worse.
    pyvrp_first
        Of PyVRP's time (or iterations), the search with every item required
        once it has a complete plan; then couriers are emptied one at a time
        (``pyvrp_try``) and the rest shortens the routes of the smallest fleet.
        On the 12 shared 100-task instances where PyVRP's count varied between
        runs (seeds 0 and 1 at 10 s, 2026-11-30), the adapter with 0.4 used a
        courier fewer in 4 of 24 runs than one search of the whole time (lrc202
        and R202, both seeds, now at their best-known counts) and more in none;
        at equal counts the distance moved by -7.8 to +2.9 % (median +0.25 %,
        as in docs/solver.md).
    pyvrp_try
        Of the time (or iterations) left, the most one try at one courier fewer
        may take before the fleet is taken as the smallest (a try that succeeds
        stops at its first complete plan, usually much sooner).
    """

    finish: float = 0.05
    repair: float = 0.12
    min_part_s: float = 0.5
    first_plan: float = 0.30
    first_plan_slow: float = 0.5
    elimination_end: float = 0.75
    elimination_slices: int = 4
    reasons_s: float = 3.0
    reasons_min_s: float = 0.5
    repair_insert: float = 0.3
    repair_idle: float = 0.5
    portfolio_first: float = 0.15
    portfolio_pyvrp: float = 0.6
    portfolio_fresh: float = 0.6
    pyvrp_required: float = 0.5
    pyvrp_first: float = 0.4
    pyvrp_try: float = 0.6

    def __post_init__(self) -> None:
        for name in ("finish", "repair", "first_plan", "first_plan_slow", "elimination_end",
                     "repair_insert", "repair_idle", "portfolio_first", "portfolio_pyvrp",
                     "portfolio_fresh", "pyvrp_required", "pyvrp_first", "pyvrp_try"):
            value = getattr(self, name)
            if not 0.0 < value < 1.0:
                raise InputError(f"share must be in (0, 1), got {value}", field=name)
        if self.first_plan >= self.elimination_end:
            raise InputError("first_plan must end before elimination_end", field="first_plan")


#: The shares every solve uses (see :class:`Shares` for the reasons).
SHARES = Shares()

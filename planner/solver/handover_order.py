"""The order of hand-overs inside one agency stop: the dossiers first, then the results.

At an agency stop where the courier both hands over dossiers and collects
results, the dossiers are handed over (and their biên bản signed) on arrival;
the courier then waits for a result's release, or comes back for it. The
legal filing time of a dossier is the biên bản's signature (QĐ 45 art. 7(4),
DOMAIN.md §3.2), so a dossier must not wait behind a result pickup.

Engines order the events of a stop as they please (their objective does not
see a filing time), so :func:`deliveries_first` puts every delivery at an
agency stop before the stop's pickups, after the search and before the routes
are re-timed. Such a reorder never ends the stop later when the deliveries
have no windows of their own: the pickups' wait overlaps the deliveries'
hand-overs instead of coming before them. The new order is kept only when
check mode finds no more violations and the route ends no later.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from planner.domain.sites import SiteKind
from planner.plan import Action, Event
from planner.problem import Problem
from planner.solver.check import group_stops, time_route


def agency_stop_order(problem: Problem, events: Sequence[Event]) -> list[Event]:
    """``events`` with, at each agency stop, the deliveries before the pickups.

    A delivery whose pickup is in the same stop keeps its place after it;
    otherwise the order of the deliveries, and of the pickups, is kept.

    Examples
    --------
    >>> import datetime as dt
    >>> from planner.problem import ProblemBuilder
    >>> agency_stop_order(ProblemBuilder(dt.date(2026, 11, 23)).build(), [])
    []
    """
    out: list[Event] = []
    for site, evs in group_stops(problem, events):
        if not SiteKind(problem.site(site).kind).is_agency:
            out += evs
            continue
        picked_here = {e.item for e in evs if e.action is Action.PICKUP}
        first = [e for e in evs if e.action is Action.DELIVERY and e.item not in picked_here]
        out += first + [e for e in evs if e not in first]
    return out


def deliveries_first(
    problem: Problem,
    routes: Mapping[str, Sequence[Event]],
    locked: Mapping[str, int] | None = None,
    now_s: int | None = None,
) -> dict[str, list[Event]]:
    """Routes with the dossiers handed over first at every agency stop (QĐ 45 art. 7(4)).

    Parameters
    ----------
    problem
        The day's problem.
    routes
        Events per courier id, as an engine ordered them.
    locked
        Per courier, how many leading events are done or in progress: kept as they are.
    now_s
        Re-optimisation: the time the rest of the route starts from.

    Returns
    -------
    dict
        Events per courier: reordered where re-timing in check mode finds no
        more violations and no later end, as given otherwise.
    """
    locked = locked or {}
    out: dict[str, list[Event]] = {}
    for courier, events in routes.items():
        keep = locked.get(courier, 0)
        head, tail = list(events[:keep]), list(events[keep:])
        new = head + agency_stop_order(problem, tail)
        better = new != list(events) and _no_worse(problem, courier, events, new,
                                                   locked=keep, now_s=now_s)
        out[courier] = new if better else list(events)
    return out


def _no_worse(problem: Problem, courier: str, old: Sequence[Event], new: Sequence[Event], *,
              locked: int, now_s: int | None) -> bool:
    """Whether ``new`` re-times with no more violations than ``old`` and ends no later."""
    r_old, v_old = time_route(problem, courier, old, now_s, locked)
    r_new, v_new = time_route(problem, courier, new, now_s, locked)
    return len(v_new) <= len(v_old) and r_new.end_s <= r_old.end_s

"""Why an item is left unserved: computed from the problem, never guessed.

In order: no courier has the skills; the item exceeds the capacity (or cash
limit) of every skilled courier; no skilled courier can serve it inside its
windows even alone (re-timed with :mod:`planner.solver.check`); every courier
that could serve it alone carries an incompatible class; otherwise the fleet is
full, naming the binding resource (couriers, time or capacity).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from planner.domain.fleet import Courier
from planner.domain.hours import merged, s_to_hhmm, windows_text
from planner.domain.items import Item
from planner.plan import Action, Event, Unassigned, UnassignedReason
from planner.problem import Problem
from planner.reason_text import Args, loads_arg, sentence
from planner.solver.budget import Budget
from planner.solver.check import Violation, ViolationKind, time_route

#: Routes longer than this are not probed event by event (the probe is quadratic).
MAX_PROBED_EVENTS = 80
#: Re-timed insertions tried per unassigned item: adjacent pickup-delivery pairs first,
#: then the others; keeps the probe bounded on long routes (its verdict says so).
PROBE_BUDGET = 150


@dataclass(frozen=True)
class _Why:
    """A reason's sentence as a key of :mod:`planner.reason_text` and its arguments."""

    key: str
    args: Args = ()

    @staticmethod
    def of(key: str, /, **args: object) -> _Why:
        """The sentence ``key`` with ``args`` as strings."""
        return _Why(key, tuple((n, str(v)) for n, v in args.items()))

    def unassigned(self, code: str, reason: UnassignedReason) -> Unassigned:
        """The item ``code`` left out for ``reason``, with the English sentence as its detail."""
        return Unassigned(code, reason, sentence(self.key, self.args, "en"), self.key, self.args)


def _problem(courier: str, v: Violation) -> Args:
    """A violation as the ``problem`` of an ``alone`` sentence (its own arguments beside)."""
    key = v.key or "v.other"
    args = v.args or (("kind", v.kind.value),)
    return (("courier", courier), ("problem", key), *args)


def _alone(item: Item) -> list[Event]:
    if item.on_board is not None:
        return [Event(item.tracking_code, Action.DELIVERY)]
    return [Event(item.tracking_code, Action.PICKUP), Event(item.tracking_code, Action.DELIVERY)]


def _fits(item: Item, c: Courier) -> bool:
    if any(q > cap for q, cap in zip(item.quantity, c.capacity, strict=True)):
        return False
    return c.cash_limit_vnd is None or item.cash_peak_vnd <= c.cash_limit_vnd


def _insertions(events: Sequence[Event], item: Item) -> list[list[Event]]:
    """Every way to insert the item's events into a route (pickup before delivery)."""
    pair = _alone(item)
    n = len(events)
    out = []
    if len(pair) == 1:
        for j in range(n + 1):
            out.append([*events[:j], pair[0], *events[j:]])
        return out
    for i in range(n + 1):
        for j in range(i, n + 1):
            out.append([*events[:i], pair[0], *events[i:j], pair[1], *events[j:]])
    return out


def _gap(events: Sequence[Event], code: str) -> int:
    """Events between the item's pickup and its delivery (0: handed over next)."""
    where = [k for k, e in enumerate(events) if e.item == code]
    return where[-1] - where[0]


def _binding(  # noqa: PLR0911 - one verdict per binding rule
    problem: Problem,
    item: Item,
    couriers: list[Courier],
    routes: Mapping[str, Sequence[Event]],
    budget: Budget | None = None,
) -> tuple[UnassignedReason, _Why]:
    """The rule that keeps a feasible-alone item out: couriers, classes, capacity or time."""
    full = UnassignedReason.FLEET_FULL
    idle = [c.id for c in couriers if not routes.get(c.id)]
    if idle:
        return full, _Why.of("idle_couriers", couriers=", ".join(idle[:3]))
    blocked = {c.id: _load(problem, item, routes.get(c.id, ())) for c in couriers}
    if all(blocked.values()):  # every able courier carries a class it may not ride with
        return UnassignedReason.INCOMPATIBLE, _incompatible_detail(item, blocked)
    kinds: set[str] = set()
    candidates: list[tuple[int, str, list[Event]]] = []
    for c in couriers:
        evs = list(routes.get(c.id, ()))
        if len(evs) > MAX_PROBED_EVENTS:
            kinds.add("time")
            continue
        for cand in _insertions(evs, item):
            gap = _gap(cand, item.tracking_code)
            candidates.append((gap, c.id, cand))
    candidates.sort(key=lambda t: t[0])  # stable: courier order, then position
    for _, courier, cand in candidates[:PROBE_BUDGET]:
        if budget is not None and budget.expired():
            return full, _Why.of("not_probed", limit_s=f"{budget.limit_s or 0:g}")
        v = {x.kind for x in time_route(problem, courier, cand)[1]}
        if not v:
            return full, _Why.of("probe_found")
        kinds |= v
    if kinds <= {ViolationKind.CAPACITY, ViolationKind.CASH}:
        return full, _Why.of("full")
    if ViolationKind.INCOMPATIBLE in kinds:
        return full, _Why.of("busy_or_classes", cls=item.item_class)
    return full, _Why.of("busy")


def _load(problem: Problem, item: Item, events: Iterable[Event]) -> dict[str, int]:
    """Items per class on a route (or on board) that may not ride with ``item``'s class."""
    out: dict[str, int] = {}
    for code in dict.fromkeys(e.item for e in events):
        k = problem.item(code).item_class
        if problem.rules.incompatible(item.item_class, k):
            out[k] = out.get(k, 0) + 1
    return out


def _incompatible_detail(item: Item, loads: Mapping[str, Mapping[str, int]]) -> _Why:
    """The sentence of an ``incompatible`` reason: the class, and each courier's load.

    The table of classes that may not share a vehicle is the rules file's
    (:mod:`planner.class_rules`; KT1 against ordinary loads by default, TT 16 art. 9(4)).
    """
    shown = dict(list(loads.items())[:3])
    more = len(loads) - 3 if len(loads) > 3 else ""
    return _Why.of("incompatible", cls=item.item_class, loads=loads_arg(shown), more=more)


def reason_for(
    problem: Problem,
    code: str,
    routes: Mapping[str, Sequence[Event]],
    now_s: int | None = None,
    budget: Budget | None = None,
    *,
    verdicts: dict[tuple[object, ...], Args] | None = None,
) -> Unassigned:
    """The computed reason why item ``code`` is not on any of ``routes`` (starting at ``now_s``).

    Every courier of ``problem`` is considered: a rule is the reason only when
    it binds for all of them. ``budget`` bounds the fleet-full probe;
    ``verdicts`` caches the alone-test per kind of courier across calls.
    """
    able, reason = feasibility(problem, problem.item(code), now_s, verdicts)
    if reason is not None:
        return reason
    kind, why = _binding(problem, problem.item(code), list(able), routes, budget)
    return why.unassigned(code, kind)


def feasibility(
    problem: Problem,
    item: Item,
    now_s: int | None = None,
    verdicts: dict[tuple[object, ...], Args] | None = None,
    *,
    kinds: Sequence[tuple[Courier, ...]] | None = None,
    carried: Mapping[str, set[str]] | None = None,
) -> tuple[tuple[Courier, ...], Unassigned | None]:
    """The couriers who could serve ``item`` alone today, or why none can.

    Tested for each courier, in order: skills (and, for an item on board, its
    own courier), capacity in every dimension and the cash limit, the item's
    windows, the site's hours, the shift and the lunch break (re-timed alone in
    check mode), and the classes already on board. Returns the able couriers
    and None, or no courier and the reason of the first rule that binds for all.
    Couriers alike (:func:`courier_kinds`, passed as ``kinds`` when many items
    are tested) are tested once: a 3,000-request day has 360 couriers of one kind.
    """
    verdicts = {} if verdicts is None else verdicts
    carried = _carried(problem) if carried is None else carried
    code = item.tracking_code
    if item.on_board is not None:
        kinds = [(c,) for c in problem.couriers
                 if c.id == item.on_board and item.required_skills <= c.skills]
    else:
        kinds = [k for k in (courier_kinds(problem) if kinds is None else kinds)
                 if item.required_skills <= k[0].skills]
    if not kinds:
        need = ", ".join(sorted(item.required_skills))
        return (), _Why.of("no_skill", skills=need).unassigned(
            code, UnassignedReason.NO_SKILLED_COURIER)
    fitting = [k for k in kinds if _fits(item, k[0])]
    if not fitting:
        return (), _Why.of("over_capacity", quantity=item.quantity,
                           cash_vnd=item.cash_peak_vnd).unassigned(
            code, UnassignedReason.OVER_CAPACITY)
    alone: list[Courier] = []
    first_problem: Args = ()
    for k in fitting:
        key = (*_signature(k[0]), code, now_s)
        if key not in verdicts:
            v = time_route(problem, k[0].id, _alone(item), not_before_s=now_s)[1]
            v = [x for x in v if x.kind is not ViolationKind.DEADLINE]
            verdicts[key] = _problem(k[0].id, v[0]) if v else ()
        if not verdicts[key]:
            alone.extend(k)
        elif not first_problem:
            first_problem = verdicts[key]
    if not alone:
        too_small = sorted((c for k in kinds if not _fits(item, k[0]) for c in k),
                           key=lambda c: problem.courier_index[c.id])
        why = _Why("alone_too_small", (*first_problem, ("too_small", ", ".join(
            c.id for c in too_small[:3])))) if too_small else _Why("alone", first_problem)
        released = _release_binds(problem, item, [k[0] for k in fitting], now_s)
        return (), (released or why).unassigned(code, UnassignedReason.OUTSIDE_WINDOWS)
    alone.sort(key=lambda c: problem.courier_index[c.id])
    # the load of a courier carrying a class that may not ride with this item's
    on_board = {c.id: _load(problem, item, (Event(o.tracking_code, Action.DELIVERY)
                                           for o in problem.items if o.on_board == c.id))
                for c in alone
                if any(problem.rules.incompatible(item.item_class, k)
                       for k in carried.get(c.id, ()))}
    compatible = tuple(c for c in alone if c.id not in on_board)
    if not compatible:
        return (), _incompatible_detail(item, on_board).unassigned(
            code, UnassignedReason.INCOMPATIBLE)
    return compatible, None


def _release_binds(problem: Problem, item: Item, couriers: Sequence[Courier],
                   now_s: int | None) -> _Why | None:
    """The sentence naming the release when it alone makes ``item``'s windows impossible, or None.

    Tested by serving the item alone as if released already: when some courier
    could, the release (the agency's notice, QĐ 45 art. 8(4)) is what binds. The
    result is collected on the next working day, when the release no longer
    binds (``planner.journeys.released_s``).
    """
    if item.released_s is None or not couriers:
        return None
    free = replace(item, released_s=None)
    unreleased = problem.replace(items=[free if it is item else it for it in problem.items])
    if all(_violations(unreleased, c, free, now_s) for c in couriers):
        return None
    at = s_to_hhmm(item.released_s)
    late = [w for w in merged(item.pickup_windows) if w.end_s < item.released_s]
    if late:
        return _Why.of("release_after_window", at=at, windows=windows_text(late))
    if item.delivery_windows:
        return _Why.of("release_late_for_window", at=at,
                       windows=windows_text(item.delivery_windows))
    return _Why.of("release_late_today", at=at)


def _violations(problem: Problem, c: Courier, item: Item, now_s: int | None) -> bool:
    """Whether ``c`` cannot serve ``item`` alone in time (deadlines aside)."""
    v = time_route(problem, c.id, _alone(item), not_before_s=now_s)[1]
    return any(x.kind is not ViolationKind.DEADLINE for x in v)


def courier_kinds(problem: Problem) -> list[tuple[Courier, ...]]:
    """The couriers grouped by :func:`_signature` (alike for serving an item alone).

    In the order of each kind's first courier, and each kind in courier order.
    """
    kinds: dict[tuple[object, ...], list[Courier]] = {}
    for c in problem.couriers:
        kinds.setdefault(_signature(c), []).append(c)
    return [tuple(cs) for cs in kinds.values()]


def _carried(problem: Problem) -> dict[str, set[str]]:
    """Per courier, the classes of the items already on board."""
    carried: dict[str, set[str]] = {}
    for o in problem.items:
        if o.on_board is not None:
            carried.setdefault(o.on_board, set()).add(o.item_class)
    return carried


def _signature(c: Courier) -> tuple[object, ...]:
    """What decides whether a courier can serve an item alone (couriers alike share it)."""
    return (
        c.vehicle,
        c.shift,
        c.start_site,
        c.end_site,
        c.lunch,
        c.max_duration_s,
        c.max_distance_m,
        c.skills,
        c.capacity,
        c.cash_limit_vnd,
    )


@dataclass(frozen=True)
class Servable:
    """Items some courier can serve alone (with those couriers), and the others with reasons."""

    items: tuple[Item, ...]
    able: Mapping[str, tuple[str, ...]]  # tracking code -> couriers able to serve it alone
    hopeless: tuple[Unassigned, ...]


def split_servable(problem: Problem, now_s: int | None = None) -> Servable:
    """Split the items by :func:`feasibility`.

    Items nobody can serve are kept out of the routing model: smaller, and a
    search never stalls on them. The able couriers of the others decide which
    part of a split day an item goes to.
    """
    servable: list[Item] = []
    able: dict[str, tuple[str, ...]] = {}
    hopeless: list[Unassigned] = []
    verdicts: dict[tuple[object, ...], Args] = {}
    kinds, carried = courier_kinds(problem), _carried(problem)
    for it in problem.items:
        couriers, reason = feasibility(problem, it, now_s, verdicts, kinds=kinds,
                                       carried=carried)
        if reason is None:
            servable.append(it)
            able[it.tracking_code] = tuple(c.id for c in couriers)
        else:
            hopeless.append(reason)
    return Servable(tuple(servable), able, tuple(hopeless))


def unassigned_reasons(
    problem: Problem,
    routes: Mapping[str, Sequence[Event]],
    codes: Sequence[str],
    budget: Budget | None = None,
    now_s: int | None = None,
) -> list[Unassigned]:
    """Reasons for every item in ``codes`` (items left off ``routes``), over every courier.

    ``budget`` bounds the fleet-full probes (items past it say so).
    """
    verdicts: dict[tuple[object, ...], Args] = {}
    return [reason_for(problem, code, routes, now_s, budget, verdicts=verdicts)
            for code in codes]

"""Academic benchmarks: Li & Lim PDPTW and Solomon VRPTW files, VRPLIB solutions.

The readers report malformed lines as :class:`~planner.exceptions.InputError`
naming the file, the line and the field. :func:`to_problem` turns an instance
into a :class:`~planner.problem.Problem` under the benchmark conventions:
Euclidean distances not rounded, scaled by :data:`SCALE` to integers (cost
rounded, time rounded *up* so a schedule feasible in integers is feasible with
exact distances), travel time = distance, all requests mandatory, vehicles
minimised first. Solomon customers become items picked up at the depot when
the depot opens: one trip per vehicle, as VRPTW means (a courier of the
service may return to its post office to reload; a Solomon vehicle may not).
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from planner.domain import Courier, Item, ItemKind, Site, SiteKind, TimeWindow, VehicleType
from planner.domain.hours import DAY_S
from planner.exceptions import InputError
from planner.plan import Action, Event
from planner.problem import Problem, ProblemBuilder, Rules, Travel

#: Integer units per benchmark unit (distance and time).
SCALE = 100
#: Penalty (VND) of an unserved benchmark request: every request is mandatory in practice.
REQUEST_PENALTY = 10**9
_DATE = dt.date(2000, 1, 3)


@dataclass(frozen=True)
class Node:
    """One row of an instance: id, coordinates, demand, window, service, partner ids."""

    id: int
    x: float
    y: float
    demand: int
    ready: float
    due: float
    service: float
    pickup: int = 0
    delivery: int = 0


@dataclass(frozen=True)
class Instance:
    """A benchmark instance: ``kind`` is ``"pdptw"`` (Li & Lim) or ``"vrptw"`` (Solomon)."""

    name: str
    kind: str
    fleet: int
    capacity: int
    nodes: tuple[Node, ...]

    def distance(self, i: int, j: int) -> float:
        """Euclidean distance between nodes ``i`` and ``j``."""
        a, b = self.nodes[i], self.nodes[j]
        return math.hypot(a.x - b.x, a.y - b.y)


def _numbers(path: Path, line_no: int, text: str, fields: Sequence[str]) -> list[float]:
    toks = text.split()
    if len(toks) != len(fields):
        raise InputError(
            f"expected {len(fields)} values ({' '.join(fields)}), got {len(toks)}",
            source=str(path),
            row=line_no,
            field=fields[min(len(toks), len(fields) - 1)],
        )
    out = []
    for tok, name in zip(toks, fields, strict=True):
        try:
            v = float(tok)
        except ValueError:
            raise InputError(
                f"'{tok}' is not a number", source=str(path), row=line_no, field=name
            ) from None
        if not math.isfinite(v):
            raise InputError(
                f"'{tok}' is not a finite number", source=str(path), row=line_no, field=name
            )
        out.append(v)
    return out


_LILIM = ("id", "x", "y", "demand", "ready", "due", "service", "pickup_index", "delivery_index")
_SOLOMON = ("id", "x", "y", "demand", "ready", "due", "service")


def _node(path: Path, line_no: int, r: list[float], expected: int) -> Node:
    if r[0] != expected:
        raise InputError(
            f"node id {r[0]:g} out of order, expected {expected}",
            source=str(path),
            row=line_no,
            field="id",
        )
    if r[5] < r[4]:
        raise InputError(
            f"due {r[5]:g} is before ready {r[4]:g}", source=str(path), row=line_no, field="due"
        )
    if r[6] < 0:
        raise InputError("service time is negative", source=str(path), row=line_no, field="service")
    extra = (int(r[7]), int(r[8])) if len(r) == 9 else (0, 0)
    return Node(expected, r[1], r[2], int(r[3]), r[4], r[5], r[6], *extra)


def _read_lines(path: Path) -> list[tuple[int, str]]:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise InputError(f"cannot read the file: {err}", source=str(path)) from err
    return [(k + 1, ln.strip()) for k, ln in enumerate(text.splitlines()) if ln.strip()]


def read_lilim(path: str | Path) -> Instance:
    """Read a Li & Lim PDPTW file (``K Q speed`` then one row per node).

    Raises
    ------
    InputError
        Naming the file, the line and the field of the first malformed value.
    """
    path = Path(path)
    lines = _read_lines(path)
    if not lines:
        raise InputError("the file is empty", source=str(path))
    k, q, _speed = _numbers(path, lines[0][0], lines[0][1], ("vehicles", "capacity", "speed"))
    nodes = [
        _node(path, no, _numbers(path, no, ln, _LILIM), i) for i, (no, ln) in enumerate(lines[1:])
    ]
    inst = Instance(path.stem, "pdptw", int(k), int(q), tuple(nodes))
    _check_pairs(path, inst, {n.id: no for n, (no, _) in zip(nodes, lines[1:], strict=True)})
    return inst


def _check_pairs(path: Path, inst: Instance, line_of: Mapping[int, int]) -> None:
    n = len(inst.nodes)
    for node in inst.nodes[1:]:
        if (node.pickup == 0) == (node.delivery == 0):
            raise InputError(
                "exactly one of pickup_index and delivery_index must be non-zero",
                source=str(path),
                row=line_of[node.id],
                field="pickup_index",
            )
        other, name = (
            (node.delivery, "delivery_index") if node.delivery else (node.pickup, "pickup_index")
        )
        if not 0 < other < n:
            raise InputError(
                f"partner {other} does not exist",
                source=str(path),
                row=line_of[node.id],
                field=name,
            )
        back = inst.nodes[other].pickup if node.delivery else inst.nodes[other].delivery
        if back != node.id:
            raise InputError(
                f"partner {other} does not point back to {node.id}",
                source=str(path),
                row=line_of[node.id],
                field=name,
            )
        if node.delivery and node.demand + inst.nodes[other].demand != 0:
            raise InputError(
                f"delivery {other}'s demand {inst.nodes[other].demand} does not cancel this "
                f"pickup's {node.demand}",
                source=str(path),
                row=line_of[node.id],
                field="demand",
            )
        if node.delivery and node.demand < 0:
            raise InputError("a pickup's demand must not be negative", source=str(path),
                             row=line_of[node.id], field="demand")


def read_solomon(path: str | Path) -> Instance:
    """Read a Solomon VRPTW file (name, VEHICLE block, CUSTOMER rows).

    Raises
    ------
    InputError
        Naming the file, the line and the field of the first malformed value.
    """
    path = Path(path)
    lines = _read_lines(path)
    if not lines:
        raise InputError("the file is empty", source=str(path))
    name = lines[0][1].split()[0]
    heads = [i for i, (_, ln) in enumerate(lines) if ln.upper().startswith("NUMBER")]
    custs = [
        i for i, (_, ln) in enumerate(lines) if ln.upper().replace(" ", "").startswith("CUSTNO")
    ]
    if not heads or not custs:
        raise InputError("missing the VEHICLE NUMBER/CAPACITY or CUSTOMER header", source=str(path))
    no, ln = lines[heads[0] + 1]
    k, q = _numbers(path, no, ln, ("vehicles", "capacity"))
    nodes = [
        _node(path, no, _numbers(path, no, ln, _SOLOMON), i)
        for i, (no, ln) in enumerate(lines[custs[0] + 1 :])
    ]
    if not nodes:
        raise InputError("no customer rows", source=str(path))
    return Instance(name if name else path.stem, "vrptw", int(k), int(q), tuple(nodes))


def read_instance(path: str | Path, fmt: str) -> Instance:
    """Read ``path`` as ``"lilim"`` or ``"solomon"``."""
    if fmt == "lilim":
        return read_lilim(path)
    if fmt == "solomon":
        return read_solomon(path)
    raise InputError(f"unknown format '{fmt}' (lilim, solomon)", field="format")


def _code(pickup: int, delivery: int) -> str:
    return f"{pickup}>{delivery}"


def to_problem(inst: Instance) -> Problem:
    """The instance as a Problem under the benchmark conventions (see the module docstring).

    Item codes are ``"<pickup id>><delivery id>"``; :func:`route_node_ids` maps events back.
    """
    # Instances count time in their own units (scaled by SCALE): the horizon is the latest due
    # time, which for the wide-window sets (C2, LC2) exceeds a planning day's two days.
    horizon = max(2 * DAY_S, *(_t_due(n.due) for n in inst.nodes))
    b = ProblemBuilder(_DATE, dimensions=("load",), horizon_s=horizon)
    b.rules = Rules(late_cutoff_cost_per_min=0)
    b.add_sites(
        Site(
            str(n.id),
            f"node {n.id}",
            SiteKind.CITIZEN if n.id else SiteKind.PROVINCIAL_POST_OFFICE,
            0.0,
            0.0,
        )
        for n in inst.nodes
    )
    depot = inst.nodes[0]
    shift = TimeWindow(_t(depot.ready), _t_due(depot.due))
    b.add_couriers(
        Courier(
            f"v{k + 1}",
            f"vehicle {k + 1}",
            VehicleType.MOTORBIKE,
            (inst.capacity,),
            shift,
            "0",
            "0",
            cost_per_km=1,
        )
        for k in range(inst.fleet)
    )
    b.add_items(_items(inst))
    xy = np.array([(n.x, n.y) for n in inst.nodes], dtype=float)
    d = np.hypot(xy[:, None, 0] - xy[None, :, 0], xy[:, None, 1] - xy[None, :, 1]) * SCALE
    b.set_travel(
        VehicleType.MOTORBIKE,
        Travel(np.rint(d).astype(np.int64), np.ceil(d - 1e-9).astype(np.int64)),
    )
    return b.build()


def _t(v: float) -> int:
    return math.ceil(v * SCALE - 1e-9)


def _t_due(v: float) -> int:
    return math.floor(v * SCALE + 1e-9)


def _window(n: Node) -> tuple[TimeWindow, ...]:
    return (TimeWindow(_t(n.ready), _t_due(n.due)),)


def _items(inst: Instance) -> list[Item]:
    out = []
    if inst.kind == "pdptw":
        for p in inst.nodes[1:]:
            if not p.delivery:
                continue
            d = inst.nodes[p.delivery]
            out.append(
                Item(
                    _code(p.id, d.id),
                    ItemKind.DOSSIER,
                    str(p.id),
                    str(d.id),
                    quantity=(p.demand,),
                    pickup_windows=_window(p),
                    delivery_windows=_window(d),
                    pickup_service_s=_t(p.service),
                    delivery_service_s=_t(d.service),
                    penalty=REQUEST_PENALTY,
                )
            )
    else:
        opens = _t(inst.nodes[0].ready)
        loading = (TimeWindow(opens, opens),)  # all loaded at the start: no second trip
        for c in inst.nodes[1:]:
            out.append(
                Item(
                    _code(0, c.id),
                    ItemKind.RESULT,
                    "0",
                    str(c.id),
                    quantity=(c.demand,),
                    pickup_windows=loading,
                    delivery_windows=_window(c),
                    delivery_service_s=_t(c.service),
                    penalty=REQUEST_PENALTY,
                )
            )
    return out


def route_node_ids(events: Sequence[Event]) -> list[int]:
    """Instance node ids visited by a route's events (depot pickups of Solomon omitted)."""
    out = []
    for e in events:
        pickup, delivery = (int(x) for x in e.item.split(">"))
        node = pickup if e.action is Action.PICKUP else delivery
        if node:
            out.append(node)
    return out


def solution_distance(inst: Instance, routes: Sequence[Sequence[int]]) -> float:
    """Total Euclidean distance of routes of node ids (depot implicit at both ends)."""
    total = 0.0
    for r in routes:
        seq = [0, *r, 0]
        total += sum(inst.distance(a, b) for a, b in itertools.pairwise(seq))
    return total


def write_solution(path: str | Path, routes: Sequence[Sequence[int]], cost: float) -> None:
    """Write routes in VRPLIB solution format (``Route #k: ids``, then ``Cost x``)."""
    lines = [
        f"Route #{k}: {' '.join(map(str, r))}"
        for k, r in enumerate((r for r in routes if r), start=1)
    ]
    lines.append(f"Cost {cost:.4f}")
    Path(path).write_text("\n".join(lines) + "\n", encoding="utf-8")

"""Many-to-many durations and lengths with customizable contraction hierarchies (CCH).

Build once per network and profile: RoutingKit's inertial (nested-dissection) node
order, the chordal completion of the graph in that order, then one customisation
whose arc costs are (duration, length) keys, so a shortcut's length is the length
of the path its duration comes from (see :mod:`geodata.routing` for the rule).
A query is an upward search in the elimination tree from each source and each
target (all run together, sources in preorder), then a join of each pair over their
common ancestors; the joins run in threads (the compiled kernels release the GIL)
and their result does not depend on the number of threads.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, fields
from pathlib import Path

import numpy as np
import numpy.typing as npt
import routingkit_cch as rk

from geodata import _cch_kernels as k
from geodata.exceptions import ValidationError
from geodata.routing import UNREACHABLE, ArcGraph, PathCosts, node_indices

_Searches = tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.int64]]
"""Values and ancestor ids by depth, one row per start, and each start's depth."""
_LENGTH_MASK = (1 << k.LENGTH_BITS) - 1
_MAX_MS = 1 << 28  # one arc: 3.1 days, far below the 2**29 ms a path may take
_MAX_CM = 1 << 31


def available_cores() -> int:
    """Cores this process may run on (the affinity mask, not the machine's count)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - platforms without affinity
        return os.cpu_count() or 1


@dataclass(frozen=True)
class Hierarchy:
    """A customised CCH: what a query needs, as int64 arrays (see ``save`` and ``load``).

    ``rank[node]`` is the node's place in the contraction order and ``parent`` /
    ``depth`` (by rank) the elimination tree. ``up_*`` hold, per rank (CSR
    ``up_first``), the upper neighbours ``up_head`` a forward search needs and the
    key ``up_cost`` of going up to them; ``down_*`` the same for coming down from
    them (the backward searches).
    """

    rank: npt.NDArray[np.int64]
    parent: npt.NDArray[np.int64]
    depth: npt.NDArray[np.int64]
    up_first: npt.NDArray[np.int64]
    up_head: npt.NDArray[np.int64]
    up_cost: npt.NDArray[np.int64]
    down_first: npt.NDArray[np.int64]
    down_head: npt.NDArray[np.int64]
    down_cost: npt.NDArray[np.int64]

    def save(self, path: Path) -> None:
        """Write the arrays to ``path`` (``.npz``), creating its folder.

        The file appears whole or not at all (written aside, then renamed), so a
        process reading the cache never sees half of it.
        """
        path.parent.mkdir(parents=True, exist_ok=True)
        aside = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        with aside.open("wb") as fh:
            np.savez(fh, **{f.name: getattr(self, f.name) for f in fields(self)})
        aside.replace(path)

    @classmethod
    def load(cls, path: Path) -> Hierarchy:
        """Read what :meth:`save` wrote."""
        with np.load(path) as z:
            return cls(**{f.name: z[f.name] for f in fields(cls)})


def build_hierarchy(graph: ArcGraph, lon: npt.ArrayLike, lat: npt.ArrayLike) -> Hierarchy:
    """Order, contract and customise ``graph`` (nodes at ``lon``/``lat``, WGS 84).

    Parameters
    ----------
    graph : ArcGraph
        The arcs with integer costs.
    lon, lat : array_like of float, shape (graph.nodes,)
        Node coordinates, for the inertial (geometric) nested-dissection order.

    Raises
    ------
    ValidationError
        An arc is too long for the keys (2**28 ms or 2**31 cm and over) or the
        coordinates do not match the nodes.
    """
    lon_a, lat_a = np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)
    if len(lon_a) != graph.nodes or len(lat_a) != graph.nodes:
        raise ValidationError("one lon/lat per node expected", field="lon/lat")
    if len(graph.tail) and (graph.duration_ms.max() >= _MAX_MS or graph.length_cm.max() >= _MAX_CM):
        raise ValidationError("an arc is too long or too slow for the CCH keys", field="arcs")
    t, h = graph.tail.tolist(), graph.head.tolist()
    order = np.asarray(rk.compute_order_inertial(graph.nodes, t, h, lat_a.tolist(), lon_a.tolist()))
    rank = np.empty(graph.nodes, dtype=np.int64)
    rank[order] = np.arange(graph.nodes)
    first, head = _chordal(graph.nodes, rank[graph.tail], rank[graph.head])
    fw, bw = _initial_costs(graph, rank, first, head)
    k.customize(first, head, fw, bw)
    parent, depth = k.depths(first, head)
    keep_up, keep_down = k.needed(first, head, fw, bw)
    return Hierarchy(
        rank,
        parent,
        depth,
        *_kept(first, head, fw, keep_up),
        *_kept(first, head, bw, keep_down),
    )


def _kept(
    first: npt.NDArray[np.int64],
    head: npt.NDArray[np.int64],
    cost: npt.NDArray[np.int64],
    keep: npt.NDArray[np.bool_],
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """The CSR ``first``/``head``/``cost`` restricted to the arcs in ``keep``."""
    n = len(first) - 1
    keep = keep & (cost < k.INF)
    row = np.repeat(np.arange(n, dtype=np.int64), np.diff(first))
    kept_first = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(row[keep], minlength=n), out=kept_first[1:])
    return kept_first, head[keep], cost[keep]


def _chordal(
    n: int, a: npt.NDArray[np.int64], b: npt.NDArray[np.int64]
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Upward CSR of the chordal completion: eliminating a rank joins its upper neighbours.

    Eliminating ``x`` makes its upper neighbours a clique; it suffices to hand them
    to the lowest of them (its elimination-tree parent), which is eliminated next
    among them.
    """
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    keep = lo != hi
    pairs = np.unique(lo[keep] * n + hi[keep])
    lo_l, hi_l = (pairs // n), (pairs % n)
    starts = np.searchsorted(lo_l, np.arange(n + 1))
    his = hi_l.tolist()
    up = [set(his[starts[x] : starts[x + 1]]) for x in range(n)]
    for x in range(n):
        s = up[x]
        if len(s) > 1:
            p = min(s)
            up[p].update(s)
            up[p].discard(p)
    counts = np.fromiter((len(s) for s in up), dtype=np.int64, count=n)
    first = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(counts, out=first[1:])
    head = np.fromiter(
        itertools.chain.from_iterable(sorted(s) for s in up), dtype=np.int64, count=int(first[-1])
    )
    return first, head


def _initial_costs(
    graph: ArcGraph,
    rank: npt.NDArray[np.int64],
    first: npt.NDArray[np.int64],
    head: npt.NDArray[np.int64],
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Each chordal arc's key up and down from the original arcs (the best of parallel ones)."""
    n = len(first) - 1
    a, b = rank[graph.tail], rank[graph.head]
    key = (graph.duration_ms << k.LENGTH_BITS) | graph.length_cm
    row = np.repeat(np.arange(n, dtype=np.int64), np.diff(first))
    arc_code = row * n + head
    fw = np.full(len(head), k.INF, dtype=np.int64)
    bw = np.full(len(head), k.INF, dtype=np.int64)
    up = a < b
    np.minimum.at(fw, np.searchsorted(arc_code, a[up] * n + b[up]), key[up])
    down = a > b
    np.minimum.at(bw, np.searchsorted(arc_code, b[down] * n + a[down]), key[down])
    return fw, bw


class CCHRouter:
    """A :class:`geodata.routing.Router` over a customised CCH.

    Parameters
    ----------
    hierarchy : Hierarchy
        From :func:`build_hierarchy` (or :meth:`Hierarchy.load`).
    workers : int, optional
        Threads for a query (default: the cores available).
    """

    def __init__(self, hierarchy: Hierarchy, workers: int | None = None) -> None:
        self.hierarchy = hierarchy
        self.workers = workers
        self._up_depth = hierarchy.depth[hierarchy.up_head]
        self._down_depth = hierarchy.depth[hierarchy.down_head]
        self._pre, self._size = k.preorder(hierarchy.parent)

    @classmethod
    def build(
        cls, graph: ArcGraph, lon: npt.ArrayLike, lat: npt.ArrayLike, workers: int | None = None
    ) -> CCHRouter:
        """Order, contract and customise ``graph`` (see :func:`build_hierarchy`)."""
        return cls(build_hierarchy(graph, lon, lat), workers)

    def matrix(self, sources: npt.ArrayLike, targets: npt.ArrayLike) -> PathCosts:
        """Duration (ms) and length (cm) of the chosen path between each pair.

        Parameters
        ----------
        sources, targets : array_like of int
            Node indices of the graph the hierarchy was built on.

        Returns
        -------
        PathCosts
            Shape (len(sources), len(targets)); ``UNREACHABLE`` where there is no path.

        Raises
        ------
        geodata.ValidationError
            A node index is out of range.
        """
        hy = self.hierarchy
        src = hy.rank[node_indices(sources, len(hy.rank), "sources")]
        tgt = hy.rank[node_indices(targets, len(hy.rank), "targets")]
        keys = np.empty((len(src), len(tgt)), dtype=np.int64)
        if len(src) and len(tgt):
            # in preorder, neighbouring rows share most ancestors (see _cch_kernels.join)
            src_order = np.argsort(self._pre[src], kind="stable")
            tgt_order = np.argsort(self._pre[tgt], kind="stable")
            fwd = self._searches(src[src_order], hy.up_first, self._up_depth, hy.up_cost)
            bwd = self._searches(tgt[tgt_order], hy.down_first, self._down_depth, hy.down_cost)
            sorted_keys = np.empty_like(keys)
            self._join(fwd, bwd, sorted_keys)
            keys[np.ix_(src_order, tgt_order)] = sorted_keys
        reach = keys < k.INF
        return PathCosts(
            np.where(reach, keys >> k.LENGTH_BITS, UNREACHABLE),
            np.where(reach, keys & _LENGTH_MASK, UNREACHABLE),
        )

    def _searches(
        self,
        starts: npt.NDArray[np.int64],
        first: npt.NDArray[np.int64],
        head_depth: npt.NDArray[np.int64],
        cost: npt.NDArray[np.int64],
    ) -> _Searches:
        """Upward searches from ``starts`` (in preorder): values and ancestors by depth, depths.

        The searches run together (:func:`geodata._cch_kernels.upward_together`).
        """
        hy = self.hierarchy
        width = int(hy.depth[starts].max()) + 1
        values = np.full((width, len(starts)), k.INF, dtype=np.int64)
        values[hy.depth[starts], np.arange(len(starts))] = 0
        nodes = k.on_chains(hy.parent, starts)
        pre = self._pre[starts]
        lo = np.searchsorted(pre, self._pre[nodes])
        hi = np.searchsorted(pre, self._pre[nodes] + self._size[nodes])
        k.upward_together(first, head_depth, cost, hy.depth, nodes, lo, hi, values)
        ids = np.full((len(starts), width), -1, dtype=np.int64)
        k.ancestors(hy.parent, hy.depth, starts, ids)
        return np.ascontiguousarray(values.T), ids, hy.depth[starts]

    def _join(
        self,
        fwd: _Searches,
        bwd: _Searches,
        out: npt.NDArray[np.int64],
    ) -> None:
        """Fill ``out`` with the joins, source rows shared among the threads."""
        (fv, fid, fdepth), (bv, bid, bdepth) = fwd, bwd
        self._in_threads(
            lambda lo, hi: k.join(fv, fid, fdepth, bv, bid, bdepth, out, lo, hi), len(out)
        )

    def _in_threads(self, rows: Callable[[int, int], None], n: int) -> None:
        """Run ``rows(lo, hi)`` over contiguous blocks of ``range(n)``, one per thread."""
        workers = max(1, min(self.workers or available_cores(), n))
        if workers == 1:
            rows(0, n)
            return
        bounds = np.linspace(0, n, workers + 1).astype(int)
        with ThreadPoolExecutor(max_workers=workers) as pool:
            jobs = [pool.submit(rows, int(lo), int(hi)) for lo, hi in itertools.pairwise(bounds)]
            for job in jobs:
                job.result()

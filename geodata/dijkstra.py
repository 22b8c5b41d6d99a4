"""The reference router: scipy's compiled Dijkstra, by the rule of :mod:`geodata.routing`.

Per block of sources, one Dijkstra on integer milliseconds gives the durations.
The arcs on some fastest path from a source are the *tight* ones
(``T[tail] + duration == T[head]``); they form a DAG, and a second Dijkstra on
lengths over that DAG gives the shortest length among the fastest paths, so the
pair minimises (duration, length) lexicographically. Sums of integers below 2**53
are exact in float64.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra

from geodata.routing import UNREACHABLE, ArcGraph, PathCosts, node_indices

_BLOCK = 64  # sources per Dijkstra call: a (block, nodes) float array at a time


def min_csr(
    tail: npt.NDArray[np.int64],
    head: npt.NDArray[np.int64],
    weight: npt.NDArray[np.int64],
    nodes: int,
) -> csr_matrix:
    """Adjacency with the smallest weight among parallel arcs (scipy would add them up)."""
    order = np.lexsort((weight, head, tail))
    t, h, w = tail[order], head[order], weight[order]
    first = np.ones(len(t), dtype=bool)
    first[1:] = (t[1:] != t[:-1]) | (h[1:] != h[:-1])
    return csr_matrix((w[first].astype(np.float64), (t[first], h[first])), shape=(nodes, nodes))


class DijkstraRouter:
    """Many-to-many by one-to-all Dijkstra searches (exact; slow on large matrices).

    Parameters
    ----------
    graph : ArcGraph
        The arcs and their integer costs.
    """

    def __init__(self, graph: ArcGraph) -> None:
        self.graph = graph
        self._time = min_csr(graph.tail, graph.head, graph.duration_ms, graph.nodes)
        # arcs by (tail, head, length): the first tight arc of a pair is its shortest
        o = np.lexsort((graph.length_cm, graph.head, graph.tail))
        self._tail, self._head = graph.tail[o], graph.head[o]
        self._duration = graph.duration_ms[o].astype(np.float64)
        self._length = graph.length_cm[o].astype(np.float64)

    def matrix(self, sources: npt.ArrayLike, targets: npt.ArrayLike) -> PathCosts:
        """Duration (ms) and length (cm) of the chosen path between each pair.

        Parameters
        ----------
        sources, targets : array_like of int
            Node indices.

        Returns
        -------
        PathCosts
            Shape (len(sources), len(targets)); ``UNREACHABLE`` where there is no path.

        Raises
        ------
        geodata.ValidationError
            A node index is out of range.
        """
        g = self.graph
        src = node_indices(sources, g.nodes, "sources")
        tgt = node_indices(targets, g.nodes, "targets")
        dur = np.full((len(src), len(tgt)), UNREACHABLE, dtype=np.int64)
        length = np.full_like(dur, UNREACHABLE)
        for lo in range(0, len(src), _BLOCK):
            block = src[lo : lo + _BLOCK]
            times = np.atleast_2d(dijkstra(self._time, directed=True, indices=block))
            for r, s in enumerate(block):
                reach = np.isfinite(times[r, tgt])
                dur[lo + r, reach] = times[r, tgt[reach]].astype(np.int64)
                length[lo + r, reach] = self._lengths(times[r], int(s))[tgt[reach]]
        return PathCosts(dur, length)

    def _lengths(self, times: npt.NDArray[np.float64], source: int) -> npt.NDArray[np.int64]:
        """Shortest length from ``source`` over the arcs of its fastest paths (-1 unreached)."""
        n, tail, head = self.graph.nodes, self._tail, self._head
        at_tail = times[tail]
        tight = np.flatnonzero((at_tail + self._duration == times[head]) & np.isfinite(at_tail))
        first = np.ones(len(tight), dtype=bool)
        first[1:] = (tail[tight[1:]] != tail[tight[:-1]]) | (head[tight[1:]] != head[tight[:-1]])
        arcs = tight[first]  # still sorted by tail: the CSR needs no sort
        indptr = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(np.bincount(tail[arcs], minlength=n), out=indptr[1:])
        dag = csr_matrix((self._length[arcs], head[arcs], indptr), shape=(n, n))
        d = dijkstra(dag, directed=True, indices=source)
        return np.where(np.isfinite(d), d, UNREACHABLE).astype(np.int64)

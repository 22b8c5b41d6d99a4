"""A seeded road-like synthetic graph for benchmarks: a planar grid with gaps.

Grid of about ``nodes`` nodes spaced ~150 m, each street both ways with its own
random travel time of 6–50 s, ~8 % of streets removed, largest strongly
connected component kept. Each street has a random whole length of 100–200 m
(the same both ways, independent of its times), so many equally fast paths
differ in length.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components

from geodata.routing import ArcGraph, arc_graph


@dataclass(frozen=True)
class SyntheticGraph:
    """Directed edges ``tail → head`` with ``time_s`` and ``length_m``, nodes at ``lon``/``lat``."""

    tail: npt.NDArray[np.int64]
    head: npt.NDArray[np.int64]
    time_s: npt.NDArray[np.float64]
    lon: npt.NDArray[np.float64]
    lat: npt.NDArray[np.float64]
    length_m: npt.NDArray[np.float64]

    def csr(self) -> csr_matrix:
        """Adjacency with travel times (edges are unique pairs)."""
        n = len(self.lon)
        return csr_matrix((self.time_s, (self.tail, self.head)), shape=(n, n))

    def arcs(self) -> ArcGraph:
        """The arcs with integer costs, for the routers."""
        return arc_graph(len(self.lon), self.tail, self.head, self.time_s, self.length_m)


def grid_graph(nodes: int, seed: int = 0, removed: float = 0.08) -> SyntheticGraph:
    """The largest strongly connected component of a seeded gappy grid of ~``nodes`` nodes."""
    rng = np.random.default_rng(seed)
    side = max(2, round(math.sqrt(nodes)))
    idx = np.arange(side * side).reshape(side, side)
    pairs = np.concatenate(
        [
            np.column_stack([idx[:, :-1].ravel(), idx[:, 1:].ravel()]),
            np.column_stack([idx[:-1, :].ravel(), idx[1:, :].ravel()]),
        ]
    )
    pairs = pairs[rng.random(len(pairs)) >= removed]
    tail = np.concatenate([pairs[:, 0], pairs[:, 1]])
    head = np.concatenate([pairs[:, 1], pairs[:, 0]])
    time_s = rng.integers(6, 51, len(tail)).astype(float)
    street_m = rng.integers(100, 201, len(pairs)).astype(float)
    length_m = np.concatenate([street_m, street_m])
    n = side * side
    _, label = connected_components(
        csr_matrix((time_s, (tail, head)), shape=(n, n)), connection="strong"
    )
    keep = np.flatnonzero(label == np.bincount(label).argmax())
    compact = np.full(n, -1, dtype=np.int64)
    compact[keep] = np.arange(len(keep))
    ok = (compact[tail] >= 0) & (compact[head] >= 0)
    row, col = np.divmod(keep, side)
    return SyntheticGraph(
        compact[tail[ok]],
        compact[head[ok]],
        time_s[ok],
        105.8 + col * 0.0015,
        21.0 + row * 0.00135,
        length_m[ok],
    )

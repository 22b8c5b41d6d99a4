"""The CCH router: exact against scipy, the same with any number of threads."""

from __future__ import annotations

import numpy as np
from scipy.sparse.csgraph import dijkstra

from geodata.cch import CCHRouter
from geodata.synthetic import grid_graph


def test_matrix_is_exact_and_independent_of_thread_count() -> None:
    """Two threads give the same matrix as one, and both equal scipy's Dijkstra."""
    g = grid_graph(900, seed=3)
    pick = np.random.default_rng(3).choice(len(g.lon), size=37, replace=False)
    router = CCHRouter(g.tail, g.head, g.time_s, g.lon, g.lat)
    one = router.durations(pick.tolist(), pick[:11].tolist(), workers=1)
    two = router.durations(pick.tolist(), pick[:11].tolist(), workers=2)
    ref = dijkstra(g.csr(), directed=True, indices=pick)[:, pick[:11]]
    assert np.array_equal(one, two)
    assert np.max(np.abs(one - ref)) <= 1e-3


def test_unreachable_pairs_are_infinite() -> None:
    """A node without outgoing arcs reaches nothing but itself: its row is inf elsewhere."""
    tail = np.array([0, 1, 1], dtype=np.int64)
    head = np.array([1, 0, 2], dtype=np.int64)
    time_s = np.array([5.0, 7.0, 3.0])
    lon = np.array([105.0, 105.001, 105.002])
    lat = np.array([21.0, 21.0, 21.0])
    router = CCHRouter(tail, head, time_s, lon, lat)
    d = router.durations([0, 2], [0, 1, 2], workers=2)
    assert d[0].tolist() == [0.0, 5.0, 8.0]
    assert d[1, 2] == 0.0
    assert np.isinf(d[1, 0])
    assert np.isinf(d[1, 1])

"""The CCH router: exact against scipy on durations and lengths, on any thread count."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from scipy.sparse.csgraph import dijkstra

from geodata.cch import CCHRouter, Hierarchy, build_hierarchy
from geodata.dijkstra import DijkstraRouter, min_csr
from geodata.network import graph_from_xml
from geodata.routers import profile_arcs
from geodata.routing import UNREACHABLE, ArcGraph, arc_graph
from geodata.synthetic import SyntheticGraph, grid_graph

TINY = Path(__file__).resolve().parents[1] / "data" / "geodata" / "tiny.osm"


@pytest.fixture(scope="module")
def grid() -> SyntheticGraph:
    """A seeded 30×30 gappy grid: whole-second times and whole-metre lengths, so many
    equally fast paths differ in length and the tie rule decides."""
    return grid_graph(900, seed=3)


def scipy_reference(arcs: ArcGraph, src: np.ndarray, tgt: np.ndarray) -> tuple[np.ndarray, ...]:
    """Durations and lengths from one scipy Dijkstra over (duration, length) keys.

    On a graph this small ``duration_ms * 2**24 + length_cm`` stays below 2**53, so
    float64 sums are exact and the minimum key is the lexicographic minimum.
    """
    key = arcs.duration_ms * 2**24 + arcs.length_cm
    d = dijkstra(min_csr(arcs.tail, arcs.head, key, arcs.nodes), directed=True, indices=src)
    d = d[:, tgt]
    assert np.nanmax(np.where(np.isfinite(d), d, np.nan)) < 2**53
    reach = np.isfinite(d)
    k = np.where(reach, d, 0).astype(np.int64)
    return np.where(reach, k >> 24, UNREACHABLE), np.where(reach, k & (2**24 - 1), UNREACHABLE)


def test_grid_matches_scipy_on_durations_and_lengths(grid: SyntheticGraph) -> None:
    """On a random grid full of ties, CCH durations and lengths equal scipy's exactly."""
    arcs = grid.arcs()
    pick = np.random.default_rng(3).choice(arcs.nodes, size=60, replace=False)
    got = CCHRouter.build(arcs, grid.lon, grid.lat).matrix(pick, pick[:25])
    dur, length = scipy_reference(arcs, pick, pick[:25])
    assert np.array_equal(got.duration_ms, dur)
    assert np.array_equal(got.length_cm, length)


def test_grid_has_equally_fast_paths_of_other_lengths(grid: SyntheticGraph) -> None:
    """The grid exercises the tie rule: scipy's own pick among the fastest paths is
    sometimes longer than the shortest of them."""
    arcs = grid.arcs()
    pick = np.random.default_rng(3).choice(arcs.nodes, size=10, replace=False)
    _, shortest = scipy_reference(arcs, pick, np.arange(arcs.nodes))
    time_csr = min_csr(arcs.tail, arcs.head, arcs.duration_ms, arcs.nodes)
    pairs = zip(arcs.tail.tolist(), arcs.head.tolist(), strict=True)
    length_of = dict(zip(pairs, arcs.length_cm.tolist(), strict=True))
    _, pred = dijkstra(time_csr, directed=True, indices=pick, return_predecessors=True)
    longer = 0
    for r in range(len(pick)):
        for v in range(arcs.nodes):
            total, x = 0, v
            while pred[r, x] >= 0:
                total, x = total + length_of[(int(pred[r, x]), x)], int(pred[r, x])
            longer += total > shortest[r, v]
    assert longer > 0


@pytest.mark.parametrize("profile", ["motorbike", "car", "van"])
def test_tiny_osm_matches_scipy(profile: str) -> None:
    """On the hand-made OSM file, every node pair agrees with scipy for every profile."""
    net = graph_from_xml(TINY)
    arcs = profile_arcs(net, profile)
    nodes = net.profile(profile).nodes
    router = CCHRouter.build(arcs, net.node_lon[nodes], net.node_lat[nodes])
    every = np.arange(arcs.nodes)
    got = router.matrix(every, every)
    dur, length = scipy_reference(arcs, every, every)
    assert np.array_equal(got.duration_ms, dur)
    assert np.array_equal(got.length_cm, length)


def test_same_as_dijkstra_router_with_any_thread_count(grid: SyntheticGraph) -> None:
    """One thread and two give the same matrix, equal to the Dijkstra router's."""
    arcs = grid.arcs()
    pick = np.random.default_rng(5).choice(arcs.nodes, size=41, replace=False)
    hierarchy = build_hierarchy(arcs, grid.lon, grid.lat)
    one = CCHRouter(hierarchy, workers=1).matrix(pick, pick[:13])
    two = CCHRouter(hierarchy, workers=2).matrix(pick, pick[:13])
    ref = DijkstraRouter(arcs).matrix(pick, pick[:13])
    for a, b in ((one, two), (one, ref)):
        assert np.array_equal(a.duration_ms, b.duration_ms)
        assert np.array_equal(a.length_cm, b.length_cm)


def test_unreachable_pairs_are_marked() -> None:
    """A node without outgoing arcs reaches nothing but itself: its row is UNREACHABLE."""
    arcs = arc_graph(3, [0, 1, 1], [1, 0, 2], [5.0, 7.0, 3.0], [50.0, 70.0, 30.0])
    router = CCHRouter.build(arcs, [105.0, 105.001, 105.002], [21.0, 21.0, 21.0], workers=2)
    got = router.matrix([0, 2], [0, 1, 2])
    assert got.duration_ms.tolist() == [[0, 5000, 8000], [-1, -1, 0]]
    assert got.length_cm.tolist() == [[0, 5000, 8000], [-1, -1, 0]]
    assert np.isinf(got.duration_s[1, 0])


def test_saved_hierarchy_answers_alike(grid: SyntheticGraph, tmp_path: Path) -> None:
    """A hierarchy read back from disk gives the same matrix as the one built."""
    arcs = grid.arcs()
    built = build_hierarchy(arcs, grid.lon, grid.lat)
    built.save(tmp_path / "h.npz")
    pick = np.arange(0, arcs.nodes, 17)
    a = CCHRouter(built).matrix(pick, pick)
    b = CCHRouter(Hierarchy.load(tmp_path / "h.npz")).matrix(pick, pick)
    assert np.array_equal(a.duration_ms, b.duration_ms)
    assert np.array_equal(a.length_cm, b.length_cm)


def test_empty_and_repeated_queries(grid: SyntheticGraph) -> None:
    """No sources gives an empty matrix; a repeated node gives repeated rows."""
    arcs = grid.arcs()
    router = CCHRouter.build(arcs, grid.lon, grid.lat)
    assert router.matrix([], [1, 2]).duration_ms.shape == (0, 2)
    got = router.matrix([4, 4], [9, 4])
    assert np.array_equal(got.duration_ms[0], got.duration_ms[1])
    assert got.duration_ms[0, 1] == 0

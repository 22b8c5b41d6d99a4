"""Travel matrices: exact against scipy, cached, far sites and unreachable pairs reported."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from scipy.sparse.csgraph import dijkstra

import geodata.matrix as matrix_mod
from geodata import (
    NoPathError,
    RoadNetwork,
    SnapError,
    calibrate_detour,
    haversine_matrix,
    travel_matrix,
)
from geodata.network import from_edges


@pytest.fixture(scope="module")
def grid() -> RoadNetwork:
    """A 6×6 two-way residential grid (~111 m blocks) with one one-way street."""
    nodes = {
        r * 6 + c + 1: (105.8 + c * 0.001, 21.0 + r * 0.001) for r in range(6) for c in range(6)
    }
    rng = np.random.default_rng(3)
    edges = []
    for r in range(6):
        for c in range(6):
            i = r * 6 + c + 1
            for j in ([i + 1] if c < 5 else []) + ([i + 6] if r < 5 else []):
                length = float(rng.uniform(80, 200))
                tags = {"highway": "residential"}
                ends = (nodes[i], nodes[j])
                edges.append((i, j, length, tags, np.array(ends)))
                if (i, j) != (1, 2):  # 1 → 2 is one-way
                    edges.append((j, i, length, tags, np.array(ends[::-1])))
    return from_edges("grid", nodes, edges)


def _points(net: RoadNetwork, osm_ids: list[int]) -> list[tuple[str, float, float]]:
    idx = [int(np.flatnonzero(net.node_id == i)[0]) for i in osm_ids]
    return [
        (f"S{i}", float(net.node_lon[k]), float(net.node_lat[k]))
        for i, k in zip(osm_ids, idx, strict=True)
    ]


def test_matches_scipy_at_nodes(grid: RoadNetwork) -> None:
    """Sites at nodes get exactly scipy's node-to-node Dijkstra times (rounded)."""
    ids = [1, 2, 8, 15, 22, 36]
    m = travel_matrix(grid, _points(grid, ids), "car")
    pg = grid.profile("car")
    compact = {int(grid.node_id[n]): k for k, n in enumerate(pg.nodes)}
    src = [compact[i] for i in ids]
    ref = dijkstra(pg.csr("time_s"), directed=True, indices=src)[:, src]
    assert np.max(np.abs(m.duration_s - ref)) <= 0.5
    assert m.duration_s[0, 1] < m.duration_s[1, 0]  # 2 → 1 must go around (one-way)
    assert np.all(m.distance_m[~np.eye(len(ids), dtype=bool)] > 0)


def test_site_between_nodes_is_snapped_to_edge(grid: RoadNetwork) -> None:
    """A site 20 m off a street midway joins it there: snap ≈ 20 m, time ≈ half the edge."""
    lon, lat = 105.8005, 21.0 + 20 / 111_195
    pts = [("A", lon, lat), *_points(grid, [2])]
    m = travel_matrix(grid, pts, "car")
    assert 15 < m.snap_m[0] < 25
    assert 0 < m.duration_s[0, 1] < m.duration_s[1, 0] + 60


def test_cache_hit(grid: RoadNetwork, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A second call with the same graph, sites and profile reads the cache, not Dijkstra."""
    pts = _points(grid, [1, 8, 36])
    first = travel_matrix(grid, pts, "van", cache_dir=tmp_path)
    assert len(list(tmp_path.glob("matrix-*.npz"))) == 1

    def boom(*_a: object) -> None:
        raise AssertionError("recomputed")

    monkeypatch.setattr(matrix_mod, "_snapped_shortest", boom)
    again = travel_matrix(grid, pts, "van", cache_dir=tmp_path)
    assert np.array_equal(first.duration_s, again.duration_s)
    with pytest.raises(AssertionError, match="recomputed"):
        travel_matrix(grid, pts, "motorbike", cache_dir=tmp_path)


def test_far_site_raises_snap_error(grid: RoadNetwork) -> None:
    """A site 5 km from the roads is a SnapError naming it."""
    pts = [*_points(grid, [1]), ("FAR", 105.85, 21.0)]
    with pytest.raises(SnapError, match="FAR"):
        travel_matrix(grid, pts, "car")


def test_unreachable_pairs_named() -> None:
    """Infinite durations are reported as NoPathError naming both sites."""
    dur = np.array([[0, np.inf], [5, 0]])
    with pytest.raises(NoPathError, match="A → B"):
        matrix_mod._raise_unreachable(["A", "B"], dur, "van")


def test_haversine_matrix_uses_detour() -> None:
    """Without a network, distance is haversine × detour and time follows the speed."""
    pts = [("A", 105.80, 21.0), ("B", 105.81, 21.0)]
    m1 = haversine_matrix(pts, "car", detour=1.0, speed_kph=36)
    m2 = haversine_matrix(pts, "car", detour=1.5, speed_kph=36)
    assert abs(m1.distance_m[0, 1] - 1038) <= 2
    assert abs(m2.distance_m[0, 1] - 1.5 * m1.distance_m[0, 1]) <= 2
    assert abs(m1.duration_s[0, 1] - m1.distance_m[0, 1] / 10) <= 1


def test_calibrated_detour_on_grid(grid: RoadNetwork) -> None:
    """On a grid the road/straight ratio lies between 1 and √2 plus the random lengths' excess."""
    f = calibrate_detour(grid, "car", samples=30)
    assert 1.0 < f < 2.5


@pytest.mark.parametrize("profile", ["motorbike", "van"])
def test_cch_and_dijkstra_give_the_same_matrix(grid: RoadNetwork, profile: str) -> None:
    """Sites between nodes get identical durations and distances from either router."""
    rng = np.random.default_rng(7)
    pts = [
        (f"P{i}", 105.8 + float(x), 21.0 + float(y))
        for i, (x, y) in enumerate(rng.uniform(0, 0.005, (15, 2)))
    ]
    a = travel_matrix(grid, pts, profile, router="cch")
    b = travel_matrix(grid, pts, profile, router="dijkstra")
    assert np.array_equal(a.duration_s, b.duration_s)
    assert np.array_equal(a.distance_m, b.distance_m)

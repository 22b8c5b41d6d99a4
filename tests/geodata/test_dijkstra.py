"""The Dijkstra router: the fastest path, and of equally fast ones the shortest."""

from __future__ import annotations

import pytest

from geodata.dijkstra import DijkstraRouter
from geodata.exceptions import ValidationError
from geodata.routing import arc_graph


@pytest.fixture
def diamond() -> DijkstraRouter:
    """0 → 3 two ways, both 20 s: via 1 (300 m) and via 2 (200 m); 0 → 1 also a slower twin arc."""
    return DijkstraRouter(
        arc_graph(
            4,
            [0, 1, 0, 2, 0],
            [1, 3, 2, 3, 1],
            [10.0, 10.0, 10.0, 10.0, 12.0],
            [150.0, 150.0, 100.0, 100.0, 90.0],
        )
    )


def test_equally_fast_paths_report_the_shortest(diamond: DijkstraRouter) -> None:
    """Both paths take 20 s; the reported length is the shorter one's, 200 m."""
    got = diamond.matrix([0], [3])
    assert got.duration_ms.tolist() == [[20_000]]
    assert got.length_cm.tolist() == [[20_000]]


def test_parallel_arcs_take_the_faster(diamond: DijkstraRouter) -> None:
    """Of the two arcs 0 → 1 the faster (10 s, 150 m) counts, not the shorter."""
    got = diamond.matrix([0], [1])
    assert got.duration_s.tolist() == [[10.0]]
    assert got.length_m.tolist() == [[150.0]]


def test_unreachable_is_marked(diamond: DijkstraRouter) -> None:
    """Node 3 has no way out: from it every other node is UNREACHABLE (-1)."""
    got = diamond.matrix([3], [0, 3])
    assert got.duration_ms.tolist() == [[-1, 0]]
    assert got.length_cm.tolist() == [[-1, 0]]


def test_node_out_of_range_is_rejected(diamond: DijkstraRouter) -> None:
    """A target that is not a node is a ValidationError naming the targets."""
    with pytest.raises(ValidationError, match="targets"):
        diamond.matrix([0], [4])

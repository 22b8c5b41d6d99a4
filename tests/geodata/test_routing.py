"""Integer arc costs for the routers: rounding and the checks on input."""

from __future__ import annotations

import numpy as np
import pytest

from geodata.exceptions import ValidationError
from geodata.routing import PathCosts, arc_graph


def test_costs_round_to_milliseconds_and_centimetres() -> None:
    """1.2344 s and 0.004 m become 1234 ms and 1 cm (never 0)."""
    g = arc_graph(2, [0], [1], [1.2344], [0.004])
    assert g.duration_ms.tolist() == [1234]
    assert g.length_cm.tolist() == [1]


@pytest.mark.parametrize(
    ("tail", "time_s", "match"),
    [
        ([0, 5], [1.0, 1.0], "outside"),
        ([0, 1], [1.0, -1.0], "negative"),
        ([0, 1], [1.0, np.nan], "finite"),
        ([0], [1.0, 1.0], "length"),
    ],
)
def test_bad_arcs_are_rejected(tail: list[int], time_s: list[float], match: str) -> None:
    """Unknown nodes, negative or missing costs and ragged arrays are ValidationErrors."""
    head = [1] * len(tail) if len(tail) == len(time_s) else [1, 0]
    with pytest.raises(ValidationError, match=match):
        arc_graph(2, tail, head, time_s, [1.0] * len(time_s))


def test_unreachable_reads_as_infinite() -> None:
    """In seconds and metres an UNREACHABLE pair is inf."""
    costs = PathCosts(np.array([[-1, 2500]]), np.array([[-1, 150]]))
    assert costs.duration_s.tolist() == [[np.inf, 2.5]]
    assert costs.length_m.tolist() == [[np.inf, 1.5]]

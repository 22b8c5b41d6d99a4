"""Snapping: nearest edge, projected point, distance; vans never join at an alley."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from geodata import graph_from_xml, snap_points

TINY = Path(__file__).resolve().parents[1] / "data" / "geodata" / "tiny.osm"


def test_projection_onto_nearest_edge() -> None:
    """A point 50 m south of the middle of street 1–2 projects onto it, 50 m away."""
    net = graph_from_xml(TINY)
    lat = 21.0 - 50 / 111_195
    sn = snap_points(net, "car", [105.8010], [lat])
    assert abs(sn.distance_m[0] - 50) < 2
    assert abs(sn.lat[0] - 21.0) < 1e-6
    assert 0.4 < sn.fraction[0] < 0.6


def test_van_does_not_snap_to_alley() -> None:
    """At the alley's end node 6 a motorbike snaps onto the alley, a van to a street farther off."""
    net = graph_from_xml(TINY)
    bike = snap_points(net, "motorbike", [105.7990], [21.0030])
    van = snap_points(net, "van", [105.7990], [21.0030])
    assert bike.distance_m[0] < 1
    assert van.distance_m[0] > 50
    pg = net.profile("motorbike")
    assert bool(net.motorbike_only[pg.edge[bike.edge[0]]])
    assert np.all(van.reverse >= -1)

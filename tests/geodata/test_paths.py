"""Route geometries follow the road network and basemap layers cover it."""

from __future__ import annotations

from geodata import roads_layer, route_geometry, sample_province


def test_route_geometry_follows_roads() -> None:
    """Each leg starts and ends at its stops and passes through road nodes in between."""
    sp = sample_province()
    stops = [(s.lon, s.lat) for s in sp.sites[:3]]
    legs = route_geometry(sp.network, stops, "van")
    assert len(legs) == 2
    assert legs[0][0] == stops[0]
    assert legs[0][-1] == stops[1]
    assert len(legs[0]) > 3


def test_roads_layer_has_classes() -> None:
    """The basemap roads layer has primary roads and motorbike-only alleys."""
    layer = roads_layer(sample_province().network)
    assert {"primary", "tertiary", "service"} <= set(layer["highway"])
    assert layer["motorbike_only"].any()
    assert bool(layer["generated"].all())

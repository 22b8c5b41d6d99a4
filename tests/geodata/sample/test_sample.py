"""The sample province loads from package data alone and routes every site."""

from __future__ import annotations

import numpy as np

from geodata import sample_province, travel_matrix

KINDS = {
    "provincial_post_office",
    "district_post_office",
    "post_point",
    "commune_one_stop",
    "service_center",
}


def test_communes_are_lang_son_2025() -> None:
    """The sample has Lạng Sơn's 65 communes, each with a territory and a home post office."""
    sp = sample_province()
    assert sp.code == "20"
    assert len(sp.communes) == 65
    assert sp.communes["code"].is_unique
    offices = {s.id for s in sp.sites if s.kind.endswith("post_office")}
    assert set(sp.communes["home_post_office"]) <= offices
    assert sp.communes.geometry.is_valid.all()


def test_sites_cover_every_commune() -> None:
    """Every commune has a post point and a one-stop shop; site ids are unique."""
    sp = sample_province()
    assert {s.kind for s in sp.sites} == KINDS
    assert len({s.id for s in sp.sites}) == len(sp.sites)
    for kind in ("post_point", "commune_one_stop"):
        assert {s.commune_code for s in sp.sites if s.kind == kind} == set(sp.communes["code"])
    assert 8 <= sum(s.kind == "district_post_office" for s in sp.sites) <= 11


def test_generated_network_routes_all_sites() -> None:
    """All sites are within snapping range and reachable both ways for a van."""
    sp = sample_province()
    assert sp.network.generated
    pts = [(s.id, s.lon, s.lat) for s in sp.sites]
    m = travel_matrix(sp.network, pts, "van")
    assert m.duration_s.shape == (len(pts), len(pts))
    assert np.all(np.diag(m.duration_s) == 0)
    communes = np.array([s.commune_code for s in sp.sites])
    assert np.all(m.duration_s[communes[:, None] != communes[None, :]] > 0)
    assert m.snap_m.max() < 500

"""Road networks: what each profile may use, one-ways, speeds, real OSM extracts."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from geodata import RoadNetwork, graph_from_pbf, graph_from_xml
from geodata.exceptions import ValidationError
from tests.conftest import SHARED, need

TINY = Path(__file__).resolve().parents[1] / "data" / "geodata" / "tiny.osm"
ROADS = SHARED / "geodata" / "roads"


def _osm_ids(net: RoadNetwork, profile: str) -> set[int]:
    return set(net.node_id[net.profile(profile).nodes].tolist())


def _arcs(net: RoadNetwork, profile: str) -> set[tuple[int, int]]:
    pg = net.profile(profile)
    ids = net.node_id[pg.nodes]
    return set(zip(ids[pg.tail].tolist(), ids[pg.head].tolist(), strict=True))


def test_alley_is_for_motorbikes_only() -> None:
    """The ngõ to node 6 is routable by motorbike but not by van or car."""
    net = graph_from_xml(TINY)
    assert 6 in _osm_ids(net, "motorbike")
    assert 6 not in _osm_ids(net, "van")
    assert 6 not in _osm_ids(net, "car")


def test_footway_dropped() -> None:
    """A footway is no road for any profile."""
    net = graph_from_xml(TINY)
    assert 7 not in set(net.node_id.tolist())


def test_oneway_respected() -> None:
    """The one-way 2 → 5 → 3 has no reverse arc."""
    arcs = _arcs(graph_from_xml(TINY), "car")
    assert (2, 5) in arcs
    assert (5, 3) in arcs
    assert (5, 2) not in arcs
    assert (3, 5) not in arcs
    assert (1, 2) in arcs
    assert (2, 1) in arcs


def test_speed_override_changes_times() -> None:
    """Overriding the residential speed of vans scales their residential edge times."""
    slow = graph_from_xml(TINY, speeds_kph={"van": {"residential": 5}}).profile("van")
    fast = graph_from_xml(TINY, speeds_kph={"van": {"residential": 50}}).profile("van")
    assert np.isclose(slow.time_s.sum() > fast.time_s.sum(), True)


def test_unknown_profile_in_speeds_rejected() -> None:
    """Speeds for a profile that does not exist are a ValidationError naming the field."""
    with pytest.raises(ValidationError, match="speeds_kph"):
        graph_from_xml(TINY, speeds_kph={"truck": {"primary": 40}})


def test_bad_xml_names_file(tmp_path: Path) -> None:
    """An unreadable OSM file raises ValidationError naming the file."""
    bad = tmp_path / "broken.osm"
    bad.write_text("<osm><node id=", encoding="utf-8")
    with pytest.raises(ValidationError, match=r"broken\.osm"):
        graph_from_xml(bad)


@pytest.mark.parametrize("name", ["hanoi_vanmieu_2023", "hcmc_central_named_roads"])
def test_real_osm_xml_and_pbf(name: str) -> None:
    """Real OSM extracts read by osmnx (.osm) and pyrosm (.osm.pbf) give similar networks."""
    xml, pbf = ROADS / f"{name}.osm", ROADS / f"{name}.osm.pbf"
    need(xml.exists() and pbf.exists(), f"{ROADS} has no {name}.osm/.osm.pbf")
    a, b = graph_from_xml(xml), graph_from_pbf(pbf)
    na, nb = len(a.profile("car").nodes), len(b.profile("car").nodes)
    assert na > 50
    assert nb > 50
    assert 0.5 < na / nb < 2


def test_real_alleys_serve_motorbikes() -> None:
    """On Hai Bà Trưng/Hoàng Mai, motorbikes reach more of the network than vans (alleys)."""
    pbf = ROADS / "hanoi_haibatrung_hoangmai_all.osm.pbf"
    need(pbf.exists(), f"{pbf} is missing")
    net = graph_from_pbf(pbf)
    assert net.motorbike_only.any()
    assert len(net.profile("motorbike").nodes) > len(net.profile("van").nodes)

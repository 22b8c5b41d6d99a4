"""A network's router: the CCH by default, built once, kept in memory and on disk."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

import geodata.cch as cch_mod
import geodata.routers as routers_mod
from geodata.cch import CCHRouter
from geodata.dijkstra import DijkstraRouter
from geodata.exceptions import ValidationError
from geodata.network import RoadNetwork, graph_from_xml
from geodata.routers import router_for

TINY = Path(__file__).resolve().parents[1] / "data" / "geodata" / "tiny.osm"


@pytest.fixture
def tiny() -> Iterator[RoadNetwork]:
    """The hand-made OSM file; the router memory is emptied around each test."""
    routers_mod._routers.clear()
    yield graph_from_xml(TINY)
    routers_mod._routers.clear()


def test_cch_by_default_and_reused(tiny: RoadNetwork) -> None:
    """The default router is the CCH, and asking again returns the same object."""
    first = router_for(tiny, "car")
    assert isinstance(first, CCHRouter)
    assert router_for(tiny, "car") is first
    assert router_for(tiny, "van") is not first


def test_dijkstra_on_request_gives_the_same_matrix(tiny: RoadNetwork) -> None:
    """kind="dijkstra" is scipy's router, with the CCH's durations and lengths."""
    d = router_for(tiny, "motorbike", kind="dijkstra")
    assert isinstance(d, DijkstraRouter)
    every = np.arange(len(tiny.profile("motorbike").nodes))
    a, b = d.matrix(every, every), router_for(tiny, "motorbike").matrix(every, every)
    assert np.array_equal(a.duration_ms, b.duration_ms)
    assert np.array_equal(a.length_cm, b.length_cm)


def test_saved_cch_is_read_back(
    tiny: RoadNetwork, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With a cache folder the CCH is saved; a new process (empty memory) reads it, not builds."""
    router_for(tiny, "car", cache_dir=tmp_path)
    assert len(list(tmp_path.glob("cch*-car.npz"))) == 1
    routers_mod._routers.clear()

    def boom(*_a: object) -> None:
        raise AssertionError("rebuilt")

    monkeypatch.setattr(cch_mod, "build_hierarchy", boom)
    assert isinstance(router_for(tiny, "car", cache_dir=tmp_path), CCHRouter)


def test_falls_back_to_dijkstra_without_the_cch(
    tiny: RoadNetwork, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where numba or routingkit-cch is missing, "auto" is Dijkstra and "cch" an error."""
    monkeypatch.setattr(routers_mod, "cch_available", lambda: False)
    assert isinstance(router_for(tiny, "car"), DijkstraRouter)
    with pytest.raises(ValidationError, match="numba"):
        router_for(tiny, "car", kind="cch")


def test_unknown_kind_is_rejected(tiny: RoadNetwork) -> None:
    """A router name other than auto, cch or dijkstra is a ValidationError."""
    with pytest.raises(ValidationError, match="unknown router"):
        router_for(tiny, "car", kind="osrm")  # type: ignore[arg-type]


def test_broken_cache_file_is_rebuilt(tiny: RoadNetwork, tmp_path: Path) -> None:
    """A cached CCH that cannot be read is built again and written over."""
    router_for(tiny, "van", cache_dir=tmp_path)
    (saved,) = tmp_path.glob("cch*-van.npz")
    saved.write_bytes(b"not a zip file")
    routers_mod._routers.clear()
    assert isinstance(router_for(tiny, "van", cache_dir=tmp_path), CCHRouter)
    assert saved.stat().st_size > 100

"""Boundaries: validated layers, hierarchies of any depth, crosswalk, point location."""

from __future__ import annotations

from pathlib import Path

import pytest

from geodata import ValidationError
from geodata.boundaries import LEVELS_2024, LEVELS_2025, Hierarchy, read_boundaries
from geodata.crosswalk import read_crosswalk
from tests.conftest import SHARED, need

DATA = Path(__file__).resolve().parents[1] / "data" / "geodata"
GEO = SHARED / "geodata"


def test_good_layer() -> None:
    """A valid GeoJSON gives code, name and geometry in EPSG:4326."""
    units = read_boundaries(DATA / "units_good.geojson")
    assert list(units["code"]) == ["20", "99"]
    assert units.crs.to_epsg() == 4326


@pytest.mark.parametrize(
    ("name", "row", "field"),
    [("units_bowtie.geojson", 2, "geometry"), ("units_duplicate_code.geojson", 2, "code")],
)
def test_bad_layer_names_feature_and_field(name: str, row: int, field: str) -> None:
    """An invalid geometry or duplicate code names the file, feature and field."""
    with pytest.raises(ValidationError) as info:
        read_boundaries(DATA / name)
    assert str(info.value.source).endswith(name)
    assert (info.value.row, info.value.field) == (row, field)


def test_missing_parent_column() -> None:
    """Asking for a parent column the file lacks names that field."""
    with pytest.raises(ValidationError, match="province_code"):
        read_boundaries(DATA / "units_good.geojson", parent="province_code")


def test_unknown_parent_rejected() -> None:
    """A unit whose parent code is not a unit of the level above is rejected."""
    top = read_boundaries(DATA / "units_good.geojson")
    child = top.assign(parent_code=["20", "77"], code=["2001", "7701"])
    with pytest.raises(ValidationError, match="77"):
        Hierarchy.from_layers(("province", "commune"), [top, child])


def test_crosswalk_duplicate_pair() -> None:
    """A repeated old→new pair names the row."""
    with pytest.raises(ValidationError) as info:
        read_crosswalk(DATA / "crosswalk_duplicate.csv")
    assert info.value.row == 2


def test_shared_2025_hierarchy_and_locate() -> None:
    """The 2025 province → commune hierarchy of five provinces locates a Lạng Sơn point."""
    communes, provinces = GEO / "vn2025_communes_target5.geojson", GEO / "vn2025_provinces.geojson"
    need(communes.exists() and provinces.exists(), f"{GEO} lacks the 2025 boundary files")
    prov = read_boundaries(provinces)
    comm = read_boundaries(communes, parent="province_code")
    h = Hierarchy.from_layers(LEVELS_2025, [prov, comm])
    assert len(h.level("commune")) == 449
    assert len(h.children("20")) == 65
    code = h.locate(106.7610, 21.8530)  # central Lạng Sơn city
    assert code is not None
    assert h.path(code)[0] == "20"


def test_shared_2024_three_levels() -> None:
    """The pre-2025 province → district hierarchy has districts under Lạng Sơn (20)."""
    districts, provinces = (
        GEO / "vn2024_districts_target5.geojson",
        GEO / "vn2024_provinces.geojson",
    )
    need(districts.exists() and provinces.exists(), f"{GEO} lacks the 2024 boundary files")
    h = Hierarchy.from_layers(
        LEVELS_2024[:2],
        [read_boundaries(provinces), read_boundaries(districts, parent="province_code")],
    )
    assert len(h.children("20")) == 11
    assert h.locate(106.7610, 21.8530, level="province") == "20"


def test_shared_crosswalk() -> None:
    """Every old commune of the five provinces maps to at least one new commune."""
    path = GEO / "crosswalk_2024_to_2025_target5.csv"
    need(path.exists(), f"{path} is missing")
    cw = read_crosswalk(path)
    assert len(cw.mapping) > 700  # README says 753 communes; the file has 754 distinct codes
    assert cw.new_code("02200") == "02215"
    split = [o for o, n in cw.mapping.items() if len(n) > 1]
    assert split
    with pytest.raises(ValidationError, match="split"):
        cw.new_code(split[0])

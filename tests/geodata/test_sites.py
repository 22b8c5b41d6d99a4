"""Sites read from CSV: good file, and each bad case naming file, row and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from geodata import ValidationError
from geodata.sites import read_sites

DATA = Path(__file__).resolve().parents[1] / "data" / "geodata"


def test_good_csv() -> None:
    """A valid CSV gives one GeoSite per row with optional fields filled."""
    sites = read_sites(DATA / "sites_good.csv")
    assert [s.id for s in sites] == ["BD-1", "MC-1"]
    assert sites[0].address == "Số 49 Lê Lợi, Lạng Sơn"
    assert sites[1].commune_code == "06184"


@pytest.mark.parametrize(
    ("name", "row", "field"),
    [
        ("sites_bad_kind.csv", 2, "kind"),
        ("sites_bad_lat.csv", 1, "lat"),
        ("sites_duplicate_id.csv", 2, "id"),
        ("sites_missing_column.csv", None, "kind"),
    ],
)
def test_bad_csv_names_file_row_field(name: str, row: int | None, field: str) -> None:
    """Each bad file raises ValidationError naming the file, the row and the field."""
    with pytest.raises(ValidationError) as info:
        read_sites(DATA / name)
    assert info.value.source is not None
    assert info.value.source.endswith(name)
    assert info.value.row == row
    assert info.value.field == field

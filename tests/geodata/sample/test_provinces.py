"""Any 2025 province's sample geography: its communes, sites on them, a connected network."""

from __future__ import annotations

import gzip
from importlib import resources
from pathlib import Path

import numpy as np
import pytest
import shapely

from geodata import province_names, sample_province, travel_matrix
from geodata.exceptions import ValidationError
from geodata.sample import _generate
from geodata.sample._communes import (
    CENTRE_CODE,
    TOWN_CODES,
    Commune,
    choose_towns,
    load_communes,
    normal_province_code,
    package_communes,
    province_communes,
)

SMALL = ("12", "46")  # Lai Châu (38 communes, mountains), Huế (40, a city on the coast)


def test_there_are_34_provinces_and_the_sample_is_one() -> None:
    """The package lists the 34 provinces of 2025; Lạng Sơn's communes are the saved file's."""
    names = province_names()
    assert len(names) == 34
    assert names["20"] == "Tỉnh Lạng Sơn"
    assert names["79"] == "Thành phố Hồ Chí Minh"
    assert package_communes("20") == ("Tỉnh Lạng Sơn", load_communes())


def test_the_general_generator_rebuilds_the_saved_sample_network() -> None:
    """The generator over the sample's communes, centre, towns and seed gives the saved file."""
    saved = resources.files("geodata.sample").joinpath("data/lang_son_roads.osm.gz")
    text = gzip.decompress(saved.read_bytes()).decode()
    assert _generate.generate(load_communes(), CENTRE_CODE, TOWN_CODES, _generate.SEED) == text


@pytest.mark.parametrize("code", SMALL)
def test_a_province_has_its_communes_and_sites_on_them(code: str) -> None:
    """Every commune has a post point and a one-stop shop inside its territory; offices spread."""
    sp = sample_province(code)
    assert (sp.code, sp.name) == (code, province_names()[code])
    codes = set(sp.communes["code"])
    assert codes == {c.code for c in package_communes(code)[1]}
    assert sp.communes.geometry.is_valid.all()
    for kind in ("post_point", "commune_one_stop"):
        assert {s.commune_code for s in sp.sites if s.kind == kind} == codes
    territory = dict(zip(sp.communes["code"], sp.communes.geometry, strict=True))
    for s in sp.sites:
        assert s.commune_code in codes
        assert territory[s.commune_code].buffer(0.003).contains(shapely.Point(s.lon, s.lat))
        assert sp.name in s.address
        assert "Lạng Sơn" not in s.address
    centre = sp.site("BD-TINH")
    kinds = dict(zip(sp.communes["code"], sp.communes["type"], strict=True))
    assert kinds[centre.commune_code] == "Phường"  # the provincial office in a town ward
    offices = [s for s in sp.sites if s.kind == "district_post_office"]
    assert len(offices) == round(len(codes) / 6)
    assert set(sp.communes["home_post_office"]) == {"BD-TINH", *(o.id for o in offices)}


@pytest.mark.parametrize("code", SMALL)
def test_a_province_network_is_generated_and_connected(code: str) -> None:
    """The generated network reaches every site both ways by van, each within snapping range."""
    sp = sample_province(code)
    assert sp.network.generated
    assert sample_province(code).network is sp.network  # built once per process
    pts = [(s.id, s.lon, s.lat) for s in sp.sites]
    m = travel_matrix(sp.network, pts, "van")
    assert np.isfinite(m.duration_s).all()
    communes = np.array([s.commune_code for s in sp.sites])
    assert np.all(m.duration_s[communes[:, None] != communes[None, :]] > 0)
    assert m.snap_m.max() < 500


def test_a_bad_province_code_names_it_and_lists_the_valid_ones() -> None:
    """An unknown code is a ValidationError naming the code and listing the 34 codes."""
    with pytest.raises(ValidationError, match=r"'99' is not a province code.*12 Tỉnh Lai Châu"):
        sample_province("99")


def test_island_special_zones_beyond_road_reach_are_left_out() -> None:
    """Trường Sa (Khánh Hòa) has no commune within 20 km: left out; the mainland stays."""
    pc = province_communes("56")
    names = {c.name for c in pc.communes}
    assert "Đặc khu Trường Sa" not in names
    assert len(pc.communes) == len(package_communes("56")[1]) - 1


def test_towns_prefer_wards_and_spread_out() -> None:
    """Offices go to wards first (a far ward before a farther commune), spread from the centre."""
    communes = [Commune("c", "Phường C", "Phường", 105.0, 21.0, 1.0)]
    communes += [Commune(f"x{k}", f"Xã {k}", "Xã", 105.0 + 0.1 * k, 21.0, 1.0)
                 for k in range(1, 12)]
    communes += [Commune("w", "Phường W", "Phường", 105.9, 21.0, 1.0)]
    towns = choose_towns(communes, "c")
    assert len(towns) == round(13 / 6)
    assert towns[0] == "w"  # 0.9 away, beside x11 at 1.1: the ward is taken first
    assert towns[1] != "w"
    assert towns[1].startswith("x")


CSV_HEAD = "province_code,province,commune_code,commune,type,lon,lat,area_km2,population\n"


def test_a_users_communes_csv_builds_its_province(tmp_path: Path) -> None:
    """A user's CSV gives the province; its centre is the most populous ward's side."""
    rows = [("90001", "Phường A", "Phường", 105.80, 21.00, 500),
            ("90002", "Phường B", "Phường", 105.90, 21.02, 90000),
            ("90003", "Xã C", "Xã", 105.70, 21.20, 800),
            ("90004", "Xã D", "Xã", 106.00, 21.30, 900),
            ("90005", "Xã E", "Xã", 105.85, 20.80, 700)]
    path = tmp_path / "communes.csv"
    path.write_text(CSV_HEAD + "".join(f"12,Tỉnh Thử,{c},{n},{t},{lo},{la},10,{p}\n"
                                       for c, n, t, lo, la, p in rows), encoding="utf-8")
    sp = sample_province("12", path)
    assert (sp.code, sp.name, len(sp.communes)) == ("12", "Tỉnh Thử", 5)
    assert sp.site("BD-TINH").commune_code == "90002"  # population-weighted
    assert sp.network.generated
    with pytest.raises(ValidationError, match="'20' is not a province code; valid codes: 12"):
        sample_province("20", path)


def test_a_bad_users_csv_names_file_row_and_field(tmp_path: Path) -> None:
    """A bad number is refused with the file, row and field."""
    path = tmp_path / "bad.csv"
    path.write_text(CSV_HEAD + "12,Tỉnh Thử,90001,Phường A,Phường,east,21,1,1\n",
                    encoding="utf-8")
    with pytest.raises(ValidationError, match=r"bad\.csv, row 2, field 'lon'"):
        sample_province("12", path)


@pytest.mark.parametrize(("row", "field", "words"), [
    ("12,Tỉnh Thử,90001", "commune", "fewer fields than the header"),  # a short row
    ("12,Tỉnh Thử,90001,Phường A,Phường,105.8,999,1,1", "lat", "not a latitude in Vietnam"),
    ("12,Tỉnh Thử,90001,Phường A,Phường,0,0,1,1", "lon", "not a longitude in Vietnam"),
    ("12,Tỉnh Thử,90001,,Phường,105.8,21,1,1", "commune", "empty"),
])
def test_a_short_row_or_a_point_outside_vietnam_names_its_field(
    tmp_path: Path, row: str, field: str, words: str,
) -> None:
    """No traceback for a short row; a bad latitude is blamed on ``lat``, not ``lon``."""
    path = tmp_path / "bad.csv"
    path.write_text(CSV_HEAD + row + "\n", encoding="utf-8")
    with pytest.raises(ValidationError, match=rf"bad\.csv, row 2, field '{field}'.*{words}"):
        sample_province("12", path)


@pytest.mark.parametrize("code", ["99", "7", "Lai Châu"])
def test_a_csv_province_that_is_not_one_of_2025_names_its_row(tmp_path: Path, code: str) -> None:
    """A province code outside the 34 of 2025 is refused with file, row and field, not planned."""
    path = tmp_path / "communes.csv"
    path.write_text(CSV_HEAD + "12,Tỉnh Lai Châu,90001,Phường A,Phường,103.4,22.4,1,1\n"
                    f"{code},Tỉnh Mới,90002,Xã B,Xã,103.5,22.3,1,1\n", encoding="utf-8")
    with pytest.raises(ValidationError, match=rf"communes\.csv, row 3, field 'province_code': "
                                              rf"'{code}' is not a 2025 province code.*01 "):
        sample_province("12", path)


def test_a_one_digit_province_code_gets_its_leading_zero() -> None:
    """``4`` is ``04`` (Cao Bằng); two digits and anything else are only trimmed."""
    assert [normal_province_code(c) for c in ("4", " 04 ", "79", "x", "")] == [
        "04", "04", "79", "x", ""]

"""A generated day on another 2025 province: its sites, fleet and orders, scaled to it."""

from __future__ import annotations

import datetime as dt

import pytest
import shapely

from geodata import SampleProvince, sample_province
from geodata.exceptions import ValidationError
from planner.domain import ItemKind, SiteKind
from planner.sample_day import SampleVolumes, province_volumes, sample_day

from .sample_days import day_problem

MON = dt.date(2026, 11, 23)


@pytest.fixture(scope="module")
def day():  # type: ignore[no-untyped-def]
    """A day of Huế (code 46) at its scaled default volume."""
    return sample_day(MON, seed=3, province="46")


def test_the_day_lies_in_its_province(day) -> None:  # type: ignore[no-untyped-def]
    """Every site is in one of Huế's communes, within its territory; addresses name Huế."""
    geo = sample_province("46")
    assert day.province is geo
    territory = dict(zip(geo.communes["code"], geo.communes.geometry, strict=True))
    for s in day.sites:
        assert s.commune_code in territory
        assert territory[s.commune_code].buffer(0.01).contains(shapely.Point(s.lon, s.lat))
        if s.kind is SiteKind.CITIZEN:
            assert s.address.endswith(", Thành phố Huế")
            assert "Nà" not in s.address


def test_the_day_builds_a_valid_problem(day) -> None:  # type: ignore[no-untyped-def]
    """Today's legs of new and carried orders build a valid Problem with the province's fleet."""
    problem = day_problem(day, MON)
    waiting = [o for o in day.orders if o.follows]  # slips wait for their dossier's hand-over
    assert len(problem.items) == len(day.orders) + len(day.backlog.entries) - len(waiting)
    offices = {s.id for s in day.sites if s.kind.is_post_office}
    assert {c.start_site for c in day.couriers} <= offices


def test_volume_and_vans_are_scaled_to_the_province(day) -> None:  # type: ignore[no-untyped-def]
    """Orders follow the demand weight (a ward counts 4 communes), vans the post offices."""
    geo, sample = sample_province("46"), sample_province()

    def weight(p: SampleProvince) -> int:
        wards = int((p.communes["type"] == "Phường").sum())
        return 4 * wards + len(p.communes) - wards

    v = province_volumes(geo)
    assert v.orders == round(300 * weight(geo) / weight(sample))
    assert v.orders != SampleVolumes().orders
    new = [o for o in day.orders  # drawn orders: not KT1 letters, liên thông, following slips
           if o.item_class != "KT1" and o.kind is not ItemKind.TRANSFER and not o.follows]
    assert len(new) == v.orders
    assert sum(c.vehicle.value == "van" for c in day.couriers) == v.vans >= 1
    assert province_volumes(sample) == SampleVolumes()


def test_the_default_province_is_the_sample() -> None:
    """Without a province the day is the sample's, as before."""
    a = sample_day(MON, seed=1, volumes=SampleVolumes(orders=20))
    b = sample_day(MON, seed=1, volumes=SampleVolumes(orders=20), province="20")
    assert (a.sites, a.couriers, a.orders) == (b.sites, b.couriers, b.orders)
    assert a.province.code == "20"


def test_a_bad_province_code_is_refused() -> None:
    """An unknown province code is a ValidationError naming it."""
    with pytest.raises(ValidationError, match="'00' is not a province code"):
        sample_day(MON, province="00")

"""Service-time rules: defaults per kind of stop, and a rules file managers can edit."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from planner.domain import Site, SiteKind
from planner.exceptions import InputError
from planner.plan import Action
from planner.service_times import ServiceTimes, read_service_times


def test_citizen_pickup_takes_longer_than_an_agency_drop_off() -> None:
    """Sealing in front of the citizen takes minutes; counting at the one-stop takes one."""
    st = ServiceTimes()
    assert st.item_s(SiteKind.CITIZEN, Action.PICKUP) > st.item_s(SiteKind.COMMUNE_ONE_STOP,
                                                                  Action.DELIVERY)
    assert st.item_s(SiteKind.DISTRICT_POST_OFFICE, Action.DELIVERY) == st.post_office_s


def test_agencies_get_the_1500_cutoff_and_a_visit_time() -> None:
    """apply_to_site sets the visit time and, for agencies, the 15:00 cut-off."""
    shop = ServiceTimes().apply_to_site(Site("MC", "Một cửa", SiteKind.COMMUNE_ONE_STOP, 106, 21))
    assert shop.cutoff_s == 15 * 3600
    assert shop.visit_s == ServiceTimes().visit(SiteKind.COMMUNE_ONE_STOP) > 0
    home = ServiceTimes().apply_to_site(Site("CD", "Nhà", SiteKind.CITIZEN, 106, 21))
    assert home.cutoff_s is None


def test_rules_file(tmp_path: Path) -> None:
    """A JSON file overrides some values and keeps the others."""
    f = tmp_path / "rules.json"
    f.write_text(json.dumps({"citizen_pickup_s": 600, "visit_s": {"service_center": 900}}),
                 encoding="utf-8")
    st = read_service_times(f)
    assert st.citizen_pickup_s == 600
    assert st.visit(SiteKind.SERVICE_CENTER) == 900
    assert st.visit(SiteKind.CITIZEN) == ServiceTimes().visit(SiteKind.CITIZEN)


@pytest.mark.parametrize(
    ("doc", "field"),
    [({"citizen_pickup": 1}, "citizen_pickup"), ({"post_office_s": -5}, "post_office_s"),
     ({"visit_s": {"bakery": 60}}, "visit_s.bakery"), ({"agency_pickup_s": "2 min"},
                                                       "agency_pickup_s")],
)
def test_bad_rules_name_the_key(tmp_path: Path, doc: dict[str, object], field: str) -> None:
    """Unknown keys, negative or non-numeric values name the file and the key."""
    f = tmp_path / "rules.json"
    f.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(InputError, match=f"rules.json, field '{field}'"):
        read_service_times(f)

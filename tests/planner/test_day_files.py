"""The generated day written as input files reads back as the same day (docs/inputs.md)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from planner.backlog import InFlight, read_backlog
from planner.day_files import write_day_inputs
from planner.domain import Site
from planner.formats import read_fleet, read_orders, read_sites
from planner.sample_day import SampleDay, SampleVolumes, sample_day

MON = dt.date(2026, 11, 23)


@pytest.fixture(scope="module")
def day() -> SampleDay:
    """A small generated day (40 orders, its carried backlog, KT1 letters)."""
    return sample_day(MON, seed=5, volumes=SampleVolumes(orders=40))


def _plain(s: Site) -> Site:
    """A site without what the rules fill in (visit time, cut-off), at 6 decimals."""
    return dataclasses.replace(s, visit_s=0, cutoff_s=None, lon=round(s.lon, 6),
                               lat=round(s.lat, 6))


def _anonymous(e: InFlight) -> InFlight:
    return dataclasses.replace(e, order=dataclasses.replace(e.order, citizen_name="",
                                                            citizen_phone=""))


def test_inputs_round_trip(day: SampleDay, tmp_path: Path) -> None:
    """Sites, fleet, orders and backlog read back equal to the generated ones."""
    paths = write_day_inputs(tmp_path, sites=day.sites, couriers=day.couriers,
                             orders=day.orders, backlog=day.backlog)
    assert sorted(p.name for p in paths.values()) == ["backlog.json", "fleet.csv", "orders.csv",
                                                      "sites.csv"]
    sites = read_sites(paths["sites"])
    assert [_plain(s) for s in sites] == [_plain(s) for s in day.sites]
    by_id = {s.id: s for s in sites}
    assert read_fleet(paths["fleet"], sites=by_id) == day.couriers
    assert read_orders(paths["orders"], sites=by_id) == day.orders
    again = read_backlog(paths["backlog"]).entries  # names only where a leg meets the citizen
    assert [_anonymous(e) for e in again] == [_anonymous(e) for e in day.backlog.entries]
    assert all(a.order.citizen_name in ("", b.order.citizen_name)
               for a, b in zip(again, day.backlog.entries, strict=True))
    assert paths["orders"].read_bytes().startswith(b"\xef\xbb\xbf")

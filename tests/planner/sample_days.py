"""Helpers shared by the sample-day tests."""

from __future__ import annotations

import datetime as dt

from planner.journeys import todays_work
from planner.problem import Problem, ProblemBuilder, haversine_travel
from planner.sample_day import SampleDay


def day_problem(day: SampleDay, date: dt.date) -> Problem:
    """Today's legs of ``day``'s new and carried orders as a Problem with its fleet.

    Travel is straight lines at 30 km/h for every vehicle the fleet has.
    """
    sites = {s.id: s for s in day.sites}
    work = todays_work(date, day.orders, day.backlog, sites)
    b = ProblemBuilder(date)
    b.add_sites(day.sites)
    b.add_couriers(day.couriers)
    b.add_items(work.items)
    for v in {c.vehicle for c in day.couriers}:
        b.set_travel(v, haversine_travel(day.sites, 30))
    return b.build()

"""Input formats: the dispatcher's orders, sites, fleet and outcomes files; VRPLIB instances."""

from planner.formats.fleet import read_fleet
from planner.formats.orders import read_orders
from planner.formats.outcomes import read_outcomes
from planner.formats.sites import read_sites
from planner.formats.vrplib import read_instance, read_lilim, read_solomon, to_problem

__all__ = [
    "read_fleet",
    "read_instance",
    "read_lilim",
    "read_orders",
    "read_outcomes",
    "read_sites",
    "read_solomon",
    "to_problem",
]

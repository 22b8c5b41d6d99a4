"""Input and output formats: benchmark instances (VRPLIB) and, later, order files."""

from planner.formats.vrplib import read_instance, read_lilim, read_solomon, to_problem

__all__ = ["read_instance", "read_lilim", "read_solomon", "to_problem"]

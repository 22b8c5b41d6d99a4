"""Solvers: the engine interface, the OR-Tools engine, check mode, re-optimisation."""

from __future__ import annotations

import importlib

from planner.solver.engine import Engine, SolveParams, engine_names, get_engine, register_engine
from planner.solver.reasons import reason_for, unassigned_reasons
from planner.solver.reoptimise import reoptimise
from planner.solver.solve import solve
from planner.solver.timing import Violation, check, time_route, timed_routes


def _ortools_engine() -> Engine:
    engine: Engine = importlib.import_module("planner.solver._ortools").OrToolsEngine()
    return engine


register_engine("ortools", _ortools_engine)

__all__ = [
    "Engine",
    "SolveParams",
    "Violation",
    "check",
    "engine_names",
    "get_engine",
    "reason_for",
    "register_engine",
    "reoptimise",
    "solve",
    "time_route",
    "timed_routes",
    "unassigned_reasons",
]

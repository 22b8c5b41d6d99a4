"""Solvers: ``solve`` (the one assembly point), the engine interface, check mode, reasons.

Engines are adapters registered by name; only ``planner.solver._ortools``
imports OR-Tools, and it is loaded on first use.
"""

from __future__ import annotations

import importlib

from planner.solver.budget import SHARES, Budget, Shares
from planner.solver.check import Violation, ViolationKind, check, time_route, timed_routes
from planner.solver.control import CancelToken, Control, ProgressFn, SolveCancelled
from planner.solver.engine import (
    Capabilities,
    Engine,
    EngineRequest,
    EngineResult,
    engine_names,
    get_engine,
    register_engine,
)
from planner.solver.params import SolveParams
from planner.solver.reasons import feasibility, reason_for, split_servable, unassigned_reasons
from planner.solver.reoptimise import reoptimise
from planner.solver.solve import Locks, solve


def _ortools_engine() -> Engine:
    engine: Engine = importlib.import_module("planner.solver._ortools").OrToolsEngine()
    return engine


def _pyvrp_engine() -> Engine:
    engine: Engine = importlib.import_module("planner.solver._pyvrp").PyVrpEngine()
    return engine


def _vroom_engine() -> Engine:
    engine: Engine = importlib.import_module("planner.solver._vroom").VroomEngine()
    return engine


def _portfolio() -> Engine:
    engine: Engine = importlib.import_module("planner.solver.portfolio").PortfolioEngine()
    return engine


register_engine("auto", _portfolio)
register_engine("ortools", _ortools_engine)
register_engine("pyvrp", _pyvrp_engine)
register_engine("vroom", _vroom_engine)

__all__ = [
    "SHARES",
    "Budget",
    "CancelToken",
    "Capabilities",
    "Control",
    "Engine",
    "EngineRequest",
    "EngineResult",
    "Locks",
    "ProgressFn",
    "Shares",
    "SolveCancelled",
    "SolveParams",
    "Violation",
    "ViolationKind",
    "check",
    "engine_names",
    "feasibility",
    "get_engine",
    "reason_for",
    "register_engine",
    "reoptimise",
    "solve",
    "split_servable",
    "time_route",
    "timed_routes",
    "unassigned_reasons",
]

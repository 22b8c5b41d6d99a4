"""Solvers: the engine interface, the OR-Tools engine, check mode, re-optimisation."""

from planner.solver.engine import Engine, SolveParams, engine_names, get_engine, register_engine

__all__ = ["Engine", "SolveParams", "engine_names", "get_engine", "register_engine"]

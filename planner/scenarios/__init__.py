"""Scenarios: fleets, shifts and service-time policies compared over many simulated days.

``spec`` reads a scenario file (TOML) into frozen settings; ``simulate`` runs
one scenario and seed over N working days of the sample province, carrying
each day's backlog into the next; ``run`` fans scenarios × seeds out on Dask;
``report`` turns the outcomes into a table, CSV files and charts
(docs/scenarios.md).
"""

from planner.scenarios.run import TaskOutcome, dask_client, run_sweep
from planner.scenarios.simulate import DayFigures, OrderOutcome, Simulation, simulate
from planner.scenarios.spec import (
    CalendarSettings,
    Costs,
    Demand,
    Fleet,
    Network,
    Policy,
    Scenario,
    ScenarioFile,
    Shifts,
    SolverSettings,
    read_scenarios,
    scenarios_from_dict,
)

__all__ = [
    "CalendarSettings",
    "Costs",
    "DayFigures",
    "Demand",
    "Fleet",
    "Network",
    "OrderOutcome",
    "Policy",
    "Scenario",
    "ScenarioFile",
    "Shifts",
    "Simulation",
    "SolverSettings",
    "TaskOutcome",
    "dask_client",
    "read_scenarios",
    "run_sweep",
    "scenarios_from_dict",
    "simulate",
]

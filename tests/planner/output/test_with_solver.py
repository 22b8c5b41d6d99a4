"""Outputs of a solver-made plan: schema-valid plan.json, round trip, every item accounted for.

Skips (with the reason shown) until an engine is registered in planner.solver.
"""

from __future__ import annotations

import importlib
import json
from pathlib import Path

import jsonschema
import pytest

from planner.kpis import compute_kpis
from planner.output import plan_schema, read_plan_json, write_outputs
from planner.output.itinerary import route_view
from planner.plan import Plan
from planner.problem import Problem


def _solve(problem: Problem) -> Plan:
    solver = importlib.import_module("planner.solver")
    params = solver.SolveParams(seed=1, time_limit_s=None, solution_limit=50)
    names = solver.engine_names()
    if not names:
        pytest.skip("no routing engine registered in planner.solver yet")
    engine = "ortools" if "ortools" in names else names[0]
    plan: Plan = solver.solve(problem, params, engine)
    return plan


def test_solved_plan_outputs(problem: Problem, tmp_path: Path) -> None:
    """A solved plan writes every output; plan.json validates and reads back to the same plan."""
    plan = _solve(problem)
    files = write_outputs(problem, plan, tmp_path / "out", province="Lạng Sơn")
    doc = json.loads(files.plan_json.read_text(encoding="utf-8"))
    jsonschema.validate(doc, plan_schema())
    assert read_plan_json(files.plan_json).plan == plan
    served = plan.served | {u.item for u in plan.unassigned}
    assert served == {it.tracking_code for it in problem.items}
    assert set(files.route_pdfs) == {r.courier for r in plan.routes}
    assert "X1" in {u.item for u in plan.unassigned}  # nobody has the KT1 skill


def test_solved_plan_waits_are_the_kpis_waits(problem: Problem) -> None:
    """On a solved plan the KPIs' waits are the route sheets' waits, and nothing is unexplained."""
    plan = _solve(problem)
    k = compute_kpis(problem, plan)
    assert k.wait_s == sum(route_view(problem, r).wait_s for r in plan.routes)
    assert k.drive_s + k.visit_s + k.service_s + k.lunch_s + k.wait_s == k.courier_s
    assert "other" not in k.wait_by_cause

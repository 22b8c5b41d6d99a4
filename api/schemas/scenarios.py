"""Stored scenario comparisons (read-only)."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field


class ScenarioRunPublic(BaseModel):
    """One stored comparison: what was run, for which province, when it was imported."""

    id: int
    province: str
    source: str = Field(description="the scenario file's name")
    start: dt.date = Field(description="the first simulated working day")
    days: int = Field(description="working days simulated per scenario and seed")
    seeds: int = Field(description="demand seeds per scenario")
    scenarios: int = Field(description="scenarios compared")
    failed: int = Field(description="scenario × seed tasks that failed")
    imported_at: dt.datetime


class ScenarioRunDetail(ScenarioRunPublic):
    """A comparison in full: one row per scenario (``comparison.csv``) and per day (``days.csv``).

    Values are as the planner wrote them (text; empty when undefined);
    docs/scenarios.md describes every column.
    """

    descriptions: dict[str, str] = Field(description="each scenario's description, by name")
    comparison: list[dict[str, str]]
    per_day: list[dict[str, str]] = Field(description="every scenario, seed and day")

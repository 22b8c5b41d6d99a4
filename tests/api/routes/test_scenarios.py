"""Stored scenario comparisons: imported from a run's output folder, read by managers only."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.cli import main
from api.config import Settings
from planner.output.i18n import Lang
from planner.scenarios import DayFigures, Scenario, ScenarioFile, Simulation, TaskOutcome
from planner.scenarios.report import (
    COMPARISON_COLUMNS,
    DAYS_COLUMNS,
    summarise,
    write_csv,
    write_days_csv,
    write_run_json,
)
from tests.api.conftest import Crew

MONDAY = dt.date(2026, 11, 23)


def _day(cost: int) -> DayFigures:
    return DayFigures(date=MONDAY, couriers_used=5, vans_used=1, distance_km=120.5,
                      courier_hours=30.0, cost_vnd=cost, legs=40, served=38,
                      unassigned_by_reason={"fleet_full": 2}, backlog=7)


def _output(folder: Path, lang: Lang = "vi") -> Path:
    """What ``planner scenarios run`` writes, for two scenarios × one seed × one day."""
    spec = ScenarioFile((Scenario("today", "the fleet as it is"),
                         Scenario("mid-day trunk", "a timetabled trunk")), MONDAY, "sweep.toml")
    outcomes = [TaskOutcome(s.name, 0, Simulation(s.name, 0, (_day(cost),), (), 1.0))
                for s, cost in zip(spec.scenarios, (3_000_000, 2_500_000), strict=True)]
    folder.mkdir()
    write_csv(summarise(outcomes, [s.name for s in spec.scenarios]), folder / "comparison.csv",
              lang=lang)
    write_days_csv(outcomes, folder / "days.csv", lang=lang)
    write_run_json(spec, folder / "run.json", days=1, seeds=1)
    return folder


def _import(settings: Settings, folder: Path, province: str) -> int:
    return main(["--database-url", settings.database_url, "scenarios", "import", str(folder),
                 "--province", province])


def test_managers_read_stored_comparisons_of_their_provinces(
        client: TestClient, crew: Crew, settings: Settings, tmp_path: Path) -> None:
    """A province's manager sees its comparisons; national managers and admins see all."""
    assert _import(settings, _output(tmp_path / "a"), "20") == 0
    assert _import(settings, _output(tmp_path / "b"), "15") == 0
    mine = client.get("/api/v1/scenarios", headers=crew.headers("manager20"))
    assert mine.status_code == 200, mine.text
    assert [(r["province"], r["source"], r["scenarios"]) for r in mine.json()] == [
        ("20", "sweep.toml", 2)]
    run_id = mine.json()[0]["id"]
    detail = client.get(f"/api/v1/scenarios/{run_id}", headers=crew.headers("manager20")).json()
    assert [r["scenario"] for r in detail["comparison"]] == ["today", "mid-day trunk"]
    assert detail["comparison"][1]["cost_vnd_mean"] == "2500000.0"
    assert detail["descriptions"]["mid-day trunk"] == "a timetabled trunk"
    assert len(detail["per_day"]) == 2
    assert detail["start"] == "2026-11-23"
    for who in ("national", "admin"):
        seen = client.get("/api/v1/scenarios", headers=crew.headers(who)).json()
        assert sorted(r["province"] for r in seen) == ["15", "20"]
    other = next(r["id"] for r in client.get("/api/v1/scenarios",
                                             headers=crew.headers("admin")).json()
                 if r["province"] == "15")
    assert client.get(f"/api/v1/scenarios/{other}",
                      headers=crew.headers("manager20")).status_code == 404
    assert client.get("/api/v1/scenarios/999", headers=crew.headers("admin")).status_code == 404


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_a_comparison_is_stored_under_its_column_keys_in_either_language(
        client: TestClient, crew: Crew, settings: Settings, tmp_path: Path, lang: Lang) -> None:
    """Vietnamese (the default) or English headers: the rows are served under the same keys."""
    assert _import(settings, _output(tmp_path / "a", lang), "20") == 0
    run_id = client.get("/api/v1/scenarios", headers=crew.headers("admin")).json()[0]["id"]
    detail = client.get(f"/api/v1/scenarios/{run_id}", headers=crew.headers("admin")).json()
    assert list(detail["comparison"][0]) == list(COMPARISON_COLUMNS)
    assert detail["comparison"][1]["cost_vnd_mean"] == "2500000.0"
    assert list(detail["per_day"][0]) == list(DAYS_COLUMNS)
    assert [d["cost_vnd"] for d in detail["per_day"]] == ["3000000", "2500000"]


def test_an_import_takes_a_province_without_its_leading_zero(
        client: TestClient, crew: Crew, settings: Settings, tmp_path: Path) -> None:
    """``--province 4`` stores the comparison for Cao Bằng's ``04``, as planner's options do."""
    assert client.post("/api/v1/provinces", headers=crew.headers("admin"),
                       json={"code": "04", "name": "Tỉnh Cao Bằng"}).status_code == 201
    assert _import(settings, _output(tmp_path / "a"), "4") == 0
    listed = client.get("/api/v1/scenarios", headers=crew.headers("admin")).json()
    assert [r["province"] for r in listed] == ["04"]


def test_other_roles_may_not_read_comparisons(client: TestClient, crew: Crew,
                                              settings: Settings, tmp_path: Path) -> None:
    """Dispatchers and couriers get 403, without a token 401; there is no POST."""
    assert _import(settings, _output(tmp_path / "a"), "20") == 0
    run_id = client.get("/api/v1/scenarios", headers=crew.headers("admin")).json()[0]["id"]
    for who in ("dispatcher20", "courier1"):
        assert client.get("/api/v1/scenarios", headers=crew.headers(who)).status_code == 403
        assert client.get(f"/api/v1/scenarios/{run_id}",
                          headers=crew.headers(who)).status_code == 403
    assert client.get("/api/v1/scenarios").status_code == 401
    assert client.post("/api/v1/scenarios", headers=crew.headers("admin"),
                       json={}).status_code == 405


def test_an_import_refuses_a_folder_that_is_not_a_run(client: TestClient, settings: Settings,
                                                      tmp_path: Path,
                                                      capsys: object) -> None:
    """A missing file, an unknown schema or province: exit code 2 and nothing stored."""
    folder = _output(tmp_path / "a")
    assert _import(settings, folder, "99") == 2
    (folder / "run.json").write_text('{"schema": 7}', encoding="utf-8")
    assert _import(settings, folder, "20") == 2
    (folder / "days.csv").unlink()
    assert _import(settings, folder, "20") == 2
    assert "days.csv" in capsys.readouterr().err  # type: ignore[attr-defined]

"""``planner demo`` end to end on the sample province: golden plan, route sheets, maps, dates.

The golden plan pins what a fixed seed, engine and solution limit give on the
generated sample day. After an intended change of the solver or the sample,
regenerate it with ``UPDATE_GOLDEN=1 pytest tests/planner/commands/test_demo.py``
and review the diff.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

from planner.cli import main
from planner.output import external_references, read_plan_json
from planner.output.plan_json import PlanDocument
from planner.pipeline import DayInput, build_problem, prepare_day
from planner.sample_day import SampleVolumes, sample_day
from planner.solver import check
from tests.conftest import need_executable

GOLDEN = Path(__file__).resolve().parents[2] / "data" / "golden" / "demo_plan.json"
RUN = ["demo", "--date", "2026-11-23", "--seed", "3", "--solution-limit", "40",
       "--orders", "80", "--no-cache", "--engine", "ortools", "--workers", "1"]  # pinned: golden


@pytest.fixture(scope="module")
def demo_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One demo run shared by the tests of this module."""
    out = tmp_path_factory.mktemp("demo") / "out"
    assert main([*RUN, "--out", str(out)]) == 0
    return out


def _digest(doc: PlanDocument) -> dict[str, Any]:
    """Routes as ordered stops with their events, and unassigned items with reasons."""
    return {
        "date": doc.date.isoformat(),
        "routes": {
            r.courier: [[s.site, [[e.item, str(e.action)] for e in s.events]] for s in r.stops]
            for r in doc.plan.routes
        },
        "unassigned": {u.item: str(u.reason) for u in doc.plan.unassigned},
    }


def test_demo_plan_matches_the_golden_plan(demo_out: Path) -> None:
    """Same seed, engine and solution limit: the same routes, stop by stop, as the golden file."""
    got = _digest(read_plan_json(demo_out / "plan.json"))
    if os.environ.get("UPDATE_GOLDEN") == "1":
        GOLDEN.write_text(json.dumps(got, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    want = json.loads(GOLDEN.read_text(encoding="utf-8"))
    assert got == want


def test_demo_plan_is_valid_and_serves_the_day(demo_out: Path) -> None:
    """The demo's plan passes the independent check and serves most of the day's legs."""
    doc = read_plan_json(demo_out / "plan.json")
    served = len(doc.plan.served)
    assert served >= 0.8 * (served + len(doc.plan.unassigned))
    assert all(u.detail for u in doc.plan.unassigned), "every unassigned item has its reason"
    assert doc.province == "Tỉnh Lạng Sơn"


def test_route_sheet_text_keeps_vietnamese_diacritics(demo_out: Path) -> None:
    """pdftotext of a route sheet shows the courier's name and stop names with their accents."""
    exe = need_executable("pdftotext")
    doc = read_plan_json(demo_out / "plan.json")
    route = doc.plan.routes[0]
    courier = doc.couriers[route.courier]
    pdf = demo_out / "routes" / f"{courier.id}.pdf"
    text = subprocess.run([exe, "-layout", str(pdf), "-"], check=True, capture_output=True,
                          text=True).stdout
    assert "PHIẾU LỘ TRÌNH" in text
    assert courier.name in text
    first_stop = doc.sites[route.stops[0].site].name
    assert first_stop.split()[0] in text
    assert "Bưu điện" in text or "Bộ phận một cửa" in text


def test_maps_show_every_route_and_stop_offline(demo_out: Path) -> None:
    """The overview map names every courier and stop and loads nothing from another host."""
    doc = read_plan_json(demo_out / "plan.json")
    html = (demo_out / "maps" / "overview.html").read_text(encoding="utf-8")
    assert external_references(html) == []
    for r in doc.plan.routes:
        assert r.courier in html
        for s in r.stops:
            assert doc.sites[s.site].name in html
    assert "© OpenStreetMap contributors" in html


def test_demo_check_mode_agrees(demo_out: Path) -> None:
    """plan.json read back re-times without violations against the regenerated sample day."""
    doc = read_plan_json(demo_out / "plan.json")
    sample = sample_day(doc.date, seed=3, volumes=SampleVolumes(orders=80))
    day, work = prepare_day(DayInput(doc.date, sample.sites, sample.couriers, sample.orders,
                                     backlog=sample.backlog, network=sample.province.network))
    problem = build_problem(day, work)
    assert check(problem, {r.courier: r.events for r in doc.plan.routes}) == []


def test_a_sunday_moves_to_monday(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Sunday 22/11/2026 is planned as Monday 23/11/2026, and the run says so."""
    out = tmp_path / "out"
    assert main(["demo", "--date", "2026-11-22", "--orders", "15", "--solution-limit", "5",
                 "--no-maps", "--no-cache", "--out", str(out)]) == 0
    assert "2026-11-23" in capsys.readouterr().out
    assert read_plan_json(out / "plan.json").date.isoformat() == "2026-11-23"


def test_demo_takes_service_times_and_exports_inputs_that_plan_again(tmp_path: Path) -> None:
    """``--service-times`` reaches the plan (kpis.json says so); ``--export-inputs`` files plan."""
    rules = tmp_path / "rules.json"
    rules.write_text('{"citizen_pickup_s": 900}', encoding="utf-8")
    inputs = tmp_path / "in"
    common = ["--date", "2026-11-23", "--solution-limit", "3", "--workers", "1", "--no-maps",
              "--no-cache", "--service-times", str(rules)]
    assert main(["demo", "--orders", "15", "--export-inputs", str(inputs),
                 "--out", str(tmp_path / "demo"), *common]) == 0
    produced = json.loads((tmp_path / "demo" / "kpis.json").read_text("utf-8"))["produced_by"]
    assert produced["service_times"]["citizen_pickup_s"] == 900
    assert produced["seed"] == 0
    assert main(["plan", "--orders", str(inputs / "orders.csv"),
                 "--sites", str(inputs / "sites.csv"), "--fleet", str(inputs / "fleet.csv"),
                 "--backlog", str(inputs / "backlog.json"), "--out", str(tmp_path / "plan"),
                 *common]) == 0

    def legs(out: Path) -> set[str]:
        doc = read_plan_json(out / "plan.json")
        return set(doc.plan.served) | {u.item for u in doc.plan.unassigned}

    assert legs(tmp_path / "plan") == legs(tmp_path / "demo")


def test_demo_of_another_province(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``--province 12`` plans a Lai Châu day on its sites; a bad code exits 2, nothing written."""
    out = tmp_path / "out"
    assert main(["demo", "--province", "12", "--date", "2026-11-23", "--orders", "10",
                 "--solution-limit", "3", "--workers", "1", "--no-maps", "--no-cache",
                 "--out", str(out)]) == 0
    doc = read_plan_json(out / "plan.json")
    assert doc.province == "Tỉnh Lai Châu"
    assert doc.sites
    assert all(s.address.endswith(", Tỉnh Lai Châu") for s in doc.sites.values())
    assert doc.plan.served
    capsys.readouterr()
    bad = tmp_path / "bad"
    assert main(["demo", "--province", "7", "--out", str(bad)]) == 2
    assert "'7' is not a province code" in capsys.readouterr().err
    assert not bad.exists()

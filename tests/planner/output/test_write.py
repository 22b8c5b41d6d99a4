"""write_outputs: the directory layout, and nothing half-written when something fails."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path

import jsonschema
import pytest

from planner.output import plan_schema, read_plan_json, write_outputs
from planner.output.write import file_stem
from planner.plan import Event, Plan, Stop
from planner.problem import Problem


def test_layout(problem: Problem, plan: Plan, tmp_path: Path) -> None:
    """plan.json, kpis.json, index.html, a PDF, CSV and map per courier, and the overview."""
    out = tmp_path / "out"
    files = write_outputs(problem, plan, out, province="Lạng Sơn",
                          generated_at=dt.datetime(2026, 11, 22, 18, tzinfo=dt.UTC))
    names = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert names == [".planner-files.json", "index.html", "kpis.json",
                     "maps/K1.html", "maps/K2.html",
                     "maps/overview.html", "plan.json", "routes/K1.csv", "routes/K1.pdf",
                     "routes/K2.csv", "routes/K2.pdf"]
    assert files.route_pdfs["K2"] == out / "routes" / "K2.pdf"
    manifest = json.loads((out / ".planner-files.json").read_text(encoding="utf-8"))
    assert manifest["files"] == names[1:]
    doc = json.loads(files.plan_json.read_text(encoding="utf-8"))
    jsonschema.validate(doc, plan_schema())
    assert doc["generated_at"] == "2026-11-23T01:00:00+07:00"
    assert read_plan_json(files.plan_json).plan == plan
    assert json.loads(files.kpis_json.read_text(encoding="utf-8"))["items_served"] == 4
    index = files.index_html.read_text(encoding="utf-8")
    assert 'href="routes/K1.pdf"' in index
    assert 'href="maps/overview.html"' in index
    assert [p.name for p in tmp_path.iterdir()] == ["out"]  # no staging left behind


def test_index_lists_each_courier_day(problem: Problem, plan: Plan, tmp_path: Path) -> None:
    """Per courier: out and back, stops, items, fees, postage, cash to remit; links to kpis.json."""
    files = write_outputs(problem, plan, tmp_path / "out", maps=False)
    index = " ".join(files.index_html.read_text(encoding="utf-8").split())
    assert ("<td>K1 · Hoàng Văn Thụ</td><td>10:00–14:10</td><td>4</td><td>3 / 3</td>"
            "<td>27,0 km</td><td>80.000 ₫</td><td>52.000 ₫</td><td><b>82.000 ₫</b></td>") in index
    assert "Tiền nộp lại" in index
    assert 'href="kpis.json"' in index


def test_english_without_maps(problem: Problem, plan: Plan, tmp_path: Path) -> None:
    """With maps=False no maps folder is written; English headers in the CSV."""
    files = write_outputs(problem, plan, tmp_path / "en", lang="en", maps=False)
    assert not (tmp_path / "en" / "maps").exists()
    assert files.route_csvs["K1"].read_text(encoding="utf-8-sig").startswith("stop_no,")


def test_failure_leaves_directory_untouched(problem: Problem, plan: Plan,
                                            tmp_path: Path) -> None:
    """A plan that breaks half-way writes nothing into the target and cleans its staging."""
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("previous run", encoding="utf-8")
    bad_stop = Stop("NOWHERE", 0, 0, 0, (Event("D1", plan.routes[1].stops[0].events[0].action),),
                    (0,))
    k2 = dataclasses.replace(plan.routes[1], stops=(*plan.routes[1].stops, bad_stop))
    bad = dataclasses.replace(plan, routes=(plan.routes[0], k2))
    with pytest.raises(KeyError):
        write_outputs(problem, bad, out)
    assert [p.name for p in out.iterdir()] == ["keep.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_unknown_language_is_refused(problem: Problem, plan: Plan, tmp_path: Path) -> None:
    """An unknown language fails before anything is written."""
    with pytest.raises(ValueError, match="fr"):
        write_outputs(problem, plan, tmp_path / "x", lang="fr")
    assert not (tmp_path / "x").exists()


@pytest.mark.parametrize(("cid", "stem"), [("K1", "K1"), ("BĐ Cao Lộc/1", "B_Cao_L_c_1"),
                                           ("../x", "x")])
def test_file_stem_is_safe(cid: str, stem: str) -> None:
    """Courier ids become safe file names (no path separators, no spaces)."""
    assert file_stem(cid) == stem


def test_index_lists_unassigned_items_in_its_language(problem: Problem, plan: Plan,
                                                       tmp_path: Path) -> None:
    """index.html names each unassigned item, its reason and its sentence in vi (en on request)."""
    vi = write_outputs(problem, plan, tmp_path / "vi", maps=False).index_html
    en = write_outputs(problem, plan, tmp_path / "en", lang="en", maps=False).index_html
    vi_text, en_text = (p.read_text(encoding="utf-8") for p in (vi, en))
    assert "Không có bưu tá đủ điều kiện — không bưu tá nào có kỹ năng KT1" in vi_text
    assert "no courier has the skill" not in vi_text
    assert "No courier with the required skills — no courier has the skill(s) KT1" in en_text

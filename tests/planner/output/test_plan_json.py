"""plan.json: validates against its JSON Schema and reads back into the same Plan."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from planner.exceptions import InputError
from planner.output.plan_json import (
    PLAN_SCHEMA_VERSION,
    VN_TZ,
    plan_schema,
    plan_to_dict,
    read_plan_json,
    write_plan_json,
)
from planner.plan import Action, Plan
from planner.problem import Problem

STAMP = dt.datetime(2026, 11, 22, 18, 0, tzinfo=VN_TZ)


def _write(problem: Problem, plan: Plan, tmp_path: Path) -> Path:
    return write_plan_json(problem, plan, tmp_path / "plan.json", province="Lạng Sơn",
                           generated_at=STAMP)


def test_schema_is_valid_json_schema() -> None:
    """The shipped schema is itself a valid draft 2020-12 schema."""
    jsonschema.Draft202012Validator.check_schema(plan_schema())


def test_document_validates(problem: Problem, plan: Plan, tmp_path: Path) -> None:
    """The written file validates against the schema, with formats checked."""
    doc = json.loads(_write(problem, plan, tmp_path).read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(
        plan_schema(), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    ).validate(doc)


def test_times_units_and_text(problem: Problem, plan: Plan) -> None:
    """Times carry +07:00, distances are metres, Vietnamese is kept as is, fees per event."""
    doc = plan_to_dict(problem, plan, province="Lạng Sơn", generated_at=STAMP)
    first = doc["routes"][0]
    assert first["start"] == "2026-11-23T10:00:00+07:00"
    assert first["lunch"] == {"start": "2026-11-23T11:30:00+07:00",
                              "end": "2026-11-23T12:30:00+07:00"}
    assert first["distance_m"] == 27_000
    assert first["duration_s"] == 15_000
    stop = first["stops"][0]
    assert stop["site"]["name"] == "Công dân · D1"  # the citizen's name stays off plan.json
    assert "Nguyễn Văn Đức" not in json.dumps(doc, ensure_ascii=False)
    assert "Trần Thị Hằng" not in json.dumps(doc, ensure_ascii=False)
    assert stop["events"] == [{"tracking_code": "D1", "action": "pickup",
                               "item_kind": "dossier", "fee_vnd": 50_000,
                               "postage_vnd": 22_000, "fee_handed_vnd": 0,
                               "fee_taken_vnd": 0}]
    handed = doc["routes"][0]["stops"][2]["events"][0]
    assert (handed["tracking_code"], handed["fee_handed_vnd"]) == ("D1", 50_000)
    assert doc["generated_at"] == "2026-11-22T18:00:00+07:00"
    assert [u["reason"] for u in doc["unassigned"]] == ["fleet_full", "no_skilled_courier"]
    x1 = doc["unassigned"][1]
    assert (x1["detail_key"], x1["detail_args"]) == ("no_skill", {"skills": "KT1"})
    assert x1["detail_vi"] == "không bưu tá nào có kỹ năng KT1"


def test_round_trip_rebuilds_the_plan(problem: Problem, plan: Plan, tmp_path: Path) -> None:
    """Reading the file back gives an equal Plan, the sites, couriers, items and KPIs."""
    got = read_plan_json(_write(problem, plan, tmp_path))
    assert got.plan == plan
    assert got.date == problem.date
    assert got.province == "Lạng Sơn"
    assert got.generated_at == STAMP
    assert got.sites["OS1"].name == "Bộ phận một cửa xã Hợp Thành"
    assert got.couriers["K2"].name == "Lý Thị Ngọc"
    assert got.items["R1"].fees_vnd == {Action.PICKUP: 0, Action.DELIVERY: 30_000}
    assert got.items["R2"].deadline == problem.date
    assert got.kpis.items_served == 4


def test_write_is_deterministic(problem: Problem, plan: Plan, tmp_path: Path) -> None:
    """The same plan and time stamp give byte-identical files."""
    a = _write(problem, plan, tmp_path).read_bytes()
    b = write_plan_json(problem, plan, tmp_path / "b.json", province="Lạng Sơn",
                        generated_at=STAMP).read_bytes()
    assert a == b


@pytest.mark.parametrize(
    ("mutate", "field"),
    [
        (lambda d: d.update(schema_version="2.0"), "schema_version"),
        (lambda d: d["routes"][0]["stops"][1].update(arrival="10:40"),
         "routes[0].stops[1].arrival"),
        (lambda d: d["routes"][1]["stops"][0].pop("site"), "routes[1].stops[0].site"),
        (lambda d: d["unassigned"][0].update(reason="tired"), "unassigned[0].reason"),
    ],
)
def test_bad_document_names_the_field(problem: Problem, plan: Plan, tmp_path: Path,
                                      mutate: Callable[[dict[str, Any]], object],
                                      field: str) -> None:
    """A malformed plan.json raises InputError naming the JSON path of the bad field."""
    path = _write(problem, plan, tmp_path)
    doc = json.loads(path.read_text(encoding="utf-8"))
    mutate(doc)
    path.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_plan_json(path)
    assert info.value.field == field


def test_wrong_types_are_input_errors(problem: Problem, plan: Plan, tmp_path: Path) -> None:
    """A number where an object belongs, or text where a number belongs, is an InputError."""
    path = _write(problem, plan, tmp_path)
    mutations: tuple[Callable[[dict[str, Any]], object], ...] = (
        lambda d: d["routes"][0].update(lunch=5),
        lambda d: d["routes"][0].update(distance_m="far"),
        lambda d: d["solve"]["phases"].append({"seconds": 1}),
    )
    for mutate in mutations:
        doc = json.loads(path.read_text(encoding="utf-8"))
        mutate(doc)
        bad = tmp_path / "bad.json"
        bad.write_text(json.dumps(doc), encoding="utf-8")
        with pytest.raises(InputError, match=r"bad\.json"):
            read_plan_json(bad)


def test_not_json_is_an_input_error(tmp_path: Path) -> None:
    """A file that is not JSON gives an InputError naming the file."""
    path = tmp_path / "plan.json"
    path.write_text("{oops", encoding="utf-8")
    with pytest.raises(InputError, match=r"plan\.json"):
        read_plan_json(path)


def test_every_wait_with_its_cause(problem: Problem, plan: Plan) -> None:
    """Stops list their waits by cause, routes the waits between stops (schema 1.1)."""
    doc = plan_to_dict(problem, plan, generated_at=STAMP)
    assert doc["schema_version"] == PLAN_SCHEMA_VERSION
    k1 = doc["routes"][0]
    assert k1["stops"][2]["waits"] == [
        {"start": "2026-11-23T12:50:00+07:00", "end": "2026-11-23T13:00:00+07:00",
         "cause": "office_closed", "tracking_code": "D1"},
        {"start": "2026-11-23T13:00:00+07:00", "end": "2026-11-23T13:15:00+07:00",
         "cause": "not_released", "tracking_code": "R1"},
    ]
    assert [w["cause"] for w in k1["waits_between_stops"]] == ["lunch_not_open", "other", "other"]

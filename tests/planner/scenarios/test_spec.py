"""Scenario files: each scenario is the base plus what it names; bad files say file, key, why."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from planner.exceptions import InputError
from planner.scenarios import read_scenarios

EXAMPLES = Path(__file__).resolve().parents[3] / "scenarios"

GOOD = """
start = 2026-11-24
[base]
demand.orders = 80
solver = { solution_limit = 10, roads = false }

[[scenario]]
name = "today"

[[scenario]]
name = "one more courier, cut-off 16:00"
fleet.couriers_per_district_office = 3
policy.cutoff = "16:00"
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sweep.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_each_scenario_is_the_base_plus_its_changes(tmp_path: Path) -> None:
    """The base applies to every scenario; a scenario's own keys win; the rest are defaults."""
    spec = read_scenarios(_write(tmp_path, GOOD))
    assert spec.start == dt.date(2026, 11, 24)
    today, more = spec.scenarios
    assert (today.name, today.demand.orders, more.demand.orders) == ("today", 80, 80)
    assert today.fleet.couriers_per_district_office == 2
    assert more.fleet.couriers_per_district_office == 3
    assert (today.policy.cutoff_s, more.policy.cutoff_s) == (15 * 3600, 16 * 3600)
    assert more.solver.solution_limit == 10
    assert not more.solver.roads


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.toml")), ids=lambda p: p.name)
def test_the_example_files_read(path: Path) -> None:
    """Every example in scenarios/ is a valid scenario file."""
    assert read_scenarios(path).scenarios


@pytest.mark.parametrize(("text", "row", "field", "reason"), [
    ('[[scenario]]\nname = "a"\nfleet.vans = -1', "a", "fleet.vans", "must not be negative"),
    ('[[scenario]]\nname = "a"\nfleet.van = 1', "a", "fleet.van", "unknown key"),
    ('[[scenario]]\nname = "a"\nfleet.vans = "two"', "a", "fleet.vans", "a whole number"),
    ('[[scenario]]\nname = "a"\npolicy.cutoff = "25:00"', "a", "policy.cutoff", "HH:MM"),
    ('[[scenario]]\nname = "a"\ndemand.dossier_share = 1.5', "a", "demand.dossier_share",
     "between 0 and 1"),
    ('[[scenario]]\nname = "a"\ndemand.delivery_failure_rate = -0.1', "a",
     "demand.delivery_failure_rate", "between 0 and 1"),
    ('[[scenario]]\nname = "a"\nshifts.end = "06:00"', "a", "shifts.end", "end after"),
    ('[[scenario]]\nname = "a"\nshifts.start = "14:00"', "a", "shifts.lunch_from",
     "cannot start within its window"),
    ('[[scenario]]\nname = "a"\nsolver.engine = "magic"', "a", "solver.engine",
     "unknown engine"),
    ('[[scenario]]\nname = "a"\ncolour = "red"', "a", "colour", "unknown key"),
    ('[[scenario]]\ndemand.orders = 5', "1", "name", "needs a name"),
    ('[[scenario]]\nname = "a"\n[[scenario]]\nname = "a"', "a", "name", "more than once"),
    ('start = "monday"\n[[scenario]]\nname = "a"', None, "start", "a date"),
    ('start = 2026-11-23', None, "scenario", "no [[scenario]]"),
])
def test_a_bad_file_names_file_scenario_and_key(tmp_path: Path, text: str, row: str | None,
                                                field: str, reason: str) -> None:
    """The error names the file, the scenario (as the row), the key and the reason."""
    with pytest.raises(InputError) as err:
        read_scenarios(_write(tmp_path, text))
    assert (err.value.source, err.value.row, err.value.field) == ("sweep.toml", row, field)
    assert reason in err.value.message


def test_a_file_that_is_not_toml_gives_line_and_column(tmp_path: Path) -> None:
    """A syntax error is an InputError quoting the TOML parser."""
    with pytest.raises(InputError, match=r"not a TOML file.*line 1"):
        read_scenarios(_write(tmp_path, "[[scenario]\n"))


def test_a_missing_file_is_an_input_error(tmp_path: Path) -> None:
    """No file: an InputError naming it."""
    with pytest.raises(InputError, match="file not found"):
        read_scenarios(tmp_path / "nope.toml")

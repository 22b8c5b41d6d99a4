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


NETWORK = """
start = 2026-11-23
[base]
solver = { solution_limit = 3, roads = false }

[[scenario]]
name = "two depots, mid-day trunk"
network.depots = ["BC-LANGSON", "BC-CAOLOC"]
network.midday_trunk = true
network.trunk_arrives = "12:30"
demand.online_only_procedures = ["Cấp phiếu lý lịch tư pháp"]
demand.online_only_share = 0.2
calendar.file = "cal.toml"
calendar.days_off = [2026-11-27]
"""


def test_network_online_only_and_calendar_keys(tmp_path: Path) -> None:
    """Depots, the trunk, online-only procedures, and a calendar file merged with own days."""
    from planner.scenarios.spec import sample_post_offices

    offices = sorted(sample_post_offices())
    text = NETWORK.replace('"BC-LANGSON", "BC-CAOLOC"', f'"{offices[0]}", "{offices[1]}"')
    (tmp_path / "cal.toml").write_text(
        'saturday_open = true\n[[day]]\ndate = 2026-11-28\nkind = "day_off"\n'
        '[[day]]\ndate = 2026-11-29\nkind = "working"\n', encoding="utf-8")
    s = read_scenarios(_write(tmp_path, text)).scenarios[0]
    assert s.network.depots == (offices[0], offices[1])
    assert s.network.midday_trunk
    assert s.network.trunk_arrives_s == 12 * 3600 + 1800
    assert s.demand.online_only_procedures == ("Cấp phiếu lý lịch tư pháp",)
    cal = s.working_calendar()
    assert not cal.is_working_day(dt.date(2026, 11, 27)), "the scenario's own day off"
    assert not cal.is_working_day(dt.date(2026, 11, 28)), "the file's day off"
    assert cal.is_working_day(dt.date(2026, 11, 29)), "the file's make-up Sunday"
    assert cal.saturday_open, "the file's Saturday rule"


@pytest.mark.parametrize(("change", "key", "words"), [
    ('network.depots = ["NOWHERE"]', "network.depots", "not a post office"),
    ('network.trunk_arrives = "10:00"', "network.trunk_arrives", "after it departs"),
    ("network.trunk_cost_vnd = -1", "network.trunk_cost_vnd", "negative"),
    ("network.depots = 3", "network.depots", "a list"),
    ("demand.online_only_share = 1.5", "demand.online_only_share", "between 0 and 1"),
    ('calendar.days_off = ["27/11"]', "calendar.days_off", "date"),
    ("calendar.days_off = [2026-11-28]\ncalendar.working_days = [2026-11-28]",
     "calendar.working_days", "both"),
    ('calendar.saturday_sites = []', "calendar.saturday_sites", "unknown key"),
])
def test_bad_network_and_calendar_values_are_refused(tmp_path: Path, change: str, key: str,
                                                     words: str) -> None:
    """Each bad value names the scenario and the key."""
    text = f'[[scenario]]\nname = "x"\n{change}\n'
    with pytest.raises(InputError) as err:
        read_scenarios(_write(tmp_path, text))
    assert err.value.field == key
    assert words in err.value.message


def test_a_missing_calendar_file_names_that_file(tmp_path: Path) -> None:
    """The calendar file is read with the scenario file; its errors name it."""
    with pytest.raises(InputError) as err:
        read_scenarios(_write(tmp_path, '[[scenario]]\nname = "x"\ncalendar.file = "no.toml"\n'))
    assert "no.toml" in str(err.value)



def test_a_scenario_may_name_its_province(tmp_path: Path) -> None:
    """``province`` picks a 2025 province (default the sample's); its offices are its own."""
    spec = read_scenarios(_write(tmp_path, GOOD + '\n[[scenario]]\nname = "Huế"\nprovince = "46"\n'
                                 'network.depots = ["BD-TINH"]\n'))
    assert [s.province for s in spec.scenarios] == ["20", "20", "46"]
    with pytest.raises(InputError, match=r"entry Huế, field 'province'.*'47' is not a 2025"):
        read_scenarios(_write(tmp_path, GOOD + '\n[[scenario]]\nname = "Huế"\nprovince = "47"\n'))
    with pytest.raises(InputError, match=r"'BC-06040' is not a post office of province 46"):
        read_scenarios(_write(tmp_path, GOOD + '\n[[scenario]]\nname = "Huế"\nprovince = "46"\n'
                                     'network.depots = ["BC-06040"]\n'))

"""The rules file's table of classes that may not share a vehicle (issue 13)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from planner.class_rules import DEFAULT_INCOMPATIBLE, incompatible_to_table
from planner.exceptions import InputError
from planner.pipeline import DEFAULT_RULES, rules_with
from planner.service_times import read_rules


def _rules_file(tmp_path: Path, doc: object) -> Path:
    f = tmp_path / "rules.json"
    f.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return f


def test_the_default_keeps_kt1_apart_from_ordinary_loads() -> None:
    """Without a table KT1 and ordinary items never share a vehicle (TT 16 art. 9(4))."""
    assert DEFAULT_RULES.incompatible("KT1", "")
    assert incompatible_to_table(DEFAULT_INCOMPATIBLE) == [["KT1", "ordinary"]]
    assert rules_with(None) == DEFAULT_RULES


def test_a_rules_file_sets_the_table(tmp_path: Path) -> None:
    """The table is read with the service times; class names as the orders file writes them."""
    f = _rules_file(tmp_path, {"citizen_pickup_s": 600,
                               "incompatible_classes": [["kt 1", "thường"]]})
    rules = read_rules(f)
    assert rules.service_times.citizen_pickup_s == 600
    assert rules.incompatible_classes == DEFAULT_INCOMPATIBLE


def test_an_empty_table_lets_every_class_ride_together(tmp_path: Path) -> None:
    """A dispatcher whose KT1 vehicle has an escort (TT 16 art. 9(6)) lifts the separation."""
    rules = read_rules(_rules_file(tmp_path, {"incompatible_classes": []}))
    assert not rules_with(rules.incompatible_classes).incompatible("KT1", "")


def test_a_file_without_the_table_keeps_the_default(tmp_path: Path) -> None:
    """Service times alone leave the default table."""
    rules = read_rules(_rules_file(tmp_path, {"citizen_pickup_s": 600}))
    assert rules.incompatible_classes is None


@pytest.mark.parametrize(
    ("table", "field", "message"),
    [("KT1,ordinary", "incompatible_classes", "list of pairs"),
     ([["KT1"]], r"incompatible_classes\[0\]", "pair of classes"),
     ([["KT1", "ordinary"], ["KT1", "mật"]], r"incompatible_classes\[1\]", "'mật' is not a known"),
     ([["KT1", "kt-1"]], r"incompatible_classes\[0\]", "with itself")],
)
def test_a_bad_table_names_the_file_and_the_row(tmp_path: Path, table: object, field: str,
                                                message: str) -> None:
    """A table that is not a list of pairs of two known classes names the file and the row."""
    f = _rules_file(tmp_path, {"incompatible_classes": table})
    with pytest.raises(InputError, match=f"rules.json, field '{field}'.*{message}"):
        read_rules(f)

"""Stored scenario comparisons: import a ``planner scenarios run`` output folder, read it back.

The planner writes ``run.json``, ``comparison.csv`` and ``days.csv`` into its
``--out`` folder (docs/scenarios.md); :func:`import_run` stores the three in
one row of ``scenario_runs`` for a province, and the service shows them to
managers read-only (``GET /api/v1/scenarios``), the CSVs' rows under their
column keys whatever language headed them. The planner never imports the
service: the folder is the interface.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from api.db.models import Province, ScenarioRun
from planner.commands._args import province_code
from planner.exceptions import InputError
from planner.scenarios.report import header_keys

#: The ``run.json`` layouts this service reads (``planner.scenarios.report.RUN_SCHEMA_VERSION``).
RUN_SCHEMAS = frozenset({1})
FILES = ("run.json", "comparison.csv", "days.csv")


class ScenarioImportError(ValueError):
    """A folder that is not a scenario run's output, or a province that does not exist."""


def _rows(path: Path) -> list[dict[str, str]]:
    """A CSV's rows keyed by column key, whether ``--lang vi`` or ``en`` headed it.

    The planner heads ``comparison.csv`` and ``days.csv`` in Vietnamese by default;
    the rows are stored (and served) under the English keys (``cost_vnd_mean``,
    docs/scenarios.md) either way.
    """
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        if reader.fieldnames is not None:
            reader.fieldnames = header_keys(reader.fieldnames)
        return list(reader)


def read_run(folder: Path) -> tuple[dict[str, Any], list[dict[str, str]], list[dict[str, str]]]:
    """``run.json``, the comparison rows and the day rows of a run's output ``folder``.

    Raises
    ------
    ScenarioImportError
        A file is missing, ``run.json`` is not JSON of a known schema or lacks a
        field, or the comparison has no row.
    """
    for name in FILES:
        if not (folder / name).is_file():
            raise ScenarioImportError(f"{folder / name}: missing (not a 'planner scenarios run' "
                                      "output folder)")
    try:
        run = json.loads((folder / "run.json").read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise ScenarioImportError(f"{folder / 'run.json'}: not JSON ({err})") from None
    if not isinstance(run, dict) or run.get("schema") not in RUN_SCHEMAS:
        raise ScenarioImportError(f"{folder / 'run.json'}: unknown schema "
                                  f"{run.get('schema') if isinstance(run, dict) else run!r}")
    for key in ("source", "start", "days", "seeds", "scenarios"):
        if key not in run:
            raise ScenarioImportError(f"{folder / 'run.json'}: field '{key}' is missing")
    comparison = _rows(folder / "comparison.csv")
    if not comparison:
        raise ScenarioImportError(f"{folder / 'comparison.csv'}: no scenario")
    return run, comparison, _rows(folder / "days.csv")


def import_run(session: Session, folder: Path, province: str, *, by: str = "") -> ScenarioRun:
    """Store the scenario run in ``folder`` for ``province``; the new row (committed).

    ``province`` is one of the 34 of 2025 (``--province``'s rule, NQ 202/2025/QH15,
    DOMAIN.md §6: ``4`` is ``04``), stored in the database.

    Raises
    ------
    ScenarioImportError
        As :func:`read_run`, a province code not of 2025, or the province does not exist.
    """
    try:
        province = province_code(province)
    except InputError as err:
        raise ScenarioImportError(str(err)) from err
    if session.get(Province, province) is None:
        raise ScenarioImportError(f"no province '{province}'")
    run, comparison, days = read_run(Path(folder))
    try:
        start = dt.date.fromisoformat(str(run["start"]))
        n_days, seeds = int(run["days"]), int(run["seeds"])
    except ValueError as err:
        raise ScenarioImportError(f"{Path(folder) / 'run.json'}: {err}") from None
    row = ScenarioRun(province_code=province, source=str(run["source"])[:200], start=start,
                      days=n_days, seeds=seeds, scenarios=len(comparison),
                      failed=int(run.get("failed", 0)), imported_by=by[:100],
                      run_json=json.dumps(run, ensure_ascii=False),
                      comparison_json=json.dumps(comparison, ensure_ascii=False),
                      days_json=json.dumps(days, ensure_ascii=False))
    session.add(row)
    session.commit()
    return row

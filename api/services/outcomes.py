"""Earlier days' outcomes in: an outcomes file checked against the backlog of its day, then stored.

An upload is read by ``planner.formats.outcomes`` exactly as ``planner plan
--outcomes`` reads it, then every day it names is checked the way the
planning job will apply it (:func:`planner.outcomes.apply_outcomes`, TT 17
art. 5(2)(h)): the day's published backlog must exist and know each tracking
code, and a failure must be of a leg done that day. Every problem of the file
is reported at once (file, row, field) and nothing is stored when any is bad.
The planning job then passes the outcomes of its backlog's day to
``plan_day(..., outcomes=...)`` (:func:`day_outcomes`).
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.convert import outcome_columns, outcome_of
from api.db.models import BacklogRow, OutcomeRow
from api.services.inputs import check_storable, province_sites, read_file, safe_name
from planner.backlog import backlog_from_dict
from planner.calendar import WorkingCalendar
from planner.domain.outcomes import Outcome
from planner.exceptions import InputError, InputErrors
from planner.formats.outcomes import read_outcomes
from planner.outcomes import apply_outcomes


def day_outcomes(session: Session, province: str, day: dt.date) -> tuple[Outcome, ...]:
    """The province's stored outcomes of ``day`` (by tracking code)."""
    rows = session.scalars(select(OutcomeRow).where(OutcomeRow.province_code == province,
                                                    OutcomeRow.date == day)
                           .order_by(OutcomeRow.tracking_code))
    return tuple(outcome_of(r) for r in rows)


def check_outcomes(session: Session, province: str, outcomes: Sequence[Outcome], *,
                   source: str) -> None:
    """Check ``outcomes`` as the planning job will apply them, with those stored for their days.

    Each day's outcomes (the stored ones, replaced by the new ones of the same
    tracking code) are applied to the backlog published for that day.

    Raises
    ------
    InputErrors
        Every outcome of a day without a published backlog, and every problem
        :func:`planner.outcomes.apply_outcomes` finds (row: tracking code).
    """
    by_day: dict[dt.date, list[Outcome]] = defaultdict(list)
    for o in outcomes:
        by_day[o.date].append(o)
    errors: list[InputError] = []
    sites = province_sites(session, province).values()
    calendar = WorkingCalendar()
    for day, new in sorted(by_day.items()):
        row = session.scalar(select(BacklogRow).where(BacklogRow.province_code == province,
                                                      BacklogRow.as_of == day))
        if row is None or not row.document:
            errors.extend(InputError(
                f"no published plan for {day.isoformat()}: outcomes are of a published "
                "day's legs (publish that day's plan first)", source=source,
                row=o.tracking_code, field="date") for o in new)
            continue
        backlog = backlog_from_dict(json.loads(row.document), source=f"backlog of {day}")
        merged = {o.tracking_code: o for o in day_outcomes(session, province, day)}
        merged.update((o.tracking_code, o) for o in new)
        try:
            apply_outcomes(backlog, merged.values(), calendar=calendar, sites=sites,
                           source=source)
        except InputErrors as err:
            errors.extend(err.errors)
    if errors:
        raise InputErrors(errors)


def store_outcomes(session: Session, province: str, outcomes: Sequence[Outcome], *,
                   source: str, by: str) -> tuple[int, int]:
    """Add or replace ``outcomes`` (by tracking code and day); (created, updated). Not committed."""
    records = [outcome_columns(o) for o in outcomes]
    check_storable(OutcomeRow, records, "tracking_code", source)
    existing = {(r.tracking_code, r.date): r for r in session.scalars(
        select(OutcomeRow).where(OutcomeRow.province_code == province,
                                 OutcomeRow.tracking_code.in_({o.tracking_code
                                                               for o in outcomes})))}
    for values in records:
        row = existing.get((values["tracking_code"], values["date"]))
        if row is None:
            session.add(OutcomeRow(province_code=province, recorded_by=by, **values))
        else:
            for name, value in values.items():
                setattr(row, name, value)
            row.recorded_by = by
    updated = sum((o.tracking_code, o.date) in existing for o in outcomes)
    return len(outcomes) - updated, updated


def upload_outcomes(session: Session, province: str, data: bytes, filename: str, *,
                    by: str) -> tuple[tuple[Outcome, ...], int, int]:
    """Read an outcomes file, check it against its days' backlogs and store it (all or nothing).

    Returns
    -------
    (outcomes, created, updated)

    Raises
    ------
    InputError, InputErrors
        As :func:`planner.formats.outcomes.read_outcomes` and :func:`check_outcomes`.
    """
    source = safe_name(filename)
    outcomes = read_file(data, filename, read_outcomes)
    check_outcomes(session, province, outcomes, source=source)
    created, updated = store_outcomes(session, province, outcomes, source=source, by=by)
    return outcomes, created, updated

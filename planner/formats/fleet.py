"""The fleet file: today's couriers, their vehicles, shifts, depots, breaks, limits and skills.

Columns (Vietnamese or English names, docs/inputs.md): id, name, vehicle,
capacity (items), shift, start and end site, lunch window and minutes, maximum
hours and km, costs, skills, cash limit, phone.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from planner.domain.fleet import Courier, LunchBreak, VehicleType
from planner.domain.hours import TimeWindow
from planner.domain.sites import Site, SiteKind
from planner.formats.tabular import (
    LOG,
    Cell,
    Problems,
    Progress,
    amount,
    blank,
    choice,
    find_columns,
    first_seen,
    names,
    number,
    phone,
    read_table,
    report_progress,
    text,
    whole,
    window,
)

ALIASES: dict[str, tuple[str, ...]] = {
    "id": ("mã", "mã bưu tá", "courier_id"),
    "name": ("họ tên", "tên", "bưu tá"),
    "vehicle": ("phương tiện", "loại xe", "vehicle_type"),
    "capacity": ("sức chứa", "tải trọng", "capacity_items"),
    "shift": ("ca", "ca làm việc", "giờ làm"),
    "start_site": ("nơi xuất phát", "điểm xuất phát", "depot", "start"),
    "end_site": ("nơi kết thúc", "điểm kết thúc", "end"),
    "lunch_window": ("giờ nghỉ trưa", "nghỉ trưa"),
    "lunch_min": ("phút nghỉ trưa", "lunch_minutes"),
    "max_hours": ("giờ tối đa",),
    "max_km": ("km tối đa",),
    "fixed_cost": ("chi phí cố định",),
    "cost_per_km": ("chi phí mỗi km",),
    "cost_per_hour": ("chi phí mỗi giờ",),
    "skills": ("kỹ năng",),
    "cash_limit_vnd": ("hạn mức tiền", "hạn mức thu hộ", "cash_limit"),
    "phone": ("điện thoại", "số điện thoại"),
}
REQUIRED = ("id", "name", "vehicle", "capacity", "shift", "start_site")

VEHICLES: dict[str, VehicleType] = {
    **{v.value: v for v in VehicleType},
    "xe máy": VehicleType.MOTORBIKE,
    "xe mô tô": VehicleType.MOTORBIKE,
    "ô tô": VehicleType.CAR,
    "xe con": VehicleType.CAR,
    "xe tải": VehicleType.VAN,
    "xe van": VehicleType.VAN,
    "xe tải nhỏ": VehicleType.VAN,
}
_vehicle = choice(VEHICLES)


def read_fleet(path: Path, *, sites: Mapping[str, Site] | None = None,
               progress: Progress | None = None) -> tuple[Courier, ...]:
    """Read and check every courier of ``path`` (.csv, .xlsx, .json).

    ``sites``: when given, start and end sites must name one of them.

    ``progress``: called as ``progress(rows_done, rows)`` while the rows are checked.

    Raises
    ------
    InputErrors
        Every problem of the file (row and column of each); nothing is returned.
    """
    table = read_table(Path(path), "fleet")
    problems = Problems(table.source)
    cols = find_columns(table, ALIASES, REQUIRED, problems)
    problems.raise_if_any()
    couriers: list[Courier] = []
    first_row: dict[str, int] = {}
    for i, (row_no, row) in enumerate(table.rows):
        report_progress(progress, i, len(table.rows))
        if not first_seen(problems, first_row, row_no, cols.header["id"], row, what="id"):
            continue
        courier = _courier(problems, cols.header, row_no, row, sites)
        if courier is not None:
            couriers.append(courier)
    problems.raise_if_any()
    return tuple(couriers)


def _courier(problems: Problems, header: Mapping[str, str], row_no: int,
             row: Mapping[str, Any], sites: Mapping[str, Site] | None) -> Courier | None:
    def cell(name: str) -> Cell:
        col = header.get(name, name)
        return Cell(problems, row_no, col, row.get(col) if name in header else None)

    def opt(name: str, fn: Any, what: str, default: Any) -> Any:
        c = cell(name)
        return default if blank(c.value) else c.parse(fn, what)

    before = len(problems.errors)
    for name in REQUIRED:
        if blank(cell(name).value):
            cell(name).bad("empty")
    vehicle = opt("vehicle", _vehicle, "a vehicle (xe máy, ô tô, xe tải)", None)
    capacity = opt("capacity", whole, "a whole number of items >= 0", None)
    shift = opt("shift", window, "a shift HH:MM-HH:MM", None)
    depots = {}
    for name in ("start_site", "end_site"):
        sid = text(cell(name).value)
        if sid and sites is not None and sid not in sites:
            cell(name).bad(f"unknown site '{sid}'")
        elif sid and sites is not None and sites[sid].kind is SiteKind.CITIZEN:
            cell(name).bad(f"'{sid}' is a citizen's address: a courier starts and ends at a "
                           "post office")
        depots[name] = sid
    lunch_given = opt("lunch_window", window, "a window HH:MM-HH:MM", None)
    lunch_min = opt("lunch_min", whole, "a whole number of minutes", 60 if lunch_given else 0)
    lunch_window = _lunch_in_shift(cell("lunch_window"), lunch_given, shift,
                                   60 * (lunch_min or 0), problems.source)
    max_hours = opt("max_hours", number, "a number of hours", None)
    max_km = opt("max_km", number, "a number of km", None)
    costs = {k: opt(k, amount, "an amount in VND >= 0", 0)
             for k in ("fixed_cost", "cost_per_km", "cost_per_hour")}
    cash = opt("cash_limit_vnd", amount, "an amount in VND >= 0", None)
    for name, value in (("max_hours", max_hours), ("max_km", max_km)):
        if value is not None and value <= 0:
            cell(name).bad("must be positive")
    if len(problems.errors) > before:
        return None
    return Courier(
        id=text(cell("id").value), name=text(cell("name").value), vehicle=vehicle,
        capacity=(capacity,), shift=shift, start_site=depots["start_site"],
        end_site=depots["end_site"] or depots["start_site"],
        lunch=LunchBreak(lunch_window, 60 * lunch_min) if lunch_window else None,
        max_duration_s=None if max_hours is None else round(max_hours * 3600),
        max_distance_m=None if max_km is None else round(max_km * 1000),
        fixed_cost=costs["fixed_cost"], cost_per_km=costs["cost_per_km"],
        cost_per_hour=costs["cost_per_hour"], skills=names(cell("skills").value),
        cash_limit_vnd=cash, phone=phone(cell("phone"), problems.source),
    )


def _lunch_in_shift(cell: Cell, lunch: TimeWindow | None, shift: TimeWindow | None,
                    duration_s: int, source: str) -> TimeWindow | None:
    """The window in which the lunch break may start so that it fits in the shift.

    The break starts inside ``lunch`` and lasts ``duration_s``; so it starts no
    earlier than the shift and no later than the shift's end minus the break.
    A window that reaches beyond that is clipped, with a warning naming the row;
    when nothing is left the courier takes no lunch break, with a warning (a
    shift that ends before the lunch window opens, or starts after it closes).
    """
    if lunch is None or shift is None:
        return lunch
    fitted = LunchBreak(lunch, duration_s).in_shift(shift)
    if fitted is None:
        LOG.warning("%s row %s: a %d-minute lunch starting within %s does not fit in the "
                    "shift %s: no lunch break", source, cell.row, duration_s // 60, lunch, shift)
        return None
    if fitted.window != lunch:
        LOG.warning("%s row %s: lunch window %s reaches beyond the shift %s: the %d-minute "
                    "break starts within %s", source, cell.row, lunch, shift,
                    duration_s // 60, fitted.window)
    return fitted.window

"""A hand-made day with hand-timed routes, for testing everything that shows a plan.

Monday 2026-11-23 in Lạng Sơn. Sites: post office PO1, post point PP1, commune
one-stop shop OS1 and provincial service centre SC (both with the 15:00
cut-off), citizens C1 and C2. Couriers K1 and K2 work; K3 stays home.

Route K1 (10:00–14:10, 27.0 km, lunch 11:30–12:30):
  C1 pick up D1 (fee 50 000 and postage 22 000 at pickup) → PP1 pick up D2 → OS1
  (waits 10 min for 13:00) hand over D1 with its fee, D2, pick up R1 (released at
  13:15) → C2 hand over R1 (fee 30 000 and postage 30 000); 82 000 to remit.
Route K2 (13:30–16:25, 69.0 km): C2 pick up D3 → SC hand over D3 at 15:10,
  10 min past the cut-off.
Unassigned: R2 (fleet_full), X1 (no_skilled_courier).
Deadlines: D1, R1, R2 today; D3 yesterday (overdue); D2 tomorrow; X1 none.
"""

from __future__ import annotations

import datetime as dt

import pytest

from planner.domain import (
    OFFICE_HOURS,
    SAME_DAY_CUTOFF_S,
    Courier,
    FeeMoment,
    Item,
    ItemKind,
    LunchBreak,
    Site,
    SiteKind,
    TimeWindow,
    VehicleType,
    hhmm_to_s,
)
from planner.plan import (
    Action,
    Event,
    Plan,
    Route,
    SolveStats,
    Stop,
    Unassigned,
    UnassignedReason,
)
from planner.problem import Problem, ProblemBuilder, haversine_travel

DAY = dt.date(2026, 11, 23)
H = hhmm_to_s


def make_problem() -> Problem:
    """Six sites, three couriers, six items (see the module docstring)."""
    b = ProblemBuilder(DAY)
    sites = [
            Site("PO1", "Bưu điện huyện Cao Lộc", SiteKind.DISTRICT_POST_OFFICE, 106.7700, 21.8700,
                 address="Số 1 đường Hùng Vương, thị trấn Đồng Đăng"),
            Site("PP1", "Điểm Bưu điện – Văn hóa xã Hòa Cư", SiteKind.POST_POINT, 106.7900, 21.8900,
                 address="Thôn Nà Ngườm, xã Hòa Cư"),
            Site("OS1", "Bộ phận một cửa xã Hợp Thành", SiteKind.COMMUNE_ONE_STOP, 106.7500,
                 21.9000, opening=OFFICE_HOURS, cutoff_s=SAME_DAY_CUTOFF_S,
                 address="UBND xã Hợp Thành"),
            Site("SC", "Trung tâm Phục vụ hành chính công tỉnh Lạng Sơn", SiteKind.SERVICE_CENTER,
                 106.7610, 21.8530, opening=OFFICE_HOURS, cutoff_s=SAME_DAY_CUTOFF_S,
                 address="Số 2 đường Hoàng Văn Thụ, phường Chi Lăng"),
            Site("C1", "Nhà ông Nguyễn Văn Đức", SiteKind.CITIZEN, 106.7800, 21.8800,
                 address="Số 12 ngõ 5, thôn Khòn Phổ, xã Hồng Phong"),
            Site("C2", "Nhà bà Trần Thị Hằng", SiteKind.CITIZEN, 106.7400, 21.8800,
                 address="Thôn Đồng Ý, xã Hợp Thành"),
    ]
    b.add_sites(sites)
    lunch = LunchBreak(TimeWindow(H("11:00"), H("13:00")), 3600)
    shift = TimeWindow(H("07:30"), H("17:00"))
    b.add_couriers(
        Courier(cid, name, VehicleType.MOTORBIKE, (20,), shift, "PO1", "PO1", lunch=lunch,
                phone="0912 345 678")
        for cid, name in (("K1", "Hoàng Văn Thụ"), ("K2", "Lý Thị Ngọc"), ("K3", "Đặng Quốc Việt"))
    )
    yesterday, tomorrow = DAY - dt.timedelta(days=1), DAY + dt.timedelta(days=1)
    b.add_items(
        [
            Item("D1", ItemKind.DOSSIER, "C1", "OS1", deadline=DAY, fee_vnd=50_000,
                 fee_at=FeeMoment.PICKUP, postage_vnd=22_000, fee_to_agency=True,
                 citizen_name="Nguyễn Văn Đức",
                 citizen_phone="0987 654 321", procedure="Đăng ký khai sinh"),
            Item("D2", ItemKind.DOSSIER, "PP1", "OS1", deadline=tomorrow),
            Item("R1", ItemKind.RESULT, "OS1", "C2", deadline=DAY, fee_vnd=30_000,
                 fee_at=FeeMoment.DELIVERY, postage_vnd=30_000, citizen_name="Trần Thị Hằng",
                 citizen_phone="0977 111 222",
                 pickup_windows=(TimeWindow(H("13:15"), H("17:00")),)),
            Item("R2", ItemKind.RESULT, "SC", "C1", deadline=DAY, citizen_name="Nguyễn Văn Đức"),
            Item("D3", ItemKind.DOSSIER, "C2", "SC", deadline=yesterday,
                 citizen_name="Trần Thị Hằng", citizen_phone="0977 111 222"),
            Item("X1", ItemKind.DOSSIER, "PP1", "SC", required_skills=frozenset({"KT1"})),
        ]
    )
    b.set_travel(VehicleType.MOTORBIKE, haversine_travel(sites, 30.0))
    return b.build()


def _stop(site: str, times: tuple[str, str, str], events: list[tuple[str, Action]], *,
          load: int, cash: int, travel: int, dist: int) -> Stop:
    arr, start, dep = times
    return Stop(site, H(arr), H(start), H(dep), tuple(Event(c, a) for c, a in events), (load,),
                cash, travel, dist)


def make_plan() -> Plan:
    """Two hand-timed routes and two unassigned items (see the module docstring)."""
    pick, drop = Action.PICKUP, Action.DELIVERY
    k1 = Route(
        "K1", H("10:00"), H("14:10"),
        (
            _stop("C1", ("10:15", "10:15", "10:25"), [("D1", pick)],
                  load=1, cash=72_000, travel=900, dist=6000),
            _stop("PP1", ("10:40", "10:40", "10:45"), [("D2", pick)],
                  load=2, cash=72_000, travel=900, dist=5000),
            _stop("OS1", ("12:50", "13:00", "13:20"), [("D1", drop), ("D2", drop), ("R1", pick)],
                  load=1, cash=22_000, travel=1200, dist=7000),
            _stop("C2", ("13:40", "13:40", "13:50"), [("R1", drop)],
                  load=0, cash=82_000, travel=1200, dist=4000),
        ),
        distance_m=27_000, lunch_start_s=H("11:30"), lunch_end_s=H("12:30"),
    )
    k2 = Route(
        "K2", H("13:30"), H("16:25"),
        (
            _stop("C2", ("14:00", "14:00", "14:10"), [("D3", pick)],
                  load=1, cash=0, travel=1800, dist=9000),
            _stop("SC", ("15:10", "15:10", "15:25"), [("D3", drop)],
                  load=0, cash=0, travel=3600, dist=30000),
        ),
        distance_m=69_000,
    )
    return Plan(
        routes=(k1, k2),
        unassigned=(
            Unassigned("R2", UnassignedReason.FLEET_FULL,
                       "Every courier's shift is full before the service centre closes."),
            Unassigned("X1", UnassignedReason.NO_SKILLED_COURIER,
                       "no courier has the skill(s) KT1", "no_skill", (("skills", "KT1"),)),
        ),
        stats=SolveStats("hand", seed=7, solve_s=0.25, objective=123_456, solution_limit=100,
                         phases=(("matrix", 0.1), ("solve", 0.15))),
    )


@pytest.fixture(scope="session")
def problem() -> Problem:
    """The hand-made day's problem (see the module docstring)."""
    return make_problem()


@pytest.fixture(scope="session")
def plan() -> Plan:
    """The hand-made day's plan: two hand-timed routes, two unassigned items."""
    return make_plan()

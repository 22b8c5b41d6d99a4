"""A generated working day on the sample province: sites, couriers and orders for ``planner demo``.

The geography is real (Lạng Sơn's 2025 communes, from ``geodata``); the day is
GENERATED with a seed: citizens' homes near the roads of their commune,
dossiers collected at homes and commune post points and carried to one-stop
shops or the provincial Public Administration Service Center, results
collected there and carried back, appointment slips, fees, items that need a
courier with clearance for sealed originals, same-day procedures. The fleet
is motorbike couriers per post office and vans for the trunk run between post
offices and the provincial centre.

Volumes (:class:`SampleVolumes`) follow DOMAIN.md section 5: about 3,250
items per province per working day on average and about 33 per courier, with
mountain provinces far below; Lạng Sơn is mountainous and sparse (65 communes
over about 8,300 km²), so the default day has 300 orders for 26 motorbike
couriers and 2 vans, plus three KT1 letters for the provincial office's KT1
courier. Results outnumber dossiers (Bình Dương 2019: 70,000
dossiers, 350,000 results).

Any other 2025 province (``province=CODE``, geography from ``geodata``) gets a
day scaled from the sample's by :func:`province_volumes`: orders in proportion
to the province's demand weight (communes, an urban ward counting as
``ward_weight`` rural communes), vans in proportion to its post offices; the
local couriers already follow the post offices (per office).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import shapely

from geodata import SampleProvince, sample_province
from geodata.sample import SAMPLE_CODE
from planner.backlog import Backlog, InFlight
from planner.calendar import WorkingCalendar
from planner.domain.fleet import Courier, LunchBreak, VehicleType
from planner.domain.hours import OFFICE_HOURS, TimeWindow, hhmm_to_s
from planner.domain.items import FeeMoment, ItemKind
from planner.domain.orders import Order
from planner.domain.sites import Site, SiteKind
from planner.exceptions import InputError
from planner.journeys import TRUNK_SKILL, legs_of, order_deadline, sites_named
from planner.service_times import ServiceTimes

#: Skill of couriers cleared to carry sealed originals (land certificates, passports).
CLEARANCE_SKILL = "clearance"
#: Postage (cước) the citizen pays at their door, VND, by (same post-office territory, with a
#: government fee to collect): the Bình Định 2016 result-delivery tariff, 22,000 within a
#: district and 33,000 within the province, 30,000 and 40,000 with fee collection (DOMAIN.md
#: §3.5, a weak source [W]); applied to dossiers as well, which is an assumption.
POSTAGE_VND: dict[tuple[bool, bool], int] = {
    (True, False): 22_000, (False, False): 33_000, (True, True): 30_000, (False, True): 40_000}
#: Item class of KT1 official mail, which may not share a vehicle with ordinary loads.
KT1_CLASS = "KT1"
#: Skill of couriers vetted and committed to state secrets for KT1 mail (QĐ 55 art. 6(4)).
KT1_SKILL = "kt1"


@dataclass(frozen=True)
class SampleVolumes:
    """How much work the generated day holds, and its mix (shares are fractions).

    Defaults: 300 orders (≈ 10 per motorbike courier: long mountain runs),
    35 % dossiers, 55 % results, the rest appointment slips; 60 % of dossiers
    collected at home (the rest at commune post points), 80 % of results
    delivered at home; 30 % handled by the provincial service centre, the rest
    by commune one-stop shops; 10 % need clearance; half carry a fee; 3 % are
    same-day procedures; a quarter of citizens give a preferred window. Fees
    (phí, lệ phí) are 15,000–150,000 VND in steps of 5,000, an assumption of the
    order of the usual procedure fees; postage follows :data:`POSTAGE_VND`; both
    are paid at the citizen's door (dossiers at pickup, results at delivery). Three
    KT1 official letters (class ``KT1``, DOMAIN.md 7) from the provincial post
    office's KT1 desk to agencies of its territory, which only a KT1-cleared
    courier carries and never beside ordinary items (QĐ 55 art. 6(4); TT 16
    art. 9(4)): the provincial office has one such courier of its own (DOMAIN.md
    8.17: a separate fleet), so the letters do not take an ordinary courier's
    day. On top
    of today's orders, a quarter as many are still under way from the two
    previous working days (the morning's backlog: items waiting at post offices
    for the trunk run or the last leg, and a few left over yesterday).

    Liên thông and slips that follow their dossier (QĐ 45 art. 7(5), 16(2);
    TT 17 art. 5(1)(i)); both shares are ASSUMPTIONS, no source gives them:
    ``transfer_share`` of the day's orders are inter-agency (liên thông) dossiers
    between a commune one-stop shop and the provincial centre (either way, no
    cash: the MIC tariff is billed to the agency); for ``follow_slip_share`` of
    the day's dossiers to an agency the citizen asked the post to bring back
    the appointment slip, which waits for the dossier's hand-over (it moves on a
    later day), and as many slips of dossiers handed over the previous working
    day are in the morning's backlog (when the day has one), to be delivered
    today. They are drawn on their own random stream, after the rest of the day.
    """

    orders: int = 300
    carried_share: float = 0.25  # in flight from earlier days, as a share of today's orders
    dossier_share: float = 0.35
    result_share: float = 0.55
    home_pickup_share: float = 0.6
    home_delivery_share: float = 0.8
    service_center_share: float = 0.3
    clearance_share: float = 0.1
    fee_share: float = 0.5
    same_day_share: float = 0.03
    preferred_window_share: float = 0.25
    ward_weight: float = 4.0  # urban wards (phường) send more orders than rural communes
    couriers_per_district_office: int = 2
    couriers_at_provincial_office: int = 4
    vans: int = 2
    motorbike_capacity: int = 40
    van_capacity: int = 300
    cash_limit_vnd: int = 10_000_000
    kt1_orders: int = 3  # KT1 official mail (QĐ 55/2016): cleared couriers, own vehicle
    kt1_couriers: int = 1  # the provincial post office's KT1 couriers (DOMAIN.md 8.17)
    transfer_share: float = 0.02  # liên thông dossiers, share of orders (an assumption)
    follow_slip_share: float = 0.15  # dossiers whose slip the post brings back (an assumption)


    def __post_init__(self) -> None:
        if self.orders < 0:
            raise InputError("must not be negative", source="sample volumes", field="orders")
        if self.dossier_share + self.result_share > 1:
            raise InputError("dossier and result shares add up to more than 1",
                             source="sample volumes", field="result_share")


@dataclass(frozen=True)
class SampleDay:
    """The generated day: every site (offices, shops, citizens), the fleet, the orders."""

    date: dt.date
    sites: tuple[Site, ...]
    couriers: tuple[Courier, ...]
    orders: tuple[Order, ...]
    province: SampleProvince
    backlog: Backlog


_SURNAMES = ("Nguyễn", "Hoàng", "Vi", "Nông", "Lương", "Lăng", "Triệu", "Hà", "Lộc", "Chu",
             "Trần", "Lê", "Phạm", "Đinh", "Mã", "Hứa", "Dương", "Bế")
_MALE = ("Văn", "Đức", "Minh", "Quang", "Hữu", "Tiến")
_FEMALE = ("Thị", "Thu", "Ngọc", "Thanh", "Kim", "Hồng")
_MALE_NAMES = ("Toàn", "Đức", "Phúc", "Hải", "Dũng", "Quân", "Tuấn", "Hùng", "Thắng", "Cường",
               "Khánh", "Long", "Sơn", "Vượng", "Thành")
_FEMALE_NAMES = ("Hương", "Thủy", "Lan", "Hạnh", "Thắm", "Huyền", "Nga", "Duyên", "Hoa",
                 "Phượng", "Trang", "Yến", "Nhung", "Mai", "Liên")
_VILLAGES = ("Nà Pàn", "Bản Chu", "Khòn Pát", "Pác Cáp", "Nà Lùng", "Bó Chạp", "Còn Quan",
             "Khau Mạ", "Nà Sla", "Bản Làn", "Phai Luông", "Kéo Coong", "Nà Cáp", "Bản Cưởm",
             "Pò Mã", "Khuổi Phầy", "Lũng Cút", "Tà Lài", "Nà Thâm", "Bản Quấn")
_PROCEDURES = (
    ("Cấp giấy chứng nhận quyền sử dụng đất", True),
    ("Cấp hộ chiếu phổ thông", True),
    ("Cấp đổi giấy phép lái xe", False),
    ("Cấp phiếu lý lịch tư pháp", False),
    ("Đăng ký khai sinh", False),
    ("Chứng thực bản sao từ bản chính", False),
    ("Đăng ký xe mô tô", False),
    ("Giải quyết chế độ bảo hiểm xã hội", False),
    ("Cấp bản sao văn bằng, chứng chỉ", False),
    ("Đăng ký hộ kinh doanh", False),
)
_PREFERRED = ("07:30-11:00", "13:30-17:00", "08:00-10:00", "14:00-16:30")
_RELEASE = ("07:30", "07:30", "09:00", "10:00", "14:00")
_POST_OFFICE_HOURS = (TimeWindow(hhmm_to_s("07:00"), hhmm_to_s("18:00")),)
_POST_POINT_HOURS = (TimeWindow(hhmm_to_s("07:00"), hhmm_to_s("11:30")),
                     TimeWindow(hhmm_to_s("13:30"), hhmm_to_s("17:30")))


def _person(rng: np.random.Generator) -> str:
    surname = str(rng.choice(_SURNAMES))
    if rng.random() < 0.5:
        return f"{surname} {rng.choice(_MALE)} {rng.choice(_MALE_NAMES)}"
    return f"{surname} {rng.choice(_FEMALE)} {rng.choice(_FEMALE_NAMES)}"


def _phone(rng: np.random.Generator) -> str:
    return "09" + "".join(str(d) for d in rng.integers(0, 10, size=8))


def _fixed_sites(province: SampleProvince, date: dt.date, calendar: WorkingCalendar,
                 service: ServiceTimes) -> list[Site]:
    home = dict(zip(province.communes["code"], province.communes["home_post_office"],
                    strict=True))
    out = []
    opening: tuple[TimeWindow, ...]
    for g in province.sites:
        kind = SiteKind(g.kind)
        if kind.is_post_office:
            opening, home_po = _POST_OFFICE_HOURS, g.id
        elif kind is SiteKind.POST_POINT:
            opening, home_po = _POST_POINT_HOURS, home[g.commune_code]
        else:
            home_po = home[g.commune_code]
            opening = calendar.agency_hours(
                Site(g.id, g.name, kind, g.lon, g.lat, opening=OFFICE_HOURS), date)
        out.append(service.apply_to_site(Site(
            g.id, g.name, kind, g.lon, g.lat, opening=opening, address=g.address,
            commune_code=g.commune_code, home_post_office=home_po)))
    return out


class _Homes:
    """Citizens' homes near the roads (van-reachable nodes) inside each commune."""

    def __init__(self, province: SampleProvince) -> None:
        net = province.network
        nodes = net.profile("van").nodes
        lon, lat = net.node_lon[nodes], net.node_lat[nodes]
        points = shapely.points(lon, lat)
        self.lon, self.lat = lon, lat
        self.by_commune: dict[str, np.ndarray] = {}
        for code, geom, clon, clat in zip(province.communes["code"], province.communes.geometry,
                                          province.communes["lon"], province.communes["lat"],
                                          strict=True):
            inside = np.flatnonzero(shapely.contains(geom, points))
            if len(inside) == 0:  # a commune with no road node inside: its nearest nodes
                d = (lon - clon) ** 2 + (lat - clat) ** 2
                inside = np.argsort(d)[:3]
            self.by_commune[str(code)] = inside

    def near_road(self, rng: np.random.Generator, commune: str) -> tuple[float, float]:
        k = int(rng.choice(self.by_commune[commune]))
        # within ≈ 100 m of a road node: a house along the road
        return (round(float(self.lon[k] + rng.uniform(-0.0009, 0.0009)), 6),
                round(float(self.lat[k] + rng.uniform(-0.0008, 0.0008)), 6))


def _couriers(province: SampleProvince, volumes: SampleVolumes,
              rng: np.random.Generator) -> list[Courier]:
    shift = TimeWindow(hhmm_to_s("07:00"), hhmm_to_s("17:30"))
    lunch = LunchBreak(TimeWindow(hhmm_to_s("11:00"), hhmm_to_s("13:30")), 3600)
    out: list[Courier] = []
    offices = [s for s in province.sites if SiteKind(s.kind).is_post_office]
    for office in offices:
        provincial = office.kind == SiteKind.PROVINCIAL_POST_OFFICE
        n = volumes.couriers_at_provincial_office if provincial else \
            volumes.couriers_per_district_office
        tag = "TINH" if provincial else office.id.removeprefix("BC-")
        for k in range(1, n + 1):
            out.append(Courier(
                f"BT-{tag}-{k}", _person(rng), VehicleType.MOTORBIKE,
                (volumes.motorbike_capacity,), shift, office.id, office.id, lunch=lunch,
                fixed_cost=150_000, cost_per_km=2_000, cost_per_hour=45_000,
                skills=frozenset({CLEARANCE_SKILL}) if k == 1 else frozenset(),
                cash_limit_vnd=volumes.cash_limit_vnd, phone=_phone(rng)))
    centre = next(s for s in offices if s.kind == SiteKind.PROVINCIAL_POST_OFFICE)
    for k in range(1, volumes.kt1_couriers + 1):
        out.append(Courier(
            f"BT-KT1-{k}", _person(rng), VehicleType.MOTORBIKE, (volumes.motorbike_capacity,),
            shift, centre.id, centre.id, lunch=lunch, fixed_cost=150_000, cost_per_km=2_000,
            cost_per_hour=45_000, skills=frozenset({KT1_SKILL, CLEARANCE_SKILL}),
            cash_limit_vnd=volumes.cash_limit_vnd, phone=_phone(rng)))
    for k in range(1, volumes.vans + 1):
        out.append(Courier(
            f"XT-TINH-{k}", _person(rng), VehicleType.VAN, (volumes.van_capacity,), shift,
            centre.id, centre.id, lunch=lunch, fixed_cost=600_000, cost_per_km=6_000,
            cost_per_hour=70_000, skills=frozenset({TRUNK_SKILL, CLEARANCE_SKILL}),
            cash_limit_vnd=volumes.cash_limit_vnd * 3, phone=_phone(rng)))
    return out


def _demand_weight(province: SampleProvince) -> float:
    """Σ over communes of ``ward_weight`` for an urban ward (phường), 1 for any other."""
    wards = int((province.communes["type"] == "Phường").sum())
    return SampleVolumes.ward_weight * wards + (len(province.communes) - wards)


def _post_offices(province: SampleProvince) -> int:
    return sum(SiteKind(s.kind).is_post_office for s in province.sites)


def province_volumes(province: SampleProvince,
                     base: SampleVolumes | None = None) -> SampleVolumes:
    """``base`` (the sample province's day, default :class:`SampleVolumes`) scaled to ``province``.

    ``orders`` × the province's demand weight ÷ the sample's (communes, an
    urban ward counting as ``ward_weight`` = 4 rural communes: the generator's
    own split of orders between communes), and ``vans`` × its post offices ÷
    the sample's (at least 1 when ``base`` has any). Local couriers are per
    post office already. Lạng Sơn, a sparse mountain province, has 300 orders
    a day; DOMAIN.md §5 puts the national average near 3,250 items per province
    and about 33 per courier (an order of magnitude, [I]), with VNPost staffing
    one results courier per commune (3,321): so the volume follows the
    communes, and the ward weight stands for the towns' denser population.
    The sample province itself is returned unchanged.
    """
    base = base or SampleVolumes()
    if province.code == SAMPLE_CODE and province.communes_csv is None:
        return base
    sample = sample_province()
    ratio = _demand_weight(province) / _demand_weight(sample)
    vans = base.vans and max(1, round(base.vans * _post_offices(province)
                                      / _post_offices(sample)))
    return replace(base, orders=round(base.orders * ratio), vans=vans)


def sample_day(
    date: dt.date,
    seed: int = 0,
    volumes: SampleVolumes | None = None,
    *,
    calendar: WorkingCalendar | None = None,
    service_times: ServiceTimes | None = None,
    province: str = SAMPLE_CODE,
    communes_csv: Path | None = None,
) -> SampleDay:
    """Generate province ``province``'s working day ``date`` with ``seed`` (deterministic).

    ``province``: a 2025 province code (default the sample province, Lạng Sơn,
    ``20``), its geography from :func:`geodata.sample_province` (from
    ``communes_csv`` when given). ``volumes`` None: :class:`SampleVolumes`
    scaled to the province (:func:`province_volumes`); given: used as is.

    Raises
    ------
    InputError
        If ``date`` is not a working day under ``calendar``.
    geodata.exceptions.ValidationError
        An unknown province code (the message lists the valid ones) or a bad CSV.
    """
    geo = sample_province(province, communes_csv)
    volumes = volumes or province_volumes(geo)
    calendar = calendar or WorkingCalendar()
    service = service_times or ServiceTimes()
    if not calendar.is_working_day(date):
        raise InputError(f"{date.isoformat()} is not a working day", field="date")
    rng = np.random.default_rng([seed, date.toordinal()])
    sites = _fixed_sites(geo, date, calendar, service)
    couriers = _couriers(geo, volumes, rng)
    gen = _OrderMaker(geo, sites, date, rng=rng, volumes=volumes, service=service)
    orders = [gen.order(n, date) for n in range(1, volumes.orders + 1)]
    orders += [gen.kt1(n, date) for n in range(1, volumes.kt1_orders + 1)]
    carried = _carried(gen, sites, date, calendar, round(volumes.orders * volumes.carried_share))
    extra = np.random.default_rng([seed, date.toordinal(), 1])  # QĐ 45 art. 7(5), 16(2)
    orders += [gen.transfer(n, date, extra)
               for n in range(1, round(volumes.orders * volumes.transfer_share) + 1)]
    slips = _following_slips(orders, volumes, extra)
    orders += slips
    if volumes.carried_share > 0:  # a day with a morning backlog: yesterday's slips in it
        carried += _slips_of_yesterday(gen, date, calendar, len(slips), len(orders))
    all_sites = (*sites, *gen.citizens)
    backlog = Backlog(_previous_working_day(date, calendar), tuple(carried),
                      sites_named(carried, {s.id: s for s in all_sites}))
    return SampleDay(date, all_sites, tuple(couriers), tuple(orders), geo, backlog)


def sample_couriers(volumes: SampleVolumes | None = None, seed: int = 0, *,
                    province: str = SAMPLE_CODE,
                    communes_csv: Path | None = None) -> tuple[Courier, ...]:
    """Province ``province``'s fleet alone (default the sample's), apart from any day's orders.

    A fleet drawn on its own random stream leaves the orders of
    :func:`sample_day` unchanged when only the fleet differs (scenarios compare
    fleets on the same demand). ``volumes`` None: scaled as in :func:`sample_day`.
    """
    geo = sample_province(province, communes_csv)
    volumes = volumes or province_volumes(geo)
    return tuple(_couriers(geo, volumes, np.random.default_rng([seed, 0])))


def _previous_working_day(day: dt.date, calendar: WorkingCalendar) -> dt.date:
    day -= dt.timedelta(days=1)
    while not calendar.is_working_day(day):
        day -= dt.timedelta(days=1)
    return day


def _accepted_on(order: Order, day: dt.date) -> Order:
    """``order`` as accepted on ``day``: the acceptance date and the tracking code's date."""
    code = order.tracking_code
    return replace(order, accepted_on=day, tracking_code=f"{code[:2]}{day:%y%m%d}{code[8:]}")


def slip_of(dossier: Order, tracking_code: str) -> Order:
    """The appointment slip issued at ``dossier``'s hand-over, carried back to where it came from.

    It follows the dossier: it moves only once the dossier is handed over (QĐ 45
    art. 7(5); TT 17 art. 5(1)(i)); its deadline is the slip's J+n from the
    dossier's acceptance (TT 17 art. 7(2)).
    """
    return Order(
        tracking_code=tracking_code, kind=ItemKind.APPOINTMENT_SLIP, origin=dossier.destination,
        destination=dossier.origin, accepted_on=dossier.accepted_on,
        destination_windows=dossier.origin_windows, fee_at=FeeMoment.DELIVERY,
        citizen_name=dossier.citizen_name, citizen_phone=dossier.citizen_phone,
        procedure=dossier.procedure, follows=dossier.tracking_code)


def _following_slips(orders: list[Order], volumes: SampleVolumes,
                     rng: np.random.Generator) -> list[Order]:
    """Slips that follow a share of today's ordinary dossiers (numbered after the orders)."""
    dossiers = [o for o in orders if o.kind is ItemKind.DOSSIER and not o.item_class
                and not o.same_day]
    chosen = [o for o in dossiers if rng.random() < volumes.follow_slip_share]
    return [slip_of(o, f"GH{o.accepted_on:%y%m%d}{len(orders) + k:04d}VN")
            for k, o in enumerate(chosen, start=1)]


def _slips_of_yesterday(gen: _OrderMaker, date: dt.date, calendar: WorkingCalendar,
                        count: int, first: int) -> list[InFlight]:
    """Slips of dossiers handed over on the previous working day: they move today."""
    yesterday = _previous_working_day(date, calendar)
    out: list[InFlight] = []
    for n in range(first + 1, first + count + 1):
        dossier = gen.order(n, yesterday, kind=ItemKind.DOSSIER)
        slip = slip_of(dossier, f"GH{yesterday:%y%m%d}{n:04d}VN")
        legs = legs_of(slip, {s.id: s for s in (*gen.sites, *gen.citizens)})
        out.append(InFlight(slip, 0, slip.origin, order_deadline(slip, legs, calendar)))
    return out


def _carried(gen: _OrderMaker, sites: list[Site], date: dt.date, calendar: WorkingCalendar,
             count: int) -> list[InFlight]:
    """Orders accepted one or two working days ago and still under way this morning."""
    yesterday = _previous_working_day(date, calendar)
    before = _previous_working_day(yesterday, calendar)
    out = []
    for n in range(count):
        accepted = yesterday if gen.rng.random() < 0.7 else before
        order = gen.order(9000 - n, accepted)
        by_id = {s.id: s for s in (*sites, *gen.citizens)}
        legs = legs_of(order, by_id)
        deadline = order_deadline(order, legs, calendar)
        if len(legs) == 1:  # accepted yesterday, left over: J+1 (a slip J+2) from yesterday
            order = _accepted_on(order, yesterday)
            out.append(InFlight(order, 0, order.origin, order_deadline(order, legs, calendar),
                                days_waited=1, last_reason="fleet_full"))
            continue
        # on schedule: one leg done per working day since acceptance
        nxt = min(len(legs) - 1, calendar.working_days_between(accepted, date))
        out.append(InFlight(order, nxt, legs[nxt].pickup_site, deadline))
    return out


class _OrderMaker:
    """Draws orders one at a time, creating each citizen's home as a site."""

    def __init__(self, province: SampleProvince, sites: list[Site], date: dt.date, *,
                 rng: np.random.Generator, volumes: SampleVolumes,
                 service: ServiceTimes) -> None:
        self.province, self.date, self.rng, self.v, self.service = (
            province, date, rng, volumes, service)
        self.sites = sites
        self.homes = _Homes(province)
        self.by_commune = {
            (s.commune_code, s.kind): s for s in sites if s.kind in (
                SiteKind.POST_POINT, SiteKind.COMMUNE_ONE_STOP)}
        self.centre = next(s for s in sites if s.kind is SiteKind.SERVICE_CENTER)
        communes = province.communes
        weight = np.where(communes["type"] == "Phường", volumes.ward_weight, 1.0)
        self.codes = [str(c) for c in communes["code"]]
        self.weights = weight / weight.sum()
        self.names = dict(zip(self.codes, communes["name"], strict=True))
        self.home_po = dict(zip(self.codes, communes["home_post_office"], strict=True))
        self.citizens: list[Site] = []

    def _citizen(self, commune: str, name: str, phone: str) -> Site:
        lon, lat = self.homes.near_road(self.rng, commune)
        village = f"Thôn {self.rng.choice(_VILLAGES)}"
        if self.province.code != SAMPLE_CODE:  # the sample's Tày-Nùng villages are Lạng Sơn's
            ward = self.names[commune].startswith("Phường")
            village = f"{'Tổ dân phố' if ward else 'Thôn'} {int(self.rng.integers(1, 16))}"
        site = self.service.apply_to_site(Site(
            f"CD-{self.date:%y%m%d}-{len(self.citizens) + 1:04d}", name, SiteKind.CITIZEN,
            lon, lat, address=f"{village}, {self.names[commune]}, {self.province.name}",
            commune_code=commune, phone=phone, home_post_office=self.home_po[commune]))
        self.citizens.append(site)
        return site

    def kt1(self, n: int, accepted_on: dt.date) -> Order:
        """A KT1 letter from the provincial post office to an agency of its territory."""
        office = next(s for s in self.sites if s.kind is SiteKind.PROVINCIAL_POST_OFFICE)
        agencies = [s for s in self.sites
                    if s.kind.is_agency and s.home_post_office == office.id]
        agency = agencies[int(self.rng.integers(len(agencies)))]
        return Order(
            tracking_code=f"KT{accepted_on:%y%m%d}{n:04d}VN",
            kind=ItemKind.DOSSIER,
            origin=office.id,
            destination=agency.id,
            accepted_on=accepted_on,
            required_skills=frozenset({KT1_SKILL}),
            item_class=KT1_CLASS,
            procedure="Công văn KT1",
        )

    def transfer(self, n: int, accepted_on: dt.date, rng: np.random.Generator) -> Order:
        """A liên thông dossier between a commune one-stop shop and the provincial centre."""
        commune = self.codes[int(rng.choice(len(self.codes), p=self.weights))]
        shop = self.by_commune[(commune, SiteKind.COMMUNE_ONE_STOP)]
        origin, destination = (shop, self.centre) if rng.random() < 0.5 else (self.centre, shop)
        procedure, _ = _PROCEDURES[int(rng.integers(len(_PROCEDURES)))]
        return Order(
            tracking_code=f"LT{accepted_on:%y%m%d}{n:04d}VN",
            kind=ItemKind.TRANSFER,
            origin=origin.id,
            destination=destination.id,
            accepted_on=accepted_on,
            procedure=procedure,
        )

    def order(self, n: int, accepted_on: dt.date, kind: ItemKind | None = None) -> Order:
        """Order ``n`` accepted on ``accepted_on``, of a random kind unless ``kind`` is given."""
        rng, v = self.rng, self.v
        commune = self.codes[int(rng.choice(len(self.codes), p=self.weights))]
        name, phone = _person(rng), _phone(rng)
        procedure, sealed = _PROCEDURES[int(rng.integers(len(_PROCEDURES)))]
        at_centre = rng.random() < v.service_center_share
        agency = self.centre if at_centre else self.by_commune[(commune, SiteKind.COMMUNE_ONE_STOP)]
        post_point = self.by_commune[(commune, SiteKind.POST_POINT)]
        r = rng.random()
        kind = kind or (ItemKind.DOSSIER if r < v.dossier_share else
                        ItemKind.RESULT if r < v.dossier_share + v.result_share else
                        ItemKind.APPOINTMENT_SLIP)
        windows: tuple[TimeWindow, ...] = (TimeWindow.parse(str(rng.choice(_PREFERRED))),) \
            if rng.random() < v.preferred_window_share else ()
        ready = None
        origin_windows: tuple[TimeWindow, ...]
        destination_windows: tuple[TimeWindow, ...]
        if kind is ItemKind.DOSSIER:
            at_home = rng.random() < v.home_pickup_share
            origin = self._citizen(commune, name, phone) if at_home else post_point
            destination, fee_at = agency, FeeMoment.PICKUP
            origin_windows, destination_windows = (windows if at_home else ()), ()
        else:
            at_home = kind is ItemKind.APPOINTMENT_SLIP or rng.random() < v.home_delivery_share
            origin, fee_at = agency, FeeMoment.DELIVERY
            destination = self._citizen(commune, name, phone) if at_home else post_point
            origin_windows, destination_windows = (), (windows if at_home else ())
            ready = hhmm_to_s(str(rng.choice(_RELEASE)))
        prefix = {ItemKind.DOSSIER: "HS", ItemKind.RESULT: "KQ",
                  ItemKind.APPOINTMENT_SLIP: "GH"}[kind]
        fee = int(rng.integers(3, 31)) * 5_000 if rng.random() < v.fee_share \
            and kind is not ItemKind.APPOINTMENT_SLIP else 0
        local = origin.home_post_office == destination.home_post_office
        postage = 0 if kind is ItemKind.APPOINTMENT_SLIP else POSTAGE_VND[(local, fee > 0)]
        same_day = (kind is ItemKind.DOSSIER and not at_centre
                    and rng.random() < v.same_day_share / max(v.dossier_share, 1e-9))
        needs_clearance = sealed and rng.random() < min(1.0, 3 * v.clearance_share)
        return Order(
            tracking_code=f"{prefix}{accepted_on:%y%m%d}{n:04d}VN",
            kind=kind,
            origin=origin.id,
            destination=destination.id,
            accepted_on=accepted_on,
            origin_windows=origin_windows,
            destination_windows=destination_windows,
            ready_s=ready,
            fee_vnd=fee,
            fee_at=fee_at,
            postage_vnd=postage,
            required_skills=frozenset({CLEARANCE_SKILL}) if needs_clearance else frozenset(),
            same_day=bool(same_day) and accepted_on == self.date,
            citizen_name=name,
            citizen_phone=phone,
            procedure=procedure,
        )

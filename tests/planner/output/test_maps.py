"""Maps: every route and stop present, no network needed, and the page runs in Chromium."""

from __future__ import annotations

import dataclasses
import itertools
import json
import re
import subprocess
from pathlib import Path

import folium
import geopandas as gpd
import pytest
from branca.element import Figure
from shapely.geometry import LineString, box

from planner.domain import SiteKind
from planner.exceptions import PlannerError
from planner.output.maps import Geography, courier_map, overview_map, route_colour
from planner.output.offline import external_references, render_offline, write_offline
from planner.plan import Plan
from planner.problem import Problem
from tests.conftest import need_executable

K1_SHAPE = [[(106.77, 21.87), (106.7751, 21.8752), (106.78, 21.88)],
            [(106.78, 21.88), (106.7903, 21.8897), (106.79, 21.89)]]


@pytest.fixture(scope="module")
def geography() -> Geography:
    """Two commune squares of PO1's territory, two roads, a road shape for K1."""
    territories = gpd.GeoDataFrame(
        {"name": ["Xã Hợp Thành", "Xã Hòa Cư"], "home_post_office": ["PO1", "PO1"]},
        geometry=[box(106.72, 21.84, 106.765, 21.92), box(106.765, 21.84, 106.81, 21.92)],
        crs=4326,
    )
    roads = gpd.GeoDataFrame(
        {"highway": ["primary", "residential"]},
        geometry=[LineString([(106.72, 21.87), (106.81, 21.88)]),
                  LineString([(106.75, 21.85), (106.75, 21.91)])],
        crs=4326,
    )
    return Geography(route_shapes={"K1": K1_SHAPE}, territories=territories, roads=roads,
                     generated_roads=True)


def test_overview_has_every_route_and_stop(problem: Problem, plan: Plan,
                                           geography: Geography) -> None:
    """Each courier, each visited site and each unassigned item appears in the overview."""
    html = render_offline(overview_map(problem, plan, geography=geography))
    for courier in ("K1 · Hoàng Văn Thụ", "K2 · Lý Thị Ngọc"):
        assert courier in html
    for r in plan.routes:
        for s in r.stops:
            site = problem.site(s.site)
            assert (site.name if site.kind is not SiteKind.CITIZEN else site.address) in html
    for code in ("R2", "X1"):
        assert f"<b>{code}</b>" in html
    assert html.count("L.polyline(") >= 3  # K1's two road pieces + K2's straight line


def test_road_shapes_are_followed(problem: Problem, plan: Plan, geography: Geography) -> None:
    """K1 is drawn along the given shape; K2 (no shape) with straight segments."""
    html = render_offline(overview_map(problem, plan, geography=geography))
    assert "21.8752" in html
    assert "106.7751" in html
    k2_sites = [problem.site("PO1"), problem.site("C2"), problem.site("SC"), problem.site("PO1")]
    compact = re.sub(r"\s+", "", html)
    for a, b in itertools.pairwise(k2_sites):  # one straight segment per leg
        assert json.dumps([[a.lat, a.lon], [b.lat, b.lon]]).replace(" ", "") in compact


def test_arrows_show_the_direction(problem: Problem, plan: Plan) -> None:
    """Each leg gets an arrowhead rotated along its direction (east = 0°, clockwise)."""
    html = render_offline(courier_map(problem, plan, "K2"))
    angles = [int(a) for a in re.findall(r"transform:rotate\((-?\d+)deg\)", html)]
    assert len(angles) == 3
    # PO1 → C2 runs west-north-west, C2 → SC south-east, SC → PO1 north-north-east
    assert 150 <= abs(angles[0]) <= 180
    assert 0 < angles[1] < 90
    assert -90 < angles[2] < 0


def test_no_external_script_or_style(problem: Problem, plan: Plan,
                                     geography: Geography) -> None:
    """Neither map loads a script or style sheet from the network; attribution is shown."""
    for m in (overview_map(problem, plan, geography=geography),
              courier_map(problem, plan, "K2", geography=geography)):
        html = render_offline(m)
        assert external_references(html) == []
        assert not re.search(r"<(script|link)[^>]+(src|href)=\"https?://", html)
        assert "© OpenStreetMap contributors" in html
        assert "Đường trong tỉnh mẫu là dữ liệu sinh tự động" in html
        assert "L.tileLayer" not in html
        assert "Leaflet 1.9.4" in html  # the vendored copy is inlined


def test_optional_tile_layer(problem: Problem, plan: Plan) -> None:
    """A tile server is used only when asked for, and still loads no remote script."""
    assert "L.tileLayer" not in render_offline(overview_map(problem, plan))
    geo = Geography(tile_url="https://tiles.example.org/{z}/{x}/{y}.png")
    html = render_offline(overview_map(problem, plan, geography=geo))
    assert "L.tileLayer" in html
    assert "tiles.example.org" in html
    assert external_references(html) == []


def test_remote_reference_is_refused(problem: Problem, plan: Plan) -> None:
    """A map that would pull a CDN plugin is refused instead of written."""
    m = courier_map(problem, plan, "K1")
    root = m.get_root()
    assert isinstance(root, Figure)
    root.header.add_child(folium.JavascriptLink("https://cdn.example.org/x.js"))
    with pytest.raises(PlannerError, match="network"):
        render_offline(m)


def test_courier_map_shows_only_its_route(problem: Problem, plan: Plan) -> None:
    """K2's map shows its own stops only; a courier without a route has no map."""
    html = render_offline(courier_map(problem, plan, "K2", lang="en"))
    assert "Lý Thị Ngọc" in html
    assert "Trung tâm Phục vụ hành chính công" in html
    assert "Hòa Cư" not in html
    assert "ETA 15:10" in html
    with pytest.raises(KeyError, match="K3"):
        courier_map(problem, plan, "K3")


def test_no_citizen_phone_on_maps(problem: Problem, plan: Plan) -> None:
    """Citizens' phone numbers stay off the maps (personal data)."""
    html = render_offline(overview_map(problem, plan))
    assert "0987 654 321" not in html
    assert "0977 111 222" not in html


@pytest.mark.parametrize("which", ["overview", "K1"])
def test_no_citizen_name_on_maps(problem: Problem, plan: Plan, which: str) -> None:
    """Citizen sites are named after the person; maps show 'Công dân · <codes>' instead."""
    m = overview_map(problem, plan) if which == "overview" else courier_map(problem, plan, "K1")
    html = render_offline(m)
    for name in ("Nguyễn Văn Đức", "Trần Thị Hằng"):
        assert name not in html
    assert "Công dân · D1" in html


def test_input_text_is_escaped_in_popups_and_tooltips(problem: Problem, plan: Plan) -> None:
    """A site name with HTML, a backtick and ${...} cannot run or break the page."""
    evil = "OS1 <img src=x onerror=alert(1)> `${alert(2)}`"
    sites = [dataclasses.replace(s, name=evil) if s.id == "OS1" else s for s in problem.sites]
    html = render_offline(overview_map(problem.replace(sites=sites), plan))
    assert "<img src=x" not in html
    assert "${alert(2)}" not in html
    assert "&lt;img src=x onerror=alert(1)&gt; &#96;&#36;{alert(2)}&#96;" in html


def test_forty_routes_have_distinct_colours() -> None:
    """Up to 40 routes get 40 different colours."""
    assert len({route_colour(i) for i in range(40)}) == 40


def test_overview_panel_lists_figures_unassigned_and_idle(problem: Problem, plan: Plan) -> None:
    """The panel has the day's figures, unassigned items with reason and deadline, idle K3."""
    html = render_offline(overview_map(problem, plan))
    assert 'class="bcci-panel"' in html
    assert "Số liệu trong ngày" in html
    assert "Giờ chờ" in html
    assert "Bưu tá không có lộ trình (1)" in html
    assert "K3 · Đặng Quốc Việt" in html
    assert "Lý do: Hết năng lực trong ngày · hạn 23/11/2026" in html
    assert "Every courier's shift" not in html  # a detail without its key: English maps only
    assert "Không có bưu tá đủ điều kiện — không bưu tá nào có kỹ năng KT1" in html
    assert "no courier has the skill" not in html
    block = re.search(r'id="bcci-data">(.*?)</script>', html, re.S)
    assert block is not None
    data = json.loads(block.group(1))
    assert set(data["found"]) >= {"D1", "D2", "R1", "D3", "R2", "X1"}


@pytest.mark.needs_chromium
def test_renders_in_headless_chromium(problem: Problem, plan: Plan, geography: Geography,
                                      tmp_path: Path) -> None:
    """The overview runs in Chromium offline without a script error and gives a screenshot."""
    exe = need_executable("chromium")
    page = write_offline(overview_map(problem, plan, geography=geography),
                         tmp_path / "overview.html")
    shot = tmp_path / "overview.png"
    run = subprocess.run(
        [exe, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--enable-logging=stderr", "--v=0", f"--screenshot={shot}", "--window-size=1000,800",
         page.as_uri()],
        capture_output=True, text=True, timeout=90, check=False,
    )
    errors = [line for line in run.stderr.splitlines() if "CONSOLE" in line and "Uncaught" in line]
    assert errors == []
    assert shot.stat().st_size > 5_000


MARKUP = "<script>alert(1)</script><b>"


@pytest.fixture(scope="module")
def marked_up(problem: Problem) -> Problem:
    """The test day with markup in every site's name and address and every courier's name."""
    sites = tuple(dataclasses.replace(s, name=s.name + MARKUP, address=MARKUP)
                  for s in problem.sites)
    couriers = tuple(dataclasses.replace(c, name=c.name + MARKUP) for c in problem.couriers)
    return dataclasses.replace(problem, sites=sites, couriers=couriers)


@pytest.mark.parametrize("which", ["overview", "K1"])
def test_text_from_files_is_escaped(marked_up: Problem, plan: Plan, geography: Geography,
                                    which: str) -> None:
    """Names and addresses with HTML markup appear as text in tooltips and popups, never as tags."""
    m = (overview_map(marked_up, plan, geography=geography) if which == "overview"
         else courier_map(marked_up, plan, which, geography=geography))
    html = render_offline(m)
    assert "<script>alert(1)" not in html
    assert "<b>\\u003cscript" not in html
    assert "&lt;script&gt;alert(1)" in html


#: Text that breaks out of a JavaScript template literal (backtick) or runs code in one (``${``).
SCRIPTED = ("Trần Văn `Bé` \\` Đức ${document.body.setAttribute('data-pwned', 'yes')} "
            "</div>`)[0];document.body.setAttribute('data-pwned','yes');$(`")


@pytest.fixture(scope="module")
def scripted(problem: Problem) -> Problem:
    """The test day with template-literal breakouts in every site's and courier's text."""
    sites = tuple(dataclasses.replace(s, name=s.name + SCRIPTED, address=SCRIPTED)
                  for s in problem.sites)
    couriers = tuple(dataclasses.replace(c, name=c.name + SCRIPTED) for c in problem.couriers)
    return dataclasses.replace(problem, sites=sites, couriers=couriers)


@pytest.mark.parametrize("which", ["overview", "K1"])
def test_text_from_files_is_inert_in_template_literals(scripted: Problem, plan: Plan,
                                                       geography: Geography, which: str) -> None:
    """No backtick, ``${`` or backslash from a file reaches the page's JavaScript unescaped."""
    m = (overview_map(scripted, plan, geography=geography) if which == "overview"
         else courier_map(scripted, plan, which, geography=geography))
    html = render_offline(m)
    assert "`Bé`" not in html
    assert "${document" not in html
    assert "&#96;Bé&#96;" in html


_PROBE = ("<script>window.__errs=[];window.addEventListener('error',"
          "function(e){window.__errs.push(e.message)});</script>")
_REPORT = ("<script>setTimeout(function(){document.body.setAttribute('data-errs',"
           "JSON.stringify(window.__errs));document.body.setAttribute('data-markers',"
           "document.querySelectorAll('.leaflet-marker-icon').length)},500)</script>")


@pytest.mark.needs_chromium
@pytest.mark.parametrize("which", ["overview", "K1"])
def test_scripted_names_run_no_code_in_chromium(scripted: Problem, plan: Plan,
                                                geography: Geography, tmp_path: Path,
                                                which: str) -> None:
    """In Chromium, a name with ``${…}`` and backticks runs nothing and every marker is drawn."""
    exe = need_executable("chromium")
    m = (overview_map(scripted, plan, geography=geography) if which == "overview"
         else courier_map(scripted, plan, which, geography=geography))
    html = render_offline(m).replace("<head>", "<head>" + _PROBE, 1)
    page = tmp_path / "map.html"
    page.write_text(html.replace("</body>", _REPORT + "</body>"), encoding="utf-8")
    run = subprocess.run(
        [exe, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--virtual-time-budget=5000", "--dump-dom", page.as_uri()],
        capture_output=True, text=True, timeout=90, check=False,
    )
    body = re.search(r"<body[^>]*>", run.stdout)
    assert body is not None
    assert "data-pwned" not in body.group(0)
    assert 'data-errs="[]"' in body.group(0)
    assert 'data-markers="0"' not in body.group(0)

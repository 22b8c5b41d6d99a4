"""Route maps (folium/Leaflet), readable offline: an overview and one map per courier.

Every route in its own colour along the road shapes the caller passes
(straight segments when none), stop markers whose shape and fill tell the
site kind and whose ring tells the route, popups with the ETA and items,
depots, territories, unassigned items with their reasons, and a layer
control. The overview adds a dispatch panel: the day's figures, the couriers
(click to zoom), the unassigned items with their reason and deadline, the
couriers without a route, and a search by tracking code. No tile server is
used: the basemap is drawn from the geography the caller passes (commune
polygons, roads). Citizens' names and phones are not put on maps (they are
shared more widely than a courier's own sheet): citizen stops are named
``Công dân · <tracking codes>``. Every text from the input files is escaped
for HTML and for the JavaScript template strings folium writes popups and
tooltips into (:func:`safe`).
"""

from __future__ import annotations

import colorsys
import itertools
import json
import math
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from html import escape as _html_escape
from typing import Any

import folium
from branca.element import Element, MacroElement
from jinja2 import Template

from planner.domain.hours import s_to_hhmm
from planner.domain.sites import Site, SiteKind
from planner.kpis import Kpis, compute_kpis
from planner.output import i18n
from planner.output.i18n import Lang
from planner.output.itinerary import RouteView, StopView, public_name, route_view
from planner.output.offline import make_offline
from planner.output.summary import summary_rows
from planner.plan import Plan, Unassigned
from planner.problem import Problem

LonLat = tuple[float, float]
Box = tuple[float, float, float, float]  # min lon, min lat, max lon, max lat
Prepared = list[tuple[Box, dict[str, Any]]]  # (feature bounds, GeoJSON feature)
#: Route shapes per courier: a list of polylines of (lon, lat), e.g. one per leg.
RouteShapes = Mapping[str, Sequence[Sequence[LonLat]]]

def _distinct_colours(n: int) -> tuple[str, ...]:
    """``n`` colours far apart: hues by the golden angle, three lightness and saturation steps."""
    out = []
    for k in range(n):
        hue = (k * 0.381966) % 1.0
        light, sat = ((0.42, 0.85), (0.30, 0.75), (0.55, 0.95))[k % 3]
        r, g, b = colorsys.hls_to_rgb(hue, light, sat)
        out.append(f"#{round(r * 255):02x}{round(g * 255):02x}{round(b * 255):02x}")
    return tuple(out)


#: Route colours: the first 14 print-safe ones, then generated ones up to 40 distinct
#: colours (cycled beyond 40 routes).
ROUTE_COLOURS: tuple[str, ...] = (
    "#e6194b", "#3cb44b", "#4363d8", "#f58231", "#911eb4", "#008080", "#f032e6",
    "#9a6324", "#800000", "#000075", "#808000", "#46a0a0", "#e6a100", "#5f4b8b",
    *_distinct_colours(26),
)


def safe(text: object) -> str:
    """``text`` escaped for HTML and for a JavaScript template string (folium's popups, tooltips).

    ``html.escape`` leaves the backtick, ``$`` and the backslash, which end or
    run code inside the template strings folium writes tooltips into.
    """
    return (escape(str(text)).replace("\\", "&#92;").replace("`", "&#96;")
            .replace("$", "&#36;"))


#: Marker shape (CSS) and fill per site kind.
KIND_STYLE: Mapping[SiteKind, tuple[str, str]] = {
    SiteKind.PROVINCIAL_POST_OFFICE: ("square", "#0b3d91"),
    SiteKind.DISTRICT_POST_OFFICE: ("square", "#1f6fd1"),
    SiteKind.POST_POINT: ("diamond", "#f29e00"),
    SiteKind.COMMUNE_ONE_STOP: ("triangle", "#d32f2f"),
    SiteKind.DISTRICT_ONE_STOP: ("triangle", "#8e0000"),
    SiteKind.SERVICE_CENTER: ("octagon", "#6a1b9a"),
    SiteKind.CITIZEN: ("circle", "#2e7d32"),
}

_CSS = """
.bcci-mk{position:relative;width:22px;height:22px}
.bcci-mk>div{position:absolute}
.bcci-mk .o{inset:0}.bcci-mk .i{inset:3px}
.bcci-mk .n{inset:0;display:flex;align-items:center;justify-content:center;
 font:bold 10px/1 sans-serif;color:#fff;text-shadow:0 0 2px #000}
.bcci-square{border-radius:2px}.bcci-circle{border-radius:50%}
.bcci-diamond{clip-path:polygon(50% 0,100% 50%,50% 100%,0 50%)}
.bcci-triangle{clip-path:polygon(50% 0,100% 100%,0 100%)}
.bcci-octagon{clip-path:polygon(30% 0,70% 0,100% 30%,100% 70%,70% 100%,30% 100%,0 70%,0 30%)}
.bcci-triangle+.n,.bcci-triangle~.n{padding-top:5px}
.bcci-x{font:bold 16px/1 sans-serif;color:#555;text-shadow:0 0 3px #fff}
.bcci-legend{position:absolute;z-index:1000;bottom:56px;left:10px;background:#fff;
 padding:6px 9px;border-radius:4px;box-shadow:0 1px 4px rgba(0,0,0,.4);
 font:12px/1.5 sans-serif;max-width:300px}
.bcci-legend .row{display:flex;align-items:center;gap:6px}
.bcci-legend summary{cursor:pointer}
.bcci-legend .bcci-mk{width:14px;height:14px}
.bcci-title{position:absolute;z-index:1000;top:10px;left:55px;background:#fff;
 padding:4px 10px;border-radius:4px;box-shadow:0 1px 4px rgba(0,0,0,.4);
 font:bold 14px/1.4 sans-serif}
.leaflet-container{background:#f4f1ea}
.bcci-panel{position:absolute;z-index:1000;top:60px;right:10px;width:310px;
 max-height:calc(100% - 130px);overflow:auto;background:#fff;padding:6px 9px;border-radius:4px;
 box-shadow:0 1px 4px rgba(0,0,0,.4);font:12px/1.45 sans-serif}
.bcci-panel summary{cursor:pointer;margin:3px 0}
.bcci-panel details details{border-top:1px solid #eee}
.bcci-panel ul{margin:2px 0;padding-left:16px}.bcci-panel li{margin:2px 0}
.bcci-couriers{list-style:none;padding-left:2px!important}.bcci-couriers li{cursor:pointer}
.bcci-couriers li:hover{background:#f2f2f2}
.bcci-panel .sw{display:inline-block;width:14px;height:6px;margin-right:5px;vertical-align:middle}
.bcci-panel table{border-collapse:collapse}.bcci-panel td{padding:1px 4px;vertical-align:top}
.bcci-panel td+td{text-align:right;white-space:nowrap}
.bcci-search input{width:100%;box-sizing:border-box;padding:3px 5px;font:12px sans-serif}
#bcci-msg{color:#b00020}
"""


@dataclass(frozen=True)
class Geography:
    """What the maps draw that the Problem does not hold; every part optional.

    Parameters
    ----------
    route_shapes
        Per courier id, the road polylines of the route as (lon, lat) points.
    territories
        Commune polygons (GeoDataFrame, any CRS) with ``territory_column``
        naming each commune's home post office (a site id) and, optionally,
        ``territory_name_column`` its name.
    roads
        Road lines (GeoDataFrame); a ``highway`` column, if present, sets the width.
    generated_roads
        True when the roads are generated (the sample province): the map says so.
    tile_url
        Optional online tile server template (``https://.../{z}/{x}/{y}.png``), added
        as a switchable layer under the offline basemap. None (default): no tiles,
        the map needs no network at all.
    """

    route_shapes: RouteShapes | None = None
    territories: Any = None  # geopandas.GeoDataFrame
    territory_column: str = "home_post_office"
    territory_name_column: str = "name"
    roads: Any = None  # geopandas.GeoDataFrame
    generated_roads: bool = False
    tile_url: str | None = None
    _prepared: dict[str, Prepared] = field(default_factory=dict, compare=False, repr=False)


class _MapScript(MacroElement):
    """JavaScript run after the map exists (``{map}`` is the Leaflet map variable)."""

    _template = Template(
        "{% macro script(this, kwargs) %}{{ this.code.replace('{map}', "
        "this._parent.get_name()) }}{% endmacro %}"
    )

    def __init__(self, code: str) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = "MapScript"
        self.code = code


#: Characters that end or run code in a JavaScript template literal, as HTML entities.
_TEMPLATE_LITERAL = str.maketrans({"`": "&#96;", "$": "&#36;", "\\": "&#92;"})


def escape(text: str) -> str:
    """``text`` made inert for every place a map puts it: HTML and JavaScript template literals.

    folium writes tooltips and popups inside backtick template literals
    (``bindTooltip(`…`)``, ``$(`…`)``), where a backtick ends the literal and
    ``${…}`` runs code; HTML escaping alone does not cover them. The backtick,
    dollar and backslash become HTML entities, which the page shows as the
    characters themselves.
    """
    return _html_escape(text).translate(_TEMPLATE_LITERAL)


def route_colour(index: int) -> str:
    """Colour of the ``index``-th route."""
    return ROUTE_COLOURS[index % len(ROUTE_COLOURS)]


def _marker_html(kind: SiteKind, ring: str, label: str = "", size: int = 22) -> str:
    shape, fill = KIND_STYLE[kind]
    return (
        f'<div class="bcci-mk" style="width:{size}px;height:{size}px">'
        f'<div class="o bcci-{shape}" style="background:{ring}"></div>'
        f'<div class="i bcci-{shape}" style="background:{fill}"></div>'
        f'<div class="n">{escape(label)}</div></div>'
    )


def _icon(kind: SiteKind, ring: str, label: str = "", size: int = 22,
          shift: int = 0) -> folium.DivIcon:
    """A marker icon; ``shift`` moves it right by that many icon widths (shared sites)."""
    return folium.DivIcon(
        html=_marker_html(kind, ring, label, size),
        icon_size=(size, size),
        icon_anchor=(size // 2 - shift * (size - 4), size // 2),
        class_name="bcci-icon",
    )


def _stop_popup(sv: StopView, view: RouteView, lang: Lang) -> str:
    s = sv.stop
    t = i18n.messages(lang)
    lines = [
        f"<b>{sv.number}. {safe(sv.public_name(lang))}</b>",
        f"{i18n.site_kind(sv.site.kind, lang)} · {safe(view.courier.name)} "
        f"({safe(view.courier.id)})",
        f"{safe(sv.site.address)}" if sv.site.address else "",
        f"<b>{t('map.eta')} {s_to_hhmm(s.arrival_s)}</b> · {t('sheet.service')} "
        f"{s_to_hhmm(s.start_s)}–{s_to_hhmm(s.departure_s)}",
    ]
    lines += [f"{i18n.wait_cause(w.cause, lang)} {s_to_hhmm(w.start_s)}–{s_to_hhmm(w.end_s)}"
              for w in sv.waits if w.cause is not None and w.duration_s >= 60]
    for li in sv.lines:
        fee = f" · {i18n.fmt_vnd(li.fee_vnd, lang)}" if li.fee_vnd else ""
        lines.append(f"{i18n.action(li.action, lang)} {safe(li.tracking_code)} "
                     f"({i18n.item_kind(li.kind, lang)}){fee}")
    return "<br>".join(x for x in lines if x)


def _path(view: RouteView, shapes: RouteShapes | None) -> list[list[list[float]]]:
    """Polylines in Leaflet (lat, lon) order: the road shapes, or straight segments."""
    given = (shapes or {}).get(view.courier.id)
    if given:
        return [[[lat, lon] for lon, lat in line] for line in given if len(line) >= 2]
    sites = [view.start_site, *(sv.site for sv in view.stops), view.end_site]
    return [[[a.lat, a.lon], [b.lat, b.lon]] for a, b in itertools.pairwise(sites)
            if (a.lat, a.lon) != (b.lat, b.lon)]


def _halfway(line: Sequence[Sequence[float]]) -> tuple[float, float, float, float] | None:
    """Point halfway along ``line`` (lat, lon) and the local direction (dx east, dy north)."""
    kx = math.cos(math.radians(line[0][0]))
    steps = [((b[1] - a[1]) * kx, b[0] - a[0]) for a, b in itertools.pairwise(line)]
    lengths = [math.hypot(dx, dy) for dx, dy in steps]
    todo = sum(lengths) / 2
    if todo == 0:
        return None
    for (a, (dx, dy)), n in zip(zip(line, steps, strict=False), lengths, strict=True):
        if n >= todo:
            f = todo / n
            return a[0] + f * dy, a[1] + f * dx / kx, dx, dy
        todo -= n
    return None


def _arrow(line: Sequence[Sequence[float]], colour: str) -> folium.Marker | None:
    """A small arrowhead halfway along ``line`` (lat, lon points) showing the direction."""
    if len(line) < 2:
        return None
    half = _halfway(line)
    if half is None:
        return None
    lat, lon, dx, dy = half
    angle = -math.degrees(math.atan2(dy, dx))  # CSS rotates clockwise, screen y points down
    html = (f'<div style="width:0;height:0;border-left:15px solid {colour};'
            "border-top:5px solid transparent;border-bottom:5px solid transparent;"
            f'transform:rotate({angle:.0f}deg);transform-origin:50% 50%"></div>')
    icon = folium.DivIcon(html=html, icon_size=(15, 10), icon_anchor=(7, 5),
                          class_name="bcci-icon")
    return folium.Marker((lat, lon), icon=icon, interactive=False)


def _add_route(fg: folium.FeatureGroup, view: RouteView, colour: str, lang: Lang,
               shapes: RouteShapes | None, *, placed: dict[str, int] | None = None,
               found: dict[str, list[str]] | None = None) -> None:
    """Draw one route; ``placed`` counts markers per site so shared sites stay readable.

    ``found`` collects, per tracking code, the JavaScript names of the stop marker
    and of its layer (for the search box).
    """
    placed = {} if placed is None else placed
    for line in _path(view, shapes):
        folium.PolyLine(  # type: ignore[no-untyped-call]
            line, color=colour, weight=4, opacity=0.85,
            tooltip=f"{safe(view.courier.id)} · {safe(view.courier.name)}",
        ).add_to(fg)
        arrow = _arrow(line, colour)
        if arrow is not None:
            arrow.add_to(fg)
    for sv in view.stops:
        shift = placed.get(sv.site.id, 0)
        placed[sv.site.id] = shift + 1
        marker = folium.Marker(
            [sv.site.lat, sv.site.lon],
            icon=_icon(sv.site.kind, colour, str(sv.number), shift=shift),
            popup=folium.Popup(_stop_popup(sv, view, lang), max_width=320, max_height=320),
            tooltip=f"{sv.number}. {safe(sv.public_name(lang))} · "
                    f"{s_to_hhmm(sv.stop.arrival_s)}",
        ).add_to(fg)
        if found is not None:
            for li in sv.lines:
                found.setdefault(li.tracking_code, [marker.get_name(), fg.get_name()])


def _add_depots(m: folium.Map, sites: Sequence[Site], lang: Lang) -> None:
    fg = folium.FeatureGroup(name=i18n.text("map.depots", lang), show=True)
    for s in sites:
        folium.Marker(
            [s.lat, s.lon],
            icon=_icon(s.kind, "#111", "BĐ" if lang == "vi" else "PO", size=26),
            popup=folium.Popup(f"<b>{safe(s.name)}</b><br>{i18n.site_kind(s.kind, lang)}"
                               f"<br>{safe(s.address)}", max_width=300),
            tooltip=safe(s.name),
        ).add_to(fg)
    fg.add_to(m)


def _unassigned_line(problem: Problem, u: Unassigned, lang: Lang) -> str:
    """One unassigned item: code, kind, destination, reason (and its sentence) in ``lang``, due."""
    item = problem.item(u.item)
    t = i18n.messages(lang)
    due = f" · {t('map.deadline')} {i18n.fmt_date(item.deadline, lang)}" if item.deadline else ""
    said = i18n.reason_detail(u, lang)
    detail = f" — {safe(said)}" if said else ""
    dest = public_name(problem.site(item.delivery_site), [u.item], lang)
    return (f"<b>{safe(u.item)}</b> ({i18n.item_kind(item.kind, lang)}) → {safe(dest)}<br>"
            f"{t('map.reason')}: {i18n.reason(u.reason, lang)}{detail}{due}")


def _add_unassigned(m: folium.Map, problem: Problem, plan: Plan, lang: Lang,
                    found: dict[str, list[str]] | None = None) -> None:
    if not plan.unassigned:
        return
    by_site: dict[str, list[Unassigned]] = defaultdict(list)
    for u in plan.unassigned:
        by_site[problem.item(u.item).pickup_site].append(u)
    fg = folium.FeatureGroup(name=f"{i18n.text('map.unassigned', lang)} ({len(plan.unassigned)})")
    for site_id, items in by_site.items():
        s = problem.site(site_id)
        name = public_name(s, [u.item for u in items], lang)
        marker = folium.Marker(
            [s.lat, s.lon],
            # up and right of the site, so the stop markers there stay visible
            icon=folium.DivIcon(html='<div class="bcci-x">✖</div>', icon_size=(16, 16),
                                icon_anchor=(-6, 22), class_name="bcci-icon"),
            popup=folium.Popup(f"<b>{safe(name)}</b><br>" + "<br>".join(
                _unassigned_line(problem, u, lang) for u in items), max_width=360),
            tooltip=f"{i18n.text('map.unassigned', lang)}: {len(items)}",
        ).add_to(fg)
        if found is not None:
            for u in items:
                found.setdefault(u.item, [marker.get_name(), fg.get_name()])
    fg.add_to(m)


def _round(x: Any) -> Any:
    if isinstance(x, float):
        return round(x, 5)
    if isinstance(x, list):
        return [_round(v) for v in x]
    return x


def _features(geo: Geography, layer: str, columns: Sequence[str], tolerance: float) -> Prepared:
    """The layer as light GeoJSON features in WGS 84 (simplified, 5 decimals), prepared once.

    Maps of one run share a Geography, so the territories and roads are
    reprojected and simplified once, not once per courier map.
    """
    key = f"{layer}:{tolerance}"
    if key not in geo._prepared:
        gdf = getattr(geo, layer)
        g = gdf.to_crs(4326) if gdf.crs is not None and gdf.crs.to_epsg() != 4326 else gdf
        g = g[[c for c in columns if c in g.columns] + [g.geometry.name]].copy()
        g[g.geometry.name] = g.geometry.simplify(tolerance, preserve_topology=True)
        doc = json.loads(g.to_json(drop_id=True))
        bounds = g.geometry.bounds.to_numpy()
        prepared: Prepared = []
        for b, f in zip(bounds, doc["features"], strict=True):
            f["geometry"]["coordinates"] = _round(f["geometry"]["coordinates"])
            prepared.append(((float(b[0]), float(b[1]), float(b[2]), float(b[3])), f))
        geo._prepared[key] = prepared
    return geo._prepared[key]


def _geojson(features: Prepared, bbox: Box | None = None) -> dict[str, Any]:
    """A FeatureCollection of the features meeting ``bbox`` (all when None), as copies."""
    chosen = [
        {"type": "Feature", "geometry": f["geometry"], "properties": dict(f["properties"] or {})}
        for b, f in features
        if bbox is None or (b[0] <= bbox[2] and b[2] >= bbox[0] and b[1] <= bbox[3]
                            and b[3] >= bbox[1])
    ]
    return {"type": "FeatureCollection", "features": chosen}


def _add_basemap(m: folium.Map, geo: Geography, problem: Problem, lang: Lang,
                 po_colour: Mapping[str, str], *, bbox: Box | None = None) -> None:
    if geo.tile_url:
        folium.TileLayer(tiles=geo.tile_url, attr="© OpenStreetMap contributors",
                         name=i18n.text("map.tiles", lang), overlay=True, show=True).add_to(m)
    if geo.territories is not None and len(geo.territories):
        col, name_col = geo.territory_column, geo.territory_name_column
        doc = _geojson(_features(geo, "territories", [col, name_col], 0.0003), bbox)
        label = i18n.text("map.home_post_office", lang)
        for f in doc["features"]:
            po = str(f["properties"].get(col, ""))
            po_name = problem.site(po).name if po in problem.site_index else po
            f["properties"] = {
                "colour": po_colour.get(po, "#9e9e9e"),
                "tip": f"{safe(f['properties'].get(name_col, ''))} · {label}: {safe(po_name)}",
            }
        folium.GeoJson(
            doc,
            name=i18n.text("map.territories", lang),
            style_function=lambda f: {"fillColor": f["properties"]["colour"], "color": "#777",
                                      "weight": 0.8, "fillOpacity": 0.12},
            tooltip=folium.GeoJsonTooltip(fields=["tip"], labels=False),
        ).add_to(m)
    if geo.roads is not None and len(geo.roads):
        doc = _geojson(_features(geo, "roads", ["highway"], 0.00005), bbox)
        major = {"motorway", "trunk", "primary", "secondary"}
        folium.GeoJson(
            doc,
            name=i18n.text("map.roads", lang),
            style_function=lambda f: {
                "color": "#a8a29a",
                "weight": 2.2 if str(f["properties"].get("highway", "")) in major else 1.0,
                "opacity": 0.9,
            },
        ).add_to(m)


def _attribution(geo: Geography, lang: Lang) -> str:
    text = "© OpenStreetMap contributors"
    if geo.generated_roads:
        text += " · " + i18n.text("map.generated_roads", lang)
    return text


def _legend(lang: Lang, geo: Geography, *, unassigned: bool) -> str:
    """The legend as a <details> box, so it folds away on a small screen."""
    rows = "".join(
        f'<div class="row">{_marker_html(kind, "#fff", "", 14)}'
        f"{i18n.site_kind(kind, lang)}</div>"
        for kind in KIND_STYLE
    )
    if unassigned:
        rows += (f'<div class="row"><span class="bcci-x">✖</span>'
                 f"{i18n.text('map.unassigned', lang)}</div>")
    note = f"<div><i>{i18n.text('map.generated_roads', lang)}</i></div>" if geo.generated_roads \
        else ""
    fold = ("<script>if(window.innerWidth<1000||window.innerHeight<800){"
            "document.querySelector('.bcci-legend').removeAttribute('open');}</script>")
    return (f'<details class="bcci-legend" open><summary><b>{i18n.text("map.legend", lang)}'
            f"</b></summary>{rows}{note}</details>{fold}")


def _new_map(title: str, lang: Lang, geo: Geography, *, unassigned: bool) -> folium.Map:
    m = folium.Map(tiles=None, control_scale=True, prefer_canvas=False, zoom_start=11,
                   location=(0.0, 0.0))
    make_offline(m)
    root: Any = m.get_root()  # a branca Figure: header, html, script
    root.header.add_child(Element(f"<style>{_CSS}</style>"), name="bcci_css")
    root.html.add_child(Element(f'<div class="bcci-title">{safe(title)}</div>'))
    root.html.add_child(Element(_legend(lang, geo, unassigned=unassigned)))
    attribution = json.dumps(escape(_attribution(geo, lang)), ensure_ascii=False)
    m.add_child(_MapScript(f"{{map}}.attributionControl.addAttribution({attribution});"))
    return m


def _bounds(points: Sequence[tuple[float, float]]) -> tuple[tuple[float, float], ...]:
    """South-west and north-east corners, as (lat, lon), of ``points`` given as (lat, lon)."""
    lats = [p[0] for p in points]
    lons = [p[1] for p in points]
    return (min(lats), min(lons)), (max(lats), max(lons))


def _depot_sites(problem: Problem) -> list[Site]:
    ids = dict.fromkeys([c.start_site for c in problem.couriers] +
                        [c.end_site for c in problem.couriers] +
                        [s.id for s in problem.sites if s.kind.is_post_office])
    return [problem.site(i) for i in ids]


def _finish(m: folium.Map, points: list[tuple[float, float]]) -> folium.Map:
    folium.LayerControl(collapsed=True).add_to(m)
    if points:
        m.fit_bounds(_bounds(points), padding=(20, 20))
    return m


def overview_map(problem: Problem, plan: Plan, *, lang: Lang = "vi",
                 geography: Geography | None = None, title: str = "",
                 kpis: Kpis | None = None) -> folium.Map:
    """The dispatcher's map: all routes, depots, territories, roads, unassigned items, the panel.

    ``kpis`` are the day's figures shown in the panel (computed from the plan when None).

    Raises
    ------
    KeyError
        If the plan names a courier, site or item that the problem does not have.
    """
    geo = geography or Geography()
    views = [route_view(problem, r) for r in plan.routes]
    depots = _depot_sites(problem)
    colours = {v.courier.id: route_colour(i) for i, v in enumerate(views)}
    po_colour = {s.id: route_colour(i + 3) for i, s in enumerate(depots)}
    m = _new_map(title or i18n.text("map.overview", lang), lang, geo,
                 unassigned=bool(plan.unassigned))
    _add_basemap(m, geo, problem, lang, po_colour)
    points: list[tuple[float, float]] = [(s.lat, s.lon) for s in depots]
    placed: dict[str, int] = {}
    found: dict[str, list[str]] = {}
    groups: dict[str, str] = {}
    for v in views:
        fg = folium.FeatureGroup(name=_layer_name(v, colours[v.courier.id]))
        _add_route(fg, v, colours[v.courier.id], lang, geo.route_shapes, placed=placed,
                   found=found)
        fg.add_to(m)
        groups[v.courier.id] = fg.get_name()
        points += [(sv.site.lat, sv.site.lon) for sv in v.stops]
    _add_depots(m, depots, lang)
    _add_unassigned(m, problem, plan, lang, found)
    points += [(problem.site(problem.item(u.item).pickup_site).lat,
                problem.site(problem.item(u.item).pickup_site).lon) for u in plan.unassigned]
    figures = kpis if kpis is not None else compute_kpis(problem, plan)
    panel = _panel_html(problem, plan, views, colours=colours, kpis=figures, lang=lang)
    _add_panel(m, panel, {"found": found, "groups": groups,
                          "not_found": i18n.text("map.not_found", lang)})
    return _finish(m, points)


def _panel_html(problem: Problem, plan: Plan, views: Sequence[RouteView], *,
                colours: Mapping[str, str], kpis: Kpis, lang: Lang) -> str:
    """The dispatch panel: search, figures, couriers, unassigned items, couriers without a route."""
    t = i18n.messages(lang)
    figures = "".join(f"<tr><td>{safe(a)}</td><td>{safe(b)}</td></tr>"
                      for a, b in summary_rows(kpis, lang))
    couriers = "".join(
        f'<li data-c="{safe(v.courier.id)}">'
        f'<span class="sw" style="background:{colours[v.courier.id]}"></span>'
        f"<b>{safe(v.courier.id)}</b> · {safe(v.courier.name)}<br>"
        f"{s_to_hhmm(v.route.start_s)}–{s_to_hhmm(v.route.end_s)} · "
        f"{t('map.stops_items', stops=len(v.stops), items=v.delivered)}</li>"
        for v in views)
    unassigned = "".join(f"<li>{_unassigned_line(problem, u, lang)}</li>"
                         for u in plan.unassigned)
    used = {v.courier.id for v in views if v.stops}
    idle = "".join(f"<li>{safe(c.id)} · {safe(c.name)} ({i18n.vehicle(c.vehicle, lang)})</li>"
                   for c in problem.couriers if c.id not in used)
    n_idle = len(problem.couriers) - len(used)
    return (
        f'<details class="bcci-panel" open><summary><b>{t("map.panel")}</b></summary>'
        f'<div class="bcci-search"><input id="bcci-q" type="search" '
        f'placeholder="{t("map.search_hint")}" aria-label="{t("map.search")}">'
        f'<div id="bcci-msg"></div></div>'
        f"<details><summary>{t('map.figures')}</summary><table>{figures}</table></details>"
        f"<details><summary>{t('map.couriers')} ({len(views)})</summary>"
        f'<ul class="bcci-couriers">{couriers}</ul></details>'
        f"<details><summary>{t('map.unassigned')} ({len(plan.unassigned)})</summary>"
        f"<ul>{unassigned}</ul></details>"
        f"<details><summary>{t('map.idle')} ({n_idle})</summary><ul>{idle}</ul></details>"
        "</details>"
        "<script>if(window.innerWidth<1000){"
        "document.querySelector('.bcci-panel').removeAttribute('open');}</script>"
    )


def _add_panel(m: folium.Map, html: str, data: Mapping[str, Any]) -> None:
    """Put the panel on the page and wire its search box and courier list to the map.

    ``data`` (tracking code → [marker, layer] JavaScript names, courier → layer,
    messages) goes into a JSON block, with ``<`` escaped so no text closes the script.
    """
    root: Any = m.get_root()
    block = json.dumps(data, ensure_ascii=False).replace("<", "\\u003c")
    root.html.add_child(Element(f'{html}<script type="application/json" id="bcci-data">'
                                f"{block}</script>"))
    m.add_child(_MapScript(_PANEL_JS))


#: The panel's behaviour: Enter in the search box (or ``overview.html#<code>``) opens the
#: stop of a tracking code (exact, else the first code containing the text); a click on a
#: courier shows and fits its route.
_PANEL_JS = """
(function(){
 var map = {map}, data = JSON.parse(document.getElementById('bcci-data').textContent);
 var found = data.found, groups = data.groups, msg = document.getElementById('bcci-msg');
 function show(g){
  var layer = window[g];
  if(layer && !map.hasLayer(layer)){ map.addLayer(layer); }
  return layer;
 }
 function find(text){
  var q = text.trim().toUpperCase(), hit = found[q];
  if(!hit){ for(var k in found){ if(k.indexOf(q) >= 0 && q){ hit = found[k]; break; } } }
  if(!hit){ msg.textContent = data.not_found; return; }
  msg.textContent = '';
  show(hit[1]); var mk = window[hit[0]];
  map.setView(mk.getLatLng(), Math.max(map.getZoom(), 14)); mk.openPopup();
 }
 var box = document.getElementById('bcci-q');
 box.addEventListener('keydown', function(ev){ if(ev.key === 'Enter'){ find(this.value); } });
 if(location.hash.length > 1){
  box.value = decodeURIComponent(location.hash.slice(1)); find(box.value);
 }
 document.querySelectorAll('.bcci-couriers li').forEach(function(li){
  li.addEventListener('click', function(){
   var layer = show(groups[li.dataset.c]);
   if(layer && layer.getBounds().isValid()){
    map.fitBounds(layer.getBounds(), {padding: [20, 20]});
   }
  });
 });
})();
"""


def _layer_name(v: RouteView, colour: str) -> str:
    swatch = f'<span style="display:inline-block;width:18px;height:4px;background:{colour};' \
             'vertical-align:middle;margin-right:4px"></span>'
    return f"{swatch}{safe(v.courier.id)} · {safe(v.courier.name)} ({len(v.stops)})"


def courier_map(problem: Problem, plan: Plan, courier: str, *, lang: Lang = "vi",
                geography: Geography | None = None, title: str = "") -> folium.Map:
    """One courier's map: the route with numbered stops, its depots and the basemap.

    Raises
    ------
    KeyError
        If ``courier`` has no route in ``plan``.
    """
    route = plan.route_of(courier)
    if route is None:
        raise KeyError(f"courier '{courier}' has no route in the plan")
    geo = geography or Geography()
    view = route_view(problem, route)
    index = [r.courier for r in plan.routes].index(courier)
    colour = route_colour(index)
    depots = list(dict.fromkeys([view.start_site, view.end_site]))
    default_title = f"{i18n.text('sheet.title', lang)} · {view.courier.name} ({courier})"
    points = [(s.lat, s.lon) for s in depots] + [(sv.site.lat, sv.site.lon) for sv in view.stops]
    points += [(p[0], p[1]) for line in _path(view, geo.route_shapes) for p in line]
    (lat0, lon0), (lat1, lon1) = _bounds(points)
    pad = 0.02  # about 2 km of context around the route
    bbox = (lon0 - pad, lat0 - pad, lon1 + pad, lat1 + pad)
    m = _new_map(title or default_title, lang, geo, unassigned=False)
    _add_basemap(m, geo, problem, lang, {s.id: route_colour(index + 3) for s in depots},
                 bbox=bbox)
    fg = folium.FeatureGroup(name=_layer_name(view, colour))
    _add_route(fg, view, colour, lang, geo.route_shapes)
    fg.add_to(m)
    _add_depots(m, depots, lang)
    return _finish(m, points)

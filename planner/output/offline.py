"""Offline map HTML: Leaflet inlined from the vendored files, no CDN reference left.

folium's default page loads Leaflet, jQuery, Bootstrap and awesome-markers from
CDNs; a courier's phone or a post office PC is often offline. We clear those
references, inline the vendored Leaflet 1.9.4 (``static/leaflet``, BSD-2) and
refuse to write a page that still points at a remote script or style sheet.
"""

from __future__ import annotations

import base64
import re
from importlib import resources
from pathlib import Path

import folium
from branca.element import Element

from planner.exceptions import PlannerError

#: A <script src=...> or <link href=...> pointing at another host.
_EXTERNAL = re.compile(
    r"<(?:script|link)\b[^>]*\b(?:src|href)\s*=\s*[\"']?\s*(?:https?:)?//", re.IGNORECASE
)


def _static(*parts: str) -> bytes:
    return resources.files("planner.output").joinpath("static", *parts).read_bytes()


def leaflet_css() -> str:
    """Leaflet's style sheet with its layer-control images inlined as data URIs."""
    css = _static("leaflet", "leaflet.css").decode("utf-8")
    for name in ("layers.png", "layers-2x.png"):
        data = base64.b64encode(_static("leaflet", "images", name)).decode("ascii")
        css = css.replace(f"url(images/{name})", f"url(data:image/png;base64,{data})")
    return css


def leaflet_js() -> str:
    """Leaflet's script, safe to place inside a <script> element."""
    return _static("leaflet", "leaflet.js").decode("utf-8").replace("</script", "<\\/script")


#: folium builds popup contents with jQuery's ``$(html)[0]``; this is all of jQuery it needs.
JQUERY_SHIM = (
    "window.$=window.$||function(h){var t=document.createElement('template');"
    "t.innerHTML=String(h).trim();return [t.content.firstChild];};"
)


def make_offline(m: folium.Map) -> folium.Map:
    """Drop folium's CDN assets from ``m`` and inline the vendored Leaflet instead.

    jQuery is replaced by :data:`JQUERY_SHIM` (folium only uses it to parse popup HTML).
    """
    m.default_js = []
    m.default_css = []
    header = m.get_root().header  # type: ignore[attr-defined]
    header.add_child(Element(f"<style>{leaflet_css()}</style>"), name="leaflet_css_inline")
    header.add_child(Element(f"<script>{leaflet_js()}</script>"), name="leaflet_js_inline")
    header.add_child(Element(f"<script>{JQUERY_SHIM}</script>"), name="jquery_shim")
    return m


def external_references(html: str) -> list[str]:
    """The script and link tags of ``html`` that load something from another host."""
    return [m.group(0) for m in _EXTERNAL.finditer(html)]


def render_offline(m: folium.Map) -> str:
    """Render ``m`` (made offline with :func:`make_offline`) to a self-contained HTML page.

    Raises
    ------
    PlannerError
        If the page still references a remote script or style sheet (a folium
        element that pulls in a CDN plugin was used).
    """
    html: str = m.get_root().render()
    found = external_references(html)
    if found:
        raise PlannerError(
            f"map would need the network: {len(found)} remote reference(s), first {found[0]!r}"
        )
    return html


def write_offline(m: folium.Map, path: Path) -> Path:
    """Write ``m`` as a self-contained offline HTML page and return its path."""
    path.write_text(render_offline(m), encoding="utf-8")
    return path

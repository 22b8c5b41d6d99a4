"""Generate the sample province's road network as an OSM XML file (GENERATED, not surveyed).

Run ``python -m geodata.sample._generate`` to rewrite ``data/lang_son_roads.osm.gz``;
:func:`generate` lays the same kind of network over any province's communes.
Over the real 2025 commune points of Lạng Sơn (vietnamadminunits, MIT) it lays:
trunk roads (``primary``) along Delaunay shortest paths from the provincial
centre to the former district seats, local roads (``tertiary``/``unclassified``)
along the minimum spanning tree plus a share of other short Delaunay edges, each
drawn as a wiggly polyline whose detour grows with its length, and in every
commune a few motorbike-only alleys (``service=alley``) plus one-way streets in
the city wards. Seeded, so the file is reproducible.
"""

from __future__ import annotations

import gzip
import itertools
import math
import zlib
from collections.abc import Sequence
from pathlib import Path
from xml.sax.saxutils import quoteattr

import networkx as nx
import numpy as np
import numpy.typing as npt
from scipy.spatial import Delaunay

from geodata.sample._communes import CENTRE_CODE, TOWN_CODES, Commune, load_communes

SEED = 20250701
OUT = Path(__file__).parent / "data" / "lang_son_roads.osm.gz"


class _Writer:
    """Collects OSM nodes and ways with increasing ids."""

    def __init__(self) -> None:
        self.nodes: list[tuple[int, float, float]] = []
        self.ways: list[tuple[int, list[int], dict[str, str]]] = []

    def node(self, lon: float, lat: float) -> int:
        self.nodes.append((len(self.nodes) + 1, lon, lat))
        return len(self.nodes)

    def way(self, refs: list[int], tags: dict[str, str]) -> None:
        self.ways.append(
            (len(self.ways) + 1, refs, {**tags, "source": "generated:bcci-dispatch-sample"})
        )

    def xml(self) -> str:
        out = [
            '<?xml version="1.0" encoding="UTF-8"?>',
            '<osm version="0.6" generator="bcci-dispatch geodata.sample (GENERATED road network)">',
            "  <note>GENERATED sample road network over real commune points;"
            " not a survey of real roads.</note>",
        ]
        out += [
            f'  <node id="{i}" version="1" lat="{la:.7f}" lon="{lo:.7f}"/>'
            for i, lo, la in self.nodes
        ]
        for i, refs, tags in self.ways:
            out.append(f'  <way id="{i}" version="1">')
            out += [f'    <nd ref="{r}"/>' for r in refs]
            out += [f"    <tag k={quoteattr(k)} v={quoteattr(v)}/>" for k, v in tags.items()]
            out.append("  </way>")
        out.append("</osm>")
        return "\n".join(out) + "\n"


def _polyline(
    a: npt.NDArray[np.float64], b: npt.NDArray[np.float64], rng: np.random.Generator
) -> npt.NDArray[np.float64]:
    """A wiggly line from a to b: vertices every ~400 m, sideways drift grows with length."""
    km = math.dist(a, b) * 105
    n = max(2, int(km / 0.4))
    t = np.linspace(0, 1, n + 1)
    normal = np.array([-(b - a)[1], (b - a)[0]])
    bend = rng.normal(0, 0.12) * np.sin(math.pi * t) + rng.normal(0, 0.02, len(t)) * np.sin(
        math.pi * t
    )
    return a + np.outer(t, b - a) + np.outer(bend, normal)


def _road(
    w: _Writer,
    ends: tuple[int, int],
    xy: npt.NDArray[np.float64],
    rng: np.random.Generator,
    tags: dict[str, str],
) -> None:
    line = _polyline(xy[0], xy[1], rng)
    refs = [ends[0], *[w.node(float(x), float(y)) for x, y in line[1:-1]], ends[1]]
    w.way(refs, tags)


def _alleys(w: _Writer, c: Commune, hub: int, rng: np.random.Generator, n: int) -> None:
    """Short dead-end ngõ from the commune's centre, motorbikes only."""
    for k in range(n):
        ang = rng.uniform(0, 2 * math.pi)
        refs = [hub]
        for step in range(1, 4):
            r = 0.0012 * step
            refs.append(
                w.node(c.lon + r * math.cos(ang) + rng.normal(0, 2e-4), c.lat + r * math.sin(ang))
            )
        w.way(
            refs, {"highway": "service", "service": "alley", "name": f"Ngõ {k + 1} {c.short_name}"}
        )


def generate(
    communes: Sequence[Commune] | None = None,
    centre: str = CENTRE_CODE,
    towns: Sequence[str] = TOWN_CODES,
    seed: int | Sequence[int] = SEED,
) -> str:
    """The OSM XML text of a generated network over ``communes`` (default: the sample's).

    Trunk roads run from ``centre`` to each of ``towns`` (commune codes);
    ``seed`` seeds every random choice (the sample: :data:`SEED`; another
    province: ``[SEED, int(code)]``, :func:`province_seed`).
    """
    rng = np.random.default_rng(seed)
    communes = tuple(communes) if communes is not None else load_communes()
    xy = np.array([[c.lon, c.lat] for c in communes])
    w = _Writer()
    hub = [w.node(c.lon, c.lat) for c in communes]
    tri = Delaunay(xy)
    g = nx.Graph()
    for s in tri.simplices:
        for i, j in ((s[0], s[1]), (s[1], s[2]), (s[0], s[2])):
            g.add_edge(int(i), int(j), weight=math.dist(xy[i], xy[j]))
    code = {c.code: k for k, c in enumerate(communes)}
    trunk: set[tuple[int, int]] = set()
    for town in towns:
        path = nx.shortest_path(g, code[centre], code[town], weight="weight")
        trunk |= {(min(a, b), max(a, b)) for a, b in itertools.pairwise(path)}
    mst = {tuple(sorted(e)) for e in nx.minimum_spanning_edges(g, data=False)}
    median = float(np.median([d["weight"] for *_, d in g.edges(data=True)]))
    for i, j, d in sorted(g.edges(data=True)):
        e = (min(i, j), max(i, j))
        if e in trunk:
            tags = {"highway": "primary", "name": "Quốc lộ (sinh tạo)", "ref": "QL"}
        elif e in mst:
            tags = {
                "highway": "tertiary",
                "name": f"Đường {communes[i].short_name} – {communes[j].short_name}",
            }
        elif d["weight"] < median and rng.random() < 0.45:
            tags = {"highway": "unclassified"}
        else:
            continue
        _road(w, (hub[i], hub[j]), xy[[i, j]], rng, tags)
    for k, c in enumerate(communes):
        _alleys(w, c, hub[k], rng, 3 if c.is_ward else 1)
        if c.is_ward:  # a one-way loop around the ward's centre
            loop = [
                w.node(c.lon + 0.002 * math.cos(a), c.lat + 0.002 * math.sin(a))
                for a in np.linspace(0, 2 * math.pi, 7)[:-1]
            ]
            w.way(
                [*loop, loop[0]],
                {
                    "highway": "residential",
                    "oneway": "yes",
                    "name": f"Phố một chiều {c.short_name}",
                },
            )
            w.way([hub[k], loop[0]], {"highway": "residential"})
    return w.xml()


def province_seed(code: str) -> list[int]:
    """The generator's seed for province ``code`` (other than the sample's saved file)."""
    return [SEED, int(code) if code.isdigit() else zlib.crc32(code.encode())]


def main() -> None:
    """Write the gzipped OSM file next to this module (deterministic gzip header)."""
    with OUT.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as f:
        f.write(generate().encode())


if __name__ == "__main__":
    main()

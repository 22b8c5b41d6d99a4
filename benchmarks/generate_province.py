"""Generate a province day in the Li & Lim format of ``../shared/benchmarks/province/``.

``python -m benchmarks.generate_province --province 38 --requests 3000 --out FILE``
writes a single-depot pickup-and-delivery day on the real 2025 communes of a
province (``../shared/geodata/vn2025_commune_points.csv``), shaped like the
shared province days: coordinates in km from the depot (the commune nearest the
population-weighted centre), travel time = distance at unit speed (minutes at
60 km/h), a 600-minute horizon, 5-minute hand-overs, one item a request,
40-item vehicles, and 12 vehicles per 100 requests. Addresses are commune points
moved up to the commune's own radius; requests are dossiers (citizen → the
one-stop shop of a commune within 25 km, or the depot for one in seven) and
results (back again), ready on the hour from 0 to 360 and open 240-420 minutes.
Seeded: the same arguments give the same file.
"""

from __future__ import annotations

import argparse
import csv
import math
import random
from pathlib import Path

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
COMMUNES = SHARED / "geodata" / "vn2025_commune_points.csv"
HORIZON = 600
CAPACITY = 40


def _communes(province: str) -> list[tuple[float, float, float, float]]:
    """(lon, lat, population, area km²) of the province's communes."""
    with COMMUNES.open(encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if r["province_code"] == province]
    if not rows:
        raise SystemExit(f"no communes for province code {province} in {COMMUNES}")
    return [(float(r["lon"]), float(r["lat"]), float(r["population"] or 1),
             float(r["area_km2"] or 1)) for r in rows]


def generate(province: str, requests: int, seed: int) -> str:
    """The day as Li & Lim text."""
    rng = random.Random(seed)
    communes = _communes(province)
    pop = sum(c[2] for c in communes)
    clon = sum(c[0] * c[2] for c in communes) / pop
    clat = sum(c[1] * c[2] for c in communes) / pop
    depot = min(communes, key=lambda c: (c[0] - clon) ** 2 + (c[1] - clat) ** 2)
    kx = 111.32 * math.cos(math.radians(depot[1]))

    def km(lon: float, lat: float) -> tuple[float, float]:
        return round((lon - depot[0]) * kx, 2), round((lat - depot[1]) * 111.32, 2)

    def address(c: tuple[float, float, float, float]) -> tuple[float, float]:
        r = math.sqrt(c[3] / math.pi) * rng.random()
        a = rng.uniform(0, 2 * math.pi)
        x, y = km(c[0], c[1])
        return round(x + r * math.cos(a), 2), round(y + r * math.sin(a), 2)

    shops = [km(c[0], c[1]) for c in communes]
    weights = [c[2] for c in communes]
    pairs = []
    for _ in range(requests):
        home = address(rng.choices(communes, weights)[0])
        near = ([s for s in shops if math.dist(s, home) <= 25]
                or [min(shops, key=lambda s: math.dist(s, home))])
        shop = (0.0, 0.0) if rng.random() < 1 / 7 else rng.choice(near)
        a, b = (home, shop) if rng.random() < 0.6 else (shop, home)
        ready = 60 * rng.randint(0, 6)
        due = min(HORIZON, ready + rng.randint(240, 420))
        pairs.append((a, b, ready, due))
    lines = [f"{math.ceil(requests * 0.12)}\t{CAPACITY}\t1"]
    rows = ["0\t0.00\t0.00\t0\t0\t600\t0\t0\t0"]
    for k, (a, b, ready, due) in enumerate(pairs):
        p, d = 2 * k + 1, 2 * k + 2
        rows.append(f"{p}\t{a[0]:.2f}\t{a[1]:.2f}\t1\t{ready}\t{due}\t5\t0\t{d}")
        rows.append(f"{d}\t{b[0]:.2f}\t{b[1]:.2f}\t-1\t{ready}\t{HORIZON}\t5\t{p}\t0")
    return "\n".join(lines + rows) + "\n"


def main() -> None:
    """Write the generated day."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--province", default="38", help="2025 province code (default 38, Thanh Hóa)")
    ap.add_argument("--requests", type=int, default=3000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args()
    args.out.write_text(generate(args.province, args.requests, args.seed), encoding="utf-8")


if __name__ == "__main__":
    main()

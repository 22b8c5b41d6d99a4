"""The sample province's real communes (package data from vietnamadminunits, MIT)."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from importlib import resources

CENTRE_CODE = "05983"  # Phường Lương Văn Tri: provincial centre (Lạng Sơn city)
TOWN_CODES = (
    "06040",
    "06124",
    "06112",
    "06325",
    "06253",
    "06211",
    "06529",
    "06463",
    "06613",
    "06385",
    "06184",
)
"""Pre-2025 district seats kept as 2025 communes: Thất Khê, Na Sầm, Bình Gia,
Bắc Sơn, Văn Quan, Cao Lộc, Lộc Bình, Chi Lăng (Đồng Mỏ), Đình Lập, Hữu Lũng,
Đồng Đăng."""


@dataclass(frozen=True)
class Commune:
    """One 2025 commune of the sample province."""

    code: str
    name: str
    type: str
    lon: float
    lat: float
    area_km2: float

    @property
    def short_name(self) -> str:
        """The name without its ``Xã``/``Phường`` prefix."""
        return self.name.removeprefix(self.type).strip()

    @property
    def is_ward(self) -> bool:
        """An urban ward (phường)."""
        return self.type == "Phường"


def load_communes() -> tuple[Commune, ...]:
    """The 65 communes of Lạng Sơn (2025 codes, names, approximate points)."""
    text = (
        resources.files("geodata.sample").joinpath("data/lang_son_communes.csv").read_text("utf-8")
    )
    rows = list(csv.DictReader(text.splitlines()))
    return tuple(
        Commune(
            r["code"],
            r["name"],
            r["type"],
            float(r["lon"]),
            float(r["lat"]),
            float(r["area_km2"] or 0),
        )
        for r in rows
    )

"""Geographic sites: a named place with a kind and a point (no hours, no orders)."""

from __future__ import annotations

from dataclasses import dataclass

SITE_KINDS = frozenset(
    {
        "provincial_post_office",
        "district_post_office",
        "post_point",
        "commune_one_stop",
        "district_one_stop",
        "service_center",
        "citizen",
    }
)
"""Allowed ``GeoSite.kind`` values: the values of ``planner.domain.sites.SiteKind``."""


@dataclass(frozen=True)
class GeoSite:
    """A place on the map the planner may turn into a stop.

    ``kind`` is one of :data:`SITE_KINDS`; ``commune_code`` is the 2025
    commune (mã ĐVHC) the site lies in.
    """

    id: str
    name: str
    kind: str
    lon: float
    lat: float
    commune_code: str
    address: str

    def __post_init__(self) -> None:
        """Reject an unknown kind or a point outside lon/lat ranges."""
        if self.kind not in SITE_KINDS:
            raise ValueError(f"site {self.id}: unknown kind {self.kind!r}")
        if not (-180 <= self.lon <= 180 and -90 <= self.lat <= 90):
            raise ValueError(f"site {self.id}: point ({self.lon}, {self.lat}) out of range")

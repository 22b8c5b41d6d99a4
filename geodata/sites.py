"""Geographic sites: a named place with a kind and a point (no hours, no orders)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio

from geodata import _validate as v
from geodata.exceptions import ValidationError

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


def read_sites(path: str | Path) -> tuple[GeoSite, ...]:
    """Read sites from a CSV (``lon``/``lat`` columns) or a point layer (GeoJSON, GPKG, SHP).

    Required columns: ``id``, ``name``, ``kind``; optional ``commune_code``, ``address``.

    Raises
    ------
    ValidationError
        Missing column, empty or duplicate id, unknown kind, bad coordinate; the
        message names the file, row and field.
    """
    src = str(path)
    df = _read_table(Path(path))
    v.require_columns(df, ("id", "name", "kind"), src)
    v.require_values(df, ("id", "name", "kind"), src)
    v.require_unique(df, "id", src)
    bad = ~df["kind"].isin(SITE_KINDS)
    if bad.any():
        i = int(bad.to_numpy().argmax())
        raise ValidationError(
            f"unknown kind {df['kind'].iloc[i]!r}; expected one of {', '.join(sorted(SITE_KINDS))}",
            source=src,
            row=i + 1,
            field="kind",
        )
    lon = v.require_float_range(df, "lon", -180, 180, src)
    lat = v.require_float_range(df, "lat", -90, 90, src)
    opt = {
        c: df[c].fillna("").astype(str) if c in df.columns else pd.Series([""] * len(df))
        for c in ("commune_code", "address")
    }
    return tuple(
        GeoSite(
            str(df["id"].iloc[i]),
            str(df["name"].iloc[i]),
            str(df["kind"].iloc[i]),
            float(lon.iloc[i]),
            float(lat.iloc[i]),
            opt["commune_code"].iloc[i],
            opt["address"].iloc[i],
        )
        for i in range(len(df))
    )


def _read_table(path: Path) -> pd.DataFrame:
    try:
        if path.suffix.lower() == ".csv":
            df = pd.read_csv(path, dtype=str, keep_default_na=False)
            v.require_columns(df, ("lon", "lat"), str(path))
            return df
        gdf = v.require_geometry(gpd.read_file(path, engine="pyogrio"), str(path), ("Point",))
    except (OSError, pd.errors.ParserError, pyogrio.errors.DataSourceError) as err:
        raise ValidationError(f"cannot read: {err}", source=str(path)) from err
    return pd.DataFrame(gdf.drop(columns="geometry")).assign(lon=gdf.geometry.x, lat=gdf.geometry.y)

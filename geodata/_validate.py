"""Validation of tables and layers read from users' files (errors name file, row, field)."""

from __future__ import annotations

from collections.abc import Iterable

import geopandas as gpd
import pandas as pd

from geodata.exceptions import ValidationError


def require_columns(df: pd.DataFrame, columns: Iterable[str], source: str) -> None:
    """Raise if a required column is missing."""
    for c in columns:
        if c not in df.columns:
            raise ValidationError(
                f"missing column (have: {', '.join(map(str, df.columns))})", source=source, field=c
            )


def require_values(df: pd.DataFrame, columns: Iterable[str], source: str) -> None:
    """Raise at the first empty cell of a required column (rows count from 1 after the header)."""
    for c in columns:
        empty = df[c].isna() | (df[c].astype(str).str.strip() == "")
        if empty.any():
            raise ValidationError(
                "empty value", source=source, row=int(empty.to_numpy().argmax()) + 1, field=c
            )


def require_unique(df: pd.DataFrame, column: str, source: str) -> None:
    """Raise at the first duplicate of ``column``."""
    dup = df[column].duplicated()
    if dup.any():
        i = int(dup.to_numpy().argmax())
        raise ValidationError(
            f"duplicate value {df[column].iloc[i]!r}", source=source, row=i + 1, field=column
        )


def require_float_range(
    df: pd.DataFrame, column: str, lo: float, hi: float, source: str
) -> pd.Series:
    """The column as floats; raise at the first non-number or value outside [lo, hi]."""
    values = pd.to_numeric(df[column], errors="coerce")
    bad = values.isna() | (values < lo) | (values > hi)
    if bad.any():
        i = int(bad.to_numpy().argmax())
        raise ValidationError(
            f"{df[column].iloc[i]!r} is not a number in [{lo}, {hi}]",
            source=source,
            row=i + 1,
            field=column,
        )
    return values.astype(float)


def require_geometry(
    gdf: gpd.GeoDataFrame, source: str, kinds: tuple[str, ...]
) -> gpd.GeoDataFrame:
    """Check the CRS (reprojecting to EPSG:4326) and each feature's geometry type and validity."""
    if gdf.crs is None:
        raise ValidationError(
            "no coordinate reference system (CRS) declared", source=source, field="crs"
        )
    if gdf.crs.to_epsg() != 4326:
        gdf = gdf.to_crs(4326)
    for i, g in enumerate(gdf.geometry):
        if g is None or g.is_empty:
            raise ValidationError("empty geometry", source=source, row=i + 1, field="geometry")
        if g.geom_type not in kinds:
            raise ValidationError(
                f"{g.geom_type} is not one of {', '.join(kinds)}",
                source=source,
                row=i + 1,
                field="geometry",
            )
        if not g.is_valid:
            raise ValidationError(
                "invalid geometry (self-intersection?)", source=source, row=i + 1, field="geometry"
            )
    return gdf

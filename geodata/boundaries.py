"""Administrative units: read boundary layers, model any hierarchy as data, locate points.

Two systems live in users' data: before July 2025 (province → district → commune)
and after (province → commune). A :class:`Hierarchy` holds its level names in
order and one table of units (``code``, ``name``, ``level``, ``parent_code``,
``geometry``), so both are the same type with different ``levels``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import shapely

from geodata import _validate as v
from geodata.exceptions import ValidationError

LEVELS_2025 = ("province", "commune")
LEVELS_2024 = ("province", "district", "commune")
_POLYGONS = ("Polygon", "MultiPolygon")


def read_boundaries(
    path: str | Path, code: str = "code", name: str = "name", parent: str | None = None
) -> gpd.GeoDataFrame:
    """Read a GeoJSON / GeoPackage / Shapefile of unit polygons, validated.

    Parameters
    ----------
    path : str or Path
        The layer file.
    code, name : str
        Columns holding each unit's code (kept as text, e.g. ``"05977"``) and name.
    parent : str, optional
        Column with the parent unit's code (e.g. ``province_code``).

    Returns
    -------
    GeoDataFrame
        Columns ``code``, ``name``, ``parent_code`` (or None) and ``geometry``, EPSG:4326.

    Raises
    ------
    ValidationError
        Unreadable file, missing CRS or column, empty/invalid/non-polygon geometry,
        empty or duplicate code; the message names file, feature and field.
    """
    src = str(path)
    try:
        gdf = gpd.read_file(path, engine="pyogrio")
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError, OSError) as err:
        raise ValidationError(f"cannot read: {err}", source=src) from err
    cols = [code, name] + ([parent] if parent else [])
    v.require_columns(gdf, cols, src)
    v.require_values(gdf, cols, src)
    v.require_unique(gdf, code, src)
    gdf = v.require_geometry(gdf, src, _POLYGONS)
    return gpd.GeoDataFrame(
        {
            "code": gdf[code].astype(str),
            "name": gdf[name].astype(str),
            "parent_code": gdf[parent].astype(str) if parent else None,
        },
        geometry=gdf.geometry.to_numpy(),
        crs="EPSG:4326",
    )


@dataclass(frozen=True)
class Hierarchy:
    """Administrative units of one system: ``levels`` top-down and one ``units`` table."""

    levels: tuple[str, ...]
    units: gpd.GeoDataFrame

    @classmethod
    def from_layers(cls, levels: Sequence[str], layers: Sequence[gpd.GeoDataFrame]) -> Hierarchy:
        """Stack one layer per level; every parent code must exist one level up.

        Raises
        ------
        ValidationError
            A unit's ``parent_code`` names no unit of the level above.
        """
        if len(levels) != len(layers):
            raise ValidationError(f"{len(levels)} levels but {len(layers)} layers", field="levels")
        frames = []
        for k, (level, layer) in enumerate(zip(levels, layers, strict=True)):
            if k > 0:
                known = set(layers[k - 1]["code"])
                bad = ~layer["parent_code"].isin(known)
                if bad.any():
                    i = int(bad.to_numpy().argmax())
                    raise ValidationError(
                        f"parent {layer['parent_code'].iloc[i]!r} is no {levels[k - 1]}",
                        source=level,
                        row=i + 1,
                        field="parent_code",
                    )
            frames.append(layer.assign(level=level))
        units = gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), crs="EPSG:4326")
        return cls(tuple(levels), units)

    def level(self, name: str) -> gpd.GeoDataFrame:
        """The units of one level."""
        if name not in self.levels:
            raise ValidationError(f"no level {name!r} in {self.levels}", field="level")
        return self.units[self.units["level"] == name]

    def children(self, code: str) -> gpd.GeoDataFrame:
        """Units whose parent is ``code``."""
        return self.units[self.units["parent_code"] == code]

    def path(self, code: str) -> list[str]:
        """Codes from the top level down to ``code``."""
        by_code = self.units.set_index(["level", "code"])["parent_code"]
        out = [code]
        for level in reversed(self.levels[1:]):
            key = (level, out[0])
            if key in by_code.index:
                out.insert(0, str(by_code.loc[key]))
        return out

    def locate(self, lon: float, lat: float, level: str | None = None) -> str | None:
        """Code of the unit of ``level`` (default: the lowest) containing the point, or None."""
        units = self.level(level or self.levels[-1])
        hits = units.sindex.query(shapely.Point(lon, lat), predicate="intersects")
        return str(units["code"].iloc[int(hits[0])]) if len(hits) else None

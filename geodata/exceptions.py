"""Geodata exceptions: each names the file, row or feature and the field at fault."""

from __future__ import annotations


class GeodataError(Exception):
    """Base of every error ``geodata`` raises on purpose."""


class ValidationError(GeodataError, ValueError):
    """A file or table that does not meet its schema (names file, row/feature, field)."""

    def __init__(
        self,
        message: str,
        *,
        source: str | None = None,
        row: int | str | None = None,
        field: str | None = None,
    ) -> None:
        self.source, self.row, self.field, self.message = source, row, field, message
        where = [str(x) for x in (source,) if x is not None]
        if row is not None:
            where.append(f"row {row}")
        if field is not None:
            where.append(f"field '{field}'")
        super().__init__(f"{', '.join(where)}: {message}" if where else message)


class NoPathError(GeodataError):
    """Sites that cannot reach each other on the road network (named by site)."""


class SnapError(GeodataError):
    """A site too far from any road to route from it without a wrong place."""

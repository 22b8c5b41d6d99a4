"""The code's version, as installed."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version


def code_version() -> str:
    """The installed package's version (``0+unknown`` from a bare checkout)."""
    try:
        return version("bcci-dispatch")
    except PackageNotFoundError:  # pragma: no cover
        return "0+unknown"

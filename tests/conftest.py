"""Shared test fixtures: where ../shared is, and tools that must exist under CI.

Tests that need a system tool (pdftotext, chromium) or the shared reference data
skip with a visible reason on a developer machine without them, and FAIL when
``CI=true``: CI installs them, so a skip there would hide a broken set-up.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


def on_ci() -> bool:
    """Whether the suite runs under CI (``CI=true``)."""
    return os.environ.get("CI", "").lower() == "true"


def need(condition: bool, reason: str) -> None:
    """Skip (developer machine) or fail (CI) when ``condition`` does not hold."""
    if condition:
        return
    if on_ci():
        pytest.fail(f"required under CI=true: {reason}")
    pytest.skip(reason)


def need_executable(name: str) -> str:
    """Path of executable ``name``; skip or fail (under CI) when it is missing."""
    path = shutil.which(name)
    need(path is not None, f"'{name}' is not installed (apt-get install it)")
    assert path is not None
    return path


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The read-only ``../shared`` folder beside the repository (benchmarks, geodata)."""
    need(SHARED.is_dir(), f"{SHARED} (the shared reference data) is absent")
    return SHARED

"""``planner bench``: benchmark commands (``vrp``, ``matrix``), one module each."""

from __future__ import annotations

import argparse
import importlib
from typing import Any

#: Modules under ``planner.commands`` that add a ``planner bench <name>`` parser.
BENCH_COMMANDS: tuple[str, ...] = ("bench_matrix", "bench_vrp")


def register(sub: Any) -> None:
    """Add ``planner bench`` and its sub-commands to the top-level parser."""
    parser: argparse.ArgumentParser = sub.add_parser(
        "bench", help="benchmarks: solver against best-known results, matrix speed"
    )
    bench_sub = parser.add_subparsers(dest="bench", required=True)
    for name in BENCH_COMMANDS:
        importlib.import_module(f"planner.commands.{name}").register(bench_sub)

"""The ``planner`` command: parses arguments and translates project errors once.

Each sub-command lives in ``planner.commands.<name>`` with a ``register``
function that adds its parser and sets ``func``; this module only assembles
them and maps :class:`~planner.exceptions.PlannerError`,
:class:`~geodata.exceptions.GeodataError` and operating-system errors (a disk
that fills while writing) to a readable message and exit code 2.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from geodata.exceptions import GeodataError
from planner.exceptions import PlannerError

#: Sub-command modules, in the order ``planner --help`` lists them.
COMMANDS: tuple[str, ...] = ("demo", "plan", "scenarios", "bench")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every registered sub-command."""
    parser = argparse.ArgumentParser(
        prog="planner",
        description="BCCI Dispatch: plan couriers' days for dossiers and results.",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    for name in COMMANDS:
        importlib.import_module(f"planner.commands.{name}").register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the process exit code."""
    args = build_parser().parse_args(argv)
    try:
        code: int = args.func(args)
    except (PlannerError, GeodataError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    except OSError as err:  # a folder that fills up or disappears while writing
        where = f"{err.filename}: " if err.filename else ""
        print(f"error: {where}{err.strerror or err}", file=sys.stderr)
        return 2
    return code


if __name__ == "__main__":
    sys.exit(main())

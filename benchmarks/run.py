"""Run every benchmark section and print its table: ``python -m benchmarks.run --quick|--full``.

Each section is a module in this package with ``run(quick: bool, out: Path) -> bool``
(False when any solution was invalid); results go under ``bench-results/``.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from pathlib import Path

#: Section modules, run in this order.
SECTIONS: tuple[str, ...] = ("vrp", "province", "split", "matrix", "service", "scenarios")


def main() -> int:
    """Run the sections; exit non-zero if any reports an invalid solution."""
    ap = argparse.ArgumentParser(description=__doc__)
    mode = ap.add_mutually_exclusive_group()
    mode.add_argument("--quick", action="store_true", help="a fixed subset (minutes; default)")
    mode.add_argument("--full", action="store_true", help="every instance (hours; resumable)")
    mode.add_argument("--portfolio", action="store_true",
                      help="every 100-task instance at 10 s: auto beside PyVRP (resumable)")
    ap.add_argument("--out", type=Path, default=Path("bench-results"))
    ap.add_argument("--only", nargs="*", help="section names to run")
    ap.add_argument("--instances", type=Path,
                    help="the vrp sets' folder (lilim100/, solomon100/, lilim200/, each with "
                         "bks.csv) instead of ../shared/benchmarks: instances held out of it")
    args = ap.parse_args()
    if args.instances is not None:
        if not args.instances.is_dir():
            ap.error(f"--instances: {args.instances} is not a folder")
        os.environ["BENCH_INSTANCES"] = str(args.instances.resolve())
    if args.portfolio:
        from benchmarks.vrp import run_portfolio
        return 0 if run_portfolio(args.out / "vrp") else 1
    ok = True
    for name in SECTIONS:
        if args.only and name not in args.only:
            continue
        section = importlib.import_module(f"benchmarks.{name}")
        ok = section.run(quick=not args.full, out=args.out / name) and ok
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

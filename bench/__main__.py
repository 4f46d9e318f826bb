"""Run the benchmarks: ``python -m bench [name ...] [--quick]``.

Each benchmark is a module ``bench/<name>.py`` with ``run(quick: bool) -> list[Result]``. Results
are printed as a table and written to ``var/bench/<name>.json``; the exit status is non-zero when a
target is missed.
"""

from __future__ import annotations

import argparse
import importlib
import json
import pkgutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    parser = argparse.ArgumentParser(prog="make bench")
    parser.add_argument("names", nargs="*", help="benchmarks to run (default: all)")
    parser.add_argument("--quick", action="store_true", help="smaller volumes, for a smoke run")
    args = parser.parse_args()
    available = sorted(
        m.name
        for m in pkgutil.iter_modules([str(Path(__file__).parent)])
        if not m.name.startswith("_") and m.name != "common"
    )
    names = args.names or available
    out_dir = ROOT / "var" / "bench"
    out_dir.mkdir(parents=True, exist_ok=True)
    failed = False
    for name in names:
        module = importlib.import_module(f"bench.{name}")
        started = time.monotonic()
        print(f"\n=== {name}", flush=True)
        results = module.run(quick=args.quick)
        for r in results:
            print(r.line(), flush=True)
            failed |= not r.ok
        (out_dir / f"{name}.json").write_text(
            json.dumps([r.as_dict() for r in results], ensure_ascii=False, indent=2)
        )
        print(f"({time.monotonic() - started:.0f} s)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

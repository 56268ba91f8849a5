"""Gazetteer load time and peak memory: built-in only, then built-in + an imported country dump.

    .venv/bin/python bench/gazetteer.py [--dump ../shared/data/gazetteer/UA.zip] [--home DIR]

Each measurement runs in a fresh process (peak RSS is per process): a cold load builds and saves the
index, a warm load reads it back. Prints seconds and peak RSS (resource.getrusage ru_maxrss).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DUMP = ROOT.parent / "shared" / "data" / "gazetteer" / "UA.zip"


def measure() -> None:
    """Child process: load the gazetteer once and print what it cost."""
    started = time.perf_counter()
    from sitrep.gazetteer import load_gazetteer
    from sitrep.settings import get_settings

    gazetteer = load_gazetteer(get_settings())
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": round(seconds, 2), "peak_rss_mb": round(peak_mb), "entries": len(gazetteer.entries),
                      "names": gazetteer.name_count()}))


def run_child(home: Path) -> dict:
    env = {**os.environ, "SITREP_HOME": str(home)}
    result = subprocess.run([sys.executable, __file__, "--child"], env=env, capture_output=True, text=True, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dump", type=Path, default=DEFAULT_DUMP)
    parser.add_argument("--home", type=Path, default=None, help="SITREP_HOME to use (default: a temporary one)")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        measure()
        return
    home = args.home or Path(tempfile.mkdtemp(prefix="sitrep-bench-"))
    for label in ("built-in, cold", "built-in, warm"):
        print(f"{label:<28} {run_child(home)}")
    if not args.dump.exists():
        print(f"no dump at {args.dump}: skipping the imported layer")
        return
    from sitrep.gazetteer.geonames import add_country
    from sitrep.settings import Settings

    add_country(args.dump.stem.upper(), str(args.dump), Settings(home=home))
    for label in (f"built-in + {args.dump.stem}, cold", f"built-in + {args.dump.stem}, warm"):
        print(f"{label:<28} {run_child(home)}")


if __name__ == "__main__":
    main()

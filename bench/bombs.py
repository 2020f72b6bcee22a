"""Benchmark: every bomb of tests/bombs checked in a fresh process, its time and peak memory beside the floors.

`python -m bench.bombs [--smoke]`. Each bomb is read or refused by check_workbook() in a process of its own
(tests/bombs/one.py samples its resident memory while the call runs): within 10 s and 400 MB whatever the file holds.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from bench.common import Figure, arguments, report
from tests.bombs.builders import BOMBS

ROOT = Path(__file__).resolve().parent.parent
STORED = ROOT / "tests" / "bombs" / "files"
SECONDS, PEAK_MB = 10.0, 400.0
SMOKE = ("shared string x1000", "merged A1:ALL2000")


def one(name: str, path: Path | None = None) -> dict[str, object]:
    command = [sys.executable, "-m", "tests.bombs.one", name, *([str(path)] if path else [])]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> None:
    args = arguments(__doc__.splitlines()[0], argv)
    cases = [(name, None) for name in (SMOKE if args.smoke else BOMBS)]
    if not args.smoke:
        cases += [(path.name, path) for path in sorted(STORED.iterdir())]
    figures = []
    for name, path in cases:
        measured = one(name, path)
        seconds, peak = float(measured["seconds"]), float(measured["peak_mb"])
        outcome = f"refused {measured['refused']}" if "refused" in measured else f"read {measured['lines']} lines"
        figures.append(Figure(f"{name} ({outcome}): time", seconds, "s", f"<= {SECONDS:g}", seconds <= SECONDS))
        figures.append(Figure(f"{name}: peak RSS", peak, "MB", f"<= {PEAK_MB:g}", peak <= PEAK_MB))
    report("bombs: one check_workbook() call per fresh process", figures)


if __name__ == "__main__":
    main()

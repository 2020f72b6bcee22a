"""After `mutmut run`: print the kill rate and every surviving mutant, and check each survivor is explained.

Reads mutants/mutmut-cicd-stats.json (written by `mutmut export-cicd-stats`) and `mutmut results`. A survivor is
explained when its name appears in docs/mutation-survivors.md. Exit 1 when the kill rate is under the target or a
survivor is unexplained, so `make mutation` fails loudly.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = 95.0
EXPLAINED = ROOT / "docs" / "mutation-survivors.md"
LINE = re.compile(r"^\s*(?P<name>\S+): (?P<status>.+)$")


def main() -> int:
    stats = json.loads((ROOT / "mutants" / "mutmut-cicd-stats.json").read_text(encoding="utf-8"))
    results = subprocess.run(  # noqa: S603 - our own mutmut, fixed arguments
        [str(Path(sys.executable).parent / "mutmut"), "results"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    unkilled = [(m["name"], m["status"]) for m in map(LINE.match, results.splitlines()) if m]
    judged = stats["total"] - stats["skipped"]
    rate = 100.0 * stats["killed"] / judged if judged else 0.0
    print(f"mutants: {stats['total']}, killed {stats['killed']}, survived {stats['survived']}, "
          f"no tests {stats['no_tests']}, timeout {stats['timeout']}, suspicious {stats['suspicious']}, "
          f"skipped {stats['skipped']}")  # fmt: skip
    print(f"kill rate: {rate:.1f} % (target {TARGET:.0f} %)")
    explained = EXPLAINED.read_text(encoding="utf-8") if EXPLAINED.exists() else ""
    unexplained = [(name, status) for name, status in unkilled if name not in explained]
    for name, status in unkilled:
        print(f"  {status:12} {name}{'' if (name, status) in unexplained else '  (explained)'}")
    if unexplained:
        print(f"{len(unexplained)} not killed and not explained in {EXPLAINED.relative_to(ROOT)}")
    return 0 if rate >= TARGET and not unexplained else 1


if __name__ == "__main__":
    sys.exit(main())

"""`python -m tests.bombs.one NAME [PATH]`: check one bomb in this fresh process and print what the one call cost.

Resident memory is sampled every 2 ms from /proc while check_workbook() runs, so the figure is the call's own peak
(the process held only the imports before it), not a high-water mark an earlier test could have raised. A PATH reads
a stored file instead of building the bomb.
"""

from __future__ import annotations

import json
import os
import sys
import threading
import time
from pathlib import Path

from portal.workbook.check import check_workbook
from portal.workbook.refusals import UploadRefused
from tests.bombs.builders import BOMBS

PAGE = os.sysconf("SC_PAGE_SIZE")


def _rss() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * PAGE


def measure(data: bytes, filename: str) -> dict[str, object]:
    before = _rss()
    peak = [before]
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], _rss())
            done.wait(0.002)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    start = time.perf_counter()  # the bench clock: only elapsed time is measured
    try:
        checked = check_workbook(data, filename)
        outcome = {"lines": len(checked.catalogue.lines), "rules": sorted({f.rule for f in checked.findings})}
    except UploadRefused as refused:
        outcome = {"refused": refused.code}
    seconds = time.perf_counter() - start
    done.set()
    sampler.join()
    peak[0] = max(peak[0], _rss())
    return {**outcome, "seconds": seconds, "peak_mb": peak[0] / 2**20, "before_mb": before / 2**20}


def main() -> None:
    name = sys.argv[1]
    if len(sys.argv) > 2:
        path = Path(sys.argv[2])
        data, filename = path.read_bytes(), path.name
    else:
        data, filename = BOMBS[name]()
    print(json.dumps({"name": name, "bytes": len(data), **measure(data, filename)}, ensure_ascii=False))


if __name__ == "__main__":
    main()

"""Any upload up to the size limit is read or refused within 400 MB: each bomb checked in a fresh process of its own.

The figure is the resident memory of that process while the one check_workbook() call runs (tests/bombs/one.py),
so no earlier test can raise or hide it. Times are printed by bench/bombs.py beside their 10 s floor.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PEAK_MB = 400
EXPECTED = {
    "shared string x1000": {"refused": "too-much-text"},
    "shared string x1000 in the table": {"refused": "too-much-text"},
    "merged A1:ALL2000": {"lines": 3},
    "780 tall merges": {"lines": 3},
    "dimension A1:XFD1048576": {"lines": 3},
    "14,000 styles": {"lines": 3},
    "incompressible text up to the size limit": {"lines": 1003},
    "ods cells repeated 1,024 x 1,000,000": {"refused": "unreadable"},
    "#N/A in every cell of 20,000 rows": {"lines": 3, "rules": ["error-value"]},  # blank rows to calamine: said
    "#N/A as text in every cell of 20,000 rows": {"lines": 20_000, "rules": ["error-value", "too-many-rows"]},
}
# Made by LibreOffice 7.4 from an .xlsx whose one 32,000-character string fills 60,000 cells: 1.9 billion characters
# once read. An .xls has no zip to measure first, so calamine reads it in a child capped at 400 MB (sandbox.py).
STORED = {"shared_string_x60000.xls": {"refused": "unreadable"}}
FILES = Path(__file__).resolve().parent / "files"


def run_one(name: str, path: Path | None = None) -> dict[str, object]:
    command = [sys.executable, "-m", "tests.bombs.one", name, *([str(path)] if path else [])]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_a_bomb_is_read_or_refused_as_expected_within_the_memory_bound(name: str) -> None:
    figures = run_one(name)
    assert {k: figures[k] for k in EXPECTED[name]} == EXPECTED[name]
    assert figures["peak_mb"] < PEAK_MB, figures


@pytest.mark.parametrize("name", sorted(STORED))
def test_a_stored_bomb_is_refused_within_the_memory_bound(name: str) -> None:
    figures = run_one(name, FILES / name)
    assert {k: figures[k] for k in STORED[name]} == STORED[name]
    assert figures["peak_mb"] < PEAK_MB, figures

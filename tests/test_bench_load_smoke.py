"""`python -m bench.load --smoke` runs its whole scenario (gunicorn, wrk, staff, reviewers, ledger) on SQLite."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.bench


def test_the_load_benchmark_smoke_run_passes_and_prints_its_figures() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PORTAL_")}  # its own database, not the caller's
    run = subprocess.run(
        [sys.executable, "-m", "bench.load", "--smoke"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    figures = {line.split("  ")[1]: line for line in run.stdout.splitlines() if line.startswith("  ")}
    for name in ("public requests/s", "public latency p95", "staff and reviewer latency p95"):
        assert name in figures, run.stdout
    for name in ("public responses 5xx", "submissions accepted", "approvals accepted", "submissions or approvals lost"):
        assert figures[name].rstrip().endswith("ok"), figures[name]

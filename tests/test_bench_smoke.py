"""`python -m bench.workbook --smoke` and `python -m bench.pdf --smoke` run and print every figure with its value."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from bench.workbook import AS_OF, FILENAME, make_workbook
from portal.govlist.loader import load_reference
from portal.validation.engine import validate
from portal.workbook.reader import read_workbook

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.bench
FIGURES = {
    "bench.workbook": (
        "calamine read (floor)",
        "guard",
        "guard + read",
        "guard + read + validate (portal)",
        "portal / calamine",
        "frictionless validate",
        "portal / frictionless",
    ),
    "bench.pdf": ("bare reportlab table (floor)", "portal posting sheet", "portal / bare table"),
}
FIGURE_LINE = re.compile(r"^  (?P<name>.+?)\s+(?P<value>[0-9]+\.[0-9]{3}) (?P<unit>s|x)\b")


def smoke(module: str, timeout: int) -> str:
    run = subprocess.run(
        [sys.executable, "-m", module, "--smoke"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    return run.stdout


@pytest.mark.parametrize("module", sorted(FIGURES))
def test_the_smoke_run_passes_and_prints_each_figure_with_its_value(module: str) -> None:
    out = smoke(module, timeout=120)  # about 2 s each on a quiet machine
    values = {m["name"]: float(m["value"]) for m in map(FIGURE_LINE.match, out.splitlines()) if m}
    assert list(values) == list(FIGURES[module]), out


def test_the_generated_workbook_is_a_clean_list_of_distinct_lines_in_the_prescribed_format() -> None:
    result = read_workbook(make_workbook(300), FILENAME)
    lines = result.catalogue.lines
    assert result.findings == ()
    assert [line.line_no for line in lines] == [str(n) for n in range(1, 301)]
    assert len({(line.name, line.conditions) for line in lines}) == 300
    assert validate(result.catalogue, load_reference(ROOT / "feelists"), AS_OF).findings == ()


def test_the_search_smoke_run_serves_every_query_from_an_index_without_errors() -> None:
    out = smoke("bench.search", timeout=300)
    assert re.search(r"queries scanning fee_line\s+0\.000\s+0\s+ok", out), out
    for label in ("search page", "search API"):
        assert re.search(rf"{label}: non-2xx responses\s+0\.000\s+0\s+ok", out), out
        assert re.search(rf"{label}: requests/s\s+[0-9,.]+ req/s", out), out
    assert len(re.findall(r"worker \d RSS after the runs\s+[0-9,.]+ MB", out)) == 2, out


def test_the_export_smoke_run_writes_every_line_in_both_formats() -> None:
    out = smoke("bench.export", timeout=300)
    for fmt in ("csv", "xlsx"):
        assert re.search(rf"{fmt}: rows read back\s+10,000\b", out), out
        assert re.search(rf"{fmt}: peak RSS\s+[0-9.]+ MB\s+<= 300\s+ok", out), out

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
        "guard + read, the list on Sheet1",
        "guard + read + validate (portal)",
        "portal / calamine",
        "calamine read, CPU time",
        "portal, CPU time",
        "portal / calamine, CPU time",
        "frictionless validate",
        "portal / frictionless",
    ),
    "bench.pdf": ("bare reportlab table (floor)", "portal posting sheet", "portal / bare table"),
    "bench.bombs": (  # the peak-memory lines (MB) are read by tests/bombs, which asserts them
        "shared string x1000 (refused too-much-text): time",
        "merged A1:ALL2000 (read 3 lines): time",
    ),
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


# Ratio figures and the two figures they divide (printed to three places, so checked within that rounding).
RATIOS = {
    "bench.workbook": {
        "portal / calamine": ("guard + read + validate (portal)", "calamine read (floor)"),
        "portal / calamine, CPU time": ("portal, CPU time", "calamine read, CPU time"),
        "portal / frictionless": ("guard + read + validate (portal)", "frictionless validate"),
    },
    "bench.pdf": {"portal / bare table": ("portal posting sheet", "bare reportlab table (floor)")},
}
HALF = 0.0005  # half the last printed place


def within_rounding(ratio: float, numerator: float, denominator: float) -> bool:
    low = max(numerator - HALF, 0) / (denominator + HALF)
    high = (numerator + HALF) / max(denominator - HALF, HALF / 10)
    return low - HALF <= ratio <= high + HALF


@pytest.mark.parametrize("module", sorted(FIGURES))
def test_the_smoke_run_passes_and_prints_each_figure_with_its_value(module: str) -> None:
    out = smoke(module, timeout=120)  # about 2 s each on a quiet machine
    values = {m["name"]: float(m["value"]) for m in map(FIGURE_LINE.match, out.splitlines()) if m}
    assert list(values) == list(FIGURES[module]), out
    assert all(value > 0 for value in values.values()), out
    for ratio, (numerator, denominator) in RATIOS.get(module, {}).items():
        assert within_rounding(values[ratio], values[numerator], values[denominator]), (ratio, out)


def test_the_workbook_smoke_run_reads_the_size_it_says_without_findings() -> None:
    out = smoke("bench.workbook", timeout=120)
    assert re.search(r"== workbook: 200 lines x 13 columns, \d+ KB, 209 rows, 0 findings", out), out


def test_a_ratio_off_its_figures_is_caught() -> None:
    assert within_rounding(44.950, 0.165, 0.004)  # 0.165 / 0.004 is 41.25, but both are rounded
    assert not within_rounding(60.0, 0.165, 0.004)
    assert not within_rounding(1.0, 1.305, 0.833)
    assert within_rounding(1.566, 1.305, 0.833)


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
    # every timed answer came from the cache the warm-up filled: the warm-up asked for the URLs wrk asks for
    for label in ("search page", "search API"):
        assert re.search(rf"{label}: answers computed \(cache misses\)\s+0\.000\s+0\s+ok", out), out


def test_the_warm_up_and_wrk_ask_for_the_same_url() -> None:
    from urllib.parse import urlencode

    from bench.harness import lua_script, request_path

    path = "/fees?" + urlencode({"q": "码头操作费", "port": "NANSHA"})
    assert request_path(path) == path  # already encoded: its escapes are kept, not encoded again (%25E7)
    assert request_path("/fees?q=码头") == "/fees?q=%E7%A0%81%E5%A4%B4"
    assert f'"{request_path(path)}"' in lua_script([path])


def test_the_export_smoke_run_writes_every_line_in_both_formats() -> None:
    out = smoke("bench.export", timeout=300)
    for fmt in ("csv", "xlsx"):
        assert re.search(rf"{fmt}: rows read back\s+10,000\b", out), out
        peak = re.search(rf"{fmt}: peak RSS\s+(?P<mb>[0-9.]+) MB", out)
        assert peak is not None, out
        assert float(peak["mb"]) > 0, out  # a figure, judged by `make bench` beside its floor, not here
    assert re.search(r"xlsx time / csv time\s+[0-9.]+ x", out), out


def test_the_dates_smoke_run_answers_every_date_without_building_and_prints_its_figures() -> None:
    out = smoke("bench.dates", timeout=300)
    assert re.search(r"dates asked\s+20\b", out), out
    assert re.search(r"other answers\s+0\.000\s+0\s+ok", out), out  # each answer a 200 or a 202, never an error
    assert re.search(r"slowest answer\s+[0-9,.]+ ms\s+<= 1000", out), out
    assert re.search(r"/healthz meanwhile: p99\s+[0-9,.]+ ms\s+<= 100", out), out
    assert re.search(r"/healthz meanwhile: non-2xx responses\s+0\.000\s+0\s+ok", out), out

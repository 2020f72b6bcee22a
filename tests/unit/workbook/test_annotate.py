"""The workbook the check page gives back, fixed by the office in its own spreadsheet program, reads again as the list
it was: the sheets the portal adds are never taken for the list, nor said to be another one."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from portal.govlist.loader import load_reference
from portal.workbook.annotate import annotate
from portal.workbook.check import check_workbook

ROOT = Path(__file__).resolve().parents[3]
FILES = ROOT / "tests" / "corpus" / "real" / "files"


@pytest.mark.parametrize(
    "name",
    [
        "openpyxl_marks_and_vague_standards.xlsx",  # the data sheet named as the template names it
        "xlsxwriter_pandas_style_no_header_block.xlsx",  # named Sheet1: found as the one sheet with column titles
    ],
)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_workbook_given_back_reads_as_it_did(name: str, lang: str) -> None:
    reference, today = load_reference(ROOT / "feelists"), date(2026, 12, 7)
    data = (FILES / name).read_bytes()
    first = check_workbook(data, name, reference, today)
    back = annotate(data, first.read, first.report.findings, lambda text: text, lang)
    again = check_workbook(back, name, reference, today)
    assert again.read.sheet == first.read.sheet
    assert again.catalogue.lines == first.catalogue.lines
    said = [(f.rule, f.location.cell if f.location else None) for f in again.report.findings]
    assert said == [(f.rule, f.location.cell if f.location else None) for f in first.report.findings]

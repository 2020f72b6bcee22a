"""Operator text that is markup or a spreadsheet formula, published and downloaded: the posting-sheet PDFs print it as
typed, and no cell of an xlsx or csv export (consolidated, the edition's own workbook, its findings) is a formula."""

from __future__ import annotations

import csv
import io
import subprocess
from datetime import date

import pytest
from openpyxl import load_workbook

from portal.catalogue import services as catalogue
from portal.catalogue.models import CatalogueVersion
from portal.publishing import editions
from portal.validation.model import FeeLine, Header
from tests.conftest import get_built

AS_OF = "2026-02-01"
XLSX_DOWNLOADS = ("/downloads/catalogue.xlsx?as_of={day}&lang=zh", "/downloads/catalogue.xlsx?as_of={day}&lang=en")
CSV_DOWNLOADS = ("/downloads/catalogue.csv?as_of={day}&lang=zh", "/downloads/catalogue.csv?as_of={day}&lang=en")

# Text Excel or a CSV import would run: DDE, arithmetic, @-functions, a link; tab, CR and spaces before them.
FORMULAS = (
    "=cmd|' /C calc'!A0",
    "+1+1",
    "-2+3",
    "@SUM(1)",
    '=HYPERLINK("http://evil.example","点击")',
    "\t=1+2",
    "\r=1+3",
    "  =1+4",
)
# Text reportlab's Paragraph would take for markup: tags (balanced or not), entities, a font it would load.
MARKUP = (
    "<b>x</b>",
    "&amp;",
    "<font name=Courier>f</font>",
    "<para>unbalanced",
    "</font></b>",
    "<br/>&lt;",
    '<img src="x.png"/>',
    "<onDraw name=x/>",
)
OPERATOR_NAME = "=HYPERLINK(1)南沙<b>标记</b>码头&amp;有限公司"
PORT_AREA = "南沙港区<font name=Courier>港</font>"
COMPLAINT_PHONE = "+86 20 1234 5678 <i>转</i>"


def _formula_line(text: str) -> FeeLine:
    """Every text column of the line starts with the formula (cut to the shorter columns)."""
    return FeeLine(
        line_no=text[:16],
        name=text,
        conditions=text,
        service_content=text,
        standard=text,
        unit=text[:32],
        currency=text[:16],
        pricing_class=text[:16],
        basis=text,
        pass_through=text[:8],
        remarks=text,
    )


def _markup_line(text: str) -> FeeLine:
    return FeeLine(
        name=f"标记{text}",
        conditions=text,
        service_content=text,
        standard=text,
        unit=text[:32],
        pricing_class="市场调节价",
        basis=text,
        remarks=text,
    )


@pytest.fixture
def hostile(make_operator, make_user) -> tuple[CatalogueVersion, object]:
    """A published edition (in force from 2026-01-01) whose operator wrote markup and formulas everywhere it could;
    and a staff member of that operator."""
    operator = make_operator(OPERATOR_NAME, complaint_phones=[COMPLAINT_PHONE])
    header = Header(
        operator_name=operator.name_zh,
        credit_code=operator.credit_code,
        port_area=PORT_AREA,
        complaint_phone=COMPLAINT_PHONE,
        effective_date="2026-01-01",
    )
    lines = [*map(_formula_line, FORMULAS), *map(_markup_line, MARKUP)]
    version = catalogue.replace_contents(operator, header, lines, None, as_of=date(2026, 1, 1))
    return editions.publish(version, None, now=date(2026, 1, 1)), make_user(operator=operator)


@pytest.fixture
def download(client):
    def get(url: str) -> bytes:
        response = get_built(client, url)
        assert response.status_code == 200, url
        return response.get_data()

    return get


def squeezed(text: str) -> str:
    """Text without any whitespace: a PDF cell wraps long values over several lines."""
    return "".join(text.split())


def pdf_text(data: bytes) -> str:
    """The PDF's text in drawing order (-raw), so each table cell's lines stay together."""
    return subprocess.run(["pdftotext", "-raw", "-", "-"], input=data, check=True, capture_output=True).stdout.decode()


def pdf_fonts(data: bytes) -> str:
    return subprocess.run(["pdffonts", "-"], input=data, check=True, capture_output=True).stdout.decode()


def is_formula_like(value: str) -> bool:
    """What Excel or a CSV import would run (OWASP CSV injection): = + - @ first, after spaces; or tab or CR first."""
    return value[:1] in ("\t", "\r") or value.lstrip()[:1] in ("=", "+", "-", "@")


def stored(text: str) -> str:
    """A value as the catalogue keeps it: surrounding whitespace is never stored."""
    return text.strip()


def texts_of_workbook(data: bytes) -> list[str]:
    """Every text cell of every sheet; fails on a cell that is a formula."""
    book = load_workbook(io.BytesIO(data))
    texts = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate} is a formula: {cell.value!r}"
                if isinstance(cell.value, str):
                    texts.append(cell.value)
    return texts


def assert_neutralised(texts: list[str], payloads: tuple[str, ...]) -> None:
    """No text would run as a formula, and each payload is there, kept behind an apostrophe (not dropped)."""
    risky = [text for text in texts if is_formula_like(text)]
    assert risky == []
    for payload in payloads:
        assert "'" + payload in texts, payload


@pytest.mark.parametrize("url", ["/downloads/editions/{code}.pdf", "/downloads/areas/NANSHA.pdf?as_of={day}"])
def test_the_posting_sheets_print_the_operators_markup_as_typed(download, hostile, url) -> None:
    edition, _staff = hostile
    data = download(url.format(code=edition.edition_code, day=AS_OF))

    text = squeezed(pdf_text(data))
    for typed in (OPERATOR_NAME, PORT_AREA, COMPLAINT_PHONE, *(f"标记{markup}" for markup in MARKUP)):
        assert squeezed(typed) in text


def test_a_font_named_in_operator_text_is_not_loaded_into_the_sheet(download, hostile) -> None:
    edition, _staff = hostile
    data = download(f"/downloads/editions/{edition.edition_code}.pdf")

    fonts = pdf_fonts(data)
    assert "Courier" not in fonts
    assert "Helvetica" not in fonts


def test_the_posting_sheet_prints_formula_text_as_written(download, hostile) -> None:
    edition, _staff = hostile
    text = squeezed(pdf_text(download(f"/downloads/editions/{edition.edition_code}.pdf")))

    for formula in FORMULAS:
        assert squeezed(formula) in text


@pytest.mark.parametrize("url", XLSX_DOWNLOADS)
def test_no_cell_of_the_consolidated_xlsx_is_a_formula(download, hostile, url) -> None:
    texts = texts_of_workbook(download(url.format(day=AS_OF)))

    assert_neutralised(texts, (*map(stored, FORMULAS), OPERATOR_NAME, COMPLAINT_PHONE))


@pytest.mark.parametrize("url", CSV_DOWNLOADS)
def test_no_field_of_the_consolidated_csv_is_a_formula(download, hostile, url) -> None:
    rows = list(csv.reader(io.StringIO(download(url.format(day=AS_OF)).decode("utf-8-sig"))))

    texts = [field for row in rows for field in row]
    assert_neutralised(texts, (*map(stored, FORMULAS), OPERATOR_NAME, COMPLAINT_PHONE))
    assert f"标记{MARKUP[0]}" in texts  # markup means nothing in a CSV: kept as typed


def test_no_cell_of_the_editions_own_workbook_is_a_formula(download, hostile) -> None:
    edition, _staff = hostile
    texts = texts_of_workbook(download(f"/catalogue/{edition.id}.xlsx"))

    assert_neutralised(texts, (*map(stored, FORMULAS), COMPLAINT_PHONE))


def test_no_cell_of_the_findings_workbook_is_a_formula(client, login_as, hostile) -> None:
    edition, staff = hostile
    login_as(staff)
    response = client.get(f"/catalogue/{edition.id}/findings.xlsx")
    assert response.status_code == 200

    texts = texts_of_workbook(response.data)
    assert_neutralised(texts, ())
    assert "'" + stored(FORMULAS[0]) in texts  # the fee item a finding is about


def test_a_line_break_in_the_operator_name_does_not_break_the_workbook_download(client, make_operator) -> None:
    operator = make_operator("换行\r\nSet-Cookie: x=1 码头")
    header = Header(operator_name=operator.name_zh, credit_code=operator.credit_code, effective_date="2026-01-01")
    line = FeeLine(name="文件费", standard="100", unit="元/票", pricing_class="市场调节价", service_content="单证")
    version = catalogue.replace_contents(operator, header, [line], None, as_of=date(2026, 1, 1))
    editions.publish(version, None, now=date(2026, 1, 1))

    response = client.get(f"/catalogue/{version.id}.xlsx")

    assert response.status_code == 200
    disposition = response.headers["Content-Disposition"]
    assert "\r" not in disposition
    assert "\n" not in disposition

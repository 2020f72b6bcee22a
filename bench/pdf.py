"""Benchmark 3: a 200-line posting sheet, against a bare reportlab table of the same rows in the same font.

`python -m bench.pdf [--smoke]`. The edition is built as a dataclass, as the publishing service hands it to
`portal.publishing.pdf`, from the demo catalogues' lines; no database is needed. The floor is what any PDF of these
rows costs: the same page, the same embedded TrueType font, a table of Paragraph cells, `doc.build`. The font is
registered once, before timing, for both: the portal registers it once per process too.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from io import BytesIO

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table

from bench.common import Figure, arguments, best_of, ratio, report
from bench.workbook import demo_lines
from portal.config import Config
from portal.publishing import pdf
from portal.publishing.snapshot import PublishedEdition, PublishedLine
from portal.validation.model import FeeLine

FULL_LINES, SMOKE_LINES = 200, 20
LIVE_URL = "https://portal.example.cn/operators/914401155970010134"
HOTLINE = "12345"


def _published(position: int, line: FeeLine) -> PublishedLine:
    return PublishedLine(
        position=position,
        line_no=line.line_no,
        name=line.name,
        conditions=line.conditions,
        service_content=line.service_content,
        standard=line.standard,
        unit=line.unit,
        currency=line.currency or "CNY",
        pricing_class=line.pricing_class,
        basis=line.basis,
        pass_through=line.pass_through == pdf.YES,
        remarks=line.remarks,
        change_mark="",
        effective_date="",
        name_key=line.name,
        trade=None,
        container_size=None,
        laden=None,
        cargo=None,
        standard_kind="text",
        amount=None,
        amount_max=None,
        tiers=(),
    )


def make_edition(count: int) -> PublishedEdition:
    """An edition of `count` demo lines, published under the first clean demo operator's name."""
    header, lines = demo_lines(count)
    return PublishedEdition(
        edition_code="914401155970010134-2026-001",
        version_id=1,
        number=1,
        operator_id=1,
        credit_code=header.credit_code,
        operator_name_zh=header.operator_name,
        operator_name_en="Guangzhou Nansha Demo Container Terminal Co., Ltd.",
        operator_kind="terminal",
        port_areas=(header.port_area,),
        port_area=header.port_area,
        complaint_phone=header.complaint_phone,
        effective_from=date.fromisoformat(header.effective_date),
        published_at=datetime(2026, 1, 1, 2, 0),  # naive UTC, as stored
        lines=tuple(_published(n, line) for n, line in enumerate(lines)),
        removed=(),
    )


def portal_sheet(edition: PublishedEdition, font: str) -> bytes:
    return pdf.posting_sheet(edition, live_url=LIVE_URL, hotline=HOTLINE, font=font)


def _cells(line: PublishedLine) -> tuple[str, ...]:
    return (
        line.line_no,
        line.name,
        line.conditions,
        line.service_content,
        line.standard,
        line.unit,
        line.currency,
        line.pricing_class,
        line.basis,
        pdf.YES if line.pass_through else pdf.NO,
        line.remarks,
    )


def bare_table(edition: PublishedEdition, font: str) -> bytes:
    """The floor: the same rows as Paragraph cells in one reportlab Table, on the same page, in the same font."""
    style = ParagraphStyle("cell", fontName=font, fontSize=8, leading=8 * 1.3)
    head = [Paragraph(f"{zh}<br/>{en}", style) for zh, en, _width in pdf.COLUMNS]
    body = [[Paragraph(pdf.text(value), style) for value in _cells(line)] for line in edition.lines]
    out = BytesIO()
    margins = {f"{side}Margin": pdf.MARGIN for side in ("left", "right", "top", "bottom")}
    document = SimpleDocTemplate(out, pagesize=pdf.PAGE, initialFontName=font, **margins)
    document.build([Table([head, *body], colWidths=[width for _zh, _en, width in pdf.COLUMNS], repeatRows=1)])
    return out.getvalue()


def _pages(document: bytes) -> int:
    return len(re.findall(rb"/Type /Page\b(?!s)", document))


def main(argv: list[str] | None = None) -> None:
    args = arguments(__doc__.splitlines()[0], argv, runs={"type": int, "default": 0, "help": "timed runs (best of)"})
    count = SMOKE_LINES if args.smoke else FULL_LINES
    runs = args.runs or (3 if args.smoke else 7)
    font = pdf.load_font(Config.PDF_FONT_PATH)
    edition = make_edition(count)
    sheet, floor_pdf = portal_sheet(edition, font), bare_table(edition, font)
    floor = best_of(runs, lambda: bare_table(edition, font))
    portal = best_of(runs, lambda: portal_sheet(edition, font))
    report(
        f"posting sheet: {count} lines, {_pages(sheet)} pages, {len(sheet) / 1024:.0f} KB (bare table: "
        f"{_pages(floor_pdf)} pages, {len(floor_pdf) / 1024:.0f} KB), font {font}, best of {runs}",
        [
            Figure("bare reportlab table (floor)", floor, "s"),
            Figure("portal posting sheet", portal, "s"),
            ratio("portal / bare table", portal / floor, 1.3, judged=not args.smoke),
        ],
    )


if __name__ == "__main__":
    main()

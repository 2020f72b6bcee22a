"""Posting sheets: an edition (or a port area's editions) as an A4 landscape PDF for display at the premises."""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from io import BytesIO
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape

from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib import textsplit as _textsplit
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFError, TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table
from reportlab.platypus import TableStyle as Style
from reportlab.platypus import paragraph as _paragraph
from reportlab.platypus.doctemplate import LayoutError

from portal import clock
from portal.validation import vocabulary

if TYPE_CHECKING:
    from portal.publishing.snapshot import PublishedEdition, PublishedLine

logger = logging.getLogger(__name__)

FALLBACK_FONT = "STSong-Light"
PAGE = landscape(A4)
MARGIN = 12 * mm
FOOTER_HEIGHT = 12 * mm
QR_SIZE = 30 * mm

TITLE = "口岸收费目录清单公示"
AREA_TITLE = "口岸收费目录清单汇总公示"
GOVERNS = (
    "本清单以广州国际贸易单一窗口公示的电子版本为准 / The electronic version published on the single window governs."
)
SCAN = "扫码查看电子版本<br/>Scan for the live list"
NO_LINES = "本版本无在用收费项目。 / This edition lists no fees."
NO_EDITIONS = "该港区在此日期无生效的收费目录清单。 / No list is in force in this port area on this date."
YES, NO = vocabulary.YES, vocabulary.NO

# The prescribed columns (vocabulary.PRINTED_FIELDS) and their widths in points (770: page - margins).
WIDTHS = {
    "line_no": 26,
    "name": 84,
    "conditions": 70,
    "service_content": 122,
    "standard": 90,
    "unit": 46,
    "currency": 34,
    "pricing_class": 52,
    "basis": 100,
    "pass_through": 46,
    "remarks": 100,
}
COLUMNS: tuple[tuple[str, str, float], ...] = tuple(
    (vocabulary.LINE_FIELD[key].zh, vocabulary.LINE_FIELD[key].en, WIDTHS[key]) for key in vocabulary.PRINTED_FIELDS
)

_fonts: dict[str, str] = {}
_fonts_lock = threading.Lock()


def load_font(path: str | os.PathLike[str]) -> str:
    """Register the TrueType CJK font at `path` (once per process) and return the name to use.

    When the file is missing or unusable (an OpenType/CFF font, say), fall back to reportlab's built-in
    STSong-Light with a warning: that font is not embedded, so a viewer without Chinese fonts shows blanks.
    """
    key = os.fspath(path)
    with _fonts_lock:
        if key not in _fonts:
            _fonts[key] = _register(key, f"PortalCJK{len(_fonts)}")
        return _fonts[key]


def _register(path: str, name: str) -> str:
    try:
        pdfmetrics.registerFont(TTFont(name, path, subfontIndex=0))
    except (TTFError, OSError) as error:
        logger.warning(
            "CJK font %s is not usable (%s); PDFs fall back to the built-in %s, which is not embedded.",
            path,
            error,
            FALLBACK_FONT,
        )
        pdfmetrics.registerFont(UnicodeCIDFont(FALLBACK_FONT))
        return FALLBACK_FONT
    return name


def text(value: str) -> str:
    """Operator text as Paragraph content: escaped, so `<b>`, `<font>` and `&` print literally; line breaks kept."""
    return "<br/>".join(escape(part) for part in value.splitlines())


@dataclass(frozen=True)
class _Styles:
    title: ParagraphStyle
    subtitle: ParagraphStyle
    label: ParagraphStyle
    value: ParagraphStyle
    head: ParagraphStyle
    cell: ParagraphStyle
    small: ParagraphStyle
    note: ParagraphStyle

    @classmethod
    def of(cls, font: str) -> _Styles:
        def style(name: str, size: float, **kwargs: Any) -> ParagraphStyle:
            return ParagraphStyle(name, fontName=font, fontSize=size, leading=size * 1.3, **kwargs)

        return cls(
            title=style("title", 20, alignment=TA_CENTER, spaceAfter=3 * mm),
            subtitle=style("subtitle", 14, alignment=TA_CENTER, spaceAfter=4 * mm),
            label=style("label", 8.5, textColor=colors.HexColor("#44546A")),
            value=style("value", 10),
            head=style("head", 8.5, alignment=TA_CENTER),
            cell=style("cell", 8, wordWrap="CJK"),
            small=style("small", 7, alignment=TA_CENTER, textColor=colors.HexColor("#44546A")),
            note=style("note", 10, spaceBefore=4 * mm),
        )


def _local(moment: datetime) -> date:
    return clock.to_local(moment).date()


# Chinese line breaking (禁则): no line starts with closing punctuation. reportlab's CJK wrap keeps a character of
# its ALL_CANNOT_START on the line before (hanging in the margin), but its list lacks most full-width marks.
CLOSING = "，。、；：！？）」』】〕》〉］｝”’…·％‰℃"
for _module in (_paragraph, _textsplit):  # one-fragment cells wrap in textsplit, mixed ones in paragraph
    _module.ALL_CANNOT_START += "".join(c for c in CLOSING if c not in _module.ALL_CANNOT_START)


def _bilingual(zh: str, en: str) -> str:
    return f"{zh}<br/><font size=6>{en}</font>"


def _qr(url: str, font: str) -> Drawing:
    drawing = Drawing(QR_SIZE, QR_SIZE, initialFontName=font)  # the default would name Helvetica (not embedded)
    drawing.add(QrCodeWidget(url, barWidth=QR_SIZE, barHeight=QR_SIZE, barLevel="M", barBorder=2))
    return drawing


def _table(rows: list[list[Any]], widths: Sequence[float], s: _Styles, commands: list[tuple], **kwargs: Any) -> Table:
    """A table whose every cell names the CJK font: reportlab's default (Helvetica) would be listed, not embedded."""
    table = Table(rows, colWidths=widths, **kwargs)
    table.setStyle(Style([("FONTNAME", (0, 0), (-1, -1), s.value.fontName), *commands]))
    return table


GRID = [
    ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#8497B0")),
    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#DDEBF7")),
    ("VALIGN", (0, 0), (-1, 0), "MIDDLE"),
    ("VALIGN", (0, 1), (-1, -1), "TOP"),
    ("TOPPADDING", (0, 0), (-1, -1), 2.5),
    ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ("LEFTPADDING", (0, 0), (-1, -1), 3),
    ("RIGHTPADDING", (0, 0), (-1, -1), 3),
]


def _header(edition: PublishedEdition, *, live_url: str, hotline: str, s: _Styles) -> Table:
    """Who publishes the list, where to complain, which edition this is, and the QR code to the live page."""
    fields = (
        ("单位名称", "Operator", text(edition.operator_name_zh)),
        ("统一社会信用代码", "Credit code", text(edition.credit_code)),
        ("口岸/港区", "Port area", text(edition.port_area or "、".join(edition.port_areas))),
        ("版本编号", "Edition", text(edition.edition_code)),
        ("投诉举报电话", "Complaint phone", text(edition.complaint_phone)),
        ("政府服务热线", "Government hotline", text(hotline)),
        ("执行日期", "Effective date", edition.effective_from.isoformat()),
        ("发布日期", "Published", _local(edition.published_at).isoformat()),
    )
    cells = [[Paragraph(_bilingual(zh, en), s.label), Paragraph(value, s.value)] for zh, en, value in fields]
    rows = [cells[i] + cells[i + 1] for i in range(0, len(cells), 2)]
    info = _table(
        rows,
        (32 * mm, 86 * mm, 32 * mm, 80 * mm),
        s,
        [
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("LINEBELOW", (0, 0), (-1, -1), 0.3, colors.HexColor("#BFBFBF")),
            ("TOPPADDING", (0, 0), (-1, -1), 2.5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
        ],
    )
    qr = _table(
        [[_qr(live_url, s.value.fontName)], [Paragraph(SCAN, s.small)]],
        (QR_SIZE + 4 * mm,),
        s,
        [("ALIGN", (0, 0), (-1, -1), "CENTER"), ("TOPPADDING", (0, 0), (-1, -1), 0)],
    )
    return _table(
        [[info, qr]],
        (PAGE[0] - 2 * MARGIN - QR_SIZE - 8 * mm, QR_SIZE + 8 * mm),
        s,
        [
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("ALIGN", (1, 0), (1, 0), "RIGHT"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ],
    )


def _row(number: int, line: PublishedLine) -> tuple[str, ...]:
    return (
        line.line_no or str(number),
        line.name,
        line.conditions,
        line.service_content,
        line.standard,
        line.unit,
        line.currency,
        line.pricing_class,
        line.basis,
        YES if line.pass_through else NO,
        line.remarks,
    )


def _fees(lines: Sequence[PublishedLine], s: _Styles) -> Table:
    """The prescribed columns, one row per fee; the header row repeats on every page, tall rows split."""
    head = [Paragraph(_bilingual(zh, en), s.head) for zh, en, _width in COLUMNS]
    body = [[Paragraph(text(value), s.cell) for value in _row(n, line)] for n, line in enumerate(lines, 1)]
    stripes = ("ROWBACKGROUNDS", (0, 1), (-1, -1), (colors.white, colors.HexColor("#F5F8FC")))
    widths = [width for _zh, _en, width in COLUMNS]
    return _table([head, *body], widths, s, [*GRID, stripes], repeatRows=1, splitInRow=0)


def _section(edition: PublishedEdition, *, live_url: str, hotline: str, s: _Styles) -> list[Flowable]:
    story: list[Flowable] = [
        Paragraph(TITLE, s.title),
        Paragraph(text(edition.operator_name_zh), s.subtitle),
        _header(edition, live_url=live_url, hotline=hotline, s=s),
        Spacer(1, 5 * mm),
    ]
    story.append(_fees(edition.lines, s) if edition.lines else Paragraph(NO_LINES, s.note))
    return story


def _contents(area_name: str, on: date, editions: Sequence[PublishedEdition], s: _Styles) -> list[Flowable]:
    """The cover of a port area's sheet: every operator with its edition, in the order the sections follow."""
    story: list[Flowable] = [
        Paragraph(AREA_TITLE, s.title),
        Paragraph(f"{text(area_name)}　截至 {on.isoformat()} 生效 / in force on {on.isoformat()}", s.subtitle),
    ]
    if not editions:
        return [*story, Paragraph(NO_EDITIONS, s.note)]
    labels = (
        ("序号", "No."),
        ("单位名称", "Operator"),
        ("统一社会信用代码", "Credit code"),
        ("版本编号", "Edition"),
        ("执行日期", "Effective date"),
        ("投诉举报电话", "Complaint phone"),
        ("收费项目数", "Fees"),
    )
    head = [Paragraph(_bilingual(zh, en), s.head) for zh, en in labels]
    values = [
        (
            str(n),
            e.operator_name_zh,
            e.credit_code,
            e.edition_code,
            str(e.effective_from),
            e.complaint_phone,
            str(len(e.lines)),
        )
        for n, e in enumerate(editions, 1)
    ]
    rows = [[Paragraph(text(value), s.cell) for value in row] for row in values]
    return [*story, _table([head, *rows], (26, 250, 120, 130, 70, 110, 64), s, GRID, repeatRows=1)]


def _numbered_canvas(font: str, left: str) -> type[Canvas]:
    """A canvas that holds every page back until the end, so each footer can say "page X of Y"."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._held: list[dict[str, Any]] = []

        def showPage(self) -> None:  # noqa: N802 - reportlab's name
            self._held.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._held)
            for number, state in enumerate(self._held, 1):
                self.__dict__.update(state)
                self._footer(number, total)
                super().showPage()
            super().save()

        def _footer(self, number: int, total: int) -> None:
            width = PAGE[0]
            self.saveState()
            self.setStrokeColor(colors.HexColor("#8497B0"))
            self.setLineWidth(0.4)
            self.line(MARGIN, FOOTER_HEIGHT, width - MARGIN, FOOTER_HEIGHT)
            self.setFillColor(colors.HexColor("#44546A"))
            self.setFont(font, 7.5)
            self.drawString(MARGIN, FOOTER_HEIGHT - 10, GOVERNS)
            self.drawString(MARGIN, FOOTER_HEIGHT - 20, left)
            self.setFont(font, 8.5)
            self.drawRightString(width - MARGIN, FOOTER_HEIGHT - 10, f"第 {number} 页 / 共 {total} 页")
            self.drawRightString(width - MARGIN, FOOTER_HEIGHT - 20, f"Page {number} of {total}")
            self.restoreState()

    return NumberedCanvas


def _build(story: list[Flowable], *, font: str, title: str, left: str) -> bytes:
    out = BytesIO()
    document = SimpleDocTemplate(
        out,
        pagesize=PAGE,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=FOOTER_HEIGHT + 4 * mm,
        title=title,
        author="广州国际贸易单一窗口",
        invariant=True,  # the same edition gives the same bytes on any instance
        initialFontName=font,  # else every page also names Helvetica, which is not embedded
    )
    try:
        document.build(list(story), canvasmaker=_numbered_canvas(font, left))  # build() consumes the list
    except LayoutError:
        # A row taller than a page: only then may rows split inside (nothing is lost; the header still repeats).
        for flowable in story:
            if isinstance(flowable, Table):
                flowable.splitInRow = 1
        out = BytesIO()
        document.filename = out
        document.build(list(story), canvasmaker=_numbered_canvas(font, left))
    return out.getvalue()


def posting_sheet(edition: PublishedEdition, *, live_url: str, hotline: str, font: str) -> bytes:
    """One operator's edition: header block with the QR code to `live_url`, then the fee table."""
    s = _Styles.of(font)
    left = f"{edition.operator_name_zh}　版本 Edition {edition.edition_code}"
    story = _section(edition, live_url=live_url, hotline=hotline, s=s)
    return _build(story, font=font, title=f"{TITLE} {edition.edition_code}", left=left)


def port_area_sheet(
    area_name: str,
    editions: Sequence[PublishedEdition],
    *,
    on: date,
    live_url: Callable[[PublishedEdition], str],
    hotline: str,
    font: str,
) -> bytes:
    """Every edition in force in a port area on `on`: a contents page, then one section per operator."""
    s = _Styles.of(font)
    story = _contents(area_name, on, editions, s)
    for edition in editions:
        story += [PageBreak(), *_section(edition, live_url=live_url(edition), hotline=hotline, s=s)]
    left = f"{area_name}　截至 {on.isoformat()} / as of {on.isoformat()}"
    return _build(story, font=font, title=f"{AREA_TITLE} {area_name} {on.isoformat()}", left=left)

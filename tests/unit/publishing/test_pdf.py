"""Posting sheets read back with poppler: what they say, the embedded font, literal markup, page numbers."""

from __future__ import annotations

import logging
from datetime import date, datetime

import pytest

from portal.publishing import pdf
from tests.unit.publishing.conftest import FONT_PATH

LIVE_URL = "https://portal.example/operators/91440101MA5CXXXX1Q"


def squeeze(text: str) -> str:
    """Text without whitespace: a cell wrapped over several lines reads as one string."""
    return "".join(text.split())


@pytest.fixture
def sheet(font):
    def build(edition, **kwargs) -> bytes:
        return pdf.posting_sheet(edition, live_url=LIVE_URL, hotline=kwargs.pop("hotline", "12345"), font=font)

    return build


def test_a_posting_sheet_names_the_operator_its_fees_the_edition_and_the_hotlines(
    sheet, make_edition, pdftotext
) -> None:
    edition = make_edition()
    text = pdftotext(sheet(edition), "-layout")
    for expected in (
        "口岸收费目录清单公示",
        "广州南沙示范码头有限公司",
        edition.credit_code,
        "南沙港区",
        "020-84680000",
        "12345",
        edition.edition_code,
        "2026-03-01",
        "2026-02-20",
        "港口作业包干费",
        "引航费",
        "交水规〔2019〕2号",
        "代引航机构收取",
    ):
        assert expected in text, expected


def test_the_sheet_has_the_prescribed_columns(sheet, make_edition, pdftotext) -> None:
    text = pdftotext(sheet(make_edition()), "-layout")
    columns = ("序号", "收费项目", "适用条件", "服务内容", "收费标准", "计费单位", "币种", "定价方式", "收费依据")
    heading = next(line for line in text.splitlines() if "收费项目" in line)
    assert [c for c in columns if c in heading] == list(columns)
    assert "代收代付" in text
    assert "备注" in text


def test_the_publish_date_is_the_day_in_guangzhou(sheet, make_edition, pdftotext) -> None:
    late_evening_utc = datetime(2026, 2, 20, 17, 0)  # 01:00 on the 21st in Guangzhou
    text = pdftotext(sheet(make_edition(published_at=late_evening_utc)), "-layout")
    assert "2026-02-21" in text


def test_a_pass_through_fee_says_so(sheet, make_edition, pdftotext) -> None:
    text = pdftotext(sheet(make_edition()), "-layout")
    pilotage = next(line for line in text.splitlines() if "引航费" in line)
    ordinary = next(line for line in text.splitlines() if "港口作业包干费" in line)
    assert " 是 " in f" {pilotage} "
    assert " 否 " in f" {ordinary} "


def test_the_footer_says_the_electronic_version_governs(sheet, make_edition, pdftotext) -> None:
    text = pdftotext(sheet(make_edition()), "-layout")
    assert "本清单以广州国际贸易单一窗口公示的电子版本为准" in text
    assert "The electronic version published on the single window governs." in text


def test_the_chinese_font_is_embedded_as_truetype(sheet, make_edition, pdffonts) -> None:
    fonts = pdffonts(sheet(make_edition()))
    assert fonts, "the sheet names no font"
    assert all(f["type"] == "TrueType" and f["emb"] == "yes" for f in fonts), fonts
    assert any("WenQuanYi" in f["name"] for f in fonts)


@pytest.mark.parametrize(
    "name",
    [
        "<b>粗体</b> & <font size=40>",
        '<img src="/etc/passwd"/>收费',
        "A&B&amp;C",
        "<para>段落</para><br/>",
        "<unclosed 标签",
    ],
)
def test_markup_in_operator_text_is_printed_literally(sheet, make_edition, make_line, pdftotext, name) -> None:
    edition = make_edition(
        lines=[make_line(name=name, remarks=name)], operator_name_zh=f"{name}有限公司", complaint_phone=name
    )
    text = squeeze(pdftotext(sheet(edition)))
    assert text.count(squeeze(name)) >= 4  # name, remarks, operator (title and header), complaint phone


def test_line_breaks_in_a_cell_are_kept(sheet, make_edition, make_line, pdftotext) -> None:
    edition = make_edition(lines=[make_line(conditions="外贸进口\n40英尺重箱")])
    lines = pdftotext(sheet(edition)).splitlines()
    assert lines[lines.index("外贸进口") + 1] == "40英尺重箱"


def test_every_page_of_a_long_sheet_is_numbered(sheet, make_edition, make_line, pdftotext) -> None:
    lines = [make_line(position=n, line_no=str(n), name=f"收费项目{n}") for n in range(1, 201)]
    text = pdftotext(sheet(make_edition(lines=lines)), "-layout")
    pages = text.split("\f")[:-1]
    total = len(pages)
    assert total > 5
    for number, page in enumerate(pages, 1):
        assert f"第{number}页/共{total}页" in squeeze(page)
        assert f"Page {number} of {total}" in page
        assert "序号" in page  # the header row repeats
    assert "收费项目200" in pages[-1]


def test_a_row_taller_than_a_page_is_split_across_pages(sheet, make_edition, make_line, pdftotext) -> None:
    long_text = "装卸作业及相关服务" * 250
    text = pdftotext(sheet(make_edition(lines=[make_line(service_content=long_text)])))
    assert text.count("\f") > 1
    assert text.count("卸") == 250  # nothing lost where the row breaks


def test_an_edition_without_fees_still_makes_a_sheet(sheet, make_edition, pdftotext) -> None:
    text = pdftotext(sheet(make_edition(lines=[])), "-layout")
    assert "本版本无在用收费项目" in text
    assert "第1页/共1页" in squeeze(text)


def test_the_same_edition_gives_the_same_bytes(sheet, make_edition) -> None:
    assert sheet(make_edition()) == sheet(make_edition())


def test_a_font_is_registered_once_per_path(font) -> None:
    assert pdf.load_font(str(FONT_PATH)) == font


def test_without_the_font_file_the_builtin_font_is_used_with_a_warning(
    tmp_path, make_edition, pdftotext, pdffonts, caplog
) -> None:
    missing = tmp_path / "no-such-font.ttc"
    with caplog.at_level(logging.WARNING, logger="portal.publishing.pdf"):
        font = pdf.load_font(missing)
    assert font == pdf.FALLBACK_FONT
    assert any(r.levelno == logging.WARNING and str(missing) in r.getMessage() for r in caplog.records)
    data = pdf.posting_sheet(make_edition(), live_url=LIVE_URL, hotline="12345", font=font)
    assert "港口作业包干费" in pdftotext(data, "-layout")
    assert [f["name"] for f in pdffonts(data)] == ["STSong-Light"]


def test_a_file_that_is_not_a_truetype_font_falls_back_too(tmp_path, caplog) -> None:
    bogus = tmp_path / "bogus.ttf"
    bogus.write_bytes(b"not a font at all")
    with caplog.at_level(logging.WARNING, logger="portal.publishing.pdf"):
        assert pdf.load_font(bogus) == pdf.FALLBACK_FONT
    assert "not usable" in caplog.text


def test_a_port_area_sheet_has_a_contents_page_and_a_section_per_operator(
    font, make_edition, make_line, pdftotext
) -> None:
    first = make_edition()
    second = make_edition(
        edition_code="91440101MA5CYYYY2R-003",
        credit_code="91440101MA5CYYYY2R",
        operator_name_zh="南沙示范船务代理有限公司",
        lines=[make_line(name="船舶代理费")],
    )
    seen = []

    def live_url(edition) -> str:
        seen.append(edition.edition_code)
        return f"https://portal.example/operators/{edition.credit_code}"

    data = pdf.port_area_sheet(
        "南沙港区", [first, second], on=date(2026, 3, 2), live_url=live_url, hotline="12345", font=font
    )
    pages = pdftotext(data, "-layout").split("\f")[:-1]
    assert "口岸收费目录清单汇总公示" in pages[0]
    assert "2026-03-02" in pages[0]
    assert first.edition_code in pages[0]
    assert second.edition_code in pages[0]
    assert "广州南沙示范码头有限公司" in pages[1]
    assert "港口作业包干费" in pages[1]
    assert "南沙示范船务代理有限公司" in pages[-1]
    assert "船舶代理费" in pages[-1]
    assert f"共{len(pages)}页" in squeeze(pages[-1])
    assert seen == [first.edition_code, second.edition_code]


def test_a_port_area_without_lists_says_so(font, pdftotext) -> None:
    data = pdf.port_area_sheet("新沙港区", [], on=date(2026, 3, 2), live_url=str, hotline="12345", font=font)
    assert "该港区在此日期无生效的收费目录清单" in pdftotext(data, "-layout")


CLOSERS = "，。、；：！？）」』】"


def test_rows_never_split_across_pages_and_the_header_repeats(sheet, make_edition, make_line, pdftotext) -> None:
    """Tall rows (six lines of service content) over many pages: each row's first and last words are on one page."""

    def content(n: int) -> str:  # rows of 3 to 14 lines, so page ends fall inside rows
        return "\n".join(f"甲{n}乙{k}丙" for k in range(1, 3 + n % 12))

    lines = [
        make_line(
            position=n, line_no=str(n), name=f"收费项目{n}号", service_content=content(n), remarks=f"行尾标记{n}号"
        )
        for n in range(1, 61)
    ]
    pages = pdftotext(sheet(make_edition(lines=lines))).split("\f")[:-1]
    assert len(pages) > 3
    for n in range(1, 61):
        holding = [i for i, page in enumerate(pages) if f"收费项目{n}号" in squeeze(page)]
        ending = [i for i, page in enumerate(pages) if f"行尾标记{n}号" in squeeze(page)]
        tail = [i for i, page in enumerate(pages) if f"甲{n}乙{2 + n % 12 - 1}丙" in squeeze(page)]
        assert tail == holding, f"row {n} ends on page {tail}, starts on {holding}"
        assert holding == ending, f"row {n} is split across pages {holding} and {ending}"
    assert all("序号" in page for page in pages)


@pytest.mark.parametrize("closer", list(CLOSERS))
def test_no_wrapped_line_starts_with_closing_punctuation(sheet, make_edition, make_line, pdftotext, closer) -> None:
    """Text with a closing mark after every few characters, wrapped in a narrow column at every offset."""
    cells = [("收费说明文字" * 3)[:k] + closer + "后续内容" * 6 for k in range(3, 15)]
    lines = [make_line(position=n, line_no=str(n), remarks=text) for n, text in enumerate(cells, 1)]
    text = pdftotext(sheet(make_edition(lines=lines)))
    assert closer in text
    starts = [line for line in text.splitlines() if line.strip().startswith(tuple(CLOSERS))]
    assert starts == []

"""Editions built as plain data (no database), the installed CJK font, and the poppler tools that read PDFs back."""

from __future__ import annotations

import subprocess
from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from portal.publishing import pdf
from portal.publishing.snapshot import PublishedEdition, PublishedLine

FONT_PATH = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
CREDIT_CODE = "91440101MA5CXXXX1Q"

LINE = PublishedLine(
    position=1,
    line_no="1",
    name="港口作业包干费",
    conditions="外贸进口\n20英尺重箱",
    service_content="装卸、堆存（免费期内）、港内搬移、驳船取送",
    standard="￥1,200.00",
    unit="元/箱",
    currency="CNY",
    pricing_class="市场调节价",
    basis="",
    pass_through=False,
    remarks="",
    change_mark="",
    effective_date="",
    name_key="港口作业包干费",
    trade="外贸进口",
    container_size="20",
    laden="重箱",
    cargo=None,
    standard_kind="fixed",
    amount=Decimal("1200.00"),
    amount_max=None,
    tiers=(),
)

EDITION = PublishedEdition(
    edition_code=f"{CREDIT_CODE}-001",
    version_id=1,
    number=1,
    operator_id=1,
    credit_code=CREDIT_CODE,
    operator_name_zh="广州南沙示范码头有限公司",
    operator_name_en="Nansha Demo Terminal Co., Ltd.",
    operator_kind="terminal",
    port_areas=("南沙港区",),
    port_area="南沙港区",
    complaint_phone="020-84680000",
    effective_from=date(2026, 3, 1),
    published_at=datetime(2026, 2, 20, 2, 30),
    lines=(),
    removed=(),
)


@pytest.fixture
def make_line():
    def make(**changes) -> PublishedLine:
        return replace(LINE, **changes)

    return make


@pytest.fixture
def make_edition(make_line):
    """An edition of `lines` (default: two ordinary fees); any header field can be changed."""

    def make(lines=None, **changes) -> PublishedEdition:
        if lines is None:
            lines = (
                make_line(),
                make_line(
                    position=2,
                    line_no="2",
                    name="引航费",
                    standard="0.35",
                    unit="元/吨",
                    pricing_class="政府指导价",
                    basis="交水规〔2019〕2号",
                    pass_through=True,
                    remarks="代引航机构收取",
                ),
            )
        return replace(EDITION, lines=tuple(lines), **changes)

    return make


@pytest.fixture
def font() -> str:
    if not FONT_PATH.exists():
        pytest.skip("fonts-wqy-microhei is not installed")
    return pdf.load_font(FONT_PATH)


def _run(tool: str, data: bytes, folder: Path, *args: str, to_stdout: bool = False) -> str:
    path = folder / f"{tool}.pdf"
    path.write_bytes(data)
    command = [tool, *args, str(path), *(["-"] if to_stdout else [])]
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout


@pytest.fixture
def pdftotext(tmp_path):
    """The text of a PDF as poppler extracts it; pages end with a form feed."""

    def extract(data: bytes, *args: str) -> str:
        return _run("pdftotext", data, tmp_path, *args, to_stdout=True)

    return extract


@pytest.fixture
def pdffonts(tmp_path):
    """The font table of a PDF as dicts keyed by pdffonts' column titles (name, type, emb ...)."""

    def fonts(data: bytes) -> list[dict[str, str]]:
        titles, rule, *rows = _run("pdffonts", data, tmp_path).splitlines()
        spans, start = [], 0
        for dashes in rule.split(" "):
            spans.append((start, start + len(dashes)))
            start += len(dashes) + 1
        names = [titles[a:b].strip() for a, b in spans]
        return [{name: row[a:b].strip() for name, (a, b) in zip(names, spans, strict=True)} for row in rows]

    return fonts

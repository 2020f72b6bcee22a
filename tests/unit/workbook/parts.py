"""Raw xlsx parts and a sample list, for workbooks the tests build byte by byte (hostile ones included)."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Mapping

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="{name}" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/></Relationships>'
)
SHEET_OPEN = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
)
SHEET_CLOSE = "</sheetData></worksheet>"

HEADER_BLOCK = (
    ("单位名称", "广州某集装箱码头有限公司"),
    ("统一社会信用代码", "91440101MA59XXXX1X"),
    ("口岸/港区", "南沙港区"),
    ("投诉举报电话", "020-12345678"),
    ("执行日期", "2024-01-01"),
)
TABLE_HEADER = (
    "序号",
    "收费项目",
    "适用条件",
    "服务内容",
    "收费标准",
    "计费单位",
    "币种",
    "定价方式",
    "收费依据",
    "代收代付",
    "备注",
)
LINES = (
    ("1", "港口作业包干费", "外贸进口 重箱", "装卸船、场内搬移", "600", "元/箱", "CNY", "市场调节价", "", "否", ""),
    ("2", "货物港务费", "外贸进口 20英尺", "港口设施", "13.60", "元/箱", "", "政府定价", "交水规〔2019〕2号", "是", ""),
    ("3", "单证费", "", "提单、舱单处理", "100", "元/票", "", "市场调节价", "", "否", ""),
)
FIRST_DATA_ROW = len(HEADER_BLOCK) + 3  # header block, a blank row, the table header


def inline_cell(ref: str, text: str) -> str:
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return f'<c r="{ref}" t="inlineStr"><is><t>{escaped}</t></is></c>'


def sheet_xml(rows: Iterable[str]) -> bytes:
    return (SHEET_OPEN + "".join(rows) + SHEET_CLOSE).encode()


def zip_parts(parts: Mapping[str, bytes | str], *, compresslevel: int | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=compresslevel) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def minimal_parts(sheet: bytes | str | None = None, *, name: str = "收费目录清单") -> dict[str, bytes | str]:
    """The fewest parts calamine reads: content types, relationships, workbook and one worksheet."""
    return {
        "[Content_Types].xml": CONTENT_TYPES,
        "_rels/.rels": ROOT_RELS,
        "xl/workbook.xml": WORKBOOK.format(name=name),
        "xl/_rels/workbook.xml.rels": WORKBOOK_RELS,
        "xl/worksheets/sheet1.xml": sheet if sheet is not None else sheet_xml([]),
    }

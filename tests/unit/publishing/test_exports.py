"""Consolidated exports read back (openpyxl, csv): the editions' lines, and formula-looking text kept as text."""

from __future__ import annotations

import csv
import io
import multiprocessing
import zipfile
from dataclasses import replace
from datetime import date, datetime

import pytest
from openpyxl import load_workbook

from portal.publishing import exports
from portal.workbook import layout

FORMULAS = ['=HYPERLINK("http://evil.example","click")', "+1", "-2", "@x", "\tx", "\rx", "  =1+1"]


def read_xlsx(data: bytes) -> list[list[object]]:
    """Every row as values, empty cells as "" (trailing empty cells are not stored, so rows are padded)."""
    book = load_workbook(io.BytesIO(data), read_only=True)
    try:
        rows = [["" if v is None else v for v in row] for row in book.worksheets[0].iter_rows(values_only=True)]
    finally:
        book.close()
    width = len(exports.headings("zh"))
    return [row + [""] * (width - len(row)) for row in rows]


def read_csv(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf"), "no BOM: Excel would misread the Chinese"
    return list(csv.reader(io.StringIO(data[3:].decode("utf-8"), newline="")))


def xlsx(editions, lang: str = "zh") -> bytes:
    out = io.BytesIO()
    exports.write_xlsx(out, iter(editions), lang)  # an iterator: the writer consumes it once
    return out.getvalue()


def as_csv(editions, lang: str = "zh") -> bytes:
    out = io.BytesIO()
    exports.write_csv(out, iter(editions), lang)
    return out.getvalue()


def expected_rows(editions, pass_through=("是", "否")) -> list[list[str]]:
    """What each line should read back as, by hand: edition columns, then the prescribed columns."""
    rows = []
    for e in editions:
        for line in e.lines:
            rows.append(
                [e.edition_code, e.operator_name_zh, e.credit_code, "码头", "南沙港区", e.complaint_phone, "2026-03-01"]
                + [
                    line.line_no,
                    line.name,
                    line.conditions,
                    line.service_content,
                    line.standard,
                    line.unit,
                    line.currency,
                    line.pricing_class,
                    line.basis,
                    pass_through[0] if line.pass_through else pass_through[1],
                    line.remarks,
                    line.change_mark,
                    line.effective_date,
                ]
            )
    return rows


@pytest.fixture
def editions(make_edition, make_line):
    other = make_edition(
        edition_code="91440101MA5CYYYY2R-002",
        credit_code="91440101MA5CYYYY2R",
        operator_name_zh="南沙示范仓储有限公司",
        operator_name_en=None,
        lines=[make_line(name="堆存费", standard="1-7天免费；8天起20元/天", unit="元/箱·天", change_mark="I")],
    )
    return [make_edition(), other]


def test_the_xlsx_reads_back_as_the_editions_lines(editions) -> None:
    rows = read_xlsx(xlsx(editions))
    assert rows[0] == exports.headings("zh")
    body = [[v.date().isoformat() if isinstance(v, datetime) else v for v in row] for row in rows[1:]]
    assert body == expected_rows(editions)


def test_the_csv_reads_back_as_the_editions_lines(editions) -> None:
    rows = read_csv(as_csv(editions))
    assert rows[0] == exports.headings("zh")
    assert rows[1:] == expected_rows(editions)


def test_the_headings_are_the_edition_columns_then_the_prescribed_format(editions) -> None:
    assert exports.headings("zh")[:3] == ["版本编号", "单位名称", "统一社会信用代码"]
    assert exports.headings("zh")[7:] == [c.zh for c in layout.COLUMNS]
    assert exports.headings("en")[7:] == [c.en for c in layout.COLUMNS]


def test_the_effective_date_is_a_date_cell_in_the_xlsx(editions) -> None:
    rows = read_xlsx(xlsx(editions))
    assert rows[1][6] == datetime(2026, 3, 1)


def test_the_english_export_uses_english_headings_names_and_labels(editions) -> None:
    rows = read_csv(as_csv(editions, "en"))
    assert rows[0][:2] == ["Edition", "Operator"]
    first, pilotage = rows[1], rows[2]
    assert first[1] == "Nansha Demo Terminal Co., Ltd."
    assert first[3] == "Terminal"
    assert (first[16], pilotage[16]) == ("No", "Yes")
    assert rows[3][1] == "南沙示范仓储有限公司"  # no English name: the Chinese one


@pytest.mark.parametrize("text", FORMULAS)
def test_formula_looking_text_comes_back_escaped_from_the_xlsx(make_edition, make_line, text) -> None:
    edition = make_edition(lines=[make_line(name=text, remarks=text)], operator_name_zh=text)
    data = xlsx([edition])
    book = load_workbook(io.BytesIO(data))
    row = list(book.worksheets[0].iter_rows(min_row=2, max_row=2))[0]
    cells = [row[1], row[8], row[17]]  # operator, fee item, remarks
    assert [c.value for c in cells] == ["'" + text.replace("\r", "\n")] * 3  # XML reads a bare CR back as LF
    assert all(c.data_type == "s" for c in cells)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheet_xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml


@pytest.mark.parametrize("text", FORMULAS)
def test_formula_looking_text_comes_back_escaped_from_the_csv(make_edition, make_line, text) -> None:
    edition = make_edition(lines=[make_line(name=text, remarks=text)], operator_name_zh=text)
    row = read_csv(as_csv([edition]))[1]
    assert [row[1], row[8], row[17]] == ["'" + text] * 3


def test_ordinary_text_is_not_escaped(make_edition, make_line) -> None:
    edition = make_edition(lines=[make_line(name="A=B 费", standard="1,200.00", remarks="-")])
    row = read_csv(as_csv([edition]))[1]
    assert (row[8], row[11]) == ("A=B 费", "1,200.00")
    assert row[17] == "'-"


def test_characters_xml_cannot_hold_are_dropped_from_the_xlsx(make_edition, make_line) -> None:
    edition = make_edition(lines=[make_line(name="换单\x07费")])
    assert read_xlsx(xlsx([edition]))[1][8] == "换单费"


def test_no_editions_give_just_the_headings() -> None:
    assert read_xlsx(xlsx([])) == [exports.headings("zh")]
    assert read_csv(as_csv([])) == [exports.headings("zh")]


def test_the_csv_leaves_the_callers_stream_open(editions) -> None:
    out = io.BytesIO()
    exports.write_csv(out, editions, "zh")
    out.write(b"")  # raises ValueError if the writer closed it
    assert not out.closed


def test_removed_lines_are_not_exported(make_edition, make_line) -> None:
    edition = replace(make_edition(), removed=(make_line(name="电放费", change_mark="D"),))
    assert all("电放费" not in row for row in read_csv(as_csv([edition])))


def test_dates_in_the_csv_are_iso(editions) -> None:
    assert read_csv(as_csv(editions))[1][6] == date(2026, 3, 1).isoformat()


def xlsx_to_file(editions, path) -> bytes:
    """Through a file, as the exports folder gets it: written by a child process (exports._write_in_child)."""
    with path.open("wb") as stream:
        exports.write_xlsx(stream, iter(editions), "zh")
    return path.read_bytes()


def test_an_xlsx_written_to_a_file_by_the_writer_process_holds_the_same_cells(
    editions, tmp_path, monkeypatch, make_edition
) -> None:
    monkeypatch.setattr(exports, "XLSX_BATCH_LINES", 1)  # several batches through the pipe
    many = editions + [make_edition(edition_code=f"91440101MA5CYYYY2R-{n:03}") for n in range(3, 8)]
    assert read_xlsx(xlsx_to_file(many, tmp_path / "out.xlsx")) == read_xlsx(xlsx(many))
    assert multiprocessing.active_children() == []


def test_a_failure_while_reading_ends_the_writer_process(editions, tmp_path) -> None:
    def failing():
        yield editions[0]
        raise LookupError("the database went away")

    with pytest.raises(LookupError):
        xlsx_to_file(failing(), tmp_path / "out.xlsx")
    assert multiprocessing.active_children() == []


def test_a_failure_of_the_writer_process_is_raised(editions, tmp_path, monkeypatch) -> None:
    def broken(*_args) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(exports, "_write_workbook", broken)  # in the child: it is forked with this module as it is
    with pytest.raises(RuntimeError, match="xlsx writer process failed"):
        xlsx_to_file(editions, tmp_path / "out.xlsx")
    assert multiprocessing.active_children() == []

"""The guard's quick scan and the reader's plain-row path answer exactly as the full paths would, or not at all."""

from __future__ import annotations

import io
import random
import re
import zipfile

import pytest
from openpyxl.utils.cell import get_column_letter

from portal.validation.model import FeeLine, Header
from portal.workbook import cells, sheetscan
from portal.workbook.guard import CHUNK, GuardLimits, UploadRefused, inspect_upload
from portal.workbook.layout import MAX_CELL_CHARS
from portal.workbook.reader import read_workbook
from portal.workbook.table import _END_MARKERS, SheetReader
from portal.workbook.writer import write_catalogue

from .parts import inline_cell, minimal_parts, sheet_xml, zip_parts

SHEET_PART = "xl/worksheets/sheet1.xml"
PLAIN_ROWS = [
    '<row r="1">',
    inline_cell("A1", "收费项目"),
    '<c r="B1" s="1" t="n"><v>12.5</v></c>',
    "</row>",
    '<row r="3" spans="1:4" x14ac:dyDescent="0.25">',
    '<c r="D3" t="inlineStr"><is><t>港口作业包干费</t></is></c>',
    '<c r="C3" s="2"/>',
    "</row>",
]


def _archive(sheet: bytes) -> tuple[zipfile.ZipFile, zipfile.ZipInfo]:
    archive = zipfile.ZipFile(io.BytesIO(zip_parts(minimal_parts(sheet))))
    return archive, archive.getinfo(SHEET_PART)


def _quick(sheet: bytes, limits: GuardLimits | None = None) -> sheetscan.SheetFacts | None:
    archive, info = _archive(sheet)
    return sheetscan.quick_scan(archive, info, (limits or GuardLimits()).max_cells)


def _full(sheet: bytes) -> sheetscan.SheetFacts:
    archive, info = _archive(sheet)
    return sheetscan.full_scan(archive, info, None)


def test_a_plain_sheet_is_bounded_by_the_quick_scan_alone_at_least_as_far_as_the_full_scan_reaches() -> None:
    sheet = sheet_xml(PLAIN_ROWS)
    quick, full = _quick(sheet), _full(sheet)
    assert quick is not None
    assert (quick.max_row, quick.max_column, quick.formulas) == (3, 4, [])
    assert (full.max_row, full.max_column, full.formulas) == (3, 4, [])  # C3 holds no value: D3 reaches as far


def test_workbooks_saved_by_openpyxl_and_by_the_portal_take_the_quick_scan(standard_xlsx: bytes) -> None:
    template = io.BytesIO()
    write_catalogue(template, Header(operator_name="广州测试码头有限公司"), [FeeLine(name="单证费", standard="100")])
    for data in (standard_xlsx, template.getvalue()):
        archive = zipfile.ZipFile(io.BytesIO(data))
        quick = sheetscan.quick_scan(archive, archive.getinfo(SHEET_PART), GuardLimits().max_cells)
        assert quick is not None
        assert quick.max_row >= 10


def test_the_quick_scan_counts_a_valueless_cell_the_full_scan_skips() -> None:
    sheet = sheet_xml(['<row r="2">', inline_cell("A2", "x"), '<c r="H9" s="1"/>', "</row>"])
    quick, full = _quick(sheet), _full(sheet)
    assert quick is not None
    assert (quick.max_row, quick.max_column) == (9, 8)
    assert (full.max_row, full.max_column) == (2, 1)


def test_a_tag_cut_by_a_chunk_boundary_is_still_counted() -> None:
    sheet = sheet_xml(PLAIN_ROWS)
    for cut in range(1, len(sheet)):
        quick = sheetscan._QuickScan()
        assert b"".join(quick.scanned(iter([sheet[:cut], sheet[cut:]]))) == sheet
        assert (quick.plain, quick.facts.max_row, quick.facts.max_column) == (True, 3, 4), f"cut at {cut}"


FAR = 200_000  # row of the far-away cell: 26 columns x 200,000 rows exceeds the 2,000,000-cell limit
HIDDEN_FAR_CELLS = [
    pytest.param(f'</row><row r="{FAR}"><c r="Z{FAR}"><v>1</v></c>', id="plain"),
    pytest.param(
        f'<c t="n"><v>1</v></c></row><row r="{FAR}"><c r="Z{FAR}"><v>1</v></c>', id="after an unreferenced cell"
    ),
    pytest.param(f'<x:c r="Z{FAR}"><v>1</v></x:c>', id="prefixed tag"),
    pytest.param(f'<a:b:c r="Z{FAR}"><v>1</v></a:b:c>', id="two prefixes"),
    pytest.param(f'<c s=\' r="A1"\' r="Z{FAR}"><v>1</v></c>', id="decoy reference in another attribute"),
    pytest.param(f'<c\nr="Z{FAR}"><v>1</v></c>', id="line break after the name"),
    pytest.param(f'<c  r="Z{FAR}"><v>1</v></c>', id="two spaces"),
    pytest.param(f"<c r='Z{FAR}'><v>1</v></c>", id="single quotes"),
    pytest.param(f'<c r="&#90;{FAR}"><v>1</v></c>', id="character reference"),
]


@pytest.mark.parametrize("cell", HIDDEN_FAR_CELLS)
def test_a_far_away_cell_written_in_any_other_way_is_still_refused(cell: str) -> None:
    sheet = sheet_xml(['<row r="1">', inline_cell("A1", "x"), cell, "</row>"])
    with pytest.raises(UploadRefused) as refused:
        inspect_upload(zip_parts(minimal_parts(sheet)), "list.xlsx")
    assert refused.value.code == "sheet-too-large"


@pytest.mark.parametrize(
    "rows",
    [
        pytest.param(['<row r="1"><c r="A1"><f>1+1</f><v>2</v></c></row>'], id="formula"),
        pytest.param(['<row r="1"><c r="A1"><x:f>1+1</x:f><v>2</v></c></row>'], id="prefixed formula"),
        pytest.param(['<row><c r="A1"><v>1</v></c></row>'], id="row without a number"),
        pytest.param(['<row r="1">', inline_cell("A1", "x" * CHUNK * 3), "</row>"], id="text over two chunks long"),
        pytest.param(['<row r="1"><!-- <c r="Z200000"/> --><c r="A1"><v>1</v></c></row>'], id="far cell in a comment"),
    ],
)
def test_what_the_quick_scan_cannot_prove_is_left_to_the_full_scan(rows: list[str]) -> None:
    assert _quick(sheet_xml(rows)) is None


def test_a_far_cell_in_a_comment_is_no_cell_and_the_full_scan_accepts_the_sheet() -> None:
    sheet = sheet_xml(['<row r="1"><!-- <c r="Z200000"/> -->', inline_cell("A1", "x"), "</row>"])
    assert inspect_upload(zip_parts(minimal_parts(sheet)), "list.xlsx").formula_cells == {SHEET_PART: ()}


def test_formulas_are_still_found_cell_by_cell() -> None:
    sheet = sheet_xml(['<row r="4">', inline_cell("A4", "x"), '<c r="C4"><f>A4</f><v>0</v></c>', "</row>"])
    assert inspect_upload(zip_parts(minimal_parts(sheet)), "list.xlsx").formula_cells == {SHEET_PART: ("C4",)}


@pytest.mark.parametrize("reference", ["A0", "XFE1", "A1048577"])
def test_a_bad_reference_in_a_plain_tag_is_refused_as_corrupt(reference: str) -> None:
    sheet = sheet_xml(['<row r="1">', inline_cell(reference, "x"), "</row>"])
    assert _quick(sheet) is None
    with pytest.raises(UploadRefused) as refused:
        inspect_upload(zip_parts(minimal_parts(sheet)), "list.xlsx")
    assert refused.value.code == "corrupt"


def test_a_quick_bound_over_the_limit_is_checked_again_cell_by_cell() -> None:
    sheet = sheet_xml(['<row r="1">', inline_cell("A1", "x"), '<c r="C5" s="1"/>', "</row>"])
    assert _quick(sheet, GuardLimits(max_cells=10)) is None  # C5 spans 15 cells, but holds no value
    assert inspect_upload(zip_parts(minimal_parts(sheet)), "list.xlsx", GuardLimits(max_cells=10)).sheets


TRICKY_TEXTS = [
    "",
    "  港口作业包干费  ",
    "\u3000全角空格\u3000",
    "\xa0不间断空格",
    "'=1+1",
    "'单引号开头",
    "it's",
    "a\tb",
    "第一行\n\n\n第二行  \n",
    "a\r\nb",
    "零宽\u200b字符",
    "\ufeffBOM",
    "控制\x07字符",
    "x" * (MAX_CELL_CHARS + 1),
]


@pytest.mark.parametrize("multiline", [False, True])
@pytest.mark.parametrize("text", TRICKY_TEXTS)
def test_cell_text_of_any_string_is_what_cleaning_and_unescaping_it_gives(text: str, multiline: bool) -> None:
    assert cells.cell_text(text, multiline=multiline) == cells.clean(cells.unescape(text), multiline=multiline)


class _Read:
    def __init__(self, rows: list[list[object]], formulas: tuple[str, ...]) -> None:
        reader = SheetReader("收费目录清单", rows, [], formulas, 100)
        header, lines, _ = reader.read()
        self.catalogue = type("Catalogue", (), {"header": header, "lines": lines})
        self.findings = reader.findings


def _read(rows: list[list[object]], formulas: tuple[str, ...] = ()) -> _Read:
    return _Read(rows, formulas)


def test_rows_taken_whole_read_as_the_cell_by_cell_path_reads_them(list_rows) -> None:
    tricky = [
        [str(n), text, text, "服务", text, "元/箱", "", "市场调节价", "", "否", text]
        for n, text in enumerate(TRICKY_TEXTS)
    ]
    rows = [*list_rows(), *tricky, ["99", "单证费", "", "提单", 100.0, "元/票"]]
    width = max(map(len, rows))
    rows = [row + [""] * (width - len(row)) for row in rows]
    assert cells.plain_text(rows[-len(TRICKY_TEXTS) - 1 + 2])  # 全角空格: taken whole
    assert not cells.plain_text(rows[-len(TRICKY_TEXTS) - 1 + 4])  # '=1+1: cell by cell

    whole = _read(rows)
    by_cell = _read(rows, formulas=("Z999",))  # a formula anywhere sends every row through the cell-by-cell path

    assert whole.catalogue.lines == by_cell.catalogue.lines
    assert whole.catalogue.lines[-1].standard == "100"
    assert [f.rule for f in whole.findings] == ["invalid-value"] * 4  # the over-long text, in four columns


_BLOCK = SheetReader._plain_block


def _lines_both_ways(rows: list[list[object]], monkeypatch: pytest.MonkeyPatch, max_rows: int = 100):
    """The lines, findings and table end as read (block path allowed), then as the loop alone reads them."""

    def read() -> tuple[object, ...]:
        reader = SheetReader("收费目录清单", rows, [], (), max_rows)
        _, lines, _ = reader.read()
        located = [dict(line.locations) for line in lines]
        return lines, located, [vars(line) for line in lines], reader.findings, reader.last_row, reader.end_row

    taken = []
    monkeypatch.setattr(SheetReader, "_plain_block", lambda self, *a: taken.append(_BLOCK(self, *a)) or taken[-1])
    allowed = read()
    monkeypatch.setattr(SheetReader, "_plain_block", lambda self, *a: None)
    return allowed, read(), taken[0]


def _full_width(rows: list[list[object]]) -> list[list[object]]:
    width = max(map(len, rows))
    return [row + [""] * (width - len(row)) for row in rows]


TAILS = {
    "nothing": ([], True),
    "an apostrophe, a break, a long text": (
        [["8", "单证费", "'1", "提单", "100", "元/票"], ["9", "电放费", "a\nb", "x" * (MAX_CELL_CHARS + 1), "1"]],
        True,
    ),
    "a blank row then a line": ([[" "], ["8", "单证费", "", "提单", "100", "元/票"]], False),
    "a note": ([["注：以上价格含税"]], False),
    "a number": ([["8", "单证费", "", "提单", 100.0, "元/票"]], False),
    "no first cell": ([["", "单证费", "", "提单", "100", "元/票"]], False),
    "no first cell, then a note": ([["", "注：以上价格含税"], ["8", "单证费", "", "提单", "100", "元/票"]], False),
    "a short row": ([["8", "单证费"]], False),
}


@pytest.mark.parametrize("tail", list(TAILS), ids=list(TAILS))
def test_a_block_of_rows_reads_as_the_loop_reads_them_row_by_row(list_rows, monkeypatch, tail: str) -> None:
    rows, block = TAILS[tail]
    if tail == "a short row":
        table = [*_full_width(list_rows()), rows[0]]
    else:
        table = _full_width([*list_rows(), *rows])
    allowed, loop, taken = _lines_both_ways(table, monkeypatch)
    assert allowed == loop
    assert (taken is not None) is block
    assert allowed[0]  # lines were read
    if tail == "nothing":
        assert all(taken)  # every row plain: each taken as it is


def test_a_block_longer_than_a_list_may_be_is_left_to_the_loop(list_rows, monkeypatch) -> None:
    rows = _full_width(list_rows())
    lines = len(rows) - rows.index(next(r for r in rows if r and r[0] == "序号")) - 1
    allowed, loop, taken = _lines_both_ways(rows, monkeypatch, max_rows=lines - 1)
    assert allowed == loop
    assert taken is None
    assert [f.rule for f in allowed[3]] == ["too-many-rows"]
    assert _lines_both_ways(rows, monkeypatch, max_rows=lines)[2] is not None


def test_a_merged_row_in_a_block_is_left_to_the_loop(list_rows, monkeypatch) -> None:
    rows = _full_width(list_rows())
    last = len(rows) - 1

    def read(merged):
        reader = SheetReader("收费目录清单", rows, merged, (), 100)
        return reader.read()[1], reader.last_row

    taken = []
    monkeypatch.setattr(SheetReader, "_plain_block", lambda self, *a: taken.append(_BLOCK(self, *a)) or taken[-1])
    merged = [((last, 8), (last, 9))]
    assert read(merged)
    assert taken == [None]
    assert read([((0, 0), (0, 3))])
    assert taken[-1] is not None  # a merge above the table: the block is taken


def test_a_line_is_located_at_its_cells(standard_xlsx: bytes) -> None:
    line = read_workbook(standard_xlsx, "list.xlsx").catalogue.lines[0]
    locations = dict(line.locations)
    assert list(locations) == [
        "line_no",
        "name",
        "conditions",
        "service_content",
        "standard",
        "unit",
        "currency",
        "pricing_class",
        "basis",
        "pass_through",
        "remarks",
    ]
    assert {(loc.sheet, loc.row, loc.field) for loc in locations.values()} == {
        ("收费目录清单", line.row, key) for key in locations
    }
    assert "".join(loc.column for loc in locations.values()) == "ABCDEFGHIJK"
    assert line.locations.get("change_mark") is None


def _long_sheet(middle: str, rows: int = 6_000) -> bytes:
    """Rows of two cells (A, B), with `middle` inside the middle row: far from both ends the extent is sampled at."""
    body = []
    for r in range(1, rows + 1):
        extra = middle if r == rows // 2 else ""
        body.append(f'<row r="{r}">{inline_cell(f"A{r}", "单证费")}{inline_cell(f"B{r}", "100")}{extra}</row>')
    return sheet_xml(body)


@pytest.mark.parametrize(
    ("middle", "extent"),
    [
        pytest.param("", (6_000, 2), id="nothing beyond the sample"),
        pytest.param('<c r="Z3000"><v>1</v></c>', (6_000, 26), id="a farther column"),
        pytest.param('<c r="AA3000"><v>1</v></c>', (6_000, 27), id="a longer column"),
        pytest.param('<c r="B7000"><v>1</v></c>', (7_000, 2), id="a farther row"),
        pytest.param('<c r="B10000"><v>1</v></c>', (10_000, 2), id="a longer row"),
    ],
)
def test_the_sampled_extent_of_a_long_sheet_is_proved_or_counted_cell_by_cell(middle: str, extent) -> None:
    facts = _quick(_long_sheet(middle), GuardLimits(max_cells=10**9))
    assert facts is not None
    assert (facts.max_row, facts.max_column) == extent


@pytest.mark.parametrize("middle", ['<c r="B0"><v>1</v></c>', '<c r="XFE3000"><v>1</v></c>'])
def test_a_bad_reference_far_from_the_sample_still_leaves_the_sheet_to_the_full_scan(middle: str) -> None:
    assert _quick(_long_sheet(middle)) is None


def test_a_bad_row_number_far_from_the_sample_still_leaves_the_sheet_to_the_full_scan() -> None:
    sheet = _long_sheet("").replace(b'<row r="3000">', b'<row r="1048577">')
    assert _quick(sheet) is None


DECLARATIONS = ['<!DOCTYPE x [<!ENTITY e "e">]>', '<!entity e "e">', "<!NOTATION n SYSTEM 'n'>"]


@pytest.mark.parametrize("declaration", DECLARATIONS)
@pytest.mark.parametrize("at", [1, 3_000, 6_000], ids=["first row", "middle row", "last row"])
def test_a_declaration_anywhere_in_a_plain_sheet_is_refused_by_the_quick_scan_itself(declaration: str, at: int) -> None:
    body = []
    for r in range(1, 6_001):
        extra = declaration if r == at else ""
        body.append(f'<row r="{r}">{inline_cell(f"A{r}", "单证费")}{extra}{inline_cell(f"B{r}", "100")}</row>')
    with pytest.raises(UploadRefused) as refused:
        _quick(sheet_xml(body))
    assert refused.value.code == "xml-dtd"
    with pytest.raises(UploadRefused) as refused:
        inspect_upload(zip_parts(minimal_parts(sheet_xml(body))), "list.xlsx")
    assert refused.value.code == "xml-dtd"


def test_a_declaration_cut_by_a_chunk_boundary_of_a_plain_sheet_is_refused() -> None:
    sheet = _long_sheet("")
    sheet = sheet[: CHUNK - 4] + b'<!DOCTYPE x [<!ENTITY e "e">]>' + sheet[CHUNK - 4 :]
    assert sheet.index(b"<!DOCTYPE") < CHUNK < sheet.index(b"<!DOCTYPE") + len(b"<!DOCTYPE")
    with pytest.raises(UploadRefused) as refused:
        inspect_upload(zip_parts(minimal_parts(sheet)), "list.xlsx")
    assert refused.value.code == "xml-dtd"


def test_a_reference_is_within_exactly_when_its_column_and_row_are_no_farther_and_it_is_plainly_written() -> None:
    rng = random.Random(14)
    letters = [get_column_letter(n) for n in (1, 2, 13, 26, 27, 28, 52, 702, 703, 16_384)]
    rows = ["1", "9", "10", "99", "100", "5009", "5010", "9999", "10000", "1048576"]
    for column, row in [(c, r) for c in letters for r in rows]:
        within = re.compile(sheetscan._within(column.encode(), row.encode()))
        for _ in range(200):
            ref_letters = "".join(rng.choice("ABCMNXYZ") for _ in range(rng.randint(1, 3)))
            ref_row = rng.choice(["0", "00", "05", "010"]) if rng.random() < 0.1 else str(rng.randint(1, 1_100_000))
            if rng.random() < 0.5:
                ref_row = str(rng.randint(max(1, int(row) - 3), int(row) + 3))
            expected = (
                sheetscan.COLUMNS.get(ref_letters, 10**9) <= sheetscan.COLUMNS[column]
                and not ref_row.startswith("0")
                and 1 <= int(ref_row) <= int(row)
            )
            found = within.fullmatch(f'{ref_letters}{ref_row}"'.encode()) is not None
            assert found == expected, (column, row, ref_letters, ref_row)


@pytest.mark.parametrize(
    ("after", "extent"),
    [
        pytest.param("", (6_000, 2), id="nothing after"),
        pytest.param('<c r="Z3000"><v>1</v></c>', (6_000, 26), id="a farther column after"),
        pytest.param('<c r="B9000"><v>1</v></c>', (9_000, 2), id="a farther row after"),
    ],
)
def test_hidden_rows_and_columns_of_a_long_sheet_are_found_and_nothing_after_them_is_skipped(after, extent) -> None:
    sheet = _long_sheet(after).replace(b'<row r="3000">', b'<row r="3000" hidden="1">')
    sheet = sheet.replace(b'<row r="10">', b'<row r="10" spans="1:2" hidden="true" customHeight="1">')
    sheet = sheet.replace(b"<sheetData>", b'<cols><col min="2" max="3" hidden="1" width="0"/></cols><sheetData>')
    facts = _quick(sheet, GuardLimits(max_cells=10**9))
    assert facts is not None
    assert (facts.max_row, facts.max_column) == extent
    assert (facts.hidden_rows, facts.hidden_columns) == ({10, 3000}, {2, 3})
    full = _full(sheet)
    assert (full.hidden_rows, full.hidden_columns) == ({10, 3000}, {2, 3})


@pytest.mark.parametrize(
    "leads",
    [
        [str(n) for n in range(1, 5001)],
        ["1", "2", "12345"],
        ["1", "123456"],  # 12345 starts it, as the pattern reads it
        ["1", "112345"],
        ["12358"],
        ["1", "注：以上价格含税"],
        ["1", "单位名称：广州示范港务有限公司"],
        ["1", "单位名称"],
        ["1.", "2."],
        ["一", "二"],
        ["1", " 12345"],
    ],
)
def test_a_blocks_first_cells_are_marked_exactly_as_each_would_be(leads: list[str]) -> None:
    """The one look at line numbers says what matching each first cell says (the block's fast path or not)."""
    assert SheetReader._note_starts(leads) == any(map(_END_MARKERS.match, leads))

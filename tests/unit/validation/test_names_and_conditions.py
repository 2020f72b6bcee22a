"""Fee names resolve through aliases to government items and bundles; conditions are read and compared."""

from __future__ import annotations

import gc
from dataclasses import replace
from datetime import date

import pytest

from portal.validation import names
from portal.validation.conditions import compatible, parse_conditions
from portal.validation.model import Conditions, Reference
from portal.validation.names import NameIndex, fee_stem, normalise, without_brackets


@pytest.fixture(scope="module")
def index(request: pytest.FixtureRequest) -> NameIndex:
    reference: Reference = request.getfixturevalue("reference")
    return NameIndex(reference)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("货物港务费", "货物港务费"),
        ("货物港务费（外贸）", "货物港务费(外贸)"),
        ("【DOC】", "(doc)"),
        ("[EIR]", "(eir)"),
        ("文 件　费", "文件费"),
        ("ＤＯＣ", "doc"),
        ("Seal\u00a0Fee", "sealfee"),
        ("单证\u200b费", "单证费"),
    ],
)
def test_a_name_is_normalised_to_half_width_without_spaces_with_round_brackets_casefolded(
    name: str, expected: str
) -> None:
    assert normalise(name) == expected


@pytest.mark.parametrize(
    ("key", "bare", "stem"),
    [
        ("引航(移泊)费", "引航费", "引航"),
        ("装卸船作业费", "装卸船作业费", "装卸船"),
        ("场内搬移", "场内搬移", "场内搬移"),
    ],
)
def test_brackets_and_fee_suffixes_can_be_set_aside(key: str, bare: str, stem: str) -> None:
    assert without_brackets(key) == bare
    assert fee_stem(key) == stem


@pytest.mark.parametrize(
    ("name", "canonical"), [("文件费", "单证费"), ("doc", "单证费"), ("单证费", "单证费"), ("TLX", "电放费")]
)
def test_aliases_resolve_to_one_canonical_name(index: NameIndex, name: str, canonical: str) -> None:
    assert index.canonical(name) == canonical


@pytest.mark.parametrize(
    ("name", "codes"),
    [
        ("货物港务费", {"HWF-FT-20-IM", "HWF-FT-20-EX", "HWF-FT-40-IM", "HWF-FT-40-EX", "HWF-DT-20"}),
        ("货物港务费（外贸进口）", {"HWF-FT-20-IM", "HWF-FT-20-EX", "HWF-FT-40-IM", "HWF-FT-40-EX", "HWF-DT-20"}),
        ("Harbour dues on cargo", {"HWF-FT-20-IM", "HWF-FT-20-EX", "HWF-FT-40-IM", "HWF-FT-40-EX", "HWF-DT-20"}),
        ("引航（移泊）费", {"PIL"}),
        ("引航费", {"PIL"}),
        ("安保费", {"PFS-20", "PFS-40", "PFS-FOLDED"}),
        ("港口建设费", {"PCF", "PCF-ABOLISHED"}),
        ("理货费", set()),
        ("", set()),
    ],
)
def test_a_written_name_finds_every_government_row_it_names(index: NameIndex, name: str, codes: set[str]) -> None:
    assert {item.code for item in index.gov_items(name)} == codes


@pytest.mark.parametrize(
    ("name", "codes"),
    [
        ("港务费（货）", {"HWF-FT-20-IM", "HWF-FT-20-EX", "HWF-FT-40-IM", "HWF-FT-40-EX", "HWF-DT-20"}),  # whole name
        ("领航（夜间）", {"PIL"}),  # the name without its brackets
        ("港务费", set()),  # the alias with brackets is not the bare name's
    ],
)
def test_the_alias_dictionary_leads_to_government_rows_with_or_without_the_brackets(
    reference: Reference, name: str, codes: set[str]
) -> None:
    aliased = NameIndex(replace(reference, aliases={"港务费(货)": "货物港务费", "领航": "引航费"}))
    assert {item.code for item in aliased.gov_items(name)} == codes


@pytest.mark.parametrize(
    ("name", "found"), [("港口作业包干费", True), ("包干费", True), ("thc", True), ("装卸费", False)]
)
def test_a_bundle_is_found_by_its_name_or_its_aliases(index: NameIndex, name: str, found: bool) -> None:
    assert bool(index.bundles(name)) is found


@pytest.mark.parametrize(
    ("name", "suggestion"),
    [
        ("货物港物费", "货物港务费"),
        ("货物港费", "货物港务费"),
        ("围油栏费", "围油栏使用费"),
        ("码头操作费", None),
        ("", None),
    ],
)
def test_a_near_miss_gets_a_suggestion_and_a_far_one_none(index: NameIndex, name: str, suggestion: str | None) -> None:
    assert index.suggest(name) == suggestion


def test_a_suggestion_names_only_items_in_force_on_the_date(index: NameIndex) -> None:
    assert index.suggest("港口建设", date(2020, 12, 31)) == "港口建设费"
    assert index.suggest("港口建设", date(2021, 1, 1)) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("外贸进口 20英尺 重箱 普通货物", Conditions("外贸进口", "20", "重箱", "普通货物")),
        ("进口外贸，40HQ，空柜", Conditions("外贸进口", "40", "空箱", other="HQ")),
        ("外贸出口/20GP", Conditions("外贸出口", "20")),
        ("外贸进口、外贸出口", Conditions("外贸")),
        ("进出口 40' 危险品", Conditions("外贸", "40", cargo="危险货物")),
        ("内贸 45尺 危品", Conditions("内贸", "45", cargo="危险货物")),
        ("中转 20 英尺 冷箱", Conditions("中转", "20", cargo="冷藏")),
        ("转运 40HC", Conditions("中转", "40", other="HQ")),  # a high cube, however written, is one word
        ("40' HC", Conditions(container_size="40", other="HQ")),
        ("40尺高柜", Conditions(container_size="40", other="HQ")),
        ("20OT 40FR", Conditions(container_size=None, other="OT FR")),  # two sizes: any size
        ("40RH", Conditions(container_size="40", cargo="冷藏", other="HQ")),
        ("40GP", Conditions(container_size="40")),
        ("20RF", Conditions(container_size="20", cargo="冷藏")),
        ("一般货物 重柜 40HQ", Conditions(container_size="40", laden="重箱", cargo="普通货物", other="HQ")),
        ("查验没有问题", Conditions(inspection="查验无问题")),
        ("查验有问题", Conditions(inspection="查验有问题")),
        ("重箱/空箱", Conditions()),
        ("外贸 南沙港区 夜间", Conditions("外贸", other="南沙港区 夜间")),
        ("", Conditions()),
    ],
)
def test_conditions_are_read_into_fields_and_leftovers_kept(text: str, expected: Conditions) -> None:
    assert parse_conditions(text) == expected


@pytest.mark.parametrize(
    ("line", "gov", "fits"),
    [
        (Conditions(), Conditions("外贸进口", "20"), True),
        (Conditions("外贸进口", "20"), Conditions(), True),
        (Conditions("外贸进口", "20"), Conditions("外贸进口", "20"), True),
        (Conditions("外贸进口", "20"), Conditions("外贸出口", "20"), False),
        (Conditions("外贸进口", "20"), Conditions("外贸进口", "40"), False),
        (Conditions("外贸", "20"), Conditions("外贸进口", "20"), True),
        (Conditions("外贸出口"), Conditions("外贸"), True),
        (Conditions("内贸"), Conditions("外贸"), False),
        (Conditions(laden="空箱"), Conditions(laden="重箱"), False),
        (Conditions(cargo="冷藏", other="南沙"), Conditions(cargo="冷藏", other="黄埔"), True),
    ],
)
def test_none_means_any_and_foreign_trade_covers_import_and_export(
    line: Conditions, gov: Conditions, fits: bool
) -> None:
    assert compatible(line, gov) is fits


def test_conditions_written_differently_are_read_alike() -> None:
    assert parse_conditions("20GP 进口外贸 重柜") == parse_conditions("外贸进口，20英尺，重箱")


@pytest.mark.parametrize(
    ("written", "stem"),
    [
        ("Yard shifting fee", "yardshifting"),
        ("Yard Shifting Fees", "yardshifting"),
        ("Terminal handling charge", "terminalhandling"),
        ("Terminal handling charges", "terminalhandling"),
        ("Document service fee", "document"),
        ("Fee", "fee"),  # nothing but the ending: kept whole
        ("装卸船作业费", "装卸船"),
        ("单证服务费", "单证"),
    ],
)
def test_english_and_chinese_fee_endings_leave_the_same_kind_of_stem(written: str, stem: str) -> None:
    assert fee_stem(normalise(written)) == stem


def test_an_index_is_built_once_per_reference_and_let_go_with_it(reference: Reference) -> None:
    assert NameIndex.of(reference) is NameIndex.of(reference)
    other = Reference(gov_items=reference.gov_items[:1], bundles=(), aliases={"单证费": "文件费"})
    assert NameIndex.of(other) is not NameIndex.of(reference)
    assert NameIndex.of(other).canonical("单证费") == "文件费"  # the index of its own list
    assert NameIndex.of(reference).canonical("单证费") != "文件费"
    held = id(other)
    assert held in names._INDEXES
    del other
    gc.collect()
    assert held not in names._INDEXES  # else a later list given the same id would be read with this one's index

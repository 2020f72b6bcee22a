"""Change marks between two editions: lines matched by canonical name and conditions, amounts compared exactly."""

from __future__ import annotations

import pytest

from portal.validation.changes import identity, mark_changes, pair_lines
from portal.validation.model import FeeLine

ALIASES = {"文件费": "单证费", "doc": "单证费"}


def line(key: str, name: str = "单证费", standard: str = "400", **values: str) -> FeeLine:
    defaults = {"service_content": "制作、签发提单", "unit": "元/票", "pricing_class": "市场调节价"}
    return FeeLine(name=name, standard=standard, key=key, **{**defaults, **values})


@pytest.mark.parametrize(
    ("old", "new", "mark"),
    [
        (line("o"), line("n"), ""),
        (line("o"), line("n", standard="450"), "I"),
        (line("o"), line("n", standard="350"), "R"),
        (line("o"), line("n", standard="400.00元"), ""),
        (line("o"), line("n", service_content="制作提单"), "C"),
        (line("o"), line("n", remarks="节假日不加收"), "C"),
        (line("o"), line("n", name="文件费"), "C"),
        (line("o", standard="400-500"), line("n", standard="450-500"), "I"),
        (line("o", standard="400-500"), line("n", standard="400-450"), "R"),
        (line("o", standard="400-500"), line("n", standard="300-600"), "I"),
        (line("o", standard="1-7天免费；8-14天85元/天"), line("n", standard="1-7天免费；8-14天90元/天"), "I"),
        (line("o", standard="1-7天免费；8-14天85元/天"), line("n", standard="1-5天免费；6-14天85元/天"), "C"),
        (line("o", standard="400-500"), line("n", standard="420"), "I"),
        (line("o"), line("n", standard="450", unit="元/箱"), "C"),
        (line("o", unit="元/柜/天"), line("n", standard="450", unit="元/箱·天"), "I"),  # one unit, written otherwise
        (line("o"), line("n", standard="60", currency="USD"), "C"),
        (line("o", currency=""), line("n", currency="CNY"), ""),
        (line("o", pass_through=""), line("n", pass_through="否"), ""),
        (line("o", standard="按实际发生"), line("n", standard="按实际发生计收"), "C"),
        (line("o", standard="面议"), line("n", standard="400"), "C"),
        # the C mark for a change of pricing class or pass-through, the amount unchanged
        (line("o"), line("n", pricing_class="政府指导价"), "C"),
        (line("o", pricing_class="政府定价"), line("n", pricing_class="政府指导价"), "C"),
        (line("o", pricing_class="市场价"), line("n", pricing_class="市场调节价"), "C"),
        (line("o", pricing_class=" 市场调节价 "), line("n", pricing_class="市场调节价"), ""),
        (line("o", pass_through="否"), line("n", pass_through="是"), "C"),
        (line("o", pass_through="是"), line("n", pass_through=""), "C"),
        (line("o", pass_through="是"), line("n", pass_through="Ｙ"), ""),
        (line("o", pass_through="YES"), line("n", pass_through="√"), ""),
        (line("o", pass_through="N"), line("n", pass_through="无"), ""),
        (line("o", pass_through="可能"), line("n", pass_through="是"), "C"),
        (line("o", pass_through="可能"), line("n", pass_through=" 可能 "), ""),
        (line("o", pass_through="可能"), line("n", pass_through="也许"), "C"),  # two unreadable words, as written
        (line("o", pricing_class="市场价"), line("n", pricing_class="市场"), "C"),
        (line("o", currency="EUR"), line("n", currency="EUR"), ""),
        (line("o", basis="交水规〔2019〕2号"), line("n", basis="交水规〔2019〕2号 第十条"), "C"),
        (line("o", standard="400", pass_through="是"), line("n", standard="450", pass_through="否"), "I"),
        # tiers against tiers, step by step; a range against tiers, lowest against lowest, highest against highest
        (
            line("o", standard="1-7天100元/天；8天及以上200元/天"),
            line("n", standard="1-7天150元/天；8天及以上50元/天"),
            "I",
        ),
        (
            line("o", standard="1-7天100元/天；8天及以上200元/天"),
            line("n", standard="1-7天100元/天；8-14天150元/天；15天及以上300元/天"),
            "I",
        ),
        (line("o", standard="400-500"), line("n", standard="1-7天450元/天；8天及以上300元/天"), "R"),
    ],
)
def test_a_continued_line_is_marked_by_how_it_changed(old: FeeLine, new: FeeLine, mark: str) -> None:
    assert mark_changes([old], [new], ALIASES) == {"n": mark}


def test_old_and_new_lines_must_have_distinct_keys() -> None:
    with pytest.raises(ValueError, match="^old and new lines share keys$"):
        mark_changes([line("k")], [line("k", standard="450")])


def test_a_new_line_is_added_and_a_line_gone_is_deleted() -> None:
    old = [line("o1"), line("o2", name="堆存费", unit="元/箱·天")]
    new = [line("n1"), line("n2", name="查验搬移费", unit="元/箱")]
    assert mark_changes(old, new, ALIASES) == {"n1": "", "n2": "A", "o2": "D"}


def test_lines_are_matched_by_their_conditions_not_their_wording() -> None:
    old = [line("o1", conditions="外贸进口 20英尺 重箱"), line("o2", conditions="外贸进口 40英尺 重箱")]
    new = [line("n1", conditions="进口20GP重柜", standard="500"), line("n2", conditions="外贸出口 40英尺 重箱")]
    assert mark_changes(old, new) == {"n1": "I", "n2": "A", "o2": "D"}


def test_an_alias_of_the_old_name_continues_the_same_fee() -> None:
    assert pair_lines([line("o", name="单证费")], [line("n", name="DOC")], ALIASES) == {"n": "o"}
    assert identity(line("a", name="文件费"), ALIASES) == identity(line("b", name="单证费"), ALIASES)
    assert mark_changes([line("o", name="单证费")], [line("n", name="DOC")], {}) == {"n": "A", "o": "D"}


def test_repeated_lines_pair_up_in_order() -> None:
    old = [line("o1"), line("o2", standard="500")]
    new = [line("n1"), line("n2", standard="500"), line("n3", standard="600")]
    assert mark_changes(old, new) == {"n1": "", "n2": "", "n3": "A"}


def test_rows_already_marked_deleted_are_ignored_on_both_sides() -> None:
    old = [line("o1"), line("o2", name="堆存费", change_mark="D")]
    new = [line("n1", change_mark="D"), line("n2", name="堆存费")]
    assert mark_changes(old, new) == {"n2": "A", "o1": "D"}


@pytest.mark.parametrize(
    ("old", "new"),
    [([line("same")], [line("same")]), ([FeeLine(name="单证费")], [line("n")])],
    ids=["shared key", "no key"],
)
def test_lines_without_distinct_keys_are_refused(old: list[FeeLine], new: list[FeeLine]) -> None:
    with pytest.raises(ValueError, match="key"):
        mark_changes(old, new)

"""A service compared across operators, asserted whole: the order of offers, each bar, each group's unit."""

from __future__ import annotations

from decimal import Decimal

from portal.pricing import comparison as compare
from portal.validation.model import Conditions


def _compare(editions, reference, service="文件费"):
    keys = compare.service_keys(service, reference)
    return keys, compare.comparison_of(editions, keys, Conditions())


def test_a_comparison_keeps_the_keys_it_was_asked_for(line, edition, reference):
    keys, result = _compare([edition(1, line("文件费", "450", "元/票"))], reference)
    assert keys == frozenset({"单证费"})
    assert result.keys == keys


def test_offers_are_ordered_by_amount_then_by_the_top_of_their_range_a_zero_first(line, edition, reference):
    editions = [
        edition(1, line("文件费", "400-480", "元/票")),
        edition(2, line("文件费", "400-450", "元/票")),
        edition(3, line("文件费", "0.5", "元/票")),
        edition(4, line("文件费", "0-0.5", "元/票")),
        edition(5, line("文件费", "0", "元/票")),
    ]
    _keys, result = _compare(editions, reference)
    assert [(o.edition.operator_id, o.line.standard) for o in result.offers] == [
        (5, "0"),
        (4, "0-0.5"),
        (3, "0.5"),
        (2, "400-450"),
        (1, "400-480"),
    ]


def test_each_bar_is_its_line_its_span_and_its_shares_of_the_longest(line, edition, reference):
    half, whole = line("文件费", "0.5", "元/票"), line("文件费", "1", "元/票")
    _keys, result = _compare([edition(1, half), edition(2, whole)], reference)
    (group,) = result.groups
    assert [(bar.offer.line, bar.low, bar.high, bar.low_share, bar.high_share) for bar in group.bars] == [
        (half, Decimal("0.5"), Decimal("0.5"), Decimal("0.5000"), Decimal("0.5000")),
        (whole, Decimal("1"), Decimal("1"), Decimal("1.0000"), Decimal("1.0000")),
    ]
    assert group.maximum == Decimal("1")


def test_free_lines_are_drawn_as_empty_bars(line, edition, reference):
    _keys, result = _compare(
        [edition(1, line("文件费", "0", "元/票")), edition(2, line("文件费", "0", "元/票"))], reference
    )
    (group,) = result.groups
    assert [(bar.low, bar.high, bar.low_share, bar.high_share) for bar in group.bars] == [
        (Decimal("0"), Decimal("0"), Decimal("0"), Decimal("0")),
        (Decimal("0"), Decimal("0"), Decimal("0"), Decimal("0")),
    ]
    assert group.maximum == Decimal("0")


def test_no_offers_make_no_bars():
    assert compare.bars(()) == ()


def test_a_group_shows_the_unit_as_its_first_line_writes_it(line, edition, reference):
    editions = [edition(1, line("文件费", "300", "元／票")), edition(2, line("文件费", "200", "元/票"))]
    _keys, result = _compare(editions, reference)
    (group,) = result.groups
    assert (group.unit, group.currency, [o.edition.operator_id for o in group.offers]) == ("元/票", "CNY", [2, 1])


def test_one_unit_written_two_ways_is_one_group(line, edition, reference):
    editions = [edition(1, line("文件费", "300", "元/提单")), edition(2, line("文件费", "200", "RMB/B/L"))]
    _keys, result = _compare(editions, reference)
    (group,) = result.groups
    assert [o.edition.operator_id for o in group.offers] == [2, 1]


def test_units_meaning_different_things_are_not_compared(line, edition, reference):
    editions = [edition(1, line("文件费", "300", "元/票")), edition(2, line("文件费", "200", "元/单"))]
    _keys, result = _compare(editions, reference)
    assert (len(result.offers), result.groups) == (2, ())  # each alone: nothing to draw side by side

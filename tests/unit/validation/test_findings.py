"""A report and its findings as the pages and exports read them."""

from __future__ import annotations

import pytest

from portal.validation.conditions import parse_conditions
from portal.validation.findings import Finding, Report
from portal.validation.model import Conditions, Header, Location, Severity


def _finding(rule: str, key: str | None, severity: Severity = Severity.ERROR) -> Finding:
    return Finding(
        rule=rule, severity=severity, message="{item} ({n})", params={"item": "文件费", "n": 1}, line_key=key
    )


def test_a_finding_renders_its_message_then_its_notes_joined_by_single_spaces() -> None:
    finding = Finding(
        rule="rate-deviation",
        severity=Severity.ERROR,
        message="{item} is off.",
        params={"item": "货物港务费"},
        notes=("Check {item}.", "Ask the bureau."),
    )
    assert finding.render() == "货物港务费 is off. Check 货物港务费. Ask the bureau."
    assert (
        finding.render(lambda text: text.replace("is off", "偏离"))
        == "货物港务费 偏离. Check 货物港务费. Ask the bureau."
    )


def test_a_report_sorts_errors_warnings_and_the_findings_of_one_line() -> None:
    report = Report.of(
        [_finding("a", "L1"), _finding("b", "L2", Severity.WARNING), _finding("c", "L1"), _finding("d", None)], 3
    )
    assert [f.rule for f in report.errors] == ["a", "c", "d"]
    assert [f.rule for f in report.warnings] == ["b"]
    assert [f.rule for f in report.for_line("L1")] == ["a", "c"]
    assert report.for_line("L9") == ()
    assert not report.ok
    assert Report.of([_finding("b", "L2", Severity.WARNING)], 1).ok


def test_merged_reports_keep_both_sides_findings_in_order_and_the_larger_line_count() -> None:
    first = Report.of([_finding("a", "L1")], 3)
    second = Report.of([_finding("b", "L2"), _finding("c", None)], 5)
    merged = first.merged(second)
    assert [f.rule for f in merged.findings] == ["a", "b", "c"]
    assert merged.lines == 5
    assert second.merged(first).lines == 5
    assert [f.rule for f in second.merged(first).findings] == ["b", "c", "a"]


def test_a_header_field_without_a_cell_is_located_by_its_field_name() -> None:
    cell = Location(sheet="收费目录清单", row=3, column="B", field="port_area")
    header = Header(port_area="南沙港区", locations={"port_area": cell})
    assert header.location("port_area") is cell
    assert header.location("complaint_phone") == Location(field="complaint_phone")


@pytest.mark.parametrize(
    ("text", "trade"),
    [
        ("外贸进口 外贸出口", "外贸"),  # both directions of foreign trade: foreign trade
        ("外贸 外贸进口", "外贸"),
        ("外贸进口 外贸进口", "外贸进口"),  # the same word twice is that word
        ("外贸进口 内贸", None),  # foreign and domestic: any trade
        ("内贸 中转", None),
    ],
)
def test_two_trade_words_merge_into_what_covers_both(text: str, trade: str | None) -> None:
    assert parse_conditions(text).trade == trade


def test_two_sizes_mean_any_size_and_one_size_stays() -> None:
    assert parse_conditions("20英尺 40英尺").container_size is None
    assert parse_conditions("20英尺 20GP").container_size == "20"
    assert parse_conditions("重箱 重箱") == Conditions(laden="重箱")

"""The change log's pure rules: which edition is in force, scheduled or replaced, and what each one changed."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from portal.public import changelog
from portal.publishing.snapshot import PublishedEdition, PublishedLine


def line(position: int, name: str, standard: str = "100", *, mark: str = "", **fields: str) -> PublishedLine:
    values = {
        "position": position,
        "line_no": str(position),
        "name": name,
        "conditions": "",
        "service_content": "服务",
        "standard": standard,
        "unit": "元/票",
        "currency": "CNY",
        "pricing_class": "市场调节价",
        "basis": "",
        "pass_through": False,
        "remarks": "",
        "change_mark": mark,
        "effective_date": "",
        "name_key": name,
        "trade": None,
        "container_size": None,
        "laden": None,
        "cargo": None,
        "standard_kind": "fixed",
        "amount": Decimal(standard),
        "amount_max": None,
        "tiers": (),
    }
    values.update(fields)
    return PublishedLine(**values)


def edition(number: int, effective: str, *lines: PublishedLine, removed: tuple[PublishedLine, ...] = ()):
    return PublishedEdition(
        edition_code=f"E{number}",
        version_id=number,
        number=number,
        operator_id=1,
        credit_code="91440101000000001M",
        operator_name_zh="示范码头",
        operator_name_en=None,
        operator_kind="terminal",
        port_areas=("南沙港区",),
        port_area="南沙港区",
        complaint_phone="020-12345678",
        effective_from=date.fromisoformat(effective),
        published_at=datetime(2026, 1, number),
        lines=lines,
        removed=removed,
    )


@pytest.fixture
def editions():
    """E1 from January; E2 announced for June; E3, published later for March, replaces E2 before it applies."""
    return [
        edition(1, "2026-01-01", line(1, "换单费", "300")),
        edition(2, "2026-06-01", line(1, "换单费", "400")),
        edition(3, "2026-03-01", line(1, "换单费", "350")),
    ]


def test_an_edition_published_later_for_an_earlier_date_replaces_the_scheduled_one(editions) -> None:
    assert changelog.superseded(editions) == {"E2"}


@pytest.mark.parametrize(
    ("day", "expected"),
    [("2025-12-31", None), ("2026-01-01", "E1"), ("2026-02-28", "E1"), ("2026-03-01", "E3"), ("2026-07-01", "E3")],
)
def test_the_edition_in_force_is_the_latest_unreplaced_one_whose_date_has_come(editions, day, expected) -> None:
    found = changelog.in_force(editions, date.fromisoformat(day))
    assert (found.edition_code if found else None) == expected


def test_only_unreplaced_editions_are_scheduled(editions) -> None:
    assert [e.edition_code for e in changelog.scheduled(editions, date(2026, 2, 1))] == ["E3"]
    assert changelog.scheduled(editions, date(2026, 3, 1)) == []


def test_an_edition_changes_the_one_in_force_the_day_before_it(editions) -> None:
    assert changelog.previous(editions[2], editions).edition_code == "E1"
    assert changelog.previous(editions[1], editions).edition_code == "E1"
    assert changelog.previous(editions[0], editions) is None


def test_a_first_edition_adds_every_line(editions) -> None:
    changes = changelog.changes(editions[0], editions)
    assert changes.first
    assert [(c.mark, c.line.name) for c in changes.lines] == [("A", "换单费")]


def test_marks_carried_by_the_edition_are_used_as_they_are() -> None:
    old = edition(1, "2026-01-01", line(1, "换单费", "300"), line(2, "铅封费", "50"))
    new = edition(
        2,
        "2026-03-01",
        line(1, "换单费", "300", mark="C"),
        line(2, "电放费", "200", mark="A"),
        removed=(line(3, "铅封费", "50", mark="D"),),
    )
    changes = changelog.changes(new, [old, new])
    assert not changes.derived
    assert [(c.mark, c.line.name) for c in changes.lines] == [("C", "换单费"), ("A", "电放费"), ("D", "铅封费")]
    assert changes.counts == {"A": 1, "C": 1, "D": 1}


@pytest.mark.parametrize(
    ("new_lines", "expected"),
    [
        ((line(1, "换单费", "350"), line(2, "铅封费", "50")), [("I", "换单费")]),
        ((line(1, "换单费", "250"), line(2, "铅封费", "50")), [("R", "换单费")]),
        ((line(1, "换单费", "300", remarks="按票"), line(2, "铅封费", "50")), [("C", "换单费")]),
        ((line(1, "换单费", "300"),), [("D", "铅封费")]),
        (
            (line(1, "换单费", "300"), line(2, "铅封费", "50"), line(3, "电放费", "200")),
            [("A", "电放费")],
        ),
        ((line(2, "铅封费", "50"), line(1, "换单费", "300")), []),
    ],
)
def test_an_edition_without_marks_is_compared_with_the_previous_one(new_lines, expected) -> None:
    old = edition(1, "2026-01-01", line(1, "换单费", "300"), line(2, "铅封费", "50"))
    new = edition(2, "2026-03-01", *new_lines)
    changes = changelog.changes(new, [old, new])
    assert changes.derived
    assert changes.previous is old
    assert [(c.mark, c.line.name) for c in changes.lines] == expected


def test_lines_are_matched_by_name_key_and_conditions() -> None:
    old = edition(
        1,
        "2026-01-01",
        line(1, "文件费", "400", name_key="单证费"),
        line(2, "换单费", "300", conditions="外贸进口"),
    )
    new = edition(
        2,
        "2026-03-01",
        line(1, "DOC", "400", name_key="单证费"),
        line(2, "换单费", "300", conditions="内贸"),
    )
    marks = [(c.mark, c.line.name, c.line.conditions) for c in changelog.changes(new, [old, new]).lines]
    assert marks == [("C", "DOC", ""), ("A", "换单费", "内贸"), ("D", "换单费", "外贸进口")]


def test_the_log_is_newest_first_and_says_which_edition_was_replaced(editions) -> None:
    log = changelog.change_log(editions)
    assert [(c.edition.edition_code, c.replaced) for c in log] == [("E2", True), ("E3", False), ("E1", False)]

"""Every yes/no word of 代收代付 means the same everywhere: validator, snapshot, API, posting sheet, export, estimate.

The line is 货物港务费 posted at 40.00 元/箱 where the official rate is 34.00: as pass-through it is a mark-up the
validator names as such and the estimate replaces by the official rate; as the operator's own charge it is only off
the official rate and is estimated as posted.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from portal.catalogue import services as catalogue
from portal.govlist.loader import load_reference
from portal.pricing.estimate import NO_OFFICIAL, OFFICIAL, Shipment, estimate
from portal.publishing import editions, exports, pdf, snapshot
from portal.validation import vocabulary
from portal.validation.engine import validate
from portal.validation.model import CatalogueInput, FeeLine, Header
from portal.validation.rules import rate

FEELISTS = Path(__file__).resolve().parents[2] / "feelists"
DAY = date(2026, 11, 23)
IMPORT_40 = Shipment(trade="外贸进口", container_size="40", count=2, laden="重箱", cargo="普通货物")

YES_WORDS = ["是", "Y", "y", "YES", "Yes", "yes", " 是 ", "Ｙ", "ＹＥＳ", "ｙｅｓ", "TRUE", "true", "有", "√", "✓", "✔"]
NO_WORDS = ["否", "N", "n", "NO", "No", "Ｎ", "ＮＯ", "FALSE", "false", "无", "無", "×", "✗", "✘", ""]
REJECTED = ["1", "0", "１", "T", "F", "X", "对", "不是", "是的", "Y/N", "pass"]


def test_the_accepted_sets_are_exactly_the_listed_words() -> None:
    """The test lists below cover every word the vocabulary accepts (and nothing is both yes and no)."""
    assert {vocabulary.compact(w) for w in YES_WORDS} == vocabulary.YES_WORDS
    assert {vocabulary.compact(w) for w in NO_WORDS} - {""} == vocabulary.NO_WORDS
    assert not vocabulary.YES_WORDS & vocabulary.NO_WORDS


@pytest.mark.parametrize("word", YES_WORDS)
def test_a_yes_word_reads_true(word: str) -> None:
    assert vocabulary.parse_yes_no(word) is True
    assert vocabulary.is_yes(word) is True


@pytest.mark.parametrize("word", NO_WORDS)
def test_a_no_word_or_blank_reads_false_or_none(word: str) -> None:
    assert vocabulary.parse_yes_no(word) is (None if not word.strip() else False)
    assert vocabulary.is_yes(word) is False


@pytest.mark.parametrize("word", REJECTED)
def test_any_other_word_is_an_invalid_value_and_never_pass_through(word: str) -> None:
    with pytest.raises(ValueError, match="not a yes/no word"):
        vocabulary.parse_yes_no(word)
    assert vocabulary.is_yes(word) is False
    report = validate(_input(word), load_reference(FEELISTS), DAY)
    invalid = [f for f in report.findings if f.rule == "invalid-value"]
    assert [(f.location.field if f.location else None, f.params["value"]) for f in invalid] == [("pass_through", word)]


def _line(word: str) -> FeeLine:
    return FeeLine(
        name="货物港务费",
        service_content="港口设施保安与维护",
        standard="40.00",
        unit="元/箱",
        pricing_class="政府定价",
        basis="交水规〔2019〕2号",
        pass_through=word,
        conditions="外贸进口 40英尺 重箱 普通货物",
    )


def _input(word: str) -> CatalogueInput:
    return CatalogueInput(header=Header(effective_date="2026-01-01"), lines=(_line(word),))


@pytest.mark.parametrize(("word", "expected"), [(w, True) for w in YES_WORDS] + [(w, False) for w in NO_WORDS])
def test_every_word_means_the_same_on_every_path(db, make_operator, client, word: str, expected: bool) -> None:
    reference = load_reference(FEELISTS)
    # The validator: a pass-through line above the official rate is a mark-up, an own charge merely off the rate.
    (finding,) = [f for f in validate(_input(word), reference, DAY).findings if f.rule == rate.CODE]
    assert finding.message == (rate.MARK_UP if expected else rate.FIXED_FOR_CONDITIONS)
    assert not [f for f in validate(_input(word), reference, DAY).findings if f.rule == "invalid-value"]

    operator = make_operator()
    header = Header(
        operator_name=operator.name_zh,
        credit_code=operator.credit_code,
        port_area="南沙港区",
        complaint_phone="020-12345678",
        effective_date="2026-01-01",
    )
    version = catalogue.replace_contents(operator, header, [_line(word)], None, as_of=date(2026, 1, 1))
    editions.publish(version, None)

    # The snapshot every output is made from.
    (edition,) = snapshot.in_force(DAY, operator_ids=[operator.id])
    (line,) = edition.lines
    assert line.pass_through is expected

    # The open-data API.
    body = client.get(f"/api/v1/operators/{operator.credit_code}/catalogue", query_string={"on": DAY}).get_json()
    assert [entry["pass_through"] for entry in body["lines"]] == [expected]

    # The posting sheet's row and the consolidated export's cell, in both languages.
    assert pdf._row(1, line)[vocabulary.PRINTED_FIELDS.index("pass_through")] == ("是" if expected else "否")
    position = len(exports.EDITION_COLUMNS) + vocabulary.LINE_FIELD_KEYS.index("pass_through")
    assert [row[position] for row in exports.rows([edition], "zh")] == ["是" if expected else "否"]
    assert [row[position] for row in exports.rows([edition], "en")] == ["Yes" if expected else "No"]

    # The shipper's estimate: pass-through at the official 34.00, an own charge as posted.
    ((charge,),) = [result.charges for result in estimate([edition], IMPORT_40, reference, DAY)]
    if expected:
        assert (charge.low, charge.note) == (Decimal("68.00"), OFFICIAL)
    else:
        assert (charge.low, charge.note) == (Decimal("80.00"), "")
    assert charge.note != NO_OFFICIAL

"""The validator's fast paths answer exactly as the plain ones: conditions read word by word as a whole text is read,
and lines, parsed lines and conditions built without their dataclass __init__ equal those built with it."""

from __future__ import annotations

import random
import unicodedata
from dataclasses import fields
from datetime import date

import pytest

from portal.validation import conditions
from portal.validation.conditions import parse_conditions
from portal.validation.context import ParsedLine, build_context
from portal.validation.model import CatalogueInput, Conditions, FeeLine, Header, Location

PIECES = [*conditions.TOKENS, "20", "40", "45", "英尺", "ft", "GP", "HQ", "rf", "'", "尺", " ", "  ", "\u3000", "\t"]
PIECES += ["、", ",", "/", "x", "南沙", "1", "2", "0", "dg", "Reefer", "(", "）", "２０", "\n", "+", "&", "|"]


def _whole(text: str) -> Conditions:
    """The text read in one piece, as parse_conditions read it before it went word by word."""
    if not text or text.isspace():
        return conditions.ANY
    pairs, other = conditions._words(unicodedata.normalize("NFKC", text))
    found: dict[str, str | None] = {}
    for name, value in pairs:
        found[name] = conditions._merge(name, found[name], value) if name in found else value
    return Conditions(**found, other=other)


@pytest.mark.parametrize("text", ["外贸 20 英尺 重箱", "40  HQ 冷藏", "x20 ft 空箱", "重箱 空箱 重箱", "外贸进口 出口"])
def test_a_size_written_apart_from_its_mark_is_read_across_the_space(text: str) -> None:
    assert parse_conditions.__wrapped__(text) == _whole(text)


def test_word_by_word_reads_every_text_as_the_whole_text_is_read() -> None:
    rng = random.Random(14)
    for _ in range(20_000):
        text = "".join(rng.choice(PIECES) for _ in range(rng.randint(0, 8)))
        assert parse_conditions.__wrapped__(text) == _whole(text), text


def test_conditions_built_fast_have_every_field_and_hash_as_built_normally() -> None:
    fast = parse_conditions.__wrapped__("外贸 20英尺 重箱 南沙")
    plain = Conditions(trade="外贸", container_size="20", laden="重箱", other="南沙")
    assert fast == plain
    assert hash(fast) == hash(plain)
    assert set(vars(fast)) == {f.name for f in fields(Conditions)}


def test_a_line_built_fast_equals_the_line_its_init_makes() -> None:
    values = {"name": "单证费", "standard": "100", "key": "9", "row": 9, "locations": {"name": Location("s", 9, "B")}}
    fast, plain = FeeLine.built(values), FeeLine(**values)
    assert fast == plain
    assert vars(fast) == vars(plain)
    adopted = FeeLine.adopted(FeeLine.defaults() | values)
    assert adopted == plain
    assert vars(adopted) == vars(plain)
    assert list(vars(adopted)) == list(vars(fast))  # the same fields in the same order


def test_parsed_lines_carry_every_field(reference) -> None:
    catalogue = CatalogueInput(Header(), (FeeLine("港口建设费", conditions="外贸", standard="1"),))
    (parsed,) = build_context(catalogue, reference, date(2026, 1, 1)).lines
    assert set(vars(parsed)) == {f.name for f in fields(ParsedLine)}

"""What a visitor's search words name: operators (full or part of the name, Chinese or English, credit code),
port areas, and fee names (the rest). "南沙 THC" is the THC lines of the Nansha port area; "914401155970010134" is
that operator's lines; "示范理货" is the lines of the tally company whose name holds those words.

Operators and port areas are small tables (tens of thousands of operators at national scale); fee names are matched
through the distinct-name table (`FeeName`), never against the lines themselves.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process
from sqlalchemy import func, or_, select

from portal.catalogue.models import FeeName
from portal.extensions import db
from portal.operators.models import Operator, PortArea
from portal.validation.model import Reference
from portal.validation.names import normalise

MAX_OPERATORS = 20  # operators a query lists; more means the words are too general to name a company
MIN_NAME_WORD = 2  # a one-character word never names an operator or a port area
CREDIT_CODE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{6,18}$")  # a whole code, or its first six characters or more
SUGGESTIONS = 6
SUGGESTION_CUTOFF = 60
GENERIC = ("有限公司", "股份", "分公司", "公司", "广州", "示范", "co.,ltd.", "co., ltd.", "ltd.", "ltd")


@dataclass(frozen=True)
class OperatorMatch:
    id: int
    credit_code: str
    name_zh: str
    name_en: str | None

    def name(self, locale: str) -> str:
        return self.name_en if locale.startswith("en") and self.name_en else self.name_zh


@dataclass(frozen=True)
class Reading:
    """A query read word by word."""

    fee_words: tuple[str, ...] = ()
    operators: tuple[OperatorMatch, ...] = ()  # named by the words (all operator words together)
    port_codes: tuple[str, ...] = ()  # port areas named
    operator_words: tuple[str, ...] = ()
    port_words: tuple[str, ...] = ()
    also_operators: tuple[OperatorMatch, ...] = field(default=())  # operators a fee word also names

    @property
    def fee_query(self) -> str:
        return " ".join(self.fee_words)

    @property
    def operator_ids(self) -> tuple[int, ...]:
        return tuple(o.id for o in self.operators)


def _compact(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip()


def is_credit_code(word: str) -> bool:
    word = _compact(word).upper()
    return bool(CREDIT_CODE.match(word)) and any(c.isdigit() for c in word) and len(word) >= 6


def port_areas_named(word: str, areas: Sequence[PortArea]) -> list[PortArea]:
    """Port areas a word names: 南沙, 南沙港区, Nansha, NANSHA."""
    text = _compact(word)
    if len(text) < MIN_NAME_WORD:
        return []
    lowered = text.casefold()
    found = []
    for area in areas:
        short = area.name_zh.removesuffix("港区")
        names = {area.name_zh, short, area.code.casefold(), area.name_en.casefold()}
        english = area.name_en.casefold().replace(" port area", "").strip()
        if text in names or lowered in names or lowered == english or (len(text) >= MIN_NAME_WORD and text == short):
            found.append(area)
    return found


def operators_named(word: str) -> list[OperatorMatch]:
    """Operators a word names: their credit code (whole or its beginning), or a part of their Chinese or English
    name (case ignored)."""
    text = _compact(word)
    if len(text) < MIN_NAME_WORD:
        return []
    if is_credit_code(text):
        code = text.upper()
        condition = Operator.credit_code == code if len(code) == 18 else Operator.credit_code.startswith(code)
    else:
        pattern = text.casefold()
        condition = or_(
            Operator.name_zh.contains(text, autoescape=True),
            func.lower(Operator.name_en).contains(pattern, autoescape=True),
        )
    rows = db.session.execute(
        select(Operator.id, Operator.credit_code, Operator.name_zh, Operator.name_en)
        .where(condition)
        .order_by(Operator.name_zh)
        .limit(MAX_OPERATORS + 1)
    )
    return [OperatorMatch(*row) for row in rows]


def names_a_fee(word: str, terms: Sequence[str]) -> bool:
    """Does some fee name in the index hold one of the word's search terms?"""
    clauses = [FeeName.key.contains(term, autoescape=True) for term in terms]
    if not clauses:
        return False
    return db.session.scalar(select(FeeName.id).where(or_(*clauses)).limit(1)) is not None


def read(query: str, reference: Reference, areas: Sequence[PortArea], search_terms) -> Reading:
    """Each word is a port area, an operator (when it names no fee), or a fee word. A word naming both a fee and
    operators stays a fee word; the operators are offered beside the results."""
    fee_words: list[str] = []
    operator_words: list[str] = []
    port_words: list[str] = []
    port_codes: list[str] = []
    operator_sets: list[list[OperatorMatch]] = []
    also: list[OperatorMatch] = []
    for word in _compact(query).split():
        named_areas = port_areas_named(word, areas)
        if named_areas:
            port_words.append(word)
            port_codes.extend(a.code for a in named_areas)
            continue
        if is_credit_code(word):
            operator_words.append(word)
            operator_sets.append(operators_named(word))
            continue
        terms = search_terms(word, reference)
        if names_a_fee(word, terms):
            fee_words.append(word)
            also.extend(operators_named(word)[:MAX_OPERATORS])
            continue
        named = operators_named(word)
        if named:
            operator_words.append(word)
            operator_sets.append(named)
        else:
            fee_words.append(word)
    operators: list[OperatorMatch] = []
    if operator_sets:  # every operator word narrows: 示范 理货 is the operators whose names hold both
        common = set.intersection(*({o.id for o in found} for found in operator_sets))
        operators = [o for o in operator_sets[0] if o.id in common][:MAX_OPERATORS]
    return Reading(
        fee_words=tuple(fee_words),
        operators=tuple(operators),
        port_codes=tuple(dict.fromkeys(port_codes)),
        operator_words=tuple(operator_words),
        port_words=tuple(port_words),
        also_operators=tuple(dict.fromkeys(also))[:MAX_OPERATORS],
    )


def _distinctive(name: str) -> str:
    text = name.casefold()
    for word in GENERIC:
        text = text.replace(word, "")
    return text


def suggestions(query: str, reference: Reference, limit: int = SUGGESTIONS) -> list[str]:
    """Near names for a query that found nothing: fee names, aliases and operator names, closest first."""
    text = normalise(query)
    if not text:
        return []
    names = set(db.session.scalars(select(FeeName.key)))
    names |= {normalise(alias) for alias in reference.aliases}
    names |= {normalise(item.name_zh) for item in reference.gov_items}
    fees = process.extract(text, names, scorer=fuzz.WRatio, limit=limit, score_cutoff=SUGGESTION_CUTOFF)
    operators = db.session.execute(select(Operator.name_zh, Operator.name_en)).all()
    choices = {name_zh: _distinctive(name_zh) for name_zh, _en in operators}
    choices |= {name_zh: _distinctive(name_en) for name_zh, name_en in operators if name_en}
    people = process.extract(text, choices, scorer=fuzz.partial_ratio, limit=limit, score_cutoff=70)
    ranked = sorted(
        [(score, name) for name, score, _i in fees] + [(score, key) for _v, score, key in people],
        key=lambda pair: -pair[0],
    )
    return list(dict.fromkeys(name for _score, name in ranked))[:limit]

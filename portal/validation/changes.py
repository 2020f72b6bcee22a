"""Change marks between two editions of a list: A added, D deleted, I increase, R reduction, C other wording.

Lines are matched by what they charge for: the normalised canonical name (aliases applied) and the parsed 适用条件.
Rows already marked D are deletion notices, not lines in force, so neither side counts them.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from decimal import Decimal

from portal.validation.choices import parse_currency, parse_flag, parse_pricing_class
from portal.validation.conditions import parse_conditions
from portal.validation.model import FeeLine, StandardKind
from portal.validation.money import parse_standard, standard_amounts
from portal.validation.names import normalise
from portal.validation.units import normalise_unit, unit_key
from portal.validation.vocabulary import UNCHANGED, ChangeMark

# The marks (vocabulary.ChangeMark) under the names this module's callers use.
ADDED, DELETED, INCREASE, REDUCTION, WORDING = (
    ChangeMark.ADDED,
    ChangeMark.DELETED,
    ChangeMark.INCREASE,
    ChangeMark.REDUCTION,
    ChangeMark.WORDING,
)
TEXT_FIELDS = ("name", "service_content", "basis", "remarks")


def name_key(name: str, aliases: Mapping[str, str]) -> str:
    """The normalised canonical name: 文件费, DOC and 单证费 share one key when the alias dictionary says so."""
    key = normalise(name)
    return normalise(aliases.get(key, name))


def identity(line: FeeLine, aliases: Mapping[str, str]) -> Hashable:
    """What a line charges for: two lines with one identity are the same fee in two editions."""
    return name_key(line.name, aliases), parse_conditions(line.conditions)


def is_deleted(line: FeeLine) -> bool:
    return line.change_mark.strip().upper() == DELETED


def pair_lines(
    old_lines: Sequence[FeeLine], new_lines: Sequence[FeeLine], aliases: Mapping[str, str] | None = None
) -> dict[str, str]:
    """New line key -> the old line key it continues; lines sharing an identity pair up in list order."""
    aliases = aliases or {}
    waiting: dict[Hashable, list[str]] = {}
    for line in old_lines:
        if not is_deleted(line):
            waiting.setdefault(identity(line, aliases), []).append(_key(line))
    pairs: dict[str, str] = {}
    for line in new_lines:
        queue = waiting.get(identity(line, aliases))
        if queue and not is_deleted(line):
            pairs[_key(line)] = queue.pop(0)
    return pairs


def mark_changes(
    old_lines: Sequence[FeeLine], new_lines: Sequence[FeeLine], aliases: Mapping[str, str] | None = None
) -> dict[str, str]:
    """Line key -> change mark: every new line (A, I, R, C or "" when unchanged) and every old line gone (D).

    Keys must be distinct across both lists (database ids are). Amounts are compared only where the unit and
    currency are the same; an amount that rises anywhere makes an increase, even if another falls.
    """
    old_by_key = {_key(line): line for line in old_lines if not is_deleted(line)}
    live = [line for line in new_lines if not is_deleted(line)]
    if set(old_by_key) & {_key(line) for line in live}:
        raise ValueError("old and new lines share keys")
    pairs = pair_lines(old_lines, live, aliases)
    marks = {_key(line): _mark(old_by_key[pairs[_key(line)]], line) if _key(line) in pairs else ADDED for line in live}
    continued = set(pairs.values())
    marks.update({key: DELETED for key in old_by_key if key not in continued})
    return marks


def _key(line: FeeLine) -> str:
    if line.key is None:
        raise ValueError(f"line {line.name!r} has no key")
    return line.key


def _mark(old: FeeLine, new: FeeLine) -> str:
    direction = _direction(old, new)
    if direction:
        return direction
    return WORDING if _wording(old) != _wording(new) else UNCHANGED


def _direction(old: FeeLine, new: FeeLine) -> str:
    if unit_key(old.unit) != unit_key(new.unit) or _currency(old) != _currency(new):
        return UNCHANGED
    before, after = parse_standard(old.standard), parse_standard(new.standard)
    a, b = standard_amounts(before), standard_amounts(after)
    if not a or not b:
        return UNCHANGED
    pairs: list[tuple[Decimal, Decimal]]
    if before.kind is after.kind and len(a) == len(b):
        pairs = list(zip(a, b, strict=True))
    else:
        pairs = [(min(a), min(b)), (max(a), max(b))]
    if any(y > x for x, y in pairs):
        return INCREASE
    if any(y < x for x, y in pairs):
        return REDUCTION
    return UNCHANGED


def _currency(line: FeeLine) -> str:
    try:
        return parse_currency(line.currency)
    except ValueError:
        return line.currency.strip()


def _wording(line: FeeLine) -> tuple[str, ...]:
    """The line's text as compared: whitespace collapsed, enumerated values read (blank currency is CNY ...)."""
    texts = tuple(" ".join(getattr(line, name).split()) for name in TEXT_FIELDS)
    try:
        pricing = str(parse_pricing_class(line.pricing_class) or "")
    except ValueError:
        pricing = line.pricing_class.strip()
    try:
        flag = str(parse_flag(line.pass_through) is True)
    except ValueError:
        flag = line.pass_through.strip()
    return (*texts, _standard(line.standard), normalise_unit(line.unit), _currency(line), pricing, flag)


def _standard(text: str) -> Hashable:
    """A standard as compared: its amounts and tiers when it reads (200 = 200.00元), else its text."""
    standard = parse_standard(text)
    if standard.kind in (StandardKind.TEXT, StandardKind.EMPTY):
        return " ".join(text.split())
    return standard.kind, standard.amount, standard.amount_max, standard.tiers

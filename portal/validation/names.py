"""Fee names: normalisation, resolution through the alias dictionary to government items and bundles, suggestions."""

from __future__ import annotations

import re
import unicodedata
import weakref
from collections.abc import Iterable
from datetime import date
from functools import lru_cache
from typing import TypeVar

from portal.validation.model import Bundle, GovItem, GovStatus, Reference
from portal.validation.vocabulary import SPACES

SUGGEST_CUTOFF = 70.0  # rapidfuzz ratio: 货物港物费 ~ 货物港务费 scores 80, 港口服务费 ~ 货物港务费 only 60

_BRACKETS = str.maketrans({"【": "(", "】": ")", "[": "(", "]": ")", "〔": "(", "〕": ")", "{": "(", "}": ")"})
_BRACKETED = re.compile(r"\(([^()]*)\)")
# Chinese fee endings, and English ones as normalise() leaves them (no spaces, casefolded): "Yard shifting fee" ->
# "yardshifting", the stem of 移箱(作业)费's English name, so a foreign line's invoice meets the same bundle part.
_STEM_SUFFIXES = ("servicecharges", "servicecharge", "servicefee", "charges", "charge", "fees", "fee")
_STEM_SUFFIXES += ("服务费", "作业费", "费", "服务", "作业")

T = TypeVar("T", GovItem, Bundle)
_INDEXES: dict[int, NameIndex] = {}  # id of a Reference -> its index, while the Reference lives (NameIndex.of)


@lru_cache(maxsize=16384)
def normalise(name: str) -> str:
    """NFKC (full-width to half-width), no whitespace at all, （）【】[] as (), casefolded."""
    text = unicodedata.normalize("NFKC", name).translate(_BRACKETS)
    return SPACES.sub("", text).casefold()


def without_brackets(key: str) -> str:
    """A normalised name without its bracketed parts: 引航(移泊)费 -> 引航费."""
    return _BRACKETED.sub("", key)


def bracketed(key: str) -> tuple[str, ...]:
    """The bracketed parts of a normalised name: 货物港务费(外贸进口) -> ("外贸进口",)."""
    return tuple(_BRACKETED.findall(key))


@lru_cache(maxsize=16384)
def fee_stem(key: str) -> str:
    """A normalised name without its fee suffix, to compare services: 装卸船作业费 and 装卸船作业 -> 装卸船."""
    stem = without_brackets(key)
    for suffix in _STEM_SUFFIXES:
        if stem.endswith(suffix) and len(stem) > len(suffix):
            stem = stem[: -len(suffix)]
    return stem


def _keys(written: Iterable[str]) -> set[str]:
    keys: set[str] = set()
    for name in written:
        key = normalise(name)
        keys.update(k for k in (key, without_brackets(key)) if k)
    return keys


def _table(entries: Iterable[T]) -> dict[str, tuple[T, ...]]:
    table: dict[str, list[T]] = {}
    for entry in entries:
        for key in _keys((entry.name_zh, entry.name_en, *entry.aliases)):
            bucket = table.setdefault(key, [])
            if entry not in bucket:
                bucket.append(entry)
    return {key: tuple(bucket) for key, bucket in table.items()}


class NameIndex:
    """Resolves a written fee name to its canonical name, government-list rows and bundles, built once per Reference.

    A government item's or bundle's own aliases count as aliases; a name also matches without its bracketed part
    (货物港务费(外贸进口) is 货物港务费).
    """

    def __init__(self, reference: Reference) -> None:
        self._aliases = {normalise(alias): normalise(canonical) for alias, canonical in reference.aliases.items()}
        self._gov_items = reference.gov_items
        self._gov = _table(reference.gov_items)
        self._bundles = _table(reference.bundles)
        self._choices: dict[date | None, dict[str, str]] = {}
        self._suggestions: dict[tuple[str, date | None], str | None] = {}

    @classmethod
    def of(cls, reference: Reference) -> NameIndex:
        """The index of `reference`, built once while `reference` lives: a list is read by many searches."""
        index = _INDEXES.get(id(reference))
        if index is None:
            index = _INDEXES[id(reference)] = cls(reference)
            weakref.finalize(reference, _INDEXES.pop, id(reference), None)  # its id may then name another list
        return index

    def canonical(self, name: str) -> str:
        """The normalised name with the alias dictionary applied: 文件费, DOC and 单证费 are one."""
        key = normalise(name)
        return self._aliases.get(key, key)

    def _candidates(self, name: str) -> tuple[str, ...]:
        key = normalise(name)
        bare = without_brackets(key)
        return (key, self._aliases.get(key, ""), bare, self._aliases.get(bare, ""))

    def _lookup(self, table: dict[str, tuple[T, ...]], name: str) -> tuple[T, ...]:
        for candidate in self._candidates(name):
            if candidate and candidate in table:
                return table[candidate]
        return ()

    def gov_items(self, name: str) -> tuple[GovItem, ...]:
        """Every government-list row (any date, any status) the name refers to, in reference order."""
        return self._lookup(self._gov, name)

    def bundles(self, name: str) -> tuple[Bundle, ...]:
        """The bundles the name refers to (港口作业包干费, 包干费 ...)."""
        return self._lookup(self._bundles, name)

    def _suggestion_choices(self, on: date | None) -> dict[str, str]:
        if on not in self._choices:
            choices: dict[str, str] = {}
            for item in self._gov_items:
                if item.status is GovStatus.IN_FORCE and (on is None or item.in_effect(on)):
                    for key in _keys((item.name_zh, *item.aliases)):
                        choices.setdefault(key, item.name_zh)
            self._choices[on] = choices
        return self._choices[on]

    def suggest(self, name: str, on: date | None = None) -> str | None:
        """The government item a misspelt name most likely means (in force on `on`), or None when none is near."""
        from rapidfuzz import fuzz, process  # lazy: needed only for a Class A name that matches nothing

        key = normalise(name)
        if (key, on) not in self._suggestions:
            choices = self._suggestion_choices(on)
            match = process.extractOne(key, choices.keys(), scorer=fuzz.ratio, score_cutoff=SUGGEST_CUTOFF)
            self._suggestions[key, on] = None if not key or match is None else choices[match[0]]
        return self._suggestions[key, on]

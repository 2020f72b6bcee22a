"""适用条件 read into `Conditions` (trade, box size, laden, cargo, inspection outcome) and their compatibility."""

from __future__ import annotations

import operator
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import fields
from functools import lru_cache

from portal.validation.model import Conditions

FOREIGN, FOREIGN_IMPORT, FOREIGN_EXPORT = "外贸", "外贸进口", "外贸出口"

# Written word -> (Conditions field, normalised value). Matched longest first, on NFKC upper-cased text.
TOKENS: dict[str, tuple[str, str]] = {
    "外贸进口": ("trade", FOREIGN_IMPORT),
    "进口外贸": ("trade", FOREIGN_IMPORT),
    "外贸出口": ("trade", FOREIGN_EXPORT),
    "出口外贸": ("trade", FOREIGN_EXPORT),
    "外贸进出口": ("trade", FOREIGN),
    "进出口": ("trade", FOREIGN),
    "外贸": ("trade", FOREIGN),
    "进口": ("trade", FOREIGN_IMPORT),
    "出口": ("trade", FOREIGN_EXPORT),
    "内贸": ("trade", "内贸"),
    "内贸进口": ("trade", "内贸"),
    "内贸出口": ("trade", "内贸"),
    "中转": ("trade", "中转"),
    "转运": ("trade", "中转"),
    "重箱": ("laden", "重箱"),
    "重柜": ("laden", "重箱"),
    "实箱": ("laden", "重箱"),
    "空箱": ("laden", "空箱"),
    "空柜": ("laden", "空箱"),
    "普通货物": ("cargo", "普通货物"),
    "一般货物": ("cargo", "普通货物"),
    "普货": ("cargo", "普通货物"),
    "危险货物": ("cargo", "危险货物"),
    "危险品": ("cargo", "危险货物"),
    "危品": ("cargo", "危险货物"),
    "危险": ("cargo", "危险货物"),
    "DG": ("cargo", "危险货物"),
    "冷藏箱": ("cargo", "冷藏"),
    "冷藏": ("cargo", "冷藏"),
    "冷箱": ("cargo", "冷藏"),
    "冻柜": ("cargo", "冷藏"),
    "REEFER": ("cargo", "冷藏"),
    "查验无问题": ("inspection", "查验无问题"),
    "查验没有问题": ("inspection", "查验无问题"),
    "查验未发现问题": ("inspection", "查验无问题"),
    "查验合格": ("inspection", "查验无问题"),
    "查验有问题": ("inspection", "查验有问题"),
    "查验发现问题": ("inspection", "查验有问题"),
    "查验不合格": ("inspection", "查验有问题"),
}
SIZE_MARKS = ("英尺", "尺", "'", "′", "’", "FT", "GP", "DC", "HQ", "HC", "RF", "RH", "OT", "FR", "TK", "呎")
REEFER_MARKS = frozenset({"RF", "RH"})
# Marks naming a kind of box priced apart from the general-purpose one (40HQ is not 40GP): kept in `other`, a high
# cube's spellings as one word, so two lines differing only by it are two fees, not one listed twice.
HIGH_CUBE = "HQ"
BOX_KINDS = {"HQ": HIGH_CUBE, "HC": HIGH_CUBE, "RH": HIGH_CUBE, "高柜": HIGH_CUBE, "高箱": HIGH_CUBE, "OT": "OT",
             "FR": "FR", "TK": "TK"}  # fmt: skip

SIZE = r"(?<!\d)(?P<size>20|40|45)\s*(?P<mark>" + "|".join(re.escape(m) for m in SIZE_MARKS) + ")"
"""A box size as lists write it (20尺, 40', 45英尺, 20GP, 40HQ), as a pattern's source: its size and its mark."""
_STARTS = sorted({t[0] for t in TOKENS} | {t[0].lower() for t in TOKENS} | {"2", "4"})
_PATTERN = re.compile(  # the lookahead skips, cheaply, positions where no word can start
    f"(?=[{re.escape(''.join(_STARTS))}])(?:"
    + SIZE
    + "|(?P<token>"
    + "|".join(re.escape(t) for t in sorted(TOKENS, key=len, reverse=True))
    + "))",
    re.IGNORECASE,
)
_SEPARATORS = re.compile(r"[\s,;/、|+&]+")
_BOX_SIZE = re.compile(SIZE, re.IGNORECASE)
_FIELDS = tuple(f.name for f in fields(Conditions) if f.name != "other")
judged = operator.attrgetter(*_FIELDS)
"""The fields `compatible` compares, as a tuple: two conditions with the same are compatible with the same rows."""
ANY = Conditions()


def _merge(field_name: str, old: str | None, new: str) -> str | None:
    if old is None or old == new:
        return new
    if field_name == "trade" and {old, new} <= {FOREIGN, FOREIGN_IMPORT, FOREIGN_EXPORT}:
        return FOREIGN
    return None


_SIZE_ENDS_WORD = re.compile(r"(?:20|40|45)(?=\s|\Z)")  # a word of text.split() ending in a box size
_EMPTY = {name: None for name in _FIELDS}


@lru_cache(maxsize=16384)
def parse_conditions(text: str) -> Conditions:
    """Read 外贸进口 20英尺 重箱 普通货物 ... into fields; words naming two values (重箱/空箱) mean "any".

    Words the parser does not know are kept, in order, in `other`. The text is read word by word (each word's
    reading kept, since lists repeat their words line after line), or as one piece when a word ends in a box size
    (its mark may follow after a space, 20 英尺): no other match spans a space, so both read the same. Read word by
    word, a text is its words but the last read as they were before (lists repeat conditions with one word added:
    the site, the berth), then the last word on top of them.
    """
    if not text or text.isspace():
        return ANY
    normal = unicodedata.normalize("NFKC", text)
    if _SIZE_ENDS_WORD.search(normal):
        pairs, other = _words(normal)
        return _conditions(_EMPTY, pairs, other)
    words = normal.rsplit(None, 1)
    if len(words) == 1:
        pairs, other = _words(words[0])
        return _conditions(_EMPTY, pairs, other)
    before = _word_by_word(words[0])
    pairs, rest = _words(words[1])
    other = f"{before.other} {rest}" if before.other and rest else before.other or rest
    return _conditions(vars(before), pairs, other)


@lru_cache(maxsize=4096)
def _word_by_word(normal: str) -> Conditions:
    """Normalised words (separated by any white space), none ending in a box size, read one by one."""
    pairs: list[tuple[str, str]] = []
    others = []
    for word in normal.split():
        found, rest = _words(word)
        pairs.extend(found)
        if rest:
            others.append(rest)
    return _conditions(_EMPTY, pairs, " ".join(others))


def _conditions(start: Mapping[str, str | None], pairs: Iterable[tuple[str, str]], other: str) -> Conditions:
    """The fields of `start` with each (field, value) merged in, in order, and `other`."""
    values = dict(start)
    for name, value in pairs:
        values[name] = _merge(name, values[name], value)  # a field not named before is None: merged, the value
    values["other"] = other
    conditions = object.__new__(Conditions)  # every field set: the frozen dataclass's __init__ costs more
    object.__setattr__(conditions, "__dict__", values)
    return conditions


@lru_cache(maxsize=16384)
def _words(text: str) -> tuple[tuple[tuple[str, str], ...], str]:
    """The (field, value) pairs the words name, in order, and the words left over (separators made one space)."""
    pairs: list[tuple[str, str]] = []

    def take(match: re.Match[str]) -> str:
        if match["size"]:
            pairs.append(("container_size", match["size"]))
            mark = match["mark"].upper()
            if mark in REEFER_MARKS:
                pairs.append(("cargo", "冷藏"))
            return f" {BOX_KINDS[mark]} " if mark in BOX_KINDS else " "
        pairs.append(TOKENS[match["token"].upper()])
        return " "

    rest = _SEPARATORS.sub(" ", _PATTERN.sub(take, text)).strip()
    if rest:  # 40' HC, 40尺高柜: the kind of box written apart from its size
        rest = " ".join(BOX_KINDS.get(word.upper(), word) for word in rest.split(" "))
    return tuple(pairs), rest


def box_sizes(text: str) -> tuple[int, str]:
    """How many box sizes (20英尺, 40'HC, 45GP) the NFKC-normalised `text` names, and the text, each made a space."""
    rest, count = _BOX_SIZE.subn(" ", text)
    return count, rest


def _trade_compatible(a: str, b: str) -> bool:
    return a == b or (FOREIGN in (a, b) and a.startswith(FOREIGN) and b.startswith(FOREIGN))


def compatible(line: Conditions, gov: Conditions) -> bool:
    """Whether a line's conditions can apply where a government row's do: None on either side means "any"."""
    for name in _FIELDS:
        a, b = getattr(line, name), getattr(gov, name)
        if a is None or b is None:
            continue
        if name == "trade" and _trade_compatible(a, b):
            continue
        if a != b:
            return False
    return True

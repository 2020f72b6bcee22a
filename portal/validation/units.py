"""Charging units (计费单位) a list may use, compared after normalisation (元/TEU = 元/teu, RMB/箱 = 元/箱)."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from portal.validation.vocabulary import SPACES

_PER = (
    "箱", "标准箱", "标箱", "TEU", "自然箱", "柜", "UNIT", "CNTR", "CTNR", "CTR", "CONTAINER", "BOX",
    "箱次", "票", "票次", "单", "提单", "BL", "B/L", "SHIPMENT", "吨", "吨次", "计费吨", "重量吨", "TON",
    "千克", "公斤", "KG", "立方米", "立方", "方", "M3", "CBM", "平方米", "次", "艘次", "拖轮艘次", "航次",
    "艘", "船", "小时", "净吨", "总吨", "净吨·海里", "千瓦", "枚", "份", "页", "批", "车", "车次", "件",
    "个", "张", "套", "人次", "报关单", "SET",
)  # fmt: skip
PER_WORDS = frozenset(_PER)
# A time a price is charged for on top of what it is per (元/箱·天: per box and day); alone (元/天), per that time.
_TIMES = ("天", "日", "小时")
KNOWN_UNITS = frozenset(
    f"{currency}/{written}"
    for currency in ("元", "USD")
    for per in (*_PER, *_TIMES)
    for timed in (per, *(f"{per}·{time}" for time in _TIMES if per not in _TIMES))
    for written in (timed, timed.replace("·", ""))  # 元/箱·天 is also written 元/箱天
) | {"元", "USD", "%"}

_CURRENCY = re.compile(r"^(?:人民币元|人民币|RMB|CNY|¥)", re.IGNORECASE)
_DOLLAR = re.compile(r"^(?:美元|美金|US\$|\$)", re.IGNORECASE)
# USD per B/L, per container: "per" is a slash after the currency, or at the start.
_ENGLISH_PER = re.compile(r"^(元|USD)?PER(?=[A-Z0-9/\u4e00-\u9fff])")
_DOTS = str.maketrans({"・": "·", "•": "·", "∙": "·", "⋅": "·", "*": "·", "×": "·"})


@lru_cache(maxsize=1024)
def normalise_unit(unit: str) -> str:
    """NFKC, no spaces, upper-case Latin, 每 and per as /, the currency as 元 or USD, middle dots unified, and a time
    written as a second per after what it is charged per (元/箱/天, 元/天/箱: 元/箱·天)."""
    return _normalise_unit(unit)


def _normalise_unit(unit: str) -> str:
    text = SPACES.sub("", unicodedata.normalize("NFKC", unit)).translate(_DOTS).upper().replace("每", "/")
    text = _ENGLISH_PER.sub(r"\1/", _DOLLAR.sub("USD", _CURRENCY.sub("元", text)))  # each anchored: one match
    currency, slash, written = text.partition("/")
    parts = written.split("/")  # B/L is two parts, neither a time
    if len(parts) == 2 and all(parts) and (parts[0] in _TIMES) != (parts[1] in _TIMES):
        first, time = parts if parts[1] in _TIMES else parts[::-1]
        return f"{currency}{slash}{first}·{time}"
    return text


@lru_cache(maxsize=1024)
def unit_key(unit: str) -> str:
    """What a unit means, as two units are compared: normalised, and what it charges per in one word for the words
    meaning the same (元/柜/天 and 元/箱·天: 元/箱·天; USD per CNTR and USD/UNIT: USD/箱)."""
    return _unit_key(unit)


def _unit_key(unit: str) -> str:
    currency, slash, written = normalise_unit(unit).partition("/")
    per, dot, time = written.partition("·")
    if not dot and per[-1:] in ("天", "日") and per[:-1] in PER_WORDS:  # 元/箱天: the dot left out
        per, time = per[:-1], per[-1]
    time = "天" if time == "日" else time
    return f"{currency}{slash}{same_per(per)}{'·' if time else ''}{time}"


def with_currency(unit: str, currency: str | None) -> str | None:
    """`unit` written with the line's `currency` in front (USD; CNY, or None when it is none accepted: 元), when that
    makes a unit the format knows: it names what it charges per but no currency (箱, /箱, per B/L: 元/箱, USD/B/L);
    None otherwise."""
    written = normalise_unit(f"{unit_currency(currency)}/{normalise_unit(unit).removeprefix('/')}")
    return written if written in KNOWN_UNITS else None


def unit_currency(currency: str | None) -> str:
    """A currency (CNY, USD; None for none accepted) as a unit writes it before its slash: USD, else 元."""
    return "USD" if currency == "USD" else "元"


def is_known(unit: str) -> bool:
    """Whether the unit, normalised, is one the disclosure format recognises."""
    return normalise_unit(unit) in KNOWN_UNITS


# Words that charge for the same thing: a price per 柜 or per UNIT is a price per 箱, one per 提单 or B/L per 票, a
# freight ton (计费吨) is written 吨 as often as not.
_SAME_PER = {
    "自然箱": "箱", "柜": "箱", "UNIT": "箱", "CNTR": "箱", "CTNR": "箱", "CTR": "箱", "CONTAINER": "箱", "BOX": "箱",
    "标准箱": "TEU", "标箱": "TEU", "提单": "票", "BL": "票", "B/L": "票", "SHIPMENT": "票", "重量吨": "吨",
    "计费吨": "吨", "TON": "吨", "公斤": "千克", "KG": "千克", "M3": "立方米", "立方": "立方米", "方": "立方米",
    "CBM": "立方米", "船": "艘",
}  # fmt: skip


def same_per(word: str) -> str:
    """The one word for what `word` charges per (柜, CNTR: 箱; 提单, B/L: 票; 标箱: TEU), or `word` itself."""
    return _SAME_PER.get(word, word)


# Words too general to tell a unit apart (10元/天 on a line per 元/箱·天 is per box and day; 100元/次 on one per
# 艘次 is per call): a unit naming only one of them names nothing to compare.
_GENERAL = frozenset({"天", "日", "小时", "次", "个", "件", "份", "单"})
_PERS = frozenset(per.upper() for per in _PER) - _GENERAL
_TIME = re.compile(r"[·/]")


@lru_cache(maxsize=1024)
def per_of(unit: str) -> str | None:
    """What a unit charges per, one word for the words meaning the same, before any time it is charged for (元/柜·天:
    箱; USD/BL: 票); None when it names nothing the format knows (元, 元/坨) or only a general word (元/天, 元/次)."""
    return _per_of(unit)


def _per_of(unit: str) -> str | None:
    _, slash, written = normalise_unit(unit).partition("/")
    per = "B/L" if written.startswith("B/L") else _TIME.split(written)[0]  # 柜/天, 箱·天: per 柜, per 箱
    if per.endswith(("天", "日")):  # no word of the format ends so once its time is split off
        per = per[:-1]  # 箱天, written without its dot
    if not slash or per not in _PERS:
        return None
    return same_per(per)

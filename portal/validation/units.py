"""Charging units (计费单位) a list may use, compared after normalisation (元/TEU = 元/teu, RMB/箱 = 元/箱)."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from portal.validation.vocabulary import SPACES

_PER = (
    "箱", "标准箱", "TEU", "自然箱", "柜", "UNIT", "CNTR", "票", "单", "提单", "BL", "B/L", "吨", "计费吨", "重量吨",
    "立方米", "M3", "次", "艘次", "拖轮艘次", "航次", "艘", "船", "天", "日", "箱·天", "柜·天", "TEU·天", "吨·天",
    "立方米·天", "平方米·天", "小时", "拖轮艘次·小时", "净吨", "总吨", "净吨·海里", "千瓦", "枚", "份", "批", "车",
    "件", "个", "张", "套", "人次", "报关单", "SET",
)  # fmt: skip
KNOWN_UNITS = frozenset(
    f"{currency}/{written}"
    for currency in ("元", "USD")
    for per in _PER
    for written in (per, per.replace("·", ""))  # 元/箱·天 is also written 元/箱天
) | {"元", "USD", "%"}

_CURRENCY = re.compile(r"^(?:人民币元|人民币|RMB|CNY|¥)", re.IGNORECASE)
_DOLLAR = re.compile(r"^(?:美元|US\$|\$)", re.IGNORECASE)
_DOTS = str.maketrans({"・": "·", "•": "·", "∙": "·", "⋅": "·", "*": "·", "×": "·"})


@lru_cache(maxsize=1024)
def normalise_unit(unit: str) -> str:
    """NFKC, no spaces, upper-case Latin, 每 as /, the currency as 元 or USD, middle dots unified."""
    text = SPACES.sub("", unicodedata.normalize("NFKC", unit)).translate(_DOTS).upper().replace("每", "/")
    text = _CURRENCY.sub("元", text, count=1)
    return _DOLLAR.sub("USD", text, count=1)


def is_known(unit: str) -> bool:
    """Whether the unit, normalised, is one the disclosure format recognises."""
    return normalise_unit(unit) in KNOWN_UNITS


# Words that charge for the same thing: a price per 柜 or per UNIT is a price per 箱, one per 提单 or B/L per 票, a
# freight ton (计费吨) is written 吨 as often as not.
_SAME_PER = {
    "自然箱": "箱", "柜": "箱", "UNIT": "箱", "CNTR": "箱", "标准箱": "TEU", "提单": "票", "BL": "票", "B/L": "票",
    "重量吨": "吨", "计费吨": "吨", "M3": "立方米", "船": "艘",
}  # fmt: skip
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
    return _SAME_PER.get(per, per)

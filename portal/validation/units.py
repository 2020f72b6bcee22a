"""Charging units (计费单位) a list may use, compared after normalisation (元/TEU = 元/teu, RMB/箱 = 元/箱)."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

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
_WHITESPACE = re.compile(r"\s+")


@lru_cache(maxsize=1024)
def normalise_unit(unit: str) -> str:
    """NFKC, no spaces, upper-case Latin, 每 as /, the currency as 元 or USD, middle dots unified."""
    text = _WHITESPACE.sub("", unicodedata.normalize("NFKC", unit)).translate(_DOTS).upper().replace("每", "/")
    text = _CURRENCY.sub("元", text, count=1)
    return _DOLLAR.sub("USD", text, count=1)


def is_known(unit: str) -> bool:
    """Whether the unit, normalised, is one the disclosure format recognises."""
    return normalise_unit(unit) in KNOWN_UNITS

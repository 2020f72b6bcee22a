"""适用条件 read into `Conditions` (trade, box size, laden, cargo, inspection outcome) and their compatibility."""

from __future__ import annotations

import re
import unicodedata
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

_SIZE = r"(?<!\d)(?P<size>20|40|45)\s*(?P<mark>" + "|".join(re.escape(m) for m in SIZE_MARKS) + ")"
_STARTS = sorted({t[0] for t in TOKENS} | {t[0].lower() for t in TOKENS} | {"2", "4"})
_PATTERN = re.compile(  # the lookahead skips, cheaply, positions where no word can start
    f"(?=[{re.escape(''.join(_STARTS))}])(?:"
    + _SIZE
    + "|(?P<token>"
    + "|".join(re.escape(t) for t in sorted(TOKENS, key=len, reverse=True))
    + "))",
    re.IGNORECASE,
)
_SEPARATORS = re.compile(r"[\s,;/、|+&]+")
_FIELDS = tuple(f.name for f in fields(Conditions) if f.name != "other")
ANY = Conditions()


def _merge(field_name: str, old: str | None, new: str) -> str | None:
    if old is None or old == new:
        return new
    if field_name == "trade" and {old, new} <= {FOREIGN, FOREIGN_IMPORT, FOREIGN_EXPORT}:
        return FOREIGN
    return None


@lru_cache(maxsize=16384)
def parse_conditions(text: str) -> Conditions:
    """Read 外贸进口 20英尺 重箱 普通货物 ... into fields; words naming two values (重箱/空箱) mean "any".

    Words the parser does not know are kept, in order, in `other`.
    """
    if not text or text.isspace():
        return ANY
    found: dict[str, str | None] = {}

    def take(match: re.Match[str]) -> str:
        if match["size"]:
            pairs = [("container_size", match["size"])]
            if match["mark"].upper() in REEFER_MARKS:
                pairs.append(("cargo", "冷藏"))
        else:
            pairs = [TOKENS[match["token"].upper()]]
        for name, value in pairs:
            found[name] = _merge(name, found[name], value) if name in found else value
        return " "

    rest = _PATTERN.sub(take, unicodedata.normalize("NFKC", text))
    return Conditions(**found, other=_SEPARATORS.sub(" ", rest).strip())


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

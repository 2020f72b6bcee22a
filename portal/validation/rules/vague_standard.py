"""vague-standard: a standard that names no amount or formula (面议, 按实际发生, 另议 ...).

Basis: 《明码标价和禁止价格欺诈规定》 (市场监管总局令第56号): a service shows its price or its method of pricing.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

from portal.validation.context import Context
from portal.validation.findings import N_, Finding
from portal.validation.model import Severity, StandardKind

CODE = "vague-standard"
SEVERITY = Severity.WARNING
BASIS = "市场监管总局令第56号"

VAGUE_WORDS = (
    "面议", "议价", "另议", "协商", "按实际", "实际发生", "以实际为准", "实报实销", "待定", "视情况", "视具体情况",
    "详询", "咨询", "电询", "另行通知", "另行确定", "按合同", "按约定", "不定",
)  # fmt: skip

VAGUE = N_("The standard of {item}, {value}, names no amount or formula; state the price or how it is calculated.")

_VAGUE = re.compile("|".join(VAGUE_WORDS))
_DIGIT = re.compile(r"\d")


def is_vague(text: str) -> bool:
    """Words like 面议 or 按实际发生 with no figure at all (a figure or a formula makes a standard checkable)."""
    normalised = unicodedata.normalize("NFKC", text)
    return bool(_VAGUE.search(normalised)) and not _DIGIT.search(normalised)


def check(ctx: Context) -> Iterator[Finding]:
    for parsed in ctx.lines:
        if parsed.standard.kind is StandardKind.TEXT and is_vague(parsed.line.standard):
            yield parsed.finding(CODE, SEVERITY, VAGUE, "standard", BASIS, value=parsed.line.standard.strip())

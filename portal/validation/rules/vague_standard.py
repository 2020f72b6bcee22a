"""vague-standard: a standard that names no amount or formula (面议, 按实收取, 另行收取 ...), no amount in figures, or
an amount that is not the price (100元/票起, 最低100元, 100元左右, 100元/票另收, 100元/票(夜间加收50%),
100元/票，超重另收20元:
money.price_qualifiers; a cap,
最高500元, states the most a shipper pays and is let be here: rate-deviation judges it by that amount), or several
prices in one cell (100/200, 100、200, 100元或200元, 20'/40': 100/200, 重箱100元，空箱50元, 1,000/1,500:
money.several_prices), or one price per a box size (100元/20尺: money.sized_price).

Basis: 《明码标价和禁止价格欺诈规定》 (市场监管总局令第56号): a service shows its price or its method of pricing.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

from portal.validation.context import Context
from portal.validation.dates import is_date
from portal.validation.findings import N_, Finding
from portal.validation.model import KIND_TEXT, PricingClass, Severity
from portal.validation.money import CAPS, price_qualifiers, several_prices, sized_price
from portal.validation.vocabulary import is_yes

CODE = "vague-standard"
SEVERITY = Severity.WARNING
BASIS = "市场监管总局令第56号"

# The one list of phrases that say "we will charge something" without saying what: each has its own test.
VAGUE_WORDS = (
    "面议", "议价", "另议", "协商", "按实际", "实际发生", "以实际为准", "实报实销", "待定", "视情况", "视具体情况",
    "详询", "咨询", "电询", "另行通知", "另行确定", "按合同", "按约定", "不定",
    "按实收取", "按实结算", "按实计收", "按实计算", "据实收取", "据实结算", "据实计收", "另行收取", "另收", "另计",
    "按市场价", "随行就市", "参照市场",
)  # fmt: skip
# A standard with no figure that still names how the charge is set, where another rule judges it: a pass-through
# line collected at the official rate (rate-deviation and off-list check it against the government list).
OFFICIAL_RATE = ("按规定", "按政府规定", "按国家规定", "按官方", "按政府定价", "按文件规定", "按上级规定")

VAGUE = N_("The standard of {item}, {value}, names no amount or formula; state the price or how it is calculated.")
QUALIFIED = N_(
    "The standard of {item}, {value}, gives its amount with {word}: a starting, minimum or approximate amount, or "
    "one with more charged on top, is not the price of the service, so it is not published as one. "
    "Write the price itself; if it varies, a range (400-500) or tiers, and charges on top as lines of their own."
)
SEVERAL = N_(
    "The standard of {item}, {value}, gives {count} prices in one cell ({prices}), so none of them can be checked, "
    "compared or used in an estimate, and a shipper cannot tell which applies. If they are prices for different box "
    "sizes or other conditions, write one line for each, with its condition in 适用条件 (conditions)."
)
SIZED = N_(
    "The standard of {item}, {value}, is a price per {size} box, so it cannot be checked or used in an estimate as a "
    "price. Write the box size in 适用条件 (conditions), the price alone in this cell (100) and the unit as 元/箱."
)
NO_AMOUNT = N_(
    "The standard of {item}, {value}, holds no amount in figures, so it cannot be checked or compared. Write the "
    "amount in digits (for example 190, a range 400-500 or tiers), in this cell itself rather than in another table."
)

_VAGUE = re.compile("|".join(VAGUE_WORDS))
_DIGIT = re.compile(r"\d")
_METHOD = re.compile(r"计收|计费|收取|计算")
_NOT_NUMBERS = {"nan", "inf", "infinity"}


def is_vague(text: str) -> bool:
    """Words like 面议 or 按实收取 with no figure at all (a figure or a formula makes a standard checkable)."""
    normalised = unicodedata.normalize("NFKC", text)
    return bool(_VAGUE.search(normalised)) and not _DIGIT.search(normalised)


def has_no_amount(text: str, pass_through: str, pricing_class: str) -> bool:
    """No figure at all (一百九十, 见附表), where no other rule judges the charge.

    Allowed: a pass-through line naming the official rate (按政府规定), and a government-priced line naming how the
    official rate is applied (按船舶净吨计收): the rate rules check both against the government list. Words the
    amount parser refuses outright (NaN, Infinity) are already an invalid value.
    """
    normalised = unicodedata.normalize("NFKC", text).strip()
    if not normalised or _DIGIT.search(normalised) or normalised.casefold().lstrip("+-") in _NOT_NUMBERS:
        return False
    if is_yes(pass_through) and any(word in normalised for word in OFFICIAL_RATE):
        return False
    return not (_government_priced(pricing_class) and normalised.startswith("按") and _METHOD.search(normalised))


def _government_priced(text: str) -> bool:
    try:
        return PricingClass(text.strip()) is not PricingClass.MARKET
    except ValueError:
        return False


def check(ctx: Context) -> Iterator[Finding]:
    for parsed in ctx.lines:
        if parsed.standard.kind is not KIND_TEXT:
            continue
        text = parsed.line.standard
        if is_vague(text):
            yield parsed.finding(CODE, SEVERITY, VAGUE, "standard", BASIS, value=text.strip())
        elif word := next((w for w in price_qualifiers(text) if w.casefold() not in CAPS), None):
            yield parsed.finding(CODE, SEVERITY, QUALIFIED, "standard", BASIS, value=text.strip(), word=word)
        elif (prices := several_prices(text)) and not is_date(text):  # 2026-01-01 is invalid-value's
            yield parsed.finding(
                CODE,
                SEVERITY,
                SEVERAL,
                "standard",
                BASIS,
                value=text.strip(),
                count=len(prices),
                prices=", ".join(prices),
            )
        elif size := sized_price(text):
            yield parsed.finding(CODE, SEVERITY, SIZED, "standard", BASIS, value=text.strip(), size=size)
        elif has_no_amount(text, parsed.line.pass_through, parsed.line.pricing_class):
            yield parsed.finding(CODE, SEVERITY, NO_AMOUNT, "standard", BASIS, value=text.strip())

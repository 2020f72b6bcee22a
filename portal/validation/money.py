"""Amounts and charging standards read from text as exact Decimals (yuan or a stated currency); never float."""

from __future__ import annotations

import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from portal.validation.choices import currencies_named
from portal.validation.conditions import SIZE, box_sizes
from portal.validation.model import KIND_FIXED, KIND_RANGE, KIND_TIERS, Standard, StandardKind, Tier
from portal.validation.vocabulary import INVISIBLE, SPACES

MAX_PLACES = 4
CENT = Decimal("0.01")

# Digits on both sides of a space or a line break: two amounts (100 200, the 20- and 40-foot prices; 100 over 200 by
# Alt+Enter), or one grouped by spaces (1 200). Which it is cannot be told, and read as one they were 100200.
_SPACED_DIGITS = re.compile(rf"\d[{INVISIBLE}]*\s[\s{INVISIBLE}]*\d")
# A comma beside a space between digits (100, 200; 100 , 200): a list of two prices, not 100,200 grouped (100200).
_SPACED_COMMA = re.compile(rf"\d[{INVISIBLE}]*(?:\s[\s{INVISIBLE}]*,|,[{INVISIBLE}]*\s)[\s{INVISIBLE}]*\d")
# A Chinese comma between half-width digits (100，200): two prices separated as Chinese is written, or one grouped
# by a comma the input method made full-width (1，200). Which it is cannot be told. Full-width digits grouped by it
# (１，２００) are typed full-width throughout, and read.
_COMMA_BETWEEN_DIGITS = re.compile(r"[0-9]，[0-9]")
# A Chinese full stop between digits (100。00, 1。5万元): a decimal point typed with the Chinese input method on (a
# sentence never ends between two digits). Read as one it would be a guess; refused with what to write instead.
_STOP_BETWEEN_DIGITS = re.compile(r"[0-9]。[0-9]")
# The currencies written before an amount (RMB 100, 美金100) and after it (100元, 100 USD): the one spelling of each.
_SIGN = r"(?:RMB|CNY|USD|US\$|人民币|美元|美金|¥|\$)"
_SUFFIX = r"(?:元|美元|美金|RMB|CNY|USD)"
_CURRENCY_PREFIX = re.compile(rf"^{_SIGN}", re.IGNORECASE)
_CURRENCY_SUFFIX = re.compile(rf"{_SUFFIX}$", re.IGNORECASE)
# 万 (ten thousand) and 千 (thousand) written after the digits: 1.2万元 is 12000 yuan, read exactly.
MULTIPLIERS = {"万": Decimal(10_000), "千": Decimal(1_000)}
_PLAIN = re.compile(r"\d+(?:\.\d+)?")
_GROUPED = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?")
_EXPONENT = re.compile(r"\d+(?:\.\d+)?e[-+]?\d+", re.IGNORECASE)
_NON_FINITE = frozenset({"nan", "snan", "inf", "infinity"})
# What a list writes for a fee it does not charge: free now (暂不收取 is "not charged for now", so 0 while in force).
_FREE = frozenset({"免费", "免收", "免费提供", "不收费", "不收取", "免收费", "暂不收取", "暂不收费", "暂免收取"})
# A note of tax after the price, written as a bracketed note is (100元/票,含税 as 100元/票(含税)): the price is the
# amount. Over compact NFKC text (the full-width comma is a comma).
_TAX_WORDS = re.compile(r"(?:已|未|不)?含(?:增值)?税|税[前后]")
_TAX_NOTE = re.compile(rf"[,;](?:{_TAX_WORDS.pattern})$")
_LOOKALIKES = str.maketrans("OoIl", "0011")  # letters typed for digits, as in 12O or l00

# Patterns over NFKC text with whitespace removed. An amount token is loose on purpose (digits, commas, dots,
# NaN, exponents): `parse_amount` then accepts or rejects it with a reason, so "12.3.4" is an invalid amount,
# not prose.
_AMOUNT = rf"[-+]?{_SIGN}?[-+]?(?:\d[\d,.]*(?:e[-+]?\d+)?[万千]?|nan|inf(?:inity)?)"
_UNIT = rf"{_SUFFIX}?(?:(?:/|每)(?:[^/\d,;:()]|(?<=[mM])\d)+){{0,2}}(?:\([^()]*\))?"
_RANGE_SEP = r"(?:-|~|至|到|——|—|–|〜)"  # —— is the Chinese dash: two em dashes typed as one mark
_FIXED_RE = re.compile(rf"(?P<amount>{_AMOUNT}){_UNIT}", re.IGNORECASE)
_BRACKETED_END = re.compile(r"\([^()]*\)$")  # the bracketed note _UNIT ends with
_RANGE_RE = re.compile(
    rf"(?P<low>{_AMOUNT}){_SUFFIX}?(?:/[^/\d~至到—–〜-]+)?{_RANGE_SEP}(?P<high>{_AMOUNT}){_UNIT}", re.IGNORECASE
)
_TIER_UNIT = r"(?:天|日|小时|个月|月|周|箱|吨|次)?"
_TIER_AMOUNT = rf"(?::|,)?(?:(?P<free>免费|免收)|(?P<amount>{_AMOUNT}){_UNIT})"
# A sign right after a tier's last day is a dash read twice, as the range's and as a sign (2026-01-01 is no tier from
# 2026 to 1 at -1, nor 100-200-300 one from 100 to 200 at -300).
_TIER_RES = (
    re.compile(
        rf"第?(?P<start>\d+){_TIER_UNIT}{_RANGE_SEP}第?(?P<end>\d+)(?![-+]){_TIER_UNIT}内?{_TIER_AMOUNT}", re.IGNORECASE
    ),
    re.compile(rf"第?(?P<start>\d+){_TIER_UNIT}(?:及以上|以上|起|之后|后|\+){_TIER_AMOUNT}", re.IGNORECASE),
    re.compile(rf"前(?P<end>\d+){_TIER_UNIT}(?:内)?{_TIER_AMOUNT}", re.IGNORECASE),
)
# Between tiers: the full-width comma too (1-7天免费，8天及以上50元/天), and a half-width one that groups no digits
# (免费, 8天: not 1,000).
_TIER_SPLIT = re.compile(r"(?:[;；，\r\n]|(?<!\d),|,(?!\d))+")

# Words beside an amount that make it not the price the service costs: a starting or minimum price, a cap, an
# approximate price, or more charged on top (100元/票起 is "100 or more", not 100). The one list, each with its
# own test; a standard holding one is read as text (never as its amount) and vague-standard names the word. Over
# compact NFKC text ("up to" is matched as "upto"). Only a word touching the amount, its currency or its unit counts:
# after a size or a count (40尺以上, 3天以内) a word is a condition of the line, not of the price; 约 after 预, 合 or
# 签 is part of a word (预约 100元/次); and a word after a bare "/" is the unit (元/min is per minute).
QUALIFIERS_BEFORE = (
    "约", "大约", "最低", "最少", "至少", "不低于", "不少于", "最高", "最多", "不超过", "不得超过", "不高于", "上限",
    "下限", "起价", "起步价", "加收", "另收", "另加", "外加",  # 8天以上加收50元/天: more on top of what?
    "from", "min", "minimum", "max", "maximum", "approx", "approximately", "about", "upto", "atleast",
)  # fmt: skip
QUALIFIERS_AFTER = (  # ended by the text's end, a bracket, a punctuation mark, a "/" or a digit
    "起", "起步", "起价", "起收", "起算", "以上", "及以上", "以下", "以内", "左右", "封顶", "保底", "最低", "最高",
    "上限", "下限", "from", "onwards", "andabove", "andup", "ormore", "min", "minimum", "max", "maximum",
)  # fmt: skip
EXTRAS_AFTER = ("另收", "另计", "另加", "加收", "外加", "+", "plus")  # more on top, whatever follows
# Of those, the words a note after the price may hold anywhere in it, in brackets or after a comma (100元/票(夜间加收
# 50%), 100元/票，超重另收20元: the night's or the heavy box's price is not 100); the Chinese ones only ("+" in
# 20'+40' names two sizes).
EXTRAS_NOTED = tuple(word for word in EXTRAS_AFTER if not word.isascii())
# Of those, the words of a cap: the most a shipper pays is stated (按实际发生，最高500元), so vague-standard lets it be;
# the amount is still not the price (100元/票封顶 is not 100).
CAPS = frozenset(
    {"最高", "最多", "不超过", "不得超过", "不高于", "封顶", "以下", "以内", "上限", "max", "maximum", "upto"}
)


def _alternatives(words: tuple[str, ...], written: dict[str, str] | None = None) -> str:
    """The words as one alternation, longest first; `written` gives a word's own pattern."""
    patterns = [(written or {}).get(word, re.escape(word)) for word in sorted(words, key=len, reverse=True)]
    return "|".join(patterns)


@lru_cache(maxsize=1)
def _qualified_amount() -> re.Pattern[str]:
    """The qualifiers beside an amount as one pattern, built at first use (and so where a test can reach it)."""
    return re.compile(
        r"(?P<before>{before})[:：]?{sign}?\d"
        r"|\d[万千]?{suffix}?(?:/[^/\d,;:()（）]+?)?[(（]?"
        r"(?:(?P<after>{after})(?=$|[)）,，;；.。、/]|\d)|(?P<extra>{extra}))"
        r"|\d[万千]?{suffix}?(?:/[^/\d,;:()（）]+?)?[(（,;][^()（）]*?(?P<noted>{noted})".format(
            before=_alternatives(QUALIFIERS_BEFORE, {"约": "(?<![预合签])约"}),
            after=_alternatives(QUALIFIERS_AFTER),
            extra=_alternatives(EXTRAS_AFTER),
            noted=_alternatives(EXTRAS_NOTED),
            sign=_SIGN,
            suffix=_SUFFIX,
        ),
        re.IGNORECASE,
    )


@lru_cache(maxsize=8192)
def price_qualifiers(text: str) -> tuple[str, ...]:
    """The words beside an amount that make it not the price (起, 最低, 左右, 封顶, 另收 ...), as written, in order."""
    return tuple(map(_qualifier, _qualified_amount().finditer(_compact(text))))


def _qualifier(match: re.Match[str]) -> str:
    """The word a match of the qualifiers' pattern found, whichever of its kinds."""
    return match["before"] or match["after"] or match["extra"] or match["noted"]


def several_prices(text: str) -> tuple[str, ...]:
    """The prices a standard gives side by side in one cell, as written, when it gives two or more: amounts joined by
    slashes (100/200, USD 100/200/200: a shipping line's 20GP/40GP/40HQ, a currency before, a unit after), by 、 or
    by 或 (100元或200元: one or the other), or, three
    or more, by dashes (100-200-300; two are a range), or amounts beside two or more box sizes (20'/40': 100/200,
    20尺100元，40尺200元), or two or more amounts each marked as money, whatever between them (重箱100元，空箱50元;
    100元/箱 200元/箱). () for one price or none; a ratio (按货值1/1000) has words before it and is not read so."""
    sizes, rest = box_sizes(unicodedata.normalize("NFKC", text))  # 100元/20尺 is a price per 20-foot box
    figures = tuple(_FIGURES.findall(rest))
    if len(figures) < 2 or len(currencies_named(rest)) > 1:  # 50美元或350元: one price, and what it is in yuan
        return ()
    if sizes >= 2 or _slashed_amounts().match(rest.strip(_LEAD)):
        return figures
    marked = tuple(before or after for before, after in _MARKED_AMOUNTS.findall(rest))
    return marked if len(marked) >= 2 else ()


def sized_price(text: str) -> str | None:
    """The box size one price writes as what it is per (100元/20尺, USD100/40HQ: 20尺, 40HQ), None for any other
    standard. Read as text, such a price is neither checked nor estimated, and the size belongs in 适用条件."""
    normal = unicodedata.normalize("NFKC", text).strip()
    match = _PER_BOX_SIZE.search(normal)
    if match is None:
        return None
    per_box = f"{normal[: match.start()]}/箱{normal[match.end() :]}"
    return match["written"] if parse_standard(per_box).kind in (KIND_FIXED, KIND_RANGE) else None


_PER_BOX_SIZE = re.compile(rf"/\s*(?P<written>{SIZE}[A-Z]*)", re.IGNORECASE)  # 20'GP: the kind after the mark


@lru_cache(maxsize=1)
def _slashed_amounts() -> re.Pattern[str]:
    amount = rf"{_SIGN}?\s*(?:{_NUMBER})[万千]?\s*{_SUFFIX}?"
    either = r"\s*(?:[/、;|\\]|或者?|or)\s*"  # 100/200, 100、200, 100;200, 100元或200元: one price or another
    return re.compile(rf"{amount}(?:(?:{either}{amount})+|(?:\s*[-~]\s*{amount}){{2,}})\D*$", re.IGNORECASE)


# A figure as written: 1,500 (thousands grouped) is one, not 1 and 500; 1万 is one price, not 1.
_NUMBER = r"\d{1,3}(?:,\d{3})+(?!\d)(?:\.\d+)?|\d+(?:\.\d+)?"
_FIGURES = re.compile(rf"(?:{_NUMBER})[万千]?")
_MARKED_AMOUNTS = re.compile(  # the currency words the amount parser takes (over NFKC text: ￥ is ¥)
    rf"{_SIGN}\s*((?:{_NUMBER})[万千]?)|((?:{_NUMBER})[万千]?)\s*{_SUFFIX}", re.IGNORECASE
)
_CLAUSES = re.compile(r"[,;]")  # over compact NFKC text: the full-width comma and semicolon too
_LEAD = " \t\n:：,，;；"  # what a size removed leaves before the prices (40HQ: 100/200)


class AmountError(ValueError):
    """An amount that cannot be read; `code` names the reason for callers that word their own message."""

    def __init__(self, code: str, reason: str) -> None:
        super().__init__(reason)
        self.code = code


def _compact(text: str) -> str:
    return SPACES.sub("", unicodedata.normalize("NFKC", text)).replace("−", "-")


def parse_amount(text: str) -> Decimal:
    """Read `200`, `1,200.00`, `￥1,200.00`, `RMB 200`, `200元`, `1.2万元`, full-width digits ...; up to 4 decimal
    places as written.

    Negative amounts are returned as such (a rule reports them). Raises `AmountError` (a ValueError) with the reason.
    """
    _refuse_spaced_digits(text)
    _refuse_spaced_comma(text)
    compact = _compact(text)
    if not compact:
        raise AmountError("not-a-number", "the amount is empty")
    sign = ""
    body = _CURRENCY_PREFIX.sub("", compact, count=1)
    if body and body[0] in "+-":
        sign, body = ("-" if body[0] == "-" else ""), body[1:]
        body = _CURRENCY_PREFIX.sub("", body, count=1)
    body = _CURRENCY_SUFFIX.sub("", body, count=1)
    multiplier = MULTIPLIERS.get(body[-1:])
    if multiplier is not None:
        body = body[:-1]
    if body.casefold() in _NON_FINITE:
        raise AmountError("not-a-number", f"{text!r} is not a finite number")
    if _EXPONENT.fullmatch(body):
        raise AmountError("exponent", f"{text!r} uses exponent notation")
    if _PLAIN.fullmatch(body) or _GROUPED.fullmatch(body):
        digits = body.replace(",", "")
    elif "," in body and _PLAIN.fullmatch(body.replace(",", "")):
        raise AmountError("separators", f"{text!r} has misplaced thousands separators")
    else:
        raise AmountError("not-a-number", f"{text!r} is not a number")
    _, _, fraction = digits.partition(".")
    if len(fraction) > MAX_PLACES:
        raise AmountError("too-many-places", f"{text!r} has more than {MAX_PLACES} decimal places")
    amount = Decimal(sign + digits)
    if multiplier is None:
        return amount
    scaled = amount * multiplier  # 1.2万: 12000.0, written 12000 (a fraction of a yuan only as 1.2345千 leaves one)
    whole = scaled.to_integral_value()
    return whole if scaled == whole else scaled.normalize()


def _refuse_spaced_digits(text: str) -> None:
    if _SPACED_DIGITS.search(unicodedata.normalize("NFKC", text)):
        raise AmountError("spaced", f"{text!r} has digits on both sides of a space or a line break")


def _refuse_spaced_comma(text: str) -> None:
    """One amount has no space beside a comma between its digits (1,200): 100, 200 is two."""
    if _SPACED_COMMA.search(unicodedata.normalize("NFKC", text)):
        raise AmountError("spaced", f"{text!r} has digits on both sides of a comma and a space")


def quantize_yuan(amount: Decimal) -> Decimal:
    """Round to the fen (0.01) for display, half up."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def display_amount(amount: Decimal) -> str:
    """An amount as people read it: thousands separators, two places unless more are significant."""
    if amount == quantize_yuan(amount):
        return f"{quantize_yuan(amount):,.2f}"
    return f"{amount.normalize():,f}"


def _tier(segment: str) -> Tier:
    for pattern in _TIER_RES:
        match = pattern.fullmatch(segment)
        if match is None:
            continue
        groups = match.groupdict()
        start = Decimal(groups.get("start") or 1)
        end = Decimal(groups["end"]) if groups.get("end") else None
        amount = Decimal(0) if groups["free"] else parse_amount(groups["amount"])
        return Tier(start=start, end=end, amount=amount)
    raise LookupError(segment)


def _standard_compact(text: str) -> str:
    """A standard as its patterns read it: compact, no full stop at the end, no note of tax after a comma."""
    compact = _compact(text).rstrip("。.")
    return _TAX_NOTE.sub("", compact) or compact


def _parse_standard(text: str) -> Standard:
    compact = _standard_compact(text)
    if not compact:
        return Standard(StandardKind.EMPTY, text)
    _refuse_spaced_digits(text)
    if _qualified_amount().search(compact):
        return Standard(StandardKind.TEXT, text)  # 100元/票起: no amount of it is the price (price_qualifiers)
    if compact in _FREE:
        return Standard(StandardKind.FIXED, text, amount=Decimal(0))
    fixed, ranged = _FIXED_RE.fullmatch(compact), _RANGE_RE.fullmatch(compact)
    if (fixed or ranged) and _COMMA_BETWEEN_DIGITS.search(text):
        raise AmountError("comma", f"{text!r} has a Chinese comma between digits")
    if fixed or ranged:
        _refuse_spaced_comma(text)
        note = _BRACKETED_END.search(compact)
        if note is not None and _MARKED_AMOUNTS.search(note[0]) and len(currencies_named(compact)) < 2:
            return Standard(StandardKind.TEXT, text)  # 100元/票(加急200元/票): a second price, not 100元 in dollars
    if fixed is not None:
        return Standard(StandardKind.FIXED, text, amount=parse_amount(fixed["amount"]))
    if ranged is not None:
        low, high = parse_amount(ranged["low"]), parse_amount(ranged["high"])
        return Standard(StandardKind.RANGE, text, amount=low, amount_max=high)
    try:
        segments = (_compact(segment).rstrip("。.") for segment in _TIER_SPLIT.split(text))
        tiers = tuple(_tier(segment) for segment in segments if segment and not _TAX_WORDS.fullmatch(segment))
    except LookupError:
        typed = compact.translate(_LOOKALIKES)
        if typed != compact and (_FIXED_RE.fullmatch(typed) or _RANGE_RE.fullmatch(typed)):
            raise AmountError("not-a-number", f"{text!r} has a letter where a digit belongs") from None
        if _STOP_BETWEEN_DIGITS.search(compact):
            raise AmountError("full-stop", f"{text!r} has a Chinese full stop between digits") from None
        return Standard(StandardKind.TEXT, text)
    if not tiers:  # separators and tax words only (；；, 含税): no tier
        return Standard(StandardKind.TEXT, text)
    return Standard(StandardKind.TIERS, text, tiers=tiers)


@lru_cache(maxsize=8192)
def parse_standard(text: str) -> Standard:
    """Read a 收费标准: a fixed amount, a range (`400-500`, `400～500`, `400至500`), tiers, else TEXT; blank is EMPTY.

    Amount-shaped text that cannot be read ("12.3.4", "1e309") comes back as TEXT; `standard_error` says why.
    """
    try:
        return _parse_standard(text)
    except AmountError:
        return Standard(StandardKind.TEXT, text)


@lru_cache(maxsize=8192)
def standard_error(text: str) -> AmountError | None:
    """Why an amount-shaped standard cannot be read, or None when it reads or is plain words."""
    try:
        _parse_standard(text)
    except AmountError as error:
        return error
    return None


@lru_cache(maxsize=8192)
def written_unit(text: str) -> str | None:
    """The unit a fixed amount or a range writes after it (100元/票: 元/票; USD 50/BL: /BL), None for none."""
    return _written_unit(text)


def _written_unit(text: str) -> str | None:
    compact = _standard_compact(text)
    match = _FIXED_RE.fullmatch(compact) or _RANGE_RE.fullmatch(compact)
    if match is None:
        return None
    unit = _BRACKETED_END.sub("", compact[match.end("amount" if "amount" in match.groupdict() else "high") :])
    return unit if "/" in unit else None


@lru_cache(maxsize=8192)
def capped_amount(text: str) -> Decimal | None:
    """The most a standard written as a cap charges (最高99元, 99元/箱封顶, 99元以内: 99), None for any other.

    A cap is read as text (it is not the price; vague-standard lets it be), so this is the one reading of its amount:
    the rate rules compare it with the official rate, as a list could otherwise charge a government-priced fee at
    "不超过9999元" unchecked. Every qualifier must be a cap's word, and the rest one amount or a range (its top)."""
    return _capped_amount(text)


def _capped_amount(text: str) -> Decimal | None:
    compact = _standard_compact(text)
    matches = list(_qualified_amount().finditer(compact))
    if not matches or any(_qualifier(match).casefold() not in CAPS for match in matches):
        return None
    rest = compact  # caps only: each a word before or after the amount
    for match in reversed(matches):
        group = "before" if match["before"] else "after"
        rest = rest[: match.start(group)] + rest[match.end(group) :]
    try:  # the cap's own clause: 按实际发生，最高500元 is at most 500
        capped = _parse_standard(_CLAUSES.split(rest)[-1])
    except AmountError:
        return None
    return capped.amount if capped.kind is KIND_FIXED else capped.amount_max  # a range's top; None for the rest


def standard_amounts(standard: Standard) -> tuple[Decimal, ...]:
    """Every amount a standard can charge: the fixed amount, both ends of a range, or each tier's amount."""
    kind = standard.kind
    if kind is KIND_FIXED and standard.amount is not None:
        return (standard.amount,)
    if kind is KIND_RANGE and standard.amount is not None and standard.amount_max is not None:
        return (standard.amount, standard.amount_max)
    if kind is KIND_TIERS:
        return tuple(t.amount for t in standard.tiers)
    return ()

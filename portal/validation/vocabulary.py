"""The disclosure format's vocabulary, defined once: its fields and their titles, and every enumerated value.

Fields and enumerations carry their Chinese and English titles as explicit pairs (`Term`), because they are needed
where no request (and no gettext) exists: workbook templates, PDFs, CSV/XLSX exports, the CLI. Templates read the
same pairs through the `term` Jinja global (portal/web/filters.py). Sources: DISCLOSURE_FORMAT.md, DOMAIN.md.

Yes/no words (代收代付) are read by `parse_yes_no` only: the validator, the published snapshot (API, posting sheet,
estimate, exports) and change marks all call it, so a word is pass-through everywhere or nowhere.
"""

from __future__ import annotations

import enum
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

from portal.validation.model import PricingClass


@dataclass(frozen=True)
class Term:
    """One field or enumerated value: the code's name for it and its Chinese and English titles."""

    key: str
    zh: str
    en: str

    def label(self, lang: str) -> str:
        """The title in `lang` ("en", "en_GB" ... are English; anything else is Chinese)."""
        return self.en if lang.startswith("en") else self.zh

    @property
    def bilingual(self) -> str:
        return f"{self.zh} / {self.en}"


def _by_key(terms: tuple[Term, ...]) -> dict[str, Term]:
    return {term.key: term for term in terms}


# The header block of a list, in the prescribed order (Header attributes).
HEADER_FIELDS: tuple[Term, ...] = (
    Term("operator_name", "单位名称", "Operator"),
    Term("credit_code", "统一社会信用代码", "Unified social credit code"),
    Term("port_area", "口岸/港区", "Port area"),
    Term("complaint_phone", "投诉举报电话", "Complaint phone"),
    Term("effective_date", "执行日期", "Effective date"),
    Term("updated_date", "更新日期", "Updated"),
)

# The table's columns, in the prescribed order (FeeLine attributes).
LINE_FIELDS: tuple[Term, ...] = (
    Term("line_no", "序号", "No."),
    Term("name", "收费项目", "Fee item"),
    Term("conditions", "适用条件", "Conditions"),
    Term("service_content", "服务内容", "Service content"),
    Term("standard", "收费标准", "Standard"),
    Term("unit", "计费单位", "Unit"),
    Term("currency", "币种", "Currency"),
    Term("pricing_class", "定价方式", "Pricing class"),
    Term("basis", "收费依据", "Legal basis"),
    Term("pass_through", "代收代付", "Pass-through"),
    Term("remarks", "备注", "Remarks"),
    Term("change_mark", "变更标记", "Change"),
    Term("effective_date", "生效日期", "Effective from"),
)
HEADER_FIELD_KEYS = tuple(term.key for term in HEADER_FIELDS)
LINE_FIELD_KEYS = tuple(term.key for term in LINE_FIELDS)
HEADER_FIELD = _by_key(HEADER_FIELDS)
# Who publishes the list (copied from one edition to the next), as against its dates (set for each edition).
HEADER_DATES = ("effective_date", "updated_date")
HEADER_PARTY_FIELDS = tuple(key for key in HEADER_FIELD_KEYS if key not in HEADER_DATES)
LINE_FIELD = _by_key(LINE_FIELDS)
# What the portal, not the operator, sets on a line: the number and the change mark.
PORTAL_SET_FIELDS = ("line_no", "change_mark")
WRITTEN_FIELDS = tuple(key for key in LINE_FIELD_KEYS if key not in PORTAL_SET_FIELDS)
# The prescribed columns a printed or exported list shows (the change columns belong to the change notice).
PRINTED_FIELDS = tuple(key for key in LINE_FIELD_KEYS if key not in ("change_mark", "effective_date"))


def field_term(key: str, *, header: bool = False) -> Term | None:
    """The Term of a FeeLine (or, with `header`, Header) attribute; both have `effective_date`."""
    first, second = (HEADER_FIELD, LINE_FIELD) if header else (LINE_FIELD, HEADER_FIELD)
    return first.get(key) or second.get(key)


class ChangeMark(enum.StrEnum):
    """Change symbols between two editions, as terminal tariffs use them (FMC practice); blank is unchanged."""

    ADDED = "A"
    DELETED = "D"
    INCREASE = "I"
    REDUCTION = "R"
    WORDING = "C"


UNCHANGED = ""
CHANGE_MARKS: tuple[Term, ...] = (
    Term(ChangeMark.ADDED, "新增", "Added"),
    Term(ChangeMark.DELETED, "删除", "Deleted"),
    Term(ChangeMark.INCREASE, "提高", "Increase"),
    Term(ChangeMark.REDUCTION, "降低", "Reduction"),
    Term(ChangeMark.WORDING, "其他变更", "Wording changed"),
    Term(UNCHANGED, "未变更", "Unchanged"),
)

PRICING_CLASSES: tuple[Term, ...] = (
    Term(PricingClass.ADMIN_FEE, PricingClass.ADMIN_FEE.value, "Administrative fee"),
    Term(PricingClass.GOV_FUND, PricingClass.GOV_FUND.value, "Government fund"),
    Term(PricingClass.GOV_PRICED, PricingClass.GOV_PRICED.value, "Government-set price"),
    Term(PricingClass.GOV_GUIDED, PricingClass.GOV_GUIDED.value, "Government-guided price"),
    Term(PricingClass.MARKET, PricingClass.MARKET.value, "Market price"),
)
# 类别: Class A is the government list (the first four pricing classes), Class B the market.
PRICING_KINDS: tuple[Term, ...] = (
    Term("A", "A类（政府目录）", "Class A (government list)"),
    Term("B", "B类（市场调节）", "Class B (market)"),
)

CURRENCIES: tuple[Term, ...] = (Term("CNY", "人民币", "CNY"), Term("USD", "美元", "USD"))
DEFAULT_CURRENCY = "CNY"
# Words for a currency as operators write them (compared after NFKC, without whitespace, upper-cased).
CURRENCY_WORDS: Mapping[str, str] = {
    "": "CNY",
    "CNY": "CNY",
    "RMB": "CNY",
    "人民币": "CNY",
    "元": "CNY",
    "人民币元": "CNY",
    "¥": "CNY",
    "USD": "USD",
    "US$": "USD",
    "美元": "USD",
    "美金": "USD",  # as people say US dollars
    "$": "USD",
}

# Currencies the portal does not accept, as operators write them: named in a column title ("收费标准（港币）"), they
# are given to the lines (which the validator then refuses), never dropped.
OTHER_CURRENCY_WORDS = frozenset(
    {"港币", "港元", "HKD", "HK$", "欧元", "EUR", "€", "日元", "JPY", "英镑", "GBP", "£", "澳元", "AUD"}
    | {"新加坡元", "SGD", "韩元", "KRW", "加元", "CAD"}
)

# Units the template's dropdown suggests (others are allowed and normalised by units.py).
UNITS = (
    "元/箱",
    "元/票",
    "元/吨",
    "元/次",
    "元/艘次",
    "元/拖轮艘次",
    "元/天",
    "元/箱·天",
    "元/吨·天",
    "元/立方米",
    "元/件",
    "元/车",
    "元/小时",
)

# 代收代付: what a list writes, and the yes/no words read from it.
YES, NO = "是", "否"
YES_NO: tuple[Term, ...] = (Term("yes", YES, "Yes"), Term("no", NO, "No"))
# The accepted words, compared after NFKC (so full-width Ｙ, ＹＥＳ, ＴＲＵＥ are Y, YES, TRUE), without whitespace,
# upper-cased. Deliberately NOT accepted: 1/0 and T/F (in a text column a bare digit or letter is more likely a value
# shifted from the next column than a flag, and a silent misread is worse than a finding), X (a cross or a tick?),
# 对/错 and 不是 (not how lists write it). Anything else is an invalid value, never a silent "no".
YES_WORDS = frozenset({"是", "Y", "YES", "TRUE", "有", "√", "✓", "✔"})
NO_WORDS = frozenset({"否", "N", "NO", "FALSE", "无", "無", "×", "✗", "✘"})

# A cell saying "the same as the cell above", as a table printed on paper writes it (compared after `compact`: NFKC
# makes the double prime ″ two primes), and the marks any of them holds, to look for them in a whole sheet at once.
DITTO_WORDS = frozenset({"同上", "同上行", "〃", "′′", '"'})
DITTO_MARKS = ("同上", "〃", "″", '"')

# Characters that show nothing: zero-width spaces and joiners, direction marks, the soft hyphen, a BOM. A value copied
# from a web page or a chat carries them, and 100 with one looks like 100: each reader drops them as it drops spaces.
INVISIBLE = "\xad\u034f\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff"  # a character class's body
SPACES = re.compile(rf"[\s{INVISIBLE}]+")
"""White space and invisible characters: what a value as compared or read leaves out."""


def compact(text: str) -> str:
    """A value as enumerations compare it: NFKC, no white space or invisible character at all, upper-cased."""
    return SPACES.sub("", unicodedata.normalize("NFKC", text)).upper()


def parse_yes_no(text: str) -> bool | None:
    """True for a yes word, False for a no word, None when blank; ValueError for anything else."""
    word = compact(text)
    if not word:
        return None
    if word in YES_WORDS:
        return True
    if word in NO_WORDS:
        return False
    raise ValueError(f"{text!r} is not a yes/no word (是/否, Y/N)")


def is_yes(text: str) -> bool:
    """Whether a line is pass-through as published: a yes word. Blank, a no word and an invalid word are not."""
    try:
        return parse_yes_no(text) is True
    except ValueError:
        return False


OPERATOR_KINDS: tuple[Term, ...] = (
    Term("terminal", "码头", "Terminal"),
    Term("shipping_line", "船公司", "Shipping line"),
    Term("shipping_agent", "船舶代理", "Shipping agent"),
    Term("forwarder", "货运代理", "Freight forwarder"),
    Term("customs_broker", "报关企业", "Customs broker"),
    Term("warehouse", "仓库 / 堆场", "Warehouse / yard"),
    Term("tally", "理货", "Tally"),
    Term("inspection", "检验检疫 / 熏蒸", "Inspection / fumigation"),
    Term("other", "其他", "Other"),
)

# A catalogue version's lifecycle (VersionStatus values).
VERSION_STATUSES: tuple[Term, ...] = (
    Term("draft", "草稿", "Draft"),
    Term("submitted", "已提交，待审核", "Submitted, awaiting review"),
    Term("changes_requested", "退回修改", "Returned for changes"),
    Term("rejected", "不予通过", "Rejected"),
    Term("published", "已公示", "Published"),
    Term("superseded", "已被替代", "Superseded"),
)

VOCABULARY: Mapping[str, Mapping[str, Term]] = {
    "header_field": HEADER_FIELD,
    "line_field": LINE_FIELD,
    "change_mark": _by_key(CHANGE_MARKS),
    "pricing_class": _by_key(PRICING_CLASSES),
    "pricing_kind": _by_key(PRICING_KINDS),
    "currency": _by_key(CURRENCIES),
    "yes_no": _by_key(YES_NO),
    "operator_kind": _by_key(OPERATOR_KINDS),
    "version_status": _by_key(VERSION_STATUSES),
}


def label(group: str, key: object, lang: str) -> str:
    """The title of `key` in one of the VOCABULARY groups, in `lang`; an unknown key is shown as written.

    "field" looks among line fields first, then header fields; "header" the other way round (both have
    effective_date). A bool in "yes_no" is its word.
    """
    if group in ("field", "header"):
        term = field_term(str(key), header=group == "header")
    elif group == "yes_no" and isinstance(key, bool):
        term = YES_NO[0] if key else YES_NO[1]
    else:
        term = VOCABULARY[group].get(str(key))
    if term is None:
        return "" if key is None else str(key)
    return term.label(lang)

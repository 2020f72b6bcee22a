"""The prescribed disclosure format as data: sheet names, header block, columns and instructions (zh and en)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from portal.validation import vocabulary
from portal.validation.model import PricingClass

DATA_SHEET = "收费目录清单"
DATA_SHEET_ALIASES = (DATA_SHEET, "Fee list", "Fee catalogue")

MAX_ROWS = 20_000  # data rows read from one upload; the template's dropdowns cover as many
MAX_CELL_CHARS = 2_000
HEADER_SEARCH_ROWS = 100  # the table's header row must start within this many rows
HEADER_BLOCK_ROW = 2  # first row of the header block in what the writer produces
TABLE_HEADER_ROW = 9
FIRST_DATA_ROW = TABLE_HEADER_ROW + 1
MIN_HEADER_MATCHES = 3

YES, NO = vocabulary.YES, vocabulary.NO
CURRENCIES = tuple(term.key for term in vocabulary.CURRENCIES)
PRICING_CLASSES = tuple(c.value for c in PricingClass)
UNITS = vocabulary.UNITS

FORMULA_TRIGGERS = "=+-@"

_IGNORED_IN_LABELS = re.compile(r"[\s()\[\]{}<>【】〔〕「」『』/\\:*_.\-]+")
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")
_ASCII_RUN = re.compile(r"[\x00-\x7f]+")


def normalise_label(text: str) -> str:
    """A label as compared: NFKC, no whitespace, brackets or separators, case-folded."""
    return _IGNORED_IN_LABELS.sub("", unicodedata.normalize("NFKC", text)).casefold()


def looks_like_formula(text: str) -> bool:
    """Whether Excel (or a CSV import) could take this text for a formula: = + - @, tab or CR first."""
    if text[:1] in ("\t", "\r"):
        return True
    stripped = text.lstrip()
    return bool(stripped) and stripped[0] in FORMULA_TRIGGERS


@dataclass(frozen=True)
class HeaderField:
    """One line of the header block: label in column A, value in column B."""

    attr: str  # Header attribute; its titles are the vocabulary's
    required: bool
    note_zh: str
    note_en: str
    variants: tuple[str, ...] = ()

    @property
    def zh(self) -> str:
        return vocabulary.HEADER_FIELD[self.attr].zh

    @property
    def en(self) -> str:
        return vocabulary.HEADER_FIELD[self.attr].en

    @property
    def labels(self) -> tuple[str, ...]:
        return (self.zh, self.en, *self.variants)

    def label(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


@dataclass(frozen=True)
class Column:
    """One column of the table, found by its label in the header row."""

    key: str  # FeeLine attribute; its titles are the vocabulary's
    required: bool
    width: float
    note_zh: str
    note_en: str
    variants: tuple[str, ...] = ()
    choices: tuple[str, ...] = ()
    strict_choices: bool = True  # False: the dropdown suggests, other values are allowed
    multiline: bool = False  # line breaks in the cell are kept

    @property
    def zh(self) -> str:
        return vocabulary.LINE_FIELD[self.key].zh

    @property
    def en(self) -> str:
        return vocabulary.LINE_FIELD[self.key].en

    @property
    def labels(self) -> tuple[str, ...]:
        return (self.zh, self.en, *self.variants)

    def label(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en

    @property
    def bilingual(self) -> str:
        return f"{self.zh} / {self.en}"


HEADER_FIELDS: tuple[HeaderField, ...] = (
    HeaderField(
        "operator_name",
        True,
        "收费单位的法定名称，与营业执照一致。",
        "The operator's legal name, as on its business licence.",
        ("收费单位", "企业名称", "公司名称", "经营单位", "经营者名称", "填报单位", "经营者", "收费主体", "经营主体")
        + ("Operator name", "Company"),
    ),
    HeaderField(
        "credit_code",
        True,
        "18位统一社会信用代码（GB 32100-2015）。",
        "The 18-character unified social credit code (GB 32100-2015).",
        ("信用代码", "社会信用代码", "统一代码", "统一社会信用代码（18位）", "纳税人识别号", "Credit code", "USCC"),
    ),
    HeaderField(
        "port_area",
        True,
        "例如：南沙港区、黄埔港区、新沙港区。",
        "For example 南沙港区, 黄埔港区, 新沙港区.",
        ("港区", "口岸", "所属港区", "所在港区", "所属口岸", "适用港区", "适用口岸", "作业港区", "港口", "Port"),
    ),
    HeaderField(
        "complaint_phone",
        True,
        "受理收费投诉的电话，可填多个。",
        "Where shippers can complain about charges; one or more numbers.",
        ("投诉电话", "举报电话", "监督电话", "价格举报电话", "收费投诉电话", "价格投诉电话", "投诉监督电话")
        + ("Complaints phone", "Complaint hotline"),
    ),
    HeaderField(
        "effective_date",
        True,
        "本清单开始执行的日期（YYYY-MM-DD）。",
        "The date this list takes effect (YYYY-MM-DD).",
        ("生效日期", "实施日期", "执行时间", "实施时间", "启用日期", "起始日期", "开始执行日期", "生效时间", "开始日期")
        + ("Effective from", "Effective"),
    ),
    HeaderField(
        "updated_date",
        False,
        "最近一次修改清单的日期。",
        "When the list was last changed.",
        ("修订日期", "修改日期", "更新时间", "发布日期", "公示日期", "填报日期", "Last updated", "Update date"),
    ),
)

COLUMNS: tuple[Column, ...] = (
    Column(
        "line_no",
        False,
        6,
        "行号，可留空。",
        "Line number; may be left blank.",
        ("编号", "行号", "Line no", "#", "S/N", "Serial no", "Item no"),
    ),
    Column(
        "name",
        True,
        22,
        "收费项目名称。同一项目按不同适用条件分行时，可合并本列单元格。",
        "The fee's name. When one fee has several rows for different conditions, this column's cells may be merged.",
        (
            "收费项目名称",
            "项目名称",
            "费用名称",
            "收费名称",
            "费目",
            "费用项目",
            "收费科目",
            "服务项目",
            "服务名称",
            "Fee name",
            "Item",
            "Charge",
        )
        + ("Charge item", "Charge name", "Item name"),
    ),
    Column(
        "conditions",
        False,
        20,
        "贸易类型（外贸进口、外贸出口、内贸、中转）、箱型（20英尺、40英尺、45英尺）、重箱/空箱、货类（普通货物、危险货物、冷藏）。",
        "Trade (外贸进口, 外贸出口, 内贸, 中转), box size (20英尺, 40英尺, 45英尺), 重箱/空箱, "
        "cargo (普通货物, 危险货物, 冷藏).",
        (
            "适用范围",
            "收费条件",
            "适用对象",
            "计费条件",
            "适用情形",
            "Applies to",
            "Condition",
            "Applicable conditions",
            "Scope",
        ),
        multiline=True,
    ),
    Column(
        "service_content",
        True,
        36,
        "该收费对应的具体服务。",
        "What the fee pays for.",
        ("收费内容", "服务项目内容", "收费服务内容", "服务内容及范围", "服务范围", "服务说明", "服务内容说明")
        + ("Service", "Services", "Service description"),
        multiline=True,
    ),
    Column(
        "standard",
        True,
        24,
        "金额（200、￥1,200.00）、区间（400-500）或分段（1-7天免费；8-14天85元/天；15天及以上170元/天）。",
        "An amount (200, ￥1,200.00), a range (400-500) or tiers (1-7天免费；8-14天85元/天；15天及以上170元/天).",
        ("收费标准元", "标准", "收费金额", "金额", "单价", "收费单价", "费率", "价格", "收费价格", "Rate", "Amount")
        + ("Price", "Charging standard", "Charge standard", "Fee standard", "Tariff", "Fee rate", "Rates")
        + ("Unit price",),
        multiline=True,
    ),
    Column(
        "unit",
        True,
        12,
        "例如：元/箱、元/票、元/吨、元/次、元/艘次、元/天。",
        "For example 元/箱, 元/票, 元/吨, 元/次, 元/艘次, 元/天.",
        ("计价单位", "单位", "计量单位", "Billing unit", "Charging unit", "Charge unit", "Unit of charge"),
        choices=UNITS,
        strict_choices=False,
    ),
    Column(
        "currency",
        False,
        8,
        "留空即为人民币（CNY）；也可填 USD。",
        "Blank means CNY; USD is also allowed.",
        ("币别", "货币", "币制", "货币种类", "结算币种", "计价币种"),
        choices=CURRENCIES,
    ),
    Column(
        "pricing_class",
        True,
        14,
        "行政事业性收费、政府性基金、政府定价、政府指导价、市场调节价。",
        "行政事业性收费, 政府性基金, 政府定价, 政府指导价 or 市场调节价.",
        ("定价形式", "价格管理形式", "收费性质", "定价类型", "价格类型", "价格形式", "价格类别", "定价类别")
        + ("Pricing", "Price type")
        + ("Pricing method", "Pricing type"),
        choices=PRICING_CLASSES,
    ),
    Column(
        "basis",
        False,
        26,
        "前四种定价方式必填：文件文号及条款。",
        "Required for the first four pricing classes: document number and article.",
        ("依据", "政策依据", "定价依据", "收费依据文件", "文件依据", "收费文件依据", "依据文件", "收费依据文号")
        + ("Basis", "Charging basis", "Basis of charge"),
        multiline=True,
    ),
    Column(
        "pass_through",
        False,
        10,
        "是：代其他单位收取，须按官方标准收取，不得加价；否或留空：自收。",
        "是 (yes): collected on behalf of another body, at exactly the official rate; 否 (no) or blank: own charge.",
        ("是否代收代付", "Collected on behalf", "Disbursement")
        + ("代收代付（是/否）", "是否代收代付（是/否）", "代收代付（Y/N）", "Pass-through (Y/N)"),  # the values hinted
        choices=(YES, NO),
    ),
    Column(
        "remarks",
        False,
        24,
        "其他说明。",
        "Anything else.",
        ("说明", "备注说明", "Notes", "Note", "Comment", "Remark", "Comments"),
        multiline=True,
    ),
    Column(
        "change_mark",
        False,
        10,
        "修订清单时填写：A 新增、D 删除、I 提高、R 降低、C 文字修改；未变更留空。",
        "When revising the list: A addition, D deletion, I increase, R reduction, C change in wording; "
        "blank if unchanged.",
        ("变更", "变更类型", "变更标识", "变动标识", "变更标志", "变更情况", "变动情况", "Change mark"),
    ),
    Column(
        "effective_date",
        False,
        12,
        "变更行的生效日期（YYYY-MM-DD）。",
        "When a changed line takes effect (YYYY-MM-DD).",
        ("生效时间", "变更生效日期"),
    ),
)


def _index(entries: tuple[HeaderField, ...] | tuple[Column, ...]) -> dict[str, HeaderField | Column]:
    index: dict[str, HeaderField | Column] = {}
    for entry in entries:
        for label in entry.labels:
            index.setdefault(normalise_label(label), entry)
    return index


_COLUMN_INDEX = _index(COLUMNS)
_HEADER_INDEX = _index(HEADER_FIELDS)
COLUMN_BY_KEY = {c.key: c for c in COLUMNS}
HEADER_FIELD_BY_ATTR = {f.attr: f for f in HEADER_FIELDS}


def _candidates(text: str) -> list[str]:
    """The whole label, then its lines and its Chinese and Latin parts (bilingual cells: "收费项目\\nFee item")."""
    lines = [line for line in text.splitlines() if line.strip()]
    parts = [_NON_ASCII.sub("", text), _ASCII_RUN.sub("", text)]
    return [text, *(lines if len(lines) > 1 else ()), *(p for p in parts if p.strip() and p != text)]


_TITLE_BRACKETED = re.compile(r"[（(\[【]\s*(?:单位\s*[:：])?\s*([^（()）\[\]【】]{1,12}?)\s*[）)\]】]\s*$")
_TITLE_SLASHED = re.compile(r"\s*[/／]\s*([^/／]{1,8})$")


def title_currency(text: str) -> tuple[str, str | None]:
    """A column title without the currency it names at its end (收费标准(USD), 收费标准（美元）, 收费标准/元,
    收费标准（单位：港币）, 收费标准(元/单位)), and that currency as written; the title as it is and None when it names
    none."""
    for pattern in (_TITLE_BRACKETED, _TITLE_SLASHED):
        match = pattern.search(text)
        if match is None:
            continue
        named = match.group(1).strip()
        if pattern is _TITLE_BRACKETED and "/" in named:  # 收费标准(元/单位), 收费标准（USD/TEU）: money per unit
            named = named.split("/", 1)[0].strip()
        if _is_currency(named):
            return text[: match.start()].strip(), named
    return text, None


def subtitle_currency(text: str) -> tuple[str, str | None]:
    """A price sub-column's title (two-row header) as a condition and a currency: 美元 -> ("", 美元), 20英尺(USD) ->
    ("20英尺", USD), 20英尺 -> ("20英尺", None)."""
    if _is_currency(text):
        return "", text.strip()
    return title_currency(text)


def _is_currency(word: str) -> bool:
    key = vocabulary.compact(word)
    return bool(key) and (key in vocabulary.CURRENCY_WORDS or key in vocabulary.OTHER_CURRENCY_WORDS)


def match_column(text: str) -> Column | None:
    for candidate in _candidates(text):
        found = _COLUMN_INDEX.get(normalise_label(candidate))
        if isinstance(found, Column):
            return found
    return None


def match_header_field(text: str) -> HeaderField | None:
    for candidate in _candidates(text):
        found = _HEADER_INDEX.get(normalise_label(candidate))
        if isinstance(found, HeaderField):
            return found
    return None


def field_label(field: str | None, lang: str, *, header: bool = False) -> str:
    """The label of a FeeLine (or, with `header`, Header) attribute, for reports; both have `effective_date`."""
    if field is None:
        return ""
    entry = vocabulary.field_term(field, header=header)
    return entry.label(lang) if entry else field


DATE_FIELDS = ("effective_date",)  # FeeLine fields holding a date, which a spreadsheet may store as a day number

"""Value objects of the compliance core: catalogue lines as written, the government list, bundles.

Everything an operator writes arrives here as the raw text of the prescribed format (DISCLOSURE_FORMAT.md):
the workbook reader, the web form and the demo seed all build the same `FeeLine`. Parsing and judging
that text is the validator's job, so a bad amount is a finding, never an exception in an adapter.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import MISSING, dataclass, field, fields
from datetime import date
from decimal import Decimal


class PricingClass(enum.StrEnum):
    """定价方式: the first four are Class A (government list), the last is Class B."""

    ADMIN_FEE = "行政事业性收费"
    GOV_FUND = "政府性基金"
    GOV_PRICED = "政府定价"
    GOV_GUIDED = "政府指导价"
    MARKET = "市场调节价"

    @property
    def is_class_a(self) -> bool:
        return self is not _MARKET


_MARKET = PricingClass.MARKET  # a member read through its class costs a slow lookup on the enum's metaclass


class Severity(enum.StrEnum):
    ERROR = "error"
    WARNING = "warning"


class GovStatus(enum.StrEnum):
    """State of a government-list row during its validity window."""

    IN_FORCE = "in_force"
    ABOLISHED = "abolished"  # may not be charged at all from effective_from
    FOLDED = "folded"  # may be charged only inside the bundle `folded_into`, capped at `rate`


class RateKind(enum.StrEnum):
    FIXED = "fixed"  # 政府定价: charge exactly this
    CAP = "cap"  # 政府指导价 or a folded sub-item: charge at most this


def within(on: date, start: date | None, end: date | None) -> bool:
    """Is `on` inside the inclusive window [start, end]? None is an open end."""
    return (start is None or start <= on) and (end is None or on <= end)


@dataclass(frozen=True)
class Location:
    """Where a value came from: a workbook cell, or a form field when sheet and row are empty."""

    sheet: str | None = None
    row: int | None = None  # 1-based, as Excel shows it
    column: str | None = None  # letter, e.g. "G"
    field: str | None = None  # FeeLine / Header attribute name, e.g. "standard"

    @property
    def cell(self) -> str | None:
        if self.row is None or self.column is None:
            return None
        return f"{self.column}{self.row}"


@dataclass(frozen=True)
class Conditions:
    """适用条件, normalised. None means "any"."""

    trade: str | None = None  # 外贸进口, 外贸出口, 外贸 (both), 内贸, 中转
    container_size: str | None = None  # "20", "40", "45"
    laden: str | None = None  # 重箱, 空箱
    cargo: str | None = None  # 普通货物, 危险货物, 冷藏
    inspection: str | None = None  # 查验无问题, 查验有问题
    other: str = ""  # anything the parser did not recognise, kept verbatim


@dataclass(frozen=True)
class Tier:
    """One step of a tiered standard: from `start` to `end` (inclusive, None = open) at `amount`."""

    start: Decimal
    end: Decimal | None
    amount: Decimal


class StandardKind(enum.StrEnum):
    FIXED = "fixed"
    RANGE = "range"
    TIERS = "tiers"
    TEXT = "text"  # a formula or words the parser keeps as text (vague ones are flagged)
    EMPTY = "empty"


# The kinds read once, for the loops over every line: a member read through its enum class is a slow lookup.
KIND_FIXED, KIND_RANGE, KIND_TIERS = StandardKind.FIXED, StandardKind.RANGE, StandardKind.TIERS
KIND_TEXT, KIND_EMPTY = StandardKind.TEXT, StandardKind.EMPTY


@dataclass(frozen=True)
class Standard:
    """收费标准, parsed. `amount` is the fixed amount or a range's minimum; `amount_max` a range's maximum."""

    kind: StandardKind
    text: str
    amount: Decimal | None = None
    amount_max: Decimal | None = None
    tiers: tuple[Tier, ...] = ()

    @property
    def highest(self) -> Decimal | None:
        """The most this standard can charge per unit, for cap checks."""
        if self.kind is KIND_TIERS:
            return max((t.amount for t in self.tiers), default=None)
        return self.amount_max if self.amount_max is not None else self.amount


@dataclass(frozen=True)
class FeeLine:
    """One row of the prescribed format, every value as written (strings), plus where each came from."""

    name: str
    service_content: str = ""
    standard: str = ""
    unit: str = ""
    currency: str = ""  # blank means CNY
    pricing_class: str = ""
    basis: str = ""
    pass_through: str = ""  # 是 / 否 / blank
    conditions: str = ""
    remarks: str = ""
    line_no: str = ""
    change_mark: str = ""  # A, D, I, R, C or blank
    effective_date: str = ""
    key: str | None = None  # the caller's id for the line (DB id, form index) to map findings back
    row: int | None = None  # workbook row, when read from a workbook
    locations: Mapping[str, Location] = field(default_factory=dict, compare=False, hash=False)

    @classmethod
    def built(cls, values: Mapping[str, object]) -> FeeLine:
        """The line FeeLine(**values) makes (`name` and `locations` given, other fields defaulted when absent),
        without the frozen dataclass's field-by-field __init__: a reader makes one per row of a long list."""
        return cls.adopted({**_LINE_DEFAULTS, **values})

    @classmethod
    def adopted(cls, values: dict[str, object]) -> FeeLine:
        """FeeLine.built() of a dict holding every field already (a copy of `FeeLine.defaults()` updated with
        `name`, `locations` and the values read): the dict becomes the line's own, uncopied."""
        line = object.__new__(cls)
        object.__setattr__(line, "__dict__", values)
        return line

    @staticmethod
    def defaults() -> dict[str, object]:
        """A new dict of the fields that have defaults, each at its default."""
        return dict(_LINE_DEFAULTS)

    def location(self, field_name: str) -> Location:
        """Location of one field: the workbook cell if known, else just the field name."""
        loc = self.locations.get(field_name)
        if loc is not None:
            return loc
        return Location(row=self.row, field=field_name)


_LINE_DEFAULTS = {f.name: f.default for f in fields(FeeLine) if f.default is not MISSING}


@dataclass(frozen=True)
class Header:
    """The header block of a list: who publishes it, where, the complaint phone and its dates (raw text)."""

    operator_name: str = ""
    credit_code: str = ""
    port_area: str = ""
    complaint_phone: str = ""
    effective_date: str = ""
    updated_date: str = ""
    locations: Mapping[str, Location] = field(default_factory=dict, compare=False, hash=False)

    def location(self, field_name: str) -> Location:
        return self.locations.get(field_name) or Location(field=field_name)


@dataclass(frozen=True)
class CatalogueInput:
    """A whole list as submitted: header and lines. `last_confirmed` is when the operator last confirmed it."""

    header: Header
    lines: tuple[FeeLine, ...]
    last_confirmed: date | None = None
    # Columns the source lacks altogether (a workbook without that column): reported once by the reader,
    # so the validator does not report the same gap again on every line.
    absent_fields: frozenset[str] = frozenset()


@dataclass(frozen=True)
class GovItem:
    """One row of the government list (Class A), valid from `effective_from` to `effective_until` inclusive."""

    code: str
    name_zh: str
    name_en: str
    pricing_class: PricingClass
    unit: str
    basis: str
    status: GovStatus = GovStatus.IN_FORCE
    conditions: Conditions = Conditions()
    rate: Decimal | None = None
    rate_kind: RateKind | None = None
    currency: str = "CNY"
    service_content: str = ""
    effective_from: date | None = None
    effective_until: date | None = None
    folded_into: str | None = None  # bundle code, when status is FOLDED
    pass_through: bool = False  # usually collected by an agent on the authority's behalf
    verified: bool = False
    aliases: tuple[str, ...] = ()
    source: str = ""  # where the rate or rule was read (URL, document)
    trust: str = ""  # READ-OFFICIAL, READ-MIRROR, READ-SECONDARY, DERIVED, ASSUMED (+ HISTORICAL)
    note: str = ""

    def in_effect(self, on: date) -> bool:
        return within(on, self.effective_from, self.effective_until)


@dataclass(frozen=True)
class BundleComponent:
    """A service a bundle must include from `effective_from` (e.g. 驳船取送 in 港口作业包干费 from 2018-06-20)."""

    name_zh: str
    name_en: str
    basis: str
    effective_from: date | None = None
    aliases: tuple[str, ...] = ()
    source: str = ""


@dataclass(frozen=True)
class Bundle:
    """A package fee and the services it must include (legal or industry-association definition)."""

    code: str
    name_zh: str
    name_en: str
    basis: str
    components: tuple[BundleComponent, ...] = ()
    effective_from: date | None = None
    effective_until: date | None = None
    aliases: tuple[str, ...] = ()
    source: str = ""

    def in_effect(self, on: date) -> bool:
        return within(on, self.effective_from, self.effective_until)

    def components_on(self, on: date) -> tuple[BundleComponent, ...]:
        return tuple(c for c in self.components if c.effective_from is None or c.effective_from <= on)


@dataclass(frozen=True)
class Reference:
    """What a list is judged against: the government list, bundle definitions and the alias dictionary.

    `aliases` maps a normalised alias to the canonical name (文件费 -> 单证费, DOC -> 单证费 ...).
    """

    gov_items: tuple[GovItem, ...] = ()
    bundles: tuple[Bundle, ...] = ()
    aliases: Mapping[str, str] = field(default_factory=dict, compare=False, hash=False)

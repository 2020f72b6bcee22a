"""Shipment cost estimate, pure: the posted lines that apply to a shipment, rate × quantity, traced step by step.

It reads any objects shaped like the publishing snapshot's PublishedEdition and PublishedLine (the `Edition` and
`Line` protocols), so it needs neither Flask nor the database. Every amount is an exact Decimal; currencies are
totalled apart and never converted.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Protocol

from portal.validation.choices import parse_currency
from portal.validation.conditions import compatible, parse_conditions
from portal.validation.findings import N_
from portal.validation.model import Conditions, GovItem, GovStatus, PricingClass, RateKind, Reference, Tier
from portal.validation.money import display_amount
from portal.validation.names import NameIndex, normalise
from portal.validation.units import PER_WORDS, normalise_unit, same_per

TRADES = ("外贸进口", "外贸出口", "内贸")
SIZES = ("20", "40", "45")
LADEN = ("重箱", "空箱")
CARGO = ("普通货物", "危险货物", "冷藏")
CONDITION_FIELDS = ("trade", "container_size", "laden", "cargo")

# How a charging unit counts, after `normalise_unit`: per box, per TEU, per bill; a ·天 suffix makes it per day too.
PER_BOX = frozenset(word for word in PER_WORDS if same_per(word) == "箱")  # 箱, 柜, CNTR ...: not 箱次 (per move)
PER_TEU = frozenset(word for word in PER_WORDS if same_per(word) == "TEU")
PER_BILL = frozenset(word for word in PER_WORDS if same_per(word) == "票") | {"单"}  # 元/单: per bill, to a shipper
PER_DAY = frozenset({"天", "日"})
TEU_PER_BOX = {"20": Decimal(1), "40": Decimal(2), "45": Decimal("2.25")}  # a 45' box is 45/20 TEU
DAY = "天"
INSPECTION = "inspection"
INSPECTION_PROBLEM = "查验有问题"  # an inspection that finds nothing costs the shipper nothing (国发〔2015〕16号)

NOT_PER_BOX = N_("Not estimated (unit {unit}).")
NEEDS_DAYS = N_("Not estimated: charged by the day; enter the number of days.")
NOT_A_FIGURE = N_("Not estimated: the standard is not a figure ({standard}).")
TIER_GAP = N_("Not estimated: no tier of the standard covers day {day}.")
OFFICIAL = N_("Pass-through fee at the official rate of the government list for {item}.")
NO_OFFICIAL = N_("Pass-through fee: no official rate on the government list fits this shipment; posted rate used.")


@dataclass(frozen=True)
class Service:
    """An optional service a shipper ticks: a line whose name holds one of `words` counts only when ticked."""

    code: str
    label: str  # msgid
    words: tuple[str, ...]


OPTIONAL_SERVICES = (
    Service(INSPECTION, N_("Customs inspection"), ("查验",)),
    Service("fumigation", N_("Fumigation"), ("熏蒸",)),
    Service("disinfection", N_("Disinfection"), ("消毒",)),
    Service("trucking", N_("Trucking"), ("拖车", "压夜", "等时", "超重")),
    Service("stuffing", N_("Stuffing and stripping"), ("装箱费", "拆箱", "掏箱")),
    Service("warehousing", N_("Warehousing"), ("仓储", "分拣", "出入库")),
    Service(
        "errands", N_("Errands: insurance, certificates, transit, urgent filing"), ("保险", "原产地", "转关", "加急")
    ),
    Service(
        "amendments", N_("Bill amendments, late filing and cancellations"), ("改单", "分并单", "签单", "滞单", "取消")
    ),
)


class Line(Protocol):
    """What is read of a published fee line (portal.publishing.snapshot.PublishedLine has it all), read-only."""

    name: str
    name_key: str
    conditions: str
    standard: str
    unit: str
    currency: str
    pass_through: bool
    trade: str | None
    container_size: str | None
    laden: str | None
    cargo: str | None
    standard_kind: str
    amount: Decimal | None
    amount_max: Decimal | None
    tiers: tuple[tuple[str | None, ...], ...]


class Edition(Protocol):
    """What is read of an operator's edition in force (PublishedEdition has it all), read-only."""

    operator_id: int
    edition_code: str
    lines: Sequence[Line]


@dataclass(frozen=True)
class Shipment:
    trade: str  # one of TRADES
    container_size: str  # one of SIZES
    count: int
    laden: str
    cargo: str
    services: frozenset[str] = frozenset()  # codes of the optional services ticked
    days: int = 0  # days in port, for charges by the day; 0 leaves them unestimated

    @property
    def conditions(self) -> Conditions:
        """The shipment as 适用条件; with inspection ticked, priced as an inspection that finds a problem."""
        inspection = INSPECTION_PROBLEM if INSPECTION in self.services else None
        return Conditions(self.trade, self.container_size, self.laden, self.cargo, inspection)


@dataclass(frozen=True)
class Charge:
    """One applicable line: its amount for the shipment (low = high unless a range), or why there is none."""

    line: Line
    unit: str
    currency: str
    low: Decimal | None = None
    high: Decimal | None = None
    formula: str = ""  # e.g. "850.00 元/箱 × 2 箱 = 1,700.00"
    note: str = ""  # msgid: why not estimated, or where the rate came from
    params: Mapping[str, object] = field(default_factory=dict, compare=False, hash=False)

    @property
    def estimated(self) -> bool:
        return self.low is not None

    @property
    def ranged(self) -> bool:
        return self.low != self.high


@dataclass(frozen=True)
class Total:
    currency: str
    low: Decimal
    high: Decimal

    @property
    def ranged(self) -> bool:
        return self.low != self.high


@dataclass(frozen=True)
class OperatorEstimate:
    edition: Edition
    charges: tuple[Charge, ...]

    @property
    def totals(self) -> tuple[Total, ...]:
        """Per currency (CNY first), the sums of the lowest and of the highest amounts."""
        sums: dict[str, tuple[Decimal, Decimal]] = {}
        for charge in self.charges:
            if charge.low is not None and charge.high is not None:
                low, high = sums.get(charge.currency, (Decimal(0), Decimal(0)))
                sums[charge.currency] = (low + charge.low, high + charge.high)
        order = sorted(sums, key=lambda currency: (currency != "CNY", currency))
        return tuple(Total(currency, *sums[currency]) for currency in order)

    def total(self, currency: str) -> Total | None:
        return next((t for t in self.totals if t.currency == currency), None)

    def for_fee(self, key: str) -> Charge | None:
        return next((c for c in self.charges if line_key(c.line) == key), None)


@dataclass(frozen=True)
class Row:
    """One fee across the operators estimated: its name and each operator's charge (None where it has none)."""

    key: str
    name: str
    cells: tuple[Charge | None, ...]


def line_key(line: Line) -> str:
    return line.name_key or normalise(line.name)


def line_conditions(line: Line) -> Conditions:
    """The parsed conditions stored with the line, and the inspection outcome read from its text."""
    inspection = parse_conditions(line.conditions).inspection
    return Conditions(line.trade, line.container_size, line.laden, line.cargo, inspection)


def currency_of(line: Line) -> str:
    try:
        return parse_currency(line.currency)
    except ValueError:
        return line.currency.strip().upper()


def optional_service(name: str) -> Service | None:
    """The optional service a fee belongs to (查验吊装费 -> inspection), None for a fee every shipment pays."""
    key = normalise(name)
    return next((s for s in OPTIONAL_SERVICES if any(word in key for word in s.words)), None)


def services_offered(editions: Iterable[Edition]) -> dict[str, list[str]]:
    """Optional service code -> the distinct fee names that belong to it in these editions, in service order."""
    names: dict[str, list[str]] = {s.code: [] for s in OPTIONAL_SERVICES}
    for edition in editions:
        for line in edition.lines:
            service = optional_service(line.name)
            if service is not None and line.name not in names[service.code]:
                names[service.code].append(line.name)
    return {code: found for code, found in names.items() if found}


def _specificity(conditions: Conditions, shipment: Conditions) -> tuple[int, int]:
    """Condition fields a line names, then how many of them equal the shipment's exactly (外贸进口 beats 外贸)."""
    named = sum(getattr(conditions, f) is not None for f in CONDITION_FIELDS)
    exact = sum(getattr(conditions, f) == getattr(shipment, f) for f in CONDITION_FIELDS)
    return named, exact


def applicable(edition: Edition, shipment: Shipment) -> list[Line]:
    """The lines that apply to the shipment: compatible conditions, optional services only when ticked.

    Of several lines for one fee, the most specific wins; among equals, the first listed.
    """
    wanted = shipment.conditions
    best: dict[str, tuple[tuple[int, int], Line]] = {}
    for line in edition.lines:
        service = optional_service(line.name)
        if service is not None and service.code not in shipment.services:
            continue
        conditions = line_conditions(line)
        if not compatible(conditions, wanted):
            continue
        score = _specificity(conditions, wanted)
        key = line_key(line)
        if key not in best or score > best[key][0]:
            best[key] = (score, line)
    return [line for _score, line in best.values()]


@dataclass(frozen=True)
class _Count:
    quantity: Decimal  # boxes, TEU or 1 (a bill, or a charge by the day alone)
    noun: str  # what the quantity counts, for the trace: 箱, TEU, 票 ...
    daily: bool


def counting(unit: str, shipment: Shipment) -> _Count | None:
    """How many units of `unit` the shipment takes, or None for units it says nothing about (元/吨, 元/车 ...)."""
    currency, slash, per = normalise_unit(unit).partition("/")
    if not slash or currency not in ("元", "USD"):
        return None
    daily = False
    for suffix in ("·天", "·日"):
        if per.endswith(suffix):
            per, daily = per.removesuffix(suffix), True
    if not daily and len(per) > 1 and per[-1] in PER_DAY and per[:-1] in PER_BOX | PER_TEU:
        per, daily = per[:-1], True  # 元/箱天 as written without the dot
    if per in PER_DAY and not daily:
        return _Count(Decimal(1), "", True)
    if per in PER_BOX:
        return _Count(Decimal(shipment.count), per, daily)
    if per in PER_TEU:
        return _Count(shipment.count * TEU_PER_BOX[shipment.container_size], "TEU", daily)
    if per in PER_BILL and not daily:
        return _Count(Decimal(1), per, False)
    return None


def _quantity(value: Decimal) -> str:
    return format(value.normalize(), "f")


def _times(count: _Count, days: int) -> str:
    """The multipliers of a trace: ' × 2 箱', ' × 2 箱 × 5 天', ' × 5 天'."""
    parts = [f" × {_quantity(count.quantity)} {count.noun}"] if count.noun else []
    if count.daily:
        parts.append(f" × {days} {DAY}")
    return "".join(parts)


def _tiers(line: Line) -> tuple[Tier, ...]:
    return tuple(
        Tier(Decimal(str(start)), None if end is None else Decimal(str(end)), Decimal(str(amount)))
        for start, end, amount in line.tiers
    )


class TierGap(ValueError):
    """A day that no tier of a standard covers."""

    def __init__(self, day: int) -> None:
        super().__init__(f"no tier covers day {day}")
        self.day = day


def tiered(tiers: Sequence[Tier], days: int) -> tuple[Decimal, tuple[tuple[int, Decimal], ...]]:
    """Day by day, the sum of a tiered standard over `days`, with (days, amount) runs for the trace.

    Raises `TierGap` for the first day no tier covers.
    """
    total = Decimal(0)
    runs: list[tuple[int, Tier]] = []
    for day in range(1, days + 1):
        tier = next((t for t in tiers if t.start <= day and (t.end is None or day <= t.end)), None)
        if tier is None:
            raise TierGap(day)
        total += tier.amount
        if runs and runs[-1][1] is tier:
            runs[-1] = (runs[-1][0] + 1, tier)
        else:
            runs.append((1, tier))
    return total, tuple((n, tier.amount) for n, tier in runs)


def _official_row(line: Line, shipment: Shipment, index: NameIndex, on: date) -> GovItem | None:
    """The government row whose fixed rate a pass-through line collects: in force, fitting, most specific."""
    wanted = shipment.conditions
    rows = [
        row
        for row in index.gov_items(line.name)
        if row.status is GovStatus.IN_FORCE
        and row.in_effect(on)
        and row.rate is not None
        and (row.rate_kind or RateKind.FIXED) is RateKind.FIXED
        and row.pricing_class is not PricingClass.GOV_GUIDED
        and compatible(row.conditions, wanted)
    ]
    return max(rows, key=lambda row: _specificity(row.conditions, wanted), default=None)


@dataclass(frozen=True)
class _Rate:
    """What a line charges per unit: a figure (low = high unless a range) or tiers, and where the rate came from."""

    unit: str
    currency: str
    low: Decimal | None = None
    high: Decimal | None = None
    tiers: tuple[Tier, ...] = ()
    note: str = ""
    params: Mapping[str, object] = field(default_factory=dict, compare=False, hash=False)


def _official(row: GovItem) -> dict[str, object]:
    """The government row a rate came from: its code for the record, its names for the trace (never the code)."""
    return {"code": row.code, "item": row.name_zh, "item_en": row.name_en or row.name_zh}


def _rate(line: Line, shipment: Shipment, index: NameIndex, on: date) -> _Rate:
    if line.pass_through:
        row = _official_row(line, shipment, index, on)
        if row is not None and row.rate is not None:
            return _Rate(row.unit, row.currency, row.rate, row.rate, note=OFFICIAL, params=_official(row))
    note = NO_OFFICIAL if line.pass_through else ""
    if line.standard_kind in ("fixed", "range") and line.amount is not None:
        high = line.amount_max if line.amount_max is not None else line.amount
        return _Rate(line.unit, currency_of(line), line.amount, high, note=note)
    if line.standard_kind == "tiers" and line.tiers:
        return _Rate(line.unit, currency_of(line), tiers=_tiers(line), note=note)
    return _Rate(line.unit, currency_of(line), note=note)


def charge(line: Line, shipment: Shipment, index: NameIndex, on: date) -> Charge:
    """What one applicable line costs the shipment, traced; pass-through fees at the official rate where one fits.

    Tiered standards are read as per day (tier n is day n) and summed day by day.
    """
    rate = _rate(line, shipment, index, on)

    def unestimated(reason: str, **params: object) -> Charge:
        return Charge(line, rate.unit, rate.currency, note=reason, params=params)

    def estimated(low: Decimal, high: Decimal, formula: str) -> Charge:
        return Charge(line, rate.unit, rate.currency, low, high, formula, rate.note, rate.params)

    count = counting(rate.unit, shipment)
    if count is None:
        return unestimated(NOT_PER_BOX, unit=rate.unit)
    if rate.low is None or rate.high is None:
        if not rate.tiers:
            return unestimated(NOT_A_FIGURE, standard=line.standard)
        if shipment.days <= 0:
            return unestimated(NEEDS_DAYS)
        try:
            per_unit, runs = tiered(rate.tiers, shipment.days)
        except TierGap as gap:
            return unestimated(TIER_GAP, day=gap.day)
        total = per_unit * count.quantity
        steps = " + ".join(f"{n} {DAY} × {display_amount(amount)}" for n, amount in runs)
        boxes = _times(_Count(count.quantity, count.noun, daily=False), shipment.days)
        return estimated(total, total, f"({steps}){boxes} = {display_amount(total)}")
    if count.daily and shipment.days <= 0:
        return unestimated(NEEDS_DAYS)
    factor = count.quantity * (shipment.days if count.daily else 1)
    low, high = rate.low * factor, rate.high * factor
    each = _span(rate.low, rate.high)
    return estimated(low, high, f"{each} {rate.unit}{_times(count, shipment.days)} = {_span(low, high)}")


def _span(low: Decimal, high: Decimal) -> str:
    return display_amount(low) if low == high else f"{display_amount(low)}–{display_amount(high)}"


def estimate(
    editions: Iterable[Edition], shipment: Shipment, reference: Reference, on: date
) -> tuple[OperatorEstimate, ...]:
    """Each operator's applicable lines priced for the shipment, in the editions' order."""
    index = NameIndex(reference)
    return tuple(
        OperatorEstimate(edition, tuple(charge(line, shipment, index, on) for line in applicable(edition, shipment)))
        for edition in editions
    )


def currencies(estimates: Iterable[OperatorEstimate]) -> tuple[str, ...]:
    """Every currency some operator's total is in, CNY first."""
    found = {total.currency for result in estimates for total in result.totals}
    return tuple(sorted(found, key=lambda currency: (currency != "CNY", currency)))


def side_by_side(estimates: Sequence[OperatorEstimate]) -> tuple[Row, ...]:
    """One row per fee (in order of first appearance), one cell per operator."""
    names: dict[str, str] = {}
    for result in estimates:
        for item in result.charges:
            names.setdefault(line_key(item.line), item.line.name)
    return tuple(Row(key, name, tuple(result.for_fee(key) for result in estimates)) for key, name in names.items())


def median(values: Sequence[Decimal]) -> Decimal:
    """The exact median: the middle value, or the mean of the two middle values for an even count."""
    if not values:
        raise ValueError("the median of no values")
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2

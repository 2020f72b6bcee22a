"""One service compared across operators, pure: its lines, grouped so that only like is compared with like.

A service is matched on its normalised canonical name (aliases applied: 文件费 = 单证费 = DOC), also with a
bracketed qualifier after it (货物港务费(外贸进口) is 货物港务费). Lines are comparable when they charge in the
same currency and unit under the same conditions (trade, box size, laden or empty, cargo, inspection outcome, and
any other words of the 适用条件 column): each such group of two or more lines with a figure gets its own count,
median, range and chart. A line that fits no group (the only one of its kind, or a standard that is not a figure)
is listed apart and never averaged.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from decimal import Decimal

from portal.pricing.estimate import Edition, Line, currency_of, line_conditions, median
from portal.validation.changes import name_key
from portal.validation.conditions import compatible
from portal.validation.model import Conditions, Reference
from portal.validation.names import NameIndex
from portal.validation.units import unit_key

SHARE = Decimal("0.0001")
MIN_GROUP = 2  # lines needed for a comparison: one line alone is listed, not summarised


@dataclass(frozen=True)
class Offer:
    """One operator's line for the service compared."""

    edition: Edition
    line: Line

    @property
    def currency(self) -> str:
        return currency_of(self.line)

    @property
    def unit_key(self) -> str:
        return unit_key(self.line.unit)

    @property
    def conditions(self) -> Conditions:
        return line_conditions(self.line)

    @property
    def fixed(self) -> Decimal | None:
        return self.line.amount if self.line.standard_kind == "fixed" else None

    @property
    def figure(self) -> bool:
        """A fixed amount or a range: something a chart can draw."""
        return self.line.standard_kind in ("fixed", "range") and self.line.amount is not None

    @property
    def highest(self) -> Decimal | None:
        return self.line.amount_max if self.line.amount_max is not None else self.line.amount

    @property
    def group_key(self) -> tuple[str, ...]:
        """What makes two lines comparable: currency, unit and every condition (None written as "")."""
        c = self.conditions
        return (
            self.currency,
            self.unit_key,
            c.trade or "",
            c.container_size or "",
            c.laden or "",
            c.cargo or "",
            c.inspection or "",
            c.other,
        )


@dataclass(frozen=True)
class Statistics:
    count: int  # fixed amounts summarised
    minimum: Decimal
    median: Decimal
    maximum: Decimal


@dataclass(frozen=True)
class Bar:
    offer: Offer
    low: Decimal
    high: Decimal
    low_share: Decimal  # of the chart's longest bar, 0..1
    high_share: Decimal


@dataclass(frozen=True)
class Group:
    """Comparable lines: one currency, one unit, one set of conditions; their statistics and bars."""

    currency: str
    unit: str  # as the first line writes it
    conditions: Conditions
    offers: tuple[Offer, ...]
    statistics: Statistics | None  # None when no line of the group has a fixed amount
    bars: tuple[Bar, ...]

    @property
    def maximum(self) -> Decimal:
        return max((bar.high for bar in self.bars), default=Decimal(0))


@dataclass(frozen=True)
class Comparison:
    keys: frozenset[str]
    offers: tuple[Offer, ...]
    groups: tuple[Group, ...]
    apart: tuple[Offer, ...]  # lines that fit no group: listed, not averaged


def service_keys(service: str, reference: Reference) -> frozenset[str]:
    """The name keys a service is stored under: its own (aliases applied), and that of the item or bundle it names."""
    if not service.strip():
        return frozenset()
    index = NameIndex(reference)
    named = (*index.gov_items(service), *index.bundles(service))
    return frozenset({name_key(service, reference.aliases), *(name_key(e.name_zh, reference.aliases) for e in named)})


def names_service(key: str, keys: Collection[str]) -> bool:
    """Is a line stored under `key` one of the service's lines: the key itself, or it with a bracketed qualifier."""
    return key in keys or any(key.startswith(f"{k}(") for k in keys)


def _order(offer: Offer) -> tuple:
    return (not offer.figure, offer.currency, offer.unit_key, offer.line.amount or Decimal(0), offer.highest or 0)


def offers_of(editions: Iterable[Edition], keys: Collection[str], filters: Conditions) -> tuple[Offer, ...]:
    """Every line of the service whose conditions fit the filters: by currency and unit, then by amount.

    Lines without a figure (tiers, words) come last.
    """
    found = [
        Offer(edition, line)
        for edition in editions
        for line in edition.lines
        if names_service(line.name_key, keys) and compatible(line_conditions(line), filters)
    ]
    return tuple(sorted(found, key=_order))


def _share(amount: Decimal, maximum: Decimal) -> Decimal:
    return (amount / maximum).quantize(SHARE) if maximum > 0 else Decimal(0)


def statistics(offers: Iterable[Offer]) -> Statistics | None:
    """Count, minimum, exact median and maximum of the fixed amounts among `offers` (assumed comparable)."""
    amounts = [o.fixed for o in offers if o.fixed is not None]
    if not amounts:
        return None
    return Statistics(len(amounts), min(amounts), median(amounts), max(amounts))


def bars(offers: Iterable[Offer]) -> tuple[Bar, ...]:
    """A bar per line with a figure, a range drawn out to its maximum; shares of the longest bar."""
    spans = [(o, o.line.amount or Decimal(0), o.highest or Decimal(0)) for o in offers if o.figure]
    maximum = max((high for _o, _low, high in spans), default=Decimal(0))
    return tuple(Bar(o, low, high, _share(low, maximum), _share(high, maximum)) for o, low, high in spans)


def group(offers: Iterable[Offer]) -> tuple[tuple[Group, ...], tuple[Offer, ...]]:
    """The comparable groups (two or more lines with a figure, same currency, unit and conditions), largest first,
    and the lines that fit none, in their order."""
    keyed: dict[tuple[str, ...], list[Offer]] = {}
    apart: list[Offer] = []
    for offer in offers:
        if offer.figure:
            keyed.setdefault(offer.group_key, []).append(offer)
        else:
            apart.append(offer)
    groups = []
    for members in keyed.values():
        if len(members) < MIN_GROUP:
            apart.extend(members)
            continue
        first = members[0]
        groups.append(
            Group(first.currency, first.line.unit, first.conditions, tuple(members), statistics(members), bars(members))
        )
    groups.sort(key=lambda g: (-len(g.offers), g.currency, g.offers[0].unit_key))
    return tuple(groups), tuple(sorted(apart, key=_order))


def comparison_of(editions: Iterable[Edition], keys: frozenset[str], filters: Conditions) -> Comparison:
    """The service's lines that fit the filters (None fields: any), grouped like with like."""
    offers = offers_of(editions, keys, filters)
    groups, apart = group(offers)
    return Comparison(keys, offers, groups, apart)

"""What every rule reads, computed once per validation: parsed lines, the name index, the dates that apply."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from operator import attrgetter

from portal.validation.choices import parse_currency, parse_pricing_class
from portal.validation.conditions import compatible, judged, parse_conditions
from portal.validation.dates import parse_date
from portal.validation.findings import Finding
from portal.validation.model import (
    Bundle,
    CatalogueInput,
    Conditions,
    FeeLine,
    GovItem,
    GovStatus,
    Header,
    PricingClass,
    Reference,
    Severity,
    Standard,
)
from portal.validation.money import parse_standard
from portal.validation.names import NameIndex, bracketed, normalise
from portal.validation.vocabulary import is_yes

RETIRED = frozenset({GovStatus.ABOLISHED, GovStatus.FOLDED})
HEADER = -1  # the position of header findings: before every line


class Placement:
    """Remembers the line each finding was made for, so findings can be listed in line order.

    Lines need neither a key nor a row for this: a finding is placed when it is made, by identity. Each placed
    finding is kept, so its identity is never another's: a finding made and dropped (a rule's trial judgement)
    cannot lend its place to a later finding given its freed address.
    """

    def __init__(self) -> None:
        self._positions: dict[int, tuple[Finding, int]] = {}

    def place(self, finding: Finding, position: int) -> Finding:
        self._positions[id(finding)] = (finding, position)
        return finding

    def position(self, finding: Finding) -> int:
        placed = self._positions.get(id(finding))
        return placed[1] if placed is not None else HEADER


@dataclass(frozen=True)
class ParsedLine:
    """One fee line with its values read and its government-list rows found (on the list's date)."""

    position: int  # 0-based order in the catalogue
    line: FeeLine
    name_key: str  # normalised name, aliases applied: the identity of the item for duplicate checks
    standard: Standard
    pricing_class: PricingClass | None  # None when blank or not a class (invalid-value says which)
    is_class_a: bool  # the pricing class is one of the four of the government list (Class A)
    currency: str | None  # "CNY" or "USD"; None when not accepted
    pass_through: bool
    conditions: Conditions  # from 适用条件 and the name's bracketed words
    gov_in_force: tuple[GovItem, ...]  # rows named by the line, in force on the date, any conditions
    gov_retired: GovItem | None  # the abolished/folded row that applies when no in-force row fits
    bundles: tuple[Bundle, ...]  # bundles the line names, in effect on the date
    placement: Placement = field(compare=False, repr=False)

    def unnamed(self) -> str:
        """How a message names a line without a name: its name cell (工作表 cell, [B9]) or its place in the list."""
        cell = self.line.location("name").cell
        return f"[{cell}]" if cell else f"[#{self.position + 1}]"

    def finding(
        self,
        rule: str,
        severity: Severity,
        message: str,
        field_name: str,
        basis: str,
        /,
        notes: tuple[str, ...] = (),
        **params: object,
    ) -> Finding:
        """A finding about this line, located at its `field_name`; `{item}` is always available to the message."""
        finding = Finding(
            notes=notes,
            rule=rule,
            severity=severity,
            message=message,
            params={"item": self.line.name.strip() or self.unnamed(), **params},
            location=self.line.location(field_name),
            item=self.line.name,
            line_key=self.line.key,
            basis=basis,
        )
        return self.placement.place(finding, self.position)


@dataclass(frozen=True)
class Context:
    """The catalogue and reference prepared for the rules; `on` is the date the government list is read at."""

    header: Header
    reference: Reference
    index: NameIndex
    as_of: date
    on: date  # the list's effective date, else as_of
    effective_date: date | None
    updated_date: date | None
    last_confirmed: date | None
    absent_fields: frozenset[str]
    lines: tuple[ParsedLine, ...]
    bundle_names: Mapping[str, str]  # bundle code -> name_zh
    placement: Placement

    def header_finding(
        self, rule: str, severity: Severity, message: str, field_name: str, basis: str, /, **params: object
    ) -> Finding:
        """A finding about the header block, located at its `field_name`."""
        finding = Finding(
            rule=rule,
            severity=severity,
            message=message,
            params=params,
            location=self.header.location(field_name),
            basis=basis,
        )
        return self.placement.place(finding, HEADER)

    def distinct(self, attribute: str) -> set:
        """The distinct values the lines hold at `attribute` (a dotted path: "line.unit"): a rule judges each once,
        and skips its loop over the lines when none is wrong."""
        return set(map(attrgetter(attribute), self.lines))

    @property
    def charged_bundles(self) -> tuple[Bundle, ...]:
        """The bundles some line of this list charges."""
        seen: dict[str, Bundle] = {}
        for parsed in self.lines:
            for bundle in parsed.bundles:
                seen.setdefault(bundle.code, bundle)
        return tuple(seen.values())


def _date_or_none(text: str) -> date | None:
    try:
        return parse_date(text) if text.strip() else None
    except ValueError:
        return None


def _gov_rows(rows: tuple[GovItem, ...], on: date) -> tuple[tuple[GovItem, ...], tuple[GovItem, ...]]:
    current = tuple(row for row in rows if row.in_effect(on))
    return (
        tuple(row for row in current if row.status is GovStatus.IN_FORCE),
        tuple(row for row in current if row.status in RETIRED),
    )


def _retired(in_force: tuple[GovItem, ...], retired: tuple[GovItem, ...], conditions: Conditions) -> GovItem | None:
    if not retired or any(compatible(conditions, row.conditions) for row in in_force):
        return None
    return next((row for row in retired if compatible(conditions, row.conditions)), None)


class _LineReader:
    """Reads lines against one reference and date, caching what repeats across lines (names, classes, values).

    A list of thousands of lines repeats its names, classes, currencies and words line after line: each is read
    once per validation.
    """

    def __init__(self, index: NameIndex, on: date, placement: Placement) -> None:
        self.index = index
        self.on = on
        self.placement = placement
        # name -> (name key, in-force rows, retired rows, bundles, bracketed words)
        self._names: dict[str, tuple[str, tuple[GovItem, ...], tuple[GovItem, ...], tuple[Bundle, ...], str]] = {}
        self._values: dict[tuple[str, str, str], tuple[PricingClass | None, bool, str | None, bool]] = {}
        self._retired: dict[tuple[str, tuple[str | None, ...]], GovItem | None] = {}

    def _name(self, name: str) -> tuple[str, tuple[GovItem, ...], tuple[GovItem, ...], tuple[Bundle, ...], str]:
        known = self._names.get(name)
        if known is None:
            in_force, retired = _gov_rows(self.index.gov_items(name), self.on)
            bundles = tuple(b for b in self.index.bundles(name) if b.in_effect(self.on))
            words = " ".join(bracketed(normalise(name)))
            known = self._names[name] = (self.index.canonical(name), in_force, retired, bundles, words)
        return known

    def read(self, lines: tuple[FeeLine, ...]) -> tuple[ParsedLine, ...]:
        """Each line read, in order; one loop with what it needs at hand (a list may hold thousands of lines)."""
        names, choices, retired_rows, placement = self._names, self._values, self._retired, self.placement
        new, set_dict = object.__new__, object.__setattr__
        parsed_lines = []
        for position, line in enumerate(lines):
            name = line.name
            known = names.get(name)
            name_key, in_force, retired, bundles, words = known if known is not None else self._name(name)
            conditions = parse_conditions(f"{line.conditions} {words}" if words else line.conditions)
            choice = (line.pricing_class, line.currency, line.pass_through)
            values = choices.get(choice)
            if values is None:
                pricing_class = _pricing_class(line.pricing_class)
                values = choices[choice] = (
                    pricing_class,
                    pricing_class is not None and pricing_class.is_class_a,
                    currency_or_none(line.currency),
                    is_yes(line.pass_through),
                )
            gov_retired = None
            if retired:
                key = (name, judged(conditions))
                if key not in retired_rows:
                    retired_rows[key] = _retired(in_force, retired, conditions)
                gov_retired = retired_rows[key]
            parsed = new(ParsedLine)  # every field set: the frozen dataclass's __init__ costs more
            set_dict(
                parsed,
                "__dict__",
                {
                    "position": position,
                    "line": line,
                    "name_key": name_key,
                    "standard": parse_standard(line.standard),
                    "pricing_class": values[0],
                    "is_class_a": values[1],
                    "currency": values[2],
                    "pass_through": values[3],
                    "conditions": conditions,
                    "gov_in_force": in_force,
                    "gov_retired": gov_retired,
                    "bundles": bundles,
                    "placement": placement,
                },
            )
            parsed_lines.append(parsed)
        return tuple(parsed_lines)


def _pricing_class(text: str) -> PricingClass | None:
    try:
        return parse_pricing_class(text)
    except ValueError:
        return None


def currency_or_none(text: str) -> str | None:
    """The currency a line states (CNY when blank), None when it is not one the portal accepts."""
    try:
        return parse_currency(text)
    except ValueError:
        return None


def build_context(catalogue: CatalogueInput, reference: Reference, as_of: date) -> Context:
    """Parse every line once and find its government rows at the list's effective date (else `as_of`)."""
    header = catalogue.header
    effective = _date_or_none(header.effective_date)
    on = effective or as_of
    index = NameIndex(reference)
    placement = Placement()
    reader = _LineReader(index, on, placement)
    return Context(
        header=header,
        reference=reference,
        index=index,
        as_of=as_of,
        on=on,
        effective_date=effective,
        updated_date=_date_or_none(header.updated_date),
        last_confirmed=catalogue.last_confirmed,
        absent_fields=catalogue.absent_fields,
        lines=reader.read(catalogue.lines),
        bundle_names={bundle.code: bundle.name_zh for bundle in reference.bundles},
        placement=placement,
    )

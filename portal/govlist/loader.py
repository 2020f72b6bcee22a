"""Read feelists/*.csv (government list, bundles, aliases) into the validation model; a bad row fails, located.

Pure: the standard library and `portal.validation` only, so the CLI, the services and the tests share it.
Every file is UTF-8 CSV with a header row; line numbers are the CSV file's own (header = line 1).
"""

from __future__ import annotations

import csv
import enum
import io
import itertools
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TypeVar

from portal.validation.findings import N_
from portal.validation.model import (
    Bundle,
    BundleComponent,
    Conditions,
    GovItem,
    GovStatus,
    PricingClass,
    RateKind,
    Reference,
)
from portal.validation.names import normalise as names_normalise

GOVLIST_FILE = "govlist.csv"
BUNDLES_FILE = "bundles.csv"
COMPONENTS_FILE = "bundle_components.csv"
ALIASES_FILE = "aliases.csv"

GOVLIST_COLUMNS = (
    "code", "name_zh", "name_en", "aliases", "pricing_class", "trade", "container_size", "laden", "cargo",
    "rate", "rate_kind", "unit", "currency", "service_content", "basis", "source", "effective_from",
    "effective_until", "status", "folded_into", "pass_through", "verified", "trust", "note",
)  # fmt: skip
BUNDLE_COLUMNS = ("code", "name_zh", "name_en", "aliases", "basis", "source", "effective_from", "effective_until")
COMPONENT_COLUMNS = ("bundle_code", "name_zh", "name_en", "aliases", "basis", "source", "effective_from")
ALIAS_COLUMNS = ("alias", "canonical", "source")

# The normalised values of model.Conditions; an empty cell means "any".
TRADES = ("外贸进口", "外贸出口", "外贸", "内贸", "中转")
CONTAINER_SIZES = ("20", "40", "45")
LADEN = ("重箱", "空箱")
CARGO = ("普通货物", "危险货物", "冷藏")

SEPARATOR = "|"  # between names in an aliases cell, and before HISTORICAL in a trust cell
HISTORICAL = "HISTORICAL"
RATE_PLACES = 4  # portal.columns.Money stores four decimal places; a longer rate would be rounded silently

_CODE = re.compile(r"[A-Z0-9]+(?:-[A-Z0-9]+)*")
_DECIMAL = re.compile(r"[0-9]+(?:\.[0-9]+)?")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_CURRENCY = re.compile(r"[A-Z]{3}")
_BOOLEANS = {"true": True, "false": False}

_E = TypeVar("_E", bound=enum.Enum)


class Trust(enum.StrEnum):
    """How a row's facts were obtained (RATES.md §1). A trust cell may add "|HISTORICAL" once validity ended."""

    READ_OFFICIAL = "READ-OFFICIAL"
    READ_MIRROR = "READ-MIRROR"
    READ_SECONDARY = "READ-SECONDARY"
    DERIVED = "DERIVED"
    ASSUMED = "ASSUMED"


class FeelistError(ValueError):
    """A feelists file that cannot be loaded, located by file name, CSV line and column (0 and "": the whole).

    `problem` is an English msgid with `{named}` params (marked with N_, so a page shows it in the user's
    language); `message` is the problem in English, filled in (the command line's text).
    """

    def __init__(self, file: str, line: int, column: str, problem: str, /, **params: object) -> None:
        message = problem.format(**params)
        where = file + (f", line {line}" if line else "") + (f", column {column}" if column else "")
        super().__init__(f"{where}: {message}")
        self.file = file
        self.line = line
        self.column = column
        self.problem = problem
        self.params = params
        self.message = message


@dataclass(frozen=True)
class AliasEntry:
    """One aliases.csv row: another name of a fee, the name the catalogue should use, and who says so."""

    alias: str
    canonical: str
    source: str
    line: int


@dataclass(frozen=True)
class _Record:
    file: str
    line: int
    cells: Mapping[str, str]

    def error(self, column: str, problem: str, /, **params: object) -> FeelistError:
        return FeelistError(self.file, self.line, column, problem, **params)

    def text(self, column: str) -> str:
        return self.cells[column].strip()

    def required(self, column: str) -> str:
        value = self.text(column)
        if not value:
            raise self.error(column, N_("must not be empty"))
        return value


def _records(path: Path, columns: tuple[str, ...]) -> Iterator[_Record]:
    """The data rows of one file, each with the line it starts on; blank rows are skipped."""
    file = path.name
    try:
        raw = path.read_bytes()
    except FileNotFoundError as exc:
        raise FeelistError(file, 0, "", N_("is missing from {folder}"), folder=str(path.parent)) from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FeelistError(file, raw.count(b"\n", 0, exc.start) + 1, "", N_("is not UTF-8 text")) from exc
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = [name.strip() for name in next(reader, [])]
        _check_header(file, header, columns)
        end = reader.line_num
        for cells in reader:
            start, end = end + 1, reader.line_num
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) != len(header):
                column = header[len(cells)] if len(cells) < len(header) else f"#{len(header) + 1}"
                raise FeelistError(
                    file,
                    start,
                    column,
                    N_("the row has {fields} fields, the header {columns}"),
                    fields=len(cells),
                    columns=len(header),
                )
            yield _Record(file, start, dict(zip(header, cells, strict=True)))
    except csv.Error as exc:
        raise FeelistError(file, reader.line_num, "", N_("is not valid CSV ({reason})"), reason=str(exc)) from exc


def _check_header(file: str, header: list[str], columns: tuple[str, ...]) -> None:
    if not any(header):
        raise FeelistError(file, 1, "", N_("has no header row; expected {columns}"), columns=", ".join(columns))
    seen: set[str] = set()
    for name in header:
        if name not in columns:
            raise FeelistError(
                file,
                1,
                name,
                N_("is not a column of {file}; expected {columns}"),
                file=file,
                columns=", ".join(columns),
            )
        if name in seen:
            raise FeelistError(file, 1, name, N_("appears twice in the header"))
        seen.add(name)
    for name in columns:
        if name not in seen:
            raise FeelistError(file, 1, name, N_("is missing from the header"))


def _code(record: _Record, column: str) -> str:
    value = record.required(column)
    if not _CODE.fullmatch(value):
        raise record.error(
            column, N_("{value} is not a code (capital letters and digits joined by '-')"), value=repr(value)
        )
    return value


def _decimal(record: _Record, column: str) -> Decimal | None:
    value = record.text(column)
    if not value:
        return None
    if not _DECIMAL.fullmatch(value):
        raise record.error(
            column, N_("{value} is not a decimal amount (digits and an optional '.', e.g. 13.60)"), value=repr(value)
        )
    if len(value.partition(".")[2]) > RATE_PLACES:
        raise record.error(
            column, N_("{value} has more than {places} decimal places"), value=repr(value), places=RATE_PLACES
        )
    return Decimal(value)


def _date(record: _Record, column: str) -> date | None:
    value = record.text(column)
    if not value:
        return None
    if _DATE.fullmatch(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise record.error(column, N_("{value} is not a date (YYYY-MM-DD)"), value=repr(value))


def _window(record: _Record) -> tuple[date | None, date | None]:
    start, end = _date(record, "effective_from"), _date(record, "effective_until")
    if start is not None and end is not None and end < start:
        raise record.error("effective_until", N_("{end} is before effective_from {start}"), end=end, start=start)
    return start, end


def _enum(record: _Record, column: str, kind: type[_E]) -> _E:
    value = record.required(column)
    try:
        return kind(value)
    except ValueError:
        allowed = ", ".join(str(member.value) for member in kind)
        raise record.error(column, N_("{value} is not one of {allowed}"), value=repr(value), allowed=allowed) from None


def _optional_enum(record: _Record, column: str, kind: type[_E]) -> _E | None:
    return _enum(record, column, kind) if record.text(column) else None


def _choice(record: _Record, column: str, allowed: tuple[str, ...]) -> str | None:
    value = record.text(column)
    if value and value not in allowed:
        raise record.error(
            column,
            N_("{value} is not one of {allowed} (empty means any)"),
            value=repr(value),
            allowed=", ".join(allowed),
        )
    return value or None


def _bool(record: _Record, column: str) -> bool:
    value = record.required(column)
    if value.lower() not in _BOOLEANS:
        raise record.error(column, N_("{value} is not true or false"), value=repr(value))
    return _BOOLEANS[value.lower()]


def _names(record: _Record, column: str) -> tuple[str, ...]:
    value = record.text(column)
    if not value:
        return ()
    names = tuple(part.strip() for part in value.split(SEPARATOR))
    if not all(names):
        raise record.error(column, N_("has an empty name between '{separator}' separators"), separator=SEPARATOR)
    if len(set(names)) != len(names):
        raise record.error(column, N_("lists the same name twice"))
    return names


def _trust(record: _Record) -> tuple[Trust, bool]:
    """The evidence status and whether the row is marked HISTORICAL ("READ-MIRROR|HISTORICAL")."""
    status, *rest = (part.strip() for part in record.required("trust").split(SEPARATOR))
    try:
        trust = Trust(status)
    except ValueError:
        allowed = ", ".join(Trust)
        raise record.error(
            "trust",
            N_("{value} is not one of {allowed} (then optionally |{historical})"),
            value=repr(status),
            allowed=allowed,
            historical=HISTORICAL,
        ) from None
    if rest not in ([], [HISTORICAL]):
        raise record.error(
            "trust",
            N_("only {historical} may follow the status, after '{separator}'"),
            historical=HISTORICAL,
            separator=SEPARATOR,
        )
    return trust, bool(rest)


def _unique(record: _Record, column: str, key: str, seen: dict[str, int], shown: str | None = None) -> None:
    if key in seen:
        raise record.error(
            column, N_("{value} already appears on line {line}"), value=repr(shown or key), line=seen[key]
        )
    seen[key] = record.line


def _gov_item(record: _Record) -> GovItem:
    rate = _decimal(record, "rate")
    rate_kind = _optional_enum(record, "rate_kind", RateKind)
    unit = record.text("unit")
    status = _enum(record, "status", GovStatus)
    folded_into = record.text("folded_into") or None
    effective_from, effective_until = _window(record)
    trust, historical = _trust(record)
    verified = _bool(record, "verified")
    currency = record.text("currency") or "CNY"
    if rate is not None and rate_kind is None:
        raise record.error("rate_kind", N_("must say fixed or cap when a rate is given"))
    if rate is not None and not unit:
        raise record.error("unit", N_("must be given when a rate is"))
    if status is GovStatus.ABOLISHED and rate is not None:
        raise record.error("rate", N_("must be empty on an abolished row: nothing may be charged"))
    if status is GovStatus.FOLDED and folded_into is None:
        raise record.error("folded_into", N_("must name the bundle a folded row may be charged in"))
    if status is not GovStatus.FOLDED and folded_into is not None:
        raise record.error("folded_into", N_("must be empty unless status is {status}"), status=GovStatus.FOLDED.value)
    if historical and effective_until is None:
        raise record.error(
            "trust", N_("{historical} needs an effective_until: the row's validity has ended"), historical=HISTORICAL
        )
    if verified and (trust is not Trust.READ_OFFICIAL or historical):
        raise record.error(
            "verified", N_("may be true only on a {trust} row still in force"), trust=Trust.READ_OFFICIAL.value
        )
    if not _CURRENCY.fullmatch(currency):
        raise record.error("currency", N_("{value} is not a three-letter currency code"), value=repr(currency))
    return GovItem(
        code=_code(record, "code"),
        name_zh=record.required("name_zh"),
        name_en=record.required("name_en"),
        pricing_class=_enum(record, "pricing_class", PricingClass),
        unit=unit,
        basis=record.required("basis"),
        status=status,
        conditions=Conditions(
            trade=_choice(record, "trade", TRADES),
            container_size=_choice(record, "container_size", CONTAINER_SIZES),
            laden=_choice(record, "laden", LADEN),
            cargo=_choice(record, "cargo", CARGO),
        ),
        rate=rate,
        rate_kind=rate_kind,
        currency=currency,
        service_content=record.text("service_content"),
        effective_from=effective_from,
        effective_until=effective_until,
        folded_into=folded_into,
        pass_through=_bool(record, "pass_through"),
        verified=verified,
        aliases=_names(record, "aliases"),
        source=record.required("source"),
        trust=trust + (SEPARATOR + HISTORICAL if historical else ""),
        note=record.text("note"),
    )


def _located_gov_items(path: Path) -> list[tuple[int, GovItem]]:
    located: list[tuple[int, GovItem]] = []
    codes: dict[str, int] = {}
    for record in _records(path, GOVLIST_COLUMNS):
        item = _gov_item(record)
        _unique(record, "code", item.code, codes)
        located.append((record.line, item))
    _check_windows(path.name, located)
    return located


def _check_windows(file: str, located: list[tuple[int, GovItem]]) -> None:
    """Rows of the same item under the same conditions must follow one another in time, never overlap."""
    groups: dict[tuple[str, Conditions], list[tuple[int, GovItem]]] = defaultdict(list)
    for line, item in located:
        groups[(item.name_zh, item.conditions)].append((line, item))
    for rows in groups.values():
        rows.sort(key=lambda row: row[1].effective_from or date.min)
        for (earlier_line, earlier), (line, item) in itertools.pairwise(rows):
            if earlier.effective_until is None or (item.effective_from or date.min) <= earlier.effective_until:
                raise FeelistError(
                    file,
                    line,
                    "effective_from",
                    N_(
                        "{code}'s window overlaps {earlier}'s (line {line}): same item, same conditions; "
                        "end the earlier row first"
                    ),
                    code=item.code,
                    earlier=earlier.code,
                    line=earlier_line,
                )


def read_gov_items(path: Path) -> tuple[GovItem, ...]:
    """The government list: one GovItem per dated row, codes unique, windows of one item never overlapping."""
    return tuple(item for _, item in _located_gov_items(path))


def _located_bundles(bundles_path: Path, components_path: Path) -> list[tuple[int, Bundle]]:
    heads: dict[str, tuple[int, Bundle]] = {}
    codes: dict[str, int] = {}
    for record in _records(bundles_path, BUNDLE_COLUMNS):
        code = _code(record, "code")
        _unique(record, "code", code, codes)
        effective_from, effective_until = _window(record)
        heads[code] = (
            record.line,
            Bundle(
                code=code,
                name_zh=record.required("name_zh"),
                name_en=record.required("name_en"),
                basis=record.required("basis"),
                effective_from=effective_from,
                effective_until=effective_until,
                aliases=_names(record, "aliases"),
                source=record.required("source"),
            ),
        )
    components: dict[str, list[BundleComponent]] = {code: [] for code in heads}
    names: dict[str, int] = {}
    for record in _records(components_path, COMPONENT_COLUMNS):
        code = record.required("bundle_code")
        if code not in components:
            raise record.error(
                "bundle_code", N_("{value} is not a bundle in {file}"), value=repr(code), file=bundles_path.name
            )
        name_zh = record.required("name_zh")
        _unique(record, "name_zh", f"{code}\x00{name_zh}", names, shown=name_zh)
        components[code].append(
            BundleComponent(
                name_zh=name_zh,
                name_en=record.required("name_en"),
                basis=record.required("basis"),
                effective_from=_date(record, "effective_from"),
                aliases=_names(record, "aliases"),
                source=record.required("source"),
            )
        )
    return [(line, replace(bundle, components=tuple(components[code]))) for code, (line, bundle) in heads.items()]


def read_bundles(bundles_path: Path, components_path: Path) -> tuple[Bundle, ...]:
    """Bundle definitions with the components each must include, from the two bundle files."""
    return tuple(bundle for _, bundle in _located_bundles(bundles_path, components_path))


def read_aliases(path: Path, normalise: Callable[[str], str] = names_normalise) -> tuple[AliasEntry, ...]:
    """The alias dictionary as rows; an alias is unique once normalised and never a canonical name itself."""
    entries: list[AliasEntry] = []
    seen: dict[str, int] = {}
    for record in _records(path, ALIAS_COLUMNS):
        alias, canonical = record.required("alias"), record.required("canonical")
        if normalise(alias) == normalise(canonical):
            raise record.error("alias", N_("{value} is the canonical name itself"), value=repr(alias))
        _unique(record, "alias", normalise(alias), seen, shown=alias)
        entries.append(AliasEntry(alias, canonical, record.required("source"), record.line))
    for entry in entries:
        if normalise(entry.canonical) in seen:
            raise FeelistError(
                path.name,
                entry.line,
                "canonical",
                N_("{value} is itself an alias; name what it stands for"),
                value=repr(entry.canonical),
            )
    return tuple(entries)


def load_reference(directory: Path, normalise: Callable[[str], str] = names_normalise) -> Reference:
    """Everything the validator judges against, from the four files in `directory`.

    `Reference.aliases` is aliases.csv keyed by `normalise`; each item's and bundle's own aliases stay on it.
    Across the files, a name that would stand for two things, an alias that is an official item's own name,
    and a folded row whose bundle is missing or not yet in effect are errors.
    """
    items = _located_gov_items(directory / GOVLIST_FILE)
    bundles = _located_bundles(directory / BUNDLES_FILE, directory / COMPONENTS_FILE)
    entries = read_aliases(directory / ALIASES_FILE, normalise)
    _check_folded(items, {bundle.code: bundle for _, bundle in bundles})
    claims = [(ALIASES_FILE, e.line, "alias", e.alias, e.canonical) for e in entries]
    for file, rows in ((GOVLIST_FILE, items), (BUNDLES_FILE, bundles)):
        claims += [(file, line, "aliases", alias, row.name_zh) for line, row in rows for alias in row.aliases]
    official = [item.name_zh for _, item in items] + [bundle.name_zh for _, bundle in bundles]
    _check_aliases(claims, official, normalise)
    return Reference(
        gov_items=tuple(item for _, item in items),
        bundles=tuple(bundle for _, bundle in bundles),
        aliases={normalise(entry.alias): entry.canonical for entry in entries},
    )


def _check_folded(items: list[tuple[int, GovItem]], bundles: Mapping[str, Bundle]) -> None:
    for line, item in items:
        if item.folded_into is None:
            continue
        bundle = bundles.get(item.folded_into)
        if bundle is None:
            raise FeelistError(
                GOVLIST_FILE,
                line,
                "folded_into",
                N_("{value} is not a bundle in {file}"),
                value=repr(item.folded_into),
                file=BUNDLES_FILE,
            )
        if item.effective_from is not None and not bundle.in_effect(item.effective_from):
            raise FeelistError(
                GOVLIST_FILE,
                line,
                "folded_into",
                N_("{code} is not in effect on {day}"),
                code=bundle.code,
                day=item.effective_from,
            )


def _check_aliases(
    claims: Iterable[tuple[str, int, str, str, str]], official: Iterable[str], normalise: Callable[[str], str]
) -> None:
    """Every (file, line, column, alias, canonical) claim agrees with the others and with the official names."""
    names = {normalise(name): name for name in official}
    aliases: dict[str, str] = {}
    for file, line, column, alias, canonical in claims:
        key = normalise(alias)
        if names.get(key, canonical) != canonical:
            raise FeelistError(
                file,
                line,
                column,
                N_("{value} is the official name {official}, not an alias"),
                value=repr(alias),
                official=repr(names[key]),
            )
        if aliases.setdefault(key, canonical) != canonical:
            raise FeelistError(
                file,
                line,
                column,
                N_("{value} already stands for {other}, not {canonical}"),
                value=repr(alias),
                other=repr(aliases[key]),
                canonical=repr(canonical),
            )

"""Government list use cases: load the feelists, read them back as the validator's Reference, and maintain them."""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import python_calamine
from flask import Flask, current_app
from sqlalchemy import delete, select
from sqlalchemy.orm import selectinload

from portal.audit import revisions
from portal.audit.models import AuditEntry
from portal.audit.services import Actor, record
from portal.auth.models import Role
from portal.errors import InvalidInput, NotFound, PermissionDenied
from portal.extensions import db
from portal.govlist.loader import (
    GOVLIST_COLUMNS,
    GOVLIST_FILE,
    FeelistError,
    load_reference,
    read_aliases,
    read_gov_items,
)
from portal.govlist.models import BundleComponentDef, BundleDef, FeeAlias, GovListItem
from portal.govlist.signals import govlist_changed
from portal.transactions import atomic
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
    within,
)
from portal.validation.names import normalise
from portal.workbook.guard import GuardLimits, UploadRefused, inspect_upload
from portal.workbook.reader import cell_text


def _item_row(item: GovItem) -> dict[str, object]:
    c = item.conditions
    return {
        "code": item.code,
        "name_zh": item.name_zh,
        "name_en": item.name_en,
        "aliases": list(item.aliases),
        "pricing_class": item.pricing_class.value,
        "trade": c.trade,
        "container_size": c.container_size,
        "laden": c.laden,
        "cargo": c.cargo,
        "rate": item.rate,
        "rate_kind": item.rate_kind.value if item.rate_kind else None,
        "unit": item.unit,
        "currency": item.currency,
        "service_content": item.service_content,
        "basis": item.basis,
        "source": item.source,
        "effective_from": item.effective_from,
        "effective_until": item.effective_until,
        "status": item.status.value,
        "folded_into": item.folded_into,
        "pass_through": item.pass_through,
        "verified": item.verified,
        "trust": item.trust,
        "note": item.note,
    }


REVISION = "govlist"  # the revision topic of the list, its bundles and aliases
REFERENCE_KEPT = "portal.govlist.reference"


def load_feelists(directory: Path, actor: Actor | None = None) -> dict[str, int]:
    """Replace the government list, bundles and aliases with the shipped files, in one transaction.

    Items are matched by code: changed rows are updated and audited, new rows added, rows no longer in the
    files kept (history is never deleted by a reload) but reported in the counts.
    """
    reference = load_reference(directory)
    existing = {row.code: row for row in db.session.scalars(select(GovListItem))}
    counts = {"added": 0, "updated": 0, "unchanged": 0, "bundles": 0, "aliases": 0}
    for item in reference.gov_items:
        values = _item_row(item)
        row = existing.get(item.code)
        if row is None:
            db.session.add(GovListItem(**values))
            record(actor, "govlist.item.create", "gov_item", item.code, after=_jsonable(values))
            counts["added"] += 1
            continue
        before = {k: getattr(row, k) for k in values}
        if before == values:
            counts["unchanged"] += 1
            continue
        for key, value in values.items():
            setattr(row, key, value)
        record(actor, "govlist.item.update", "gov_item", item.code, before=_jsonable(before), after=_jsonable(values))
        counts["updated"] += 1

    db.session.execute(delete(BundleComponentDef))
    db.session.execute(delete(BundleDef))
    for bundle in reference.bundles:
        db.session.add(
            BundleDef(
                code=bundle.code,
                name_zh=bundle.name_zh,
                name_en=bundle.name_en,
                aliases=list(bundle.aliases),
                basis=bundle.basis,
                source=bundle.source,
                effective_from=bundle.effective_from,
                effective_until=bundle.effective_until,
                components=[
                    BundleComponentDef(
                        name_zh=c.name_zh,
                        name_en=c.name_en,
                        aliases=list(c.aliases),
                        basis=c.basis,
                        source=c.source,
                        effective_from=c.effective_from,
                    )
                    for c in bundle.components
                ],
            )
        )
        counts["bundles"] += 1

    db.session.execute(delete(FeeAlias))
    for entry in read_aliases(directory / "aliases.csv"):
        db.session.add(FeeAlias(alias=entry.alias, canonical=entry.canonical, source=entry.source))
        counts["aliases"] += 1
    record(actor, "govlist.load", "feelists", str(directory.name), after=dict(counts))
    revisions.bump(REVISION)
    db.session.commit()
    return counts


def _jsonable(values: dict[str, object]) -> dict[str, object]:
    """Dates and amounts as text, so the audit row's JSON keeps them exact."""
    return {k: str(v) if isinstance(v, (date, Decimal)) else v for k, v in values.items()}


def _to_model(row: GovListItem) -> GovItem:
    return GovItem(
        code=row.code,
        name_zh=row.name_zh,
        name_en=row.name_en,
        pricing_class=PricingClass(row.pricing_class),
        unit=row.unit,
        basis=row.basis,
        status=GovStatus(row.status),
        conditions=Conditions(trade=row.trade, container_size=row.container_size, laden=row.laden, cargo=row.cargo),
        rate=row.rate,
        rate_kind=RateKind(row.rate_kind) if row.rate_kind else None,
        currency=row.currency,
        service_content=row.service_content,
        effective_from=row.effective_from,
        effective_until=row.effective_until,
        folded_into=row.folded_into,
        pass_through=row.pass_through,
        verified=row.verified,
        aliases=tuple(row.aliases or ()),
        source=row.source,
        trust=row.trust,
        note=row.note,
    )


def reference() -> Reference:
    """The government list, bundles and aliases as the validator reads them.

    Built once per revision of the list and kept by the app: every search, estimate and check reads it, and a
    change anywhere moves the revision (`REVISION`), so a worker never uses a list another worker changed.
    """
    revision = revisions.current(REVISION)
    kept = current_app.extensions.get(REFERENCE_KEPT)
    if kept is not None and kept[0] == revision:
        return kept[1]
    built = _read_reference()
    current_app.extensions[REFERENCE_KEPT] = (revision, built)
    return built


def _read_reference() -> Reference:
    items = tuple(_to_model(r) for r in db.session.scalars(select(GovListItem).order_by(GovListItem.code)))
    bundles = tuple(
        Bundle(
            code=b.code,
            name_zh=b.name_zh,
            name_en=b.name_en,
            basis=b.basis,
            source=b.source,
            effective_from=b.effective_from,
            effective_until=b.effective_until,
            aliases=tuple(b.aliases or ()),
            components=tuple(
                BundleComponent(
                    name_zh=c.name_zh,
                    name_en=c.name_en,
                    basis=c.basis,
                    source=c.source,
                    effective_from=c.effective_from,
                    aliases=tuple(c.aliases or ()),
                )
                for c in b.components
            ),
        )
        for b in db.session.scalars(
            select(BundleDef).options(selectinload(BundleDef.components)).order_by(BundleDef.code)
        )
    )
    aliases = {normalise(a.alias): a.canonical for a in db.session.scalars(select(FeeAlias))}
    return Reference(gov_items=items, bundles=bundles, aliases=aliases)


def items_in_force(on: date) -> list[GovListItem]:
    rows = db.session.scalars(select(GovListItem).order_by(GovListItem.name_zh, GovListItem.code)).all()
    return [r for r in rows if within(on, r.effective_from, r.effective_until)]


def bundles_in_force(on: date) -> list[BundleDef]:
    """Bundle definitions in effect on `on`; their components are listed with the date each became mandatory."""
    rows = db.session.scalars(select(BundleDef).order_by(BundleDef.code)).all()
    return [b for b in rows if within(on, b.effective_from, b.effective_until)]


# Maintenance by the bureau: dated rows, bundles' components and aliases. Every change is audited and committed,
# then announced on `govlist_changed` (review re-validates the editions in force).

COMPONENT_FIELDS = ("name_zh", "name_en", "basis", "source", "effective_from")
IMPORT_MAX_ROWS = 5_000
EDITABLE_UNTIL = "effective_until"  # the one value of an existing row a change may set: the day it ends
EDITED_IN_PLACE = N_(
    "Row {code} already exists with other values. A rate is never edited in place: add a new row with its own "
    "code and effective date."
)
STARTS_TOO_EARLY = N_(
    "Row {code} would take effect on {date}, but {other} of the same item takes effect on {other_date}. A new row "
    "must start after the rows it follows."
)


@dataclass(frozen=True)
class ItemHistory:
    """Every dated row of one government-list item, by conditions and then by date."""

    name_zh: str
    name_en: str
    rows: list[GovListItem]


@dataclass
class Changes:
    """What a change of the list did: rows added, rows closed (ended the day before a successor), rows unchanged."""

    added: list[str] = field(default_factory=list)
    closed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


def _changed(actor: Actor | None, reason: str) -> None:
    """Announce a committed change (portal/govlist/signals.py): review re-validates, kept copies are dropped."""
    govlist_changed.send(current_app._get_current_object(), actor=actor, reason=reason)


@govlist_changed.connect
def _drop_kept_reference(app: Flask, **_news: object) -> None:
    app.extensions.pop(REFERENCE_KEPT, None)


def _check_admin(actor: Actor | None) -> None:
    if actor is not None and getattr(actor, "role", None) != Role.ADMIN:
        raise PermissionDenied(N_("Only an administrator may change the government list."))


@contextmanager
def _committing() -> Iterator[None]:
    """A change of the list: committed with a move of its revision (every worker's kept copy expires), or nothing."""
    with atomic():
        yield
        revisions.bump(REVISION)


def history() -> list[ItemHistory]:
    """All rows, past and future included, grouped by item in the order the list first names them."""
    groups: dict[str, list[GovListItem]] = {}
    for row in db.session.scalars(select(GovListItem).order_by(GovListItem.id)):
        groups.setdefault(row.name_zh, []).append(row)
    return [ItemHistory(name, rows[0].name_en, sorted(rows, key=_dated)) for name, rows in groups.items()]


def _dated(row: GovListItem) -> tuple[str, ...]:
    conditions = (row.trade or "", row.container_size or "", row.laden or "", row.cargo or "")
    return (*conditions, (row.effective_from or date.min).isoformat(), row.code)


def get_item(item_id: int) -> GovListItem:
    row = db.session.get(GovListItem, item_id)
    if row is None:
        raise NotFound(N_("No such government-list row."))
    return row


def item_values(row: GovListItem) -> dict[str, str]:
    """A stored row as the text of govlist.csv's columns (to start a new dated row from it)."""
    values = _item_row(_to_model(row))
    text = {k: "|".join(v) if isinstance(v, list) else _cell(v) for k, v in values.items()}
    return {column: text.get(column, "") for column in GOVLIST_COLUMNS}


def _cell(value: object) -> str:
    """A value as govlist.csv writes it: true/false, rates with their places (13.60, 0.125), dates in ISO."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        exponent = value.normalize().as_tuple().exponent
        places = max(2, -exponent if isinstance(exponent, int) else 0)
        return f"{value:.{places}f}"
    return str(value)


def parse_rows(rows: Sequence[Sequence[str]]) -> list[GovItem]:
    """Rows of govlist.csv (the first one its header) read by the feelists loader itself, so they are checked alike.

    A row the loader refuses raises InvalidInput with `row` (the row's number, the header being 1) and `column`.
    """
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / GOVLIST_FILE
        with path.open("w", encoding="utf-8", newline="") as stream:
            csv.writer(stream).writerows(rows)
        try:
            return list(read_gov_items(path))
        except FeelistError as error:
            raise InvalidInput(
                N_("Row {row}, column {column}: {problem}"),
                row=error.line,
                column=error.column or "—",
                problem=error.message,
            ) from error


def add_item(values: Mapping[str, str], actor: Actor | None) -> Changes:
    """Add one dated row from the form; the row it follows ends the day before it takes effect."""
    _check_admin(actor)
    row = [" ".join(values.get(column, "").split()) for column in GOVLIST_COLUMNS]
    items = parse_rows([list(GOVLIST_COLUMNS), row])
    with _committing():
        changes = _add_items(items, actor)
    _changed(actor, f"add {items[0].code}")
    return changes


def import_items(data: bytes, filename: str, actor: Actor | None, limits: GuardLimits | None = None) -> Changes:
    """Add the rows of an uploaded workbook (first sheet, govlist.csv's columns in row 1): all of them, or none."""
    _check_admin(actor)
    try:
        guard = inspect_upload(data, filename, limits)
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheet = book.sheet_names[0]
        cells = book.get_sheet_by_index(0).to_python(skip_empty_area=False)
    except UploadRefused as error:
        raise InvalidInput(error.message, **error.params) from error
    except (python_calamine.CalamineError, IndexError, ValueError, TypeError, OverflowError) as error:
        raise InvalidInput(N_("The workbook could not be read. Save it again as Excel Workbook (.xlsx).")) from error
    formulas = guard.formulas_in(sheet)
    if formulas:
        raise InvalidInput(
            N_("The sheet has formulas ({cells}); the import takes values only. Paste them as values."),
            cells=", ".join(formulas[:5]),
        )
    if len(cells) > IMPORT_MAX_ROWS + 1:
        raise InvalidInput(N_("The sheet has more than {limit} rows."), limit=IMPORT_MAX_ROWS)
    header = [_sheet_text(value) for value in (cells[0] if cells else [])]
    while header and not header[-1]:
        header.pop()
    rows = [header] + [
        [_sheet_text(v) for v in row[: len(header)]] + [""] * (len(header) - len(row)) for row in cells[1:]
    ]
    items = parse_rows(rows)
    if not items:
        raise InvalidInput(N_("The sheet has no rows of the government list under its header."))
    with _committing():
        changes = _add_items(items, actor)
        record(actor, "govlist.import", "feelists", filename[:64], after=asdict(changes))
    _changed(actor, f"import {filename}")
    return changes


def _sheet_text(value: object) -> str:
    """A calamine value as govlist.csv writes it: true/false, numbers without float noise, dates in ISO."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return cell_text(value)


def _add_items(items: Sequence[GovItem], actor: Actor | None) -> Changes:
    """Known codes must be unchanged (or only ended); new codes are added in date order, each closing its forerunner."""
    rows = {row.code: row for row in db.session.scalars(select(GovListItem))}
    changes = Changes()
    new: list[GovItem] = []
    for item in items:
        row = rows.get(item.code)
        if row is None:
            new.append(item)
            continue
        values = _item_row(item)
        differing = {k for k, v in values.items() if getattr(row, k) != v}
        if not differing:
            changes.unchanged.append(item.code)
        elif differing == {EDITABLE_UNTIL} and row.effective_until is None:
            _close(row, values[EDITABLE_UNTIL], actor, changes)
        else:
            raise InvalidInput(EDITED_IN_PLACE, code=item.code)
    for item in sorted(new, key=lambda i: i.effective_from or date.min):
        if item.effective_from is None:
            raise InvalidInput(N_("Row {code} needs the date it takes effect."), code=item.code)
        if item.folded_into and db.session.scalar(select(BundleDef).where(BundleDef.code == item.folded_into)) is None:
            raise InvalidInput(
                N_("Row {code} is folded into {bundle}, which is not a bundle."),
                code=item.code,
                bundle=item.folded_into,
            )
        for row in rows.values():
            if _same_item(row, item):
                _follow(row, item, actor, changes)
        values = _item_row(item)
        rows[item.code] = GovListItem(**values)
        db.session.add(rows[item.code])
        record(actor, "govlist.item.create", "gov_item", item.code, after=_jsonable(values))
        changes.added.append(item.code)
    db.session.flush()
    return changes


def _same_item(row: GovListItem, item: GovItem) -> bool:
    c = item.conditions
    ours = (item.name_zh, c.trade, c.container_size, c.laden, c.cargo)
    return (row.name_zh, row.trade, row.container_size, row.laden, row.cargo) == ours


def _follow(row: GovListItem, item: GovItem, actor: Actor | None, changes: Changes) -> None:
    """`item` follows `row` in time: a row taking effect on or after it is refused, an open one ended before it."""
    start = item.effective_from or date.min
    if row.effective_from is not None and row.effective_from >= start:
        raise InvalidInput(
            STARTS_TOO_EARLY,
            code=item.code,
            date=start.isoformat(),
            other=row.code,
            other_date=row.effective_from.isoformat(),
        )
    if row.effective_until is None or row.effective_until >= start:
        _close(row, start - timedelta(days=1), actor, changes)


def _close(row: GovListItem, until: date, actor: Actor | None, changes: Changes) -> None:
    before = row.effective_until
    row.effective_until = until
    record(
        actor,
        "govlist.item.close",
        "gov_item",
        row.code,
        before={EDITABLE_UNTIL: _cell(before)},
        after={EDITABLE_UNTIL: _cell(until)},
    )
    changes.closed.append(row.code)


def get_bundle(bundle_id: int) -> BundleDef:
    bundle = db.session.get(BundleDef, bundle_id)
    if bundle is None:
        raise NotFound(N_("No such bundle."))
    return bundle


def add_component(bundle: BundleDef, component: BundleComponent, actor: Actor | None) -> BundleComponentDef:
    """A service the bundle must include from the component's effective date."""
    _check_admin(actor)
    if any(normalise(c.name_zh) == normalise(component.name_zh) for c in bundle.components):
        raise InvalidInput(N_("{name} is already a component of this bundle."), name=component.name_zh)
    added = BundleComponentDef(
        name_zh=component.name_zh,
        name_en=component.name_en,
        aliases=list(component.aliases),
        basis=component.basis,
        source=component.source,
        effective_from=component.effective_from,
    )
    with _committing():
        bundle.components.append(added)
        after = {"bundle": bundle.code, **_jsonable({k: getattr(component, k) for k in COMPONENT_FIELDS})}
        record(actor, "govlist.bundle.component.add", "bundle", bundle.code, after=after)
    _changed(actor, f"add {component.name_zh} to {bundle.code}")
    return added


def remove_component(component_id: int, actor: Actor | None) -> None:
    """The bundle no longer has to include this service; the audit row keeps what it was."""
    _check_admin(actor)
    component = db.session.get(BundleComponentDef, component_id)
    if component is None:
        raise NotFound(N_("No such bundle component."))
    code = component.bundle.code
    with _committing():
        before = {"bundle": code, **_jsonable({k: getattr(component, k) for k in COMPONENT_FIELDS})}
        before["aliases"] = list(component.aliases or ())
        db.session.delete(component)
        record(actor, "govlist.bundle.component.remove", "bundle", code, before=before)
    _changed(actor, f"remove {before['name_zh']} from {code}")


def aliases() -> Sequence[FeeAlias]:
    return db.session.scalars(select(FeeAlias).order_by(FeeAlias.canonical, FeeAlias.alias)).all()


def add_alias(alias: str, canonical: str, source: str, actor: Actor | None) -> FeeAlias:
    """Another name for a fee; it must not be an official name, nor stand for something else already."""
    _check_admin(actor)
    alias, canonical = alias.strip(), canonical.strip()
    key = normalise(alias)
    if not key or key == normalise(canonical):
        raise InvalidInput(N_("An alias must differ from the name it stands for."))
    known = {normalise(a.alias): a.canonical for a in aliases()}
    if key in known:
        raise InvalidInput(N_("{alias} already stands for {canonical}."), alias=alias, canonical=known[key])
    if normalise(canonical) in known:
        raise InvalidInput(N_("{canonical} is itself an alias; name the fee it stands for."), canonical=canonical)
    official = {normalise(n) for n in db.session.scalars(select(GovListItem.name_zh))}
    official |= {normalise(n) for n in db.session.scalars(select(BundleDef.name_zh))}
    if key in official:
        raise InvalidInput(N_("{alias} is an official name, not an alias."), alias=alias)
    entry = FeeAlias(alias=alias, canonical=canonical, source=source.strip())
    with _committing():
        db.session.add(entry)
        record(actor, "govlist.alias.add", "alias", alias, after={"alias": alias, "canonical": canonical})
    _changed(actor, f"alias {alias}")
    return entry


def remove_alias(alias_id: int, actor: Actor | None) -> None:
    _check_admin(actor)
    entry = db.session.get(FeeAlias, alias_id)
    if entry is None:
        raise NotFound(N_("No such alias."))
    before = {"alias": entry.alias, "canonical": entry.canonical, "source": entry.source}
    with _committing():
        db.session.delete(entry)
        record(actor, "govlist.alias.remove", "alias", before["alias"], before=before)
    _changed(actor, f"remove alias {before['alias']}")


def recent_changes(limit: int = 50) -> Sequence[AuditEntry]:
    """The latest audited changes of the list, bundles and aliases, newest first."""
    return db.session.scalars(
        select(AuditEntry).where(AuditEntry.action.like("govlist.%")).order_by(AuditEntry.id.desc()).limit(limit)
    ).all()

"""The government list as the validator reads it: loaded from feelists/ into the database, read back as one
Reference (kept per revision, so every worker sees a change at once), and the rows and bundles in force on a day."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from flask import Flask, current_app
from sqlalchemy import delete, select
from sqlalchemy.orm import selectinload

from portal.audit import revisions
from portal.audit.services import Actor, record
from portal.extensions import db
from portal.govlist.loader import (
    load_reference,
    read_aliases,
)
from portal.govlist.models import BundleComponentDef, BundleDef, FeeAlias, GovListItem
from portal.govlist.signals import govlist_changed
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


def item_row(item: GovItem) -> dict[str, object]:
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
        values = item_row(item)
        row = existing.get(item.code)
        if row is None:
            db.session.add(GovListItem(**values))
            record(actor, "govlist.item.create", "gov_item", item.code, after=jsonable(values))
            counts["added"] += 1
            continue
        before = {k: getattr(row, k) for k in values}
        if before == values:
            counts["unchanged"] += 1
            continue
        for key, value in values.items():
            setattr(row, key, value)
        record(actor, "govlist.item.update", "gov_item", item.code, before=jsonable(before), after=jsonable(values))
        counts["updated"] += 1

    db.session.execute(delete(BundleComponentDef))
    db.session.execute(delete(BundleDef))
    for bundle in reference.bundles:
        db.session.add(bundle_row(bundle))
        counts["bundles"] += 1

    db.session.execute(delete(FeeAlias))
    for entry in read_aliases(directory / "aliases.csv"):
        db.session.add(FeeAlias(alias=entry.alias, canonical=entry.canonical, source=entry.source))
        counts["aliases"] += 1
    record(actor, "govlist.load", "feelists", str(directory.name), after=dict(counts))
    revisions.bump(REVISION)
    db.session.commit()
    return counts


def jsonable(values: dict[str, object]) -> dict[str, object]:
    """Dates and amounts as text, so the audit row's JSON keeps them exact."""
    return {k: str(v) if isinstance(v, (date, Decimal)) else v for k, v in values.items()}


def to_model(row: GovListItem) -> GovItem:
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


# What a bundle and each of its components are, besides their aliases (a list when stored, a tuple when read).
COMPONENT_FIELDS = ("name_zh", "name_en", "basis", "source", "effective_from")
BUNDLE_FIELDS = ("code", *COMPONENT_FIELDS, "effective_until")


def fields_of(source: object, names: tuple[str, ...]) -> dict[str, object]:
    """The named attributes of a row or a value, by name."""
    return {name: getattr(source, name) for name in names}


def component_row(component: BundleComponent) -> BundleComponentDef:
    """A bundle's component as stored (its `bundle` is set by the bundle it is appended to)."""
    return BundleComponentDef(**fields_of(component, COMPONENT_FIELDS), aliases=list(component.aliases))


def bundle_row(bundle: Bundle) -> BundleDef:
    """A bundle and its components as stored."""
    return BundleDef(
        **fields_of(bundle, BUNDLE_FIELDS),
        aliases=list(bundle.aliases),
        components=[component_row(c) for c in bundle.components],
    )


def bundle_model(row: BundleDef) -> Bundle:
    """A stored bundle and its components as the validator reads them."""
    return Bundle(
        **fields_of(row, BUNDLE_FIELDS),
        aliases=tuple(row.aliases or ()),
        components=tuple(
            BundleComponent(**fields_of(c, COMPONENT_FIELDS), aliases=tuple(c.aliases or ())) for c in row.components
        ),
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
    items = tuple(to_model(r) for r in db.session.scalars(select(GovListItem).order_by(GovListItem.code)))
    bundles = tuple(
        bundle_model(b)
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


@govlist_changed.connect
def _drop_kept_reference(app: Flask, **_news: object) -> None:
    app.extensions.pop(REFERENCE_KEPT, None)

"""Bundles' components and the aliases of fee names: added and removed by administrators, audited; the recent
changes of the whole list."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from sqlalchemy import select

from portal.audit.models import AuditEntry
from portal.audit.services import Actor, record
from portal.errors import InvalidInput, NotFound
from portal.extensions import db
from portal.govlist.changes import changed, check_admin, committing
from portal.govlist.models import BundleComponentDef, BundleDef, FeeAlias, GovListItem
from portal.govlist.reference import COMPONENT_FIELDS, component_row, fields_of, jsonable
from portal.validation.findings import N_
from portal.validation.model import (
    BundleComponent,
)
from portal.validation.names import normalise

_Row = TypeVar("_Row", BundleDef, BundleComponentDef, FeeAlias)


def _found(model: type[_Row], key: int, missing: str) -> _Row:
    """The row of `model` with this id, or NotFound saying `missing`."""
    row = db.session.get(model, key)
    if row is None:
        raise NotFound(missing)
    return row


def get_bundle(bundle_id: int) -> BundleDef:
    return _found(BundleDef, bundle_id, N_("No such bundle."))


def add_component(bundle: BundleDef, component: BundleComponent, actor: Actor | None) -> BundleComponentDef:
    """A service the bundle must include from the component's effective date."""
    check_admin(actor)
    if any(normalise(c.name_zh) == normalise(component.name_zh) for c in bundle.components):
        raise InvalidInput(N_("{name} is already a component of this bundle."), name=component.name_zh)
    added = component_row(component)
    with committing():
        bundle.components.append(added)
        after = {"bundle": bundle.code, **jsonable(fields_of(component, COMPONENT_FIELDS))}
        record(actor, "govlist.bundle.component.add", "bundle", bundle.code, after=after)
    changed(actor, f"add {component.name_zh} to {bundle.code}")
    return added


def remove_component(component_id: int, actor: Actor | None) -> None:
    """The bundle no longer has to include this service; the audit row keeps what it was."""
    check_admin(actor)
    component = _found(BundleComponentDef, component_id, N_("No such bundle component."))
    code = component.bundle.code
    with committing():
        before = {"bundle": code, **jsonable(fields_of(component, COMPONENT_FIELDS))}
        before["aliases"] = list(component.aliases or ())
        db.session.delete(component)
        record(actor, "govlist.bundle.component.remove", "bundle", code, before=before)
    changed(actor, f"remove {before['name_zh']} from {code}")


def aliases() -> Sequence[FeeAlias]:
    return db.session.scalars(select(FeeAlias).order_by(FeeAlias.canonical, FeeAlias.alias)).all()


def add_alias(alias: str, canonical: str, source: str, actor: Actor | None) -> FeeAlias:
    """Another name for a fee; it must not be an official name, nor stand for something else already."""
    check_admin(actor)
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
    with committing():
        db.session.add(entry)
        record(actor, "govlist.alias.add", "alias", alias, after={"alias": alias, "canonical": canonical})
    changed(actor, f"alias {alias}")
    return entry


def remove_alias(alias_id: int, actor: Actor | None) -> None:
    check_admin(actor)
    entry = _found(FeeAlias, alias_id, N_("No such alias."))
    before = {"alias": entry.alias, "canonical": entry.canonical, "source": entry.source}
    with committing():
        db.session.delete(entry)
        record(actor, "govlist.alias.remove", "alias", before["alias"], before=before)
    changed(actor, f"remove alias {before['alias']}")


def recent_changes(limit: int = 50) -> Sequence[AuditEntry]:
    """The latest audited changes of the list, bundles and aliases, newest first."""
    return db.session.scalars(
        select(AuditEntry).where(AuditEntry.action.like("govlist.%")).order_by(AuditEntry.id.desc()).limit(limit)
    ).all()

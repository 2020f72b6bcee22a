"""Queries of the single window over published lines: fee search with aliases, editions in force, recent editions."""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, false, func, or_, select

from portal.catalogue.models import Catalogue, CatalogueVersion, FeeLineRecord, VersionStatus
from portal.extensions import db
from portal.govlist import services as govlist
from portal.operators.models import Operator, OperatorKind, PortArea
from portal.public import changelog
from portal.publishing import snapshot
from portal.validation.model import Reference
from portal.validation.names import NameIndex, normalise

PER_PAGE = 50
MAX_QUERY = 100  # characters of a query that are searched; the rest is ignored
MIN_EXPANDED = 2  # a one-character query is matched as written, without alias expansion
PUBLIC_STATUSES = (VersionStatus.PUBLISHED, VersionStatus.SUPERSEDED)


@dataclass(frozen=True)
class Filters:
    """What a visitor searches for: words of a fee name, and the port area, operator, kind and pricing class."""

    q: str = ""
    port: str = ""  # port area code (NANSHA ...)
    operator: str = ""  # credit code
    kind: str = ""  # OperatorKind value
    pricing_class: str = ""  # 定价方式 as written


@dataclass(frozen=True)
class FeeHit:
    """One line in force, with the operator that charges it and the edition it belongs to."""

    credit_code: str
    operator_name_zh: str
    operator_name_en: str | None
    operator_kind: str
    edition_code: str
    effective_from: date
    line_no: str
    name: str
    conditions: str
    service_content: str
    standard: str
    unit: str
    currency: str
    pricing_class: str
    remarks: str

    def operator_name(self, locale: str) -> str:
        return self.operator_name_en if locale.startswith("en") and self.operator_name_en else self.operator_name_zh


@dataclass(frozen=True)
class ResultPage:
    hits: tuple[FeeHit, ...]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))


@dataclass(frozen=True)
class InForce:
    """An operator's edition in force on a date, without its lines."""

    edition_code: str
    effective_from: date


def _names(*written: str) -> set[str]:
    return {key for key in (normalise(name) for name in written if name) if key}


def search_terms(query: str, reference: Reference) -> tuple[str, ...]:
    """The normalised strings a fee name query matches as substrings: the query and every name it stands for.

    文件费 stands for 单证费 (its canonical name) and DOC (another alias of it); a part of a government-list item's,
    bundle's or component's name or alias stands for all its names (港务 -> 货物港务费, 船舶港务费 ...). A term
    containing another term adds nothing and is dropped, so the list stays short.
    """
    key = normalise(query[:MAX_QUERY])
    if not key:
        return ()
    terms = {key}
    if len(key) >= MIN_EXPANDED:
        index = NameIndex(reference)
        aliases = {normalise(alias): normalise(canonical) for alias, canonical in reference.aliases.items()}
        canonicals = {c for a, c in aliases.items() if key in a or key in c} | {index.canonical(query)}
        terms |= canonicals | {a for a, c in aliases.items() if c in canonicals}
        components = [c for bundle in reference.bundles for c in bundle.components]
        for entry in (*reference.gov_items, *reference.bundles, *components):
            names = _names(entry.name_zh, entry.name_en, *entry.aliases)
            if any(key in name for name in names):
                terms |= names
        for entry in (*index.gov_items(query), *index.bundles(query)):
            terms |= _names(entry.name_zh, entry.name_en, *entry.aliases)
    shortest_first = sorted(terms, key=lambda t: (len(t), t))
    kept: list[str] = []
    for term in shortest_first:
        if not any(shorter in term for shorter in kept):
            kept.append(term)
    return tuple(kept)


def line_matches(name: str, name_key: str, terms: Collection[str]) -> bool:
    """The Python twin of the SQL match: a term inside the line's name key or its lower-cased name."""
    lowered = name.lower()
    return any(term in name_key or term in lowered for term in terms)


def name_condition(terms: Iterable[str]) -> ColumnElement[bool]:
    """SQL: a line whose name key or lower-cased name contains one of `terms` (LIKE metacharacters escaped)."""
    clauses = []
    for term in terms:
        clauses.append(FeeLineRecord.name_key.contains(term, autoescape=True))
        clauses.append(func.lower(FeeLineRecord.name).contains(term, autoescape=True))
    return or_(*clauses) if clauses else false()


def search(
    on: date,
    filters: Filters,
    *,
    page: int = 1,
    per_page: int = PER_PAGE,
    reference: Reference | None = None,
) -> ResultPage:
    """The lines of every edition in force on `on` that match, by operator then list order, one page of them.

    `page` beyond the last is the last page. The government list is read for alias expansion unless given.
    """
    current = snapshot.in_force_query(on).subquery()
    query = (
        select(
            Operator.credit_code,
            Operator.name_zh.label("operator_name_zh"),
            Operator.name_en.label("operator_name_en"),
            Operator.kind.label("operator_kind"),
            current.c.edition_code,
            current.c.effective_from,
            FeeLineRecord.line_no,
            FeeLineRecord.name,
            FeeLineRecord.conditions,
            FeeLineRecord.service_content,
            FeeLineRecord.standard,
            FeeLineRecord.unit,
            FeeLineRecord.currency,
            FeeLineRecord.pricing_class,
            FeeLineRecord.remarks,
        )
        .join_from(FeeLineRecord, current, FeeLineRecord.version_id == current.c.id)
        .join(Catalogue, Catalogue.id == current.c.catalogue_id)
        .join(Operator, Operator.id == Catalogue.operator_id)
        .where(FeeLineRecord.change_mark != snapshot.DELETED)
    )
    if filters.q.strip():
        terms = search_terms(filters.q, reference if reference is not None else govlist.reference())
        query = query.where(name_condition(terms))
    if filters.port:
        query = query.where(Operator.port_areas.any(PortArea.code == filters.port))
    if filters.operator:
        query = query.where(Operator.credit_code == filters.operator.strip().upper())
    if filters.kind in {k.value for k in OperatorKind}:
        query = query.where(Operator.kind == OperatorKind(filters.kind))
    if filters.pricing_class:
        query = query.where(FeeLineRecord.pricing_class == filters.pricing_class)
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    pages = max(1, math.ceil(total / per_page))
    page = min(max(page, 1), pages)
    rows = db.session.execute(
        query.order_by(Operator.name_zh, Operator.id, FeeLineRecord.position, FeeLineRecord.id)
        .offset((page - 1) * per_page)
        .limit(per_page)
    )
    hits = tuple(
        FeeHit(**{**row._asdict(), "operator_kind": str(row.operator_kind), "currency": row.currency or "CNY"})
        for row in rows
    )
    return ResultPage(hits=hits, total=total, page=page, per_page=per_page)


def editions_in_force(on: date) -> dict[int, InForce]:
    """Operator id -> the edition in force on `on` (code and date only: no line is loaded)."""
    current = snapshot.in_force_query(on).subquery()
    rows = db.session.execute(
        select(Catalogue.operator_id, current.c.edition_code, current.c.effective_from).join(
            current, Catalogue.id == current.c.catalogue_id
        )
    )
    return {operator_id: InForce(code, effective) for operator_id, code, effective in rows}


def recent_editions(
    *, credit_code: str = "", terms: Collection[str] = (), limit: int = 50
) -> list[changelog.EditionChanges]:
    """Published editions, newest publication first, with their changes; only those changing a matching fee if
    `terms` are given (see `search_terms`), only one operator's if `credit_code` is.

    Each operator's history is read once, for the diff of editions that carry no change marks.
    """
    query = (
        select(CatalogueVersion.id, Catalogue.operator_id)
        .join(Catalogue, Catalogue.id == CatalogueVersion.catalogue_id)
        .where(CatalogueVersion.status.in_(PUBLIC_STATUSES))
        .order_by(CatalogueVersion.published_at.desc(), CatalogueVersion.id.desc())
    )
    if credit_code:
        query = query.join(Operator, Operator.id == Catalogue.operator_id).where(
            Operator.credit_code == credit_code.strip().upper()
        )
    if terms:
        ever_charged = (
            select(CatalogueVersion.catalogue_id)
            .join(FeeLineRecord, FeeLineRecord.version_id == CatalogueVersion.id)
            .where(CatalogueVersion.status.in_(PUBLIC_STATUSES), name_condition(terms))
        )
        query = query.where(CatalogueVersion.catalogue_id.in_(ever_charged))
    else:
        query = query.limit(limit)
    histories: dict[int, list[snapshot.PublishedEdition]] = {}
    found: list[changelog.EditionChanges] = []
    for version_id, operator_id in db.session.execute(query).all():
        if operator_id not in histories:
            histories[operator_id] = list(snapshot.history(operator_id))
        history = histories[operator_id]
        edition = next((e for e in history if e.version_id == version_id), None)
        if edition is None:
            continue
        changes = changelog.changes(edition, history)
        if terms and not any(line_matches(c.line.name, c.line.name_key, terms) for c in changes.lines):
            continue
        found.append(changes)
        if len(found) >= limit:
            break
    return found

"""Queries of the single window over published lines: fee search with aliases, editions in force, recent editions."""

from __future__ import annotations

import json
import math
from collections.abc import Collection, Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, false, literal_column, or_, select

from portal import cache
from portal.audit import revisions
from portal.audit.revisions import PUBLIC_REVISION
from portal.catalogue.models import Catalogue, CatalogueVersion, FeeLineRecord, FeeName, VersionStatus
from portal.catalogue.services import in_force_condition
from portal.extensions import db
from portal.govlist import services as govlist
from portal.operators.models import Operator, OperatorKind, PortArea, operator_port_area
from portal.public import changelog
from portal.publishing import edition_sets, snapshot
from portal.validation.model import Reference
from portal.validation.names import NameIndex, normalise

PER_PAGE = 50
COUNT_LIMIT = 1000  # matching lines counted; past this a search says "more than 1,000" (see `FirstLines`)
MAX_QUERY = 100  # characters of a query that are searched; the rest is ignored
FEW_EDITIONS = 500  # a filter leaving at most this many editions, without words, reads their lines by edition
FEW_OPERATORS = 200  # a filter leaving more operators takes their editions from the edition set in force
MIN_EXPANDED = 2  # a one-character query is matched as written, without alias expansion
PUBLIC_STATUSES = (VersionStatus.PUBLISHED, VersionStatus.SUPERSEDED)
# The (name_key, version_id) index's order, made total: the order of every search's lines (see `matching_lines`).
INDEX_ORDER = (FeeLineRecord.name_key, FeeLineRecord.version_id, FeeLineRecord.position, FeeLineRecord.id)


@dataclass(frozen=True)
class Filters:
    """What a visitor searches for: words of a fee name, and the port area, operator, kind and pricing class."""

    q: str = ""
    port: str = ""  # port area code (NANSHA ...)
    operator: str = ""  # credit code
    kind: str = ""  # OperatorKind value
    pricing_class: str = ""  # 定价方式 as written
    operator_ids: tuple[int, ...] = ()  # operators the query's words name (see `query_words`)
    ports: tuple[str, ...] = ()  # port area codes the query's words name
    sort: str = ""  # "" (by fee name, the index's order), "price", "operator" or "date"
    group: str = ""  # "" (by fee) or "operator"


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
    operator_id: int = 0
    line_id: int = 0
    amount: str | None = None  # exact, as text (a cached page is JSON)
    amount_max: str | None = None
    name_key: str = ""

    def operator_name(self, locale: str) -> str:
        return self.operator_name_en if locale.startswith("en") and self.operator_name_en else self.operator_name_zh


@dataclass(frozen=True)
class ResultPage:
    hits: tuple[FeeHit, ...]
    total: int  # lines counted, at most COUNT_LIMIT
    page: int
    per_page: int
    more: bool = False  # more lines match than were counted

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
        index = NameIndex.of(reference)
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


def line_matches(name_key: str, terms: Collection[str]) -> bool:
    """The Python twin of the SQL match: a term inside the line's name key."""
    return any(term in name_key for term in terms)


def name_condition(terms: Iterable[str]) -> ColumnElement[bool]:
    """SQL: a line whose name key contains one of `terms` (LIKE metacharacters escaped).

    The terms are matched against the distinct name keys (`FeeName`: thousands of rows, trigram-indexed on
    PostgreSQL), never against the million lines; lines are then found by the (name_key, version_id) index.
    """
    clauses = [FeeName.key.contains(term, autoescape=True) for term in terms]
    if not clauses:
        return false()
    return FeeLineRecord.name_key.in_(select(FeeName.key).where(or_(*clauses)))


def _matching_names(terms: Collection[str]) -> list[str]:
    """The registered name keys containing one of `terms` (a few dozen to a few hundred of the thousands), read
    before the lines: the lines query then gets them as a list, which both databases walk in the index's order.

    Given the names as a subquery instead, PostgreSQL merge-joined them with the whole (name_key, version_id)
    index, from its first entry (79,000 lines read for 52 at national scale: 0.27 s), or, for a search narrowed
    to some editions, joined each name with every line of those editions (0.2 s). Measured at 1,000,000 lines,
    the same 26 searches, alternately: p95 53 ms against 338 ms on PostgreSQL, 74 against 84 ms on SQLite.
    """
    clauses = [FeeName.key.contains(term, autoescape=True) for term in terms]
    if not clauses:
        return []
    return list(db.session.scalars(select(FeeName.key).where(or_(*clauses)).order_by(FeeName.key)))


def any_name() -> ColumnElement[bool]:
    """SQL: a line with any registered name, i.e. every line; written like `name_condition` so that a search
    without words walks the same index in the same order rather than sorting a million lines."""
    return FeeLineRecord.name_key.in_(select(FeeName.key))


@dataclass(frozen=True)
class LineCriteria:
    """What a line of `matching_lines` meets (SQL conditions on the line and its `CatalogueVersion` only), and how
    the database is led to those lines.

    `by_edition`: a few editions and no words. Their lines (a few thousand at most) are read by the edition index
    first and then sorted. Left to itself with a page's LIMIT, PostgreSQL walks the (name_key, version_id) index in
    the order asked and filters the editions instead, reading 86,000 lines for a page of terminals in Huangpu (90
    against 22 ms at national scale).
    """

    conditions: tuple[ColumnElement[bool], ...]
    by_edition: bool = False


def matching_lines(on: date, filters: Filters, reference: Reference | None, *columns: Any) -> Select:
    """`columns` of the lines of every edition in force on `on` that match `filters`: grouped by fee name, then by
    edition (operators in the order they published), then in list order.

    That order is the (name_key, version_id) index's own, so the database walks the index and stops after a page
    instead of sorting every match (hundreds of thousands for a broad query at national scale). The edition,
    catalogue and operator are joined for the columns and filters to use. The government list is read for alias
    expansion unless given.
    """
    return lines_where(line_criteria(on, filters, reference), *columns)


def lines_where(criteria: LineCriteria, *columns: Any) -> Select:
    """`columns` of the lines meeting `criteria` (see `line_criteria`), in `matching_lines` order."""
    if criteria.by_edition:
        # Every column is read into the materialized set, then the set is sorted: joining back only the page's lines
        # after a sort of ids, PostgreSQL joined all of them first (59 against 22 ms for terminals in Huangpu).
        order = (
            FeeLineRecord.name_key.label("order_name"),
            FeeLineRecord.version_id.label("order_edition"),
            FeeLineRecord.position.label("order_position"),
            FeeLineRecord.id.label("order_line"),
        )
        found = list(_joined(select(*columns, *order), criteria).cte("found").prefix_with("MATERIALIZED").c)
        if len(found) != len(columns) + len(order):
            raise ValueError("each column of a search is asked for once")
        return select(*found[: len(columns)]).order_by(*found[len(columns) :])
    return _joined(select(*columns), criteria).order_by(*INDEX_ORDER)


def _joined(query: Select, criteria: LineCriteria) -> Select:
    """`query` over the lines meeting `criteria`, with their edition, catalogue and operator."""
    return (
        query.select_from(FeeLineRecord)
        .join(CatalogueVersion, FeeLineRecord.version_id == CatalogueVersion.id)
        .join(Catalogue, Catalogue.id == CatalogueVersion.catalogue_id)
        .join(Operator, Operator.id == Catalogue.operator_id)
        .where(*criteria.conditions)
    )


@dataclass(frozen=True)
class FirstLines:
    """The first lines meeting some criteria, in `matching_lines` order: at most `limit` + 1 ids, found in one walk.

    A broad query (港, 费) matches hundreds of thousands of lines: counting them all would cost more than the page
    itself, and no one pages that far; past `limit` the visitor is asked to narrow the search instead. A search
    needs the lines twice, for its count and for its page, which lies among them (the page number is clamped to the
    lines counted). Found once, the database plans and walks the lines once, and the page's columns are read for
    its own lines only, by id: a filter leaving thousands of editions lists them all in the statement, and
    PostgreSQL's planner spends about 10 ms on such a list (6,835 forwarders' editions), once a statement.
    """

    criteria: LineCriteria
    ids: tuple[int, ...]
    limit: int

    @property
    def total(self) -> int:
        """The lines counted: at most `limit`."""
        return min(len(self.ids), self.limit)

    @property
    def more(self) -> bool:
        """Whether more lines match than were counted."""
        return len(self.ids) > self.limit

    def lines(self, *columns: Any) -> Select:
        """`columns` of every line found, in `matching_lines` order."""
        return self._of(self.ids, columns)

    def page(self, offset: int, per_page: int, *columns: Any) -> Select:
        """`columns` of the lines from `offset`, at most `per_page`, in `matching_lines` order: read by id when the
        page lies among the lines found, else (past `limit`, when more match) walked to from the first."""
        if self.more and offset + per_page > len(self.ids):
            return lines_where(self.criteria, *columns).offset(offset).limit(per_page)
        return self._of(self.ids[offset : offset + per_page], columns)

    @staticmethod
    def _of(ids: Sequence[int], columns: Sequence[Any]) -> Select:
        # The ids bound (an expanding parameter): the statement is the same for every page, so SQLAlchemy compiles
        # it once. Ordered as the walk that found them (a subset keeps its order): a sort of a page, not the table.
        chosen = LineCriteria((FeeLineRecord.id.in_(list(ids)),))
        return _joined(select(*columns), chosen).order_by(*INDEX_ORDER)


def first_lines(criteria: LineCriteria, limit: int | None = None) -> FirstLines:
    """The ids of the first `limit` + 1 lines meeting `criteria`, in `matching_lines` order, joining only the edition
    the criteria test (not the catalogue and operator a page's columns need: two index probes fewer a line).

    Lines found by name are walked in the name index's order, which stops after `limit` + 1: without an order,
    PostgreSQL counted a forwarder search for DOC by reading every line of the 6,835 forwarders' editions (339,000
    lines, 131 ms) instead of the 8,600 lines of the names (10 ms). Lines of a few editions are read by the edition
    index and then sorted (see `LineCriteria.by_edition`).
    """
    limit = COUNT_LIMIT if limit is None else limit
    if criteria.by_edition:
        found = _edition_lines(criteria, *INDEX_ORDER).cte("found").prefix_with("MATERIALIZED")
        query = select(found.c.id).order_by(found.c.name_key, found.c.version_id, found.c.position, found.c.id)
    else:
        query = _edition_lines(criteria, FeeLineRecord.id).order_by(*INDEX_ORDER)
    return FirstLines(criteria, tuple(db.session.scalars(query.limit(limit + 1))), limit)


def _edition_lines(criteria: LineCriteria, *columns: Any) -> Select:
    """`columns` of the lines meeting `criteria`, joined to their edition only."""
    return (
        select(*columns)
        .select_from(FeeLineRecord)
        .join(CatalogueVersion, FeeLineRecord.version_id == CatalogueVersion.id)
        .where(*criteria.conditions)
    )


def line_criteria(on: date, filters: Filters, reference: Reference | None) -> LineCriteria:
    """What a line of `matching_lines` meets, testing the line and its `CatalogueVersion` only."""
    conditions: list[ColumnElement[bool]] = [FeeLineRecord.change_mark != snapshot.DELETED]
    operators = _chosen_operators(filters)
    if operators is None:
        narrowed = None
        conditions.append(in_force_condition(on))
    else:  # the editions of the operators left: their lines are found by the (name_key, version_id) index
        narrowed = _editions_of_operators(on, filters, operators)
        conditions.append(_listed(FeeLineRecord.version_id, narrowed))
    by_edition = False
    if filters.q.strip():
        terms = search_terms(filters.q, reference if reference is not None else govlist.reference())
        conditions.append(FeeLineRecord.name_key.in_(_matching_names(terms)))
    elif narrowed is None or len(narrowed) > FEW_EDITIONS:
        conditions.append(any_name())
    else:  # no words and a few editions (an operator, terminals in one port area): see `LineCriteria.by_edition`.
        # Walking the name index instead probes every name for every edition (800 names x 187 editions: 0.9 s
        # against 0.06 s at national scale on SQLite) when the editions charge few of the names; with many editions
        # the walk finds a page within the first names and stops.
        by_edition = True
    if filters.pricing_class:
        conditions.append(FeeLineRecord.pricing_class == filters.pricing_class)
    return LineCriteria(tuple(conditions), by_edition)


def _listed(column: Any, ids: Sequence[int]) -> ColumnElement[bool]:
    """SQL: `column` is one of `ids`, written into the statement as one list.

    They are integers read from the database. Bound one by one, thousands of parameters cost twice as much; rendered
    by SQLAlchemy as literals (`literal_execute`), each is rendered apart: 6,835 forwarders' editions cost 19 ms a
    statement, twice a search. Joined here, 0.5 ms.
    """
    if not ids:
        return false()
    written = ",".join(str(int(value)) for value in ids)
    return column.op("IN")(literal_column(f"({written})"))


def _chosen_operators(filters: Filters) -> Select | None:
    """SQL: the ids of the operators the port, operator and kind filters leave (None when none is given)."""
    kind = filters.kind in {k.value for k in OperatorKind}
    if not (filters.port or filters.ports or filters.operator_ids or filters.operator or kind):
        return None
    operators = select(Operator.id)
    if filters.port:
        operators = operators.where(Operator.id.in_(_operators_in_port_areas([filters.port])))
    if filters.ports:
        operators = operators.where(Operator.id.in_(_operators_in_port_areas(filters.ports)))
    if filters.operator_ids:
        operators = operators.where(Operator.id.in_(filters.operator_ids))
    if filters.operator:
        operators = operators.where(Operator.credit_code == filters.operator.strip().upper())
    if kind:
        operators = operators.where(Operator.kind == OperatorKind(filters.kind))
    return operators


def _editions_of_operators(on: date, filters: Filters, operators: Select) -> list[int]:
    """The editions in force on `on` of `operators` (those `filters` leave).

    Read first, in one small query (operators are thousands, not millions), so that the lines query looks only at
    these editions' lines instead of testing each candidate line's operator: a filter that excludes every
    candidate (terminals in Huangpu charging 报关, forwarders charging 理货) then costs a few index probes, not a
    walk of every match. The operators are chosen first. A few (an operator, a small port area) have only their
    editions tested for being in force, one index probe each: starting from the editions instead tested every
    edition in the country before its operator's port areas (SQLite: 7 times as long at national scale). Many (a
    port area, a kind: thousands) take theirs from the edition set in force (`EditionSet.by_operator`, read once per
    set and kept in the shared cache): testing them cost PostgreSQL two hash joins over every edition (31 ms for
    Nansha), again for each filter. Every search with the same port, kind and operator filters on the same day shares
    the list, through the cache, under the public revision (moved by every publication and operator change).
    """
    chosen = {"port": filters.port, "ports": sorted(filters.ports or ()), "kind": filters.kind}
    chosen |= {"operator": filters.operator.strip().upper(), "operator_ids": sorted(filters.operator_ids or ())}
    key = f"editions:{revisions.current(PUBLIC_REVISION)}:{on.isoformat()}:" + json.dumps(chosen, sort_keys=True)

    def read() -> list[int]:
        chosen = list(db.session.scalars(operators))
        if len(chosen) > FEW_OPERATORS:
            in_force = edition_sets.in_force(on).by_operator()
            return sorted(in_force[operator] for operator in chosen if operator in in_force)
        query = (
            select(CatalogueVersion.id)
            .join(Catalogue, Catalogue.id == CatalogueVersion.catalogue_id)
            .where(_listed(Catalogue.operator_id, chosen), in_force_condition(on))
            .order_by(CatalogueVersion.id)
        )
        return list(db.session.scalars(query))

    return cache.remembered(key, read)


def _operators_in_port_areas(codes: Collection[str]) -> Select:
    """SQL: the ids of the operators serving any of the port areas `codes`."""
    return (
        select(operator_port_area.c.operator_id)
        .join(PortArea, PortArea.id == operator_port_area.c.port_area_id)
        .where(PortArea.code.in_(list(codes)))
    )


def search(
    on: date,
    filters: Filters,
    *,
    page: int = 1,
    per_page: int = PER_PAGE,
    reference: Reference | None = None,
) -> ResultPage:
    """The lines of every edition in force on `on` that match, in `matching_lines` order, one page of them.

    `page` beyond the last is the last page (of those counted: see `FirstLines`). Pages are shared by all
    workers through the cache, under the revisions of what they are read from (publications, operator profiles,
    the government list for alias expansion), so a publication shows at once. A `reference` given is used as is,
    and its pages are not cached.
    """
    if reference is not None:  # a list other than the stored one: nothing to share
        found = _page_json(on, filters, page, per_page, reference)
    else:
        found = cache.remembered(
            page_key("search", on, filters, page, per_page), lambda: _page_json(on, filters, page, per_page, None)
        )
    return ResultPage(
        hits=tuple(
            FeeHit(**{**hit, "effective_from": date.fromisoformat(hit["effective_from"])}) for hit in found["hits"]
        ),
        total=found["total"],
        page=found["page"],
        per_page=per_page,
        more=found["more"],
    )


def page_key(kind: str, on: date, filters: Filters, page: int, per_page: int) -> str:
    """The cache key of a page of results: the revisions it is read from, and everything asked."""
    return ":".join(
        (
            kind,
            str(revisions.current(PUBLIC_REVISION)),
            str(revisions.current(govlist.REVISION)),
            on.isoformat(),
            json.dumps(asdict(filters), ensure_ascii=False, sort_keys=True),
            str(page),
            str(per_page),
        )
    )


SORTS = ("", "price", "operator", "date")
GROUPS = ("", "operator")


def reordered(filters: Filters) -> bool:
    """Whether the lines are shown in another order than the index's own (by fee name)."""
    return filters.sort in SORTS[1:] or filters.group in GROUPS[1:]


def sorted_lines(first: FirstLines, filters: Filters, *columns: Any) -> Select:
    """`columns` of the lines found in the order asked: grouped by fee (the index's order) or by operator, then by
    price, operator or effective date.

    Only the lines found are sorted (`FirstLines`: at most COUNT_LIMIT + 1, the first in index order, as counted),
    so a broad query never sorts a million lines: the page then asks the visitor to narrow it.
    """
    query = first.lines(*columns)
    if not reordered(filters):
        return query
    sort, group = filters.sort, filters.group
    bounded = query.subquery()
    c = bounded.c
    keys: list[Any] = []
    if group == "operator":
        keys += [c.operator_name_zh, c.credit_code]
    else:
        keys += [c.name_key]
    if sort == "price":
        keys += [c.amount.is_(None), c.amount, c.amount_max]
    elif sort == "operator":
        keys += [c.operator_name_zh, c.credit_code]
    elif sort == "date":
        keys += [c.effective_from.desc()]
    keys += [c.name_key, c.credit_code, c.position, c.line_id]
    return select(*[col for col in c if col.name not in ("position",)]).order_by(*keys)


def _page_json(on: date, filters: Filters, page: int, per_page: int, reference: Reference | None) -> dict[str, Any]:
    criteria = line_criteria(on, filters, reference)
    columns = (
        Operator.credit_code,  # the operator's page is found by it
        CatalogueVersion.operator_name.label("operator_name_zh"),  # who publishes, as frozen by publication
        CatalogueVersion.operator_name_en.label("operator_name_en"),
        Operator.kind.label("operator_kind"),
        CatalogueVersion.edition_code,
        CatalogueVersion.effective_from,
        FeeLineRecord.line_no,
        FeeLineRecord.name,
        FeeLineRecord.conditions,
        FeeLineRecord.service_content,
        FeeLineRecord.standard,
        FeeLineRecord.unit,
        FeeLineRecord.currency,
        FeeLineRecord.pricing_class,
        FeeLineRecord.remarks,
        Operator.id.label("operator_id"),
        FeeLineRecord.id.label("line_id"),
        FeeLineRecord.amount,
        FeeLineRecord.amount_max,
        FeeLineRecord.name_key,
        FeeLineRecord.position,
    )
    first = first_lines(criteria)
    total, more = first.total, first.more
    page = min(max(page, 1), max(1, math.ceil(total / per_page)))
    offset = (page - 1) * per_page
    if reordered(filters):
        query = sorted_lines(first, filters, *columns).offset(offset).limit(per_page)
    else:
        query = first.page(offset, per_page, *columns)
    rows = db.session.execute(query) if total else ()
    hits = [
        {
            **{key: value for key, value in row._asdict().items() if key != "position"},
            "operator_kind": str(row.operator_kind),
            "currency": row.currency or "CNY",
            "effective_from": row.effective_from.isoformat(),
            "amount": None if row.amount is None else str(row.amount),
            "amount_max": None if row.amount_max is None else str(row.amount_max),
        }
        for row in rows
    ]
    return {"hits": hits, "total": total, "page": page, "more": more}


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
        if terms and not any(line_matches(c.line.name_key, terms) for c in changes.lines):
            continue
        found.append(changes)
        if len(found) >= limit:
            break
    return found

"""Edition sets: the editions in force on a date. The consolidated exports and port-area PDFs are made per set.

The set changes only on the days an edition takes effect (its `effective_from`), so every date maps to the set that
began on the last such day not after it (`since`). A set's `digest` (a hash of its sorted edition codes) names its
files: two dates with the same editions share them, and a publication that changes a set gives it a new name.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from portal import cache
from portal.audit import revisions
from portal.audit.revisions import PUBLIC_REVISION
from portal.catalogue.models import Catalogue, CatalogueVersion, VersionStatus
from portal.extensions import db
from portal.operators.models import Operator, PortArea, operator_port_area
from portal.publishing import snapshot

BEFORE_ANY = date(1, 1, 1)  # the `since` of the (empty) set before the first edition took effect


def digest(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:16]


@dataclass(frozen=True)
class EditionSet:
    """The editions in force from `since` until the next change: (version id, edition code, operator id), in the
    order of the exports (operator name)."""

    since: date
    editions: tuple[tuple[int, str, int], ...]

    @property
    def codes(self) -> list[str]:
        return sorted(code for _id, code, _operator in self.editions)

    def version_ids(self, operators: set[int] | None = None) -> list[int]:
        return [vid for vid, _code, operator in self.editions if operators is None or operator in operators]

    def key(self, *settings: str, operators: set[int] | None = None) -> str:
        """The digest naming a file of this set (or of the editions of `operators` in it) made with `settings`."""
        codes = sorted(code for _vid, code, op in self.editions if operators is None or op in operators)
        return digest(*settings, *codes)


def change_dates(until: date) -> list[date]:
    """The days, up to `until`, on which some published edition took effect: the days the set changed."""
    query = (
        select(CatalogueVersion.effective_from)
        .where(CatalogueVersion.status == VersionStatus.PUBLISHED, CatalogueVersion.effective_from <= until)
        .distinct()
        .order_by(CatalogueVersion.effective_from)
    )
    return list(db.session.scalars(query))


def since(on: date) -> date:
    """The day the set in force on `on` began (BEFORE_ANY before the first edition). Shared by every worker under
    the publication revision, so mapping a date costs one cached read."""
    key = f"edition-set-since:{revisions.current(PUBLIC_REVISION)}:{on.isoformat()}"

    def compute() -> str:
        found = db.session.scalar(
            select(CatalogueVersion.effective_from)
            .where(CatalogueVersion.status == VersionStatus.PUBLISHED, CatalogueVersion.effective_from <= on)
            .order_by(CatalogueVersion.effective_from.desc())
            .limit(1)
        )
        return (found or BEFORE_ANY).isoformat()

    return date.fromisoformat(cache.remembered(key, compute))


def in_force(on: date) -> EditionSet:
    """The set in force on `on`: its editions read once per set and publication revision (shared cache)."""
    start = since(on)
    key = f"edition-set:{revisions.current(PUBLIC_REVISION)}:{start.isoformat()}"

    def compute() -> list[list]:
        query = (
            snapshot.in_force_query(start)
            .join(Catalogue, Catalogue.id == CatalogueVersion.catalogue_id)
            .join(Operator, Operator.id == Catalogue.operator_id)
            .with_only_columns(CatalogueVersion.id, CatalogueVersion.edition_code, Operator.id)
            .order_by(Operator.name_zh, Operator.id)
        )
        return [list(row) for row in db.session.execute(query)]

    return EditionSet(start, tuple((int(v), str(c), int(o)) for v, c, o in cache.remembered(key, compute)))


def operators_in(area_code: str) -> set[int]:
    """The ids of the operators working in a port area (by its code)."""
    query = (
        select(operator_port_area.c.operator_id)
        .join(PortArea, PortArea.id == operator_port_area.c.port_area_id)
        .where(PortArea.code == area_code)
    )
    return set(db.session.scalars(query))


def needed(today: date) -> Sequence[EditionSet]:
    """Every set a date up to `today` maps to: today's, and the one that began on each earlier change day."""
    days = change_dates(today)
    return [in_force(day) for day in [BEFORE_ANY, *days, today]]

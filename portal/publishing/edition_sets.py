"""Edition sets: the editions in force on a date. The consolidated exports and port-area PDFs are made per set.

The set changes only on the days an edition takes effect (its `effective_from`), so every date maps to the set that
began on the last such day not after it (`since`). Which editions are in force on a date is decided by the published
editions that have taken effect by then (the latest of each catalogue), so their count, id sum and largest id name
the set (`fingerprint`): one aggregate query, however many operators there are. A publication that changes the set
changes its fingerprint; dates with the same editions share it, and so share their files.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from portal import cache
from portal.audit import revisions
from portal.audit.revisions import PUBLIC_REVISION
from portal.catalogue.models import Catalogue, CatalogueVersion, VersionStatus
from portal.extensions import db
from portal.operators.models import Operator, PortArea, operator_port_area
from portal.publishing import snapshot

BEFORE_ANY = date(1, 1, 1)  # the `since` of the (empty) set before the first edition took effect
TTL = 24 * 3600


def digest(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:16]


@dataclass(frozen=True)
class EditionSet:
    """The set in force from `since` until the next change, named by `fingerprint`."""

    since: date
    fingerprint: str

    def key(self, *settings: str) -> str:
        """The digest naming a file of this set made with `settings` (format, language, layout ...)."""
        return digest(*settings, self.fingerprint)

    def editions(self) -> list[tuple[int, str, int]]:
        """(version id, edition code, operator id) of each edition, in the exports' order (operator name); read once
        per set and kept in the shared cache."""

        def compute() -> list[list]:
            query = (
                snapshot.in_force_query(self.since)
                .join(Catalogue, Catalogue.id == CatalogueVersion.catalogue_id)
                .join(Operator, Operator.id == Catalogue.operator_id)
                .with_only_columns(CatalogueVersion.id, CatalogueVersion.edition_code, Operator.id)
                .order_by(Operator.name_zh, Operator.id)
            )
            return [list(row) for row in db.session.execute(query)]

        found = cache.remembered(f"edition-set:{self.since.isoformat()}:{self.fingerprint}", compute, ttl=TTL)
        return [(int(v), str(c), int(o)) for v, c, o in found]

    def version_ids(self, operators: set[int] | None = None) -> list[int]:
        return [vid for vid, _code, op in self.editions() if operators is None or op in operators]


def in_force(on: date) -> EditionSet:
    """The set in force on `on`: one aggregate query over the published editions that have taken effect."""
    count, total, largest, latest = db.session.execute(
        select(
            func.count(CatalogueVersion.id),
            func.coalesce(func.sum(CatalogueVersion.id), 0),
            func.coalesce(func.max(CatalogueVersion.id), 0),
            func.max(CatalogueVersion.effective_from),
        ).where(CatalogueVersion.status == VersionStatus.PUBLISHED, CatalogueVersion.effective_from <= on)
    ).one()
    return EditionSet(latest or BEFORE_ANY, digest(str(count), str(total), str(largest)))


def since(on: date) -> date:
    """The day the set in force on `on` began (BEFORE_ANY before the first edition)."""
    return in_force(on).since


def change_dates(until: date) -> list[date]:
    """The days, up to `until`, on which some published edition took effect: the days the set changed."""
    query = (
        select(CatalogueVersion.effective_from)
        .where(CatalogueVersion.status == VersionStatus.PUBLISHED, CatalogueVersion.effective_from <= until)
        .distinct()
        .order_by(CatalogueVersion.effective_from)
    )
    return list(db.session.scalars(query))


def operators_in(area_code: str) -> set[int]:
    """The ids of the operators working in a port area (by its code)."""
    query = (
        select(operator_port_area.c.operator_id)
        .join(PortArea, PortArea.id == operator_port_area.c.port_area_id)
        .where(PortArea.code == area_code)
    )
    return set(db.session.scalars(query))


def membership(area_code: str) -> str:
    """A name for who works in a port area (an area PDF shows their editions): changes when an operator joins or
    leaves it."""
    count, total = db.session.execute(
        select(func.count(), func.coalesce(func.sum(operator_port_area.c.operator_id), 0))
        .select_from(operator_port_area)
        .join(PortArea, PortArea.id == operator_port_area.c.port_area_id)
        .where(PortArea.code == area_code)
    ).one()
    return digest(area_code, str(count), str(total))


def needed(today: date) -> Sequence[EditionSet]:
    """Every set a date up to `today` maps to: the empty one, the one begun on each change day, and today's.

    One aggregate query per change day: kept in the shared cache under the publication revision and the day."""

    def compute() -> list[list[str]]:
        found = {in_force(day) for day in [BEFORE_ANY, *change_dates(today), today]}
        return [[s.since.isoformat(), s.fingerprint] for s in sorted(found, key=lambda s: s.since)]

    key = f"edition-sets-needed:{revisions.current(PUBLIC_REVISION)}:{today.isoformat()}"
    return [EditionSet(date.fromisoformat(day), fingerprint) for day, fingerprint in cache.remembered(key, compute)]

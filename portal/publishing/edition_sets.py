"""Edition sets: the editions in force on a date. The consolidated exports and port-area PDFs are made per set.

The set changes only on the days an edition takes effect (its `effective_from`), so every date maps to the set that
began on the last such day not after it (`since`). Which editions are in force on a date is decided by the published
editions that have taken effect by then (the latest of each catalogue), so their count, id sum and largest id name
the set (`fingerprint`). One grouped query gives every change day's running totals (`timeline`), however many
operators and dates there are. A publication that changes the set changes its fingerprint; dates with the same
editions share it, and so share their files.
"""

from __future__ import annotations

import hashlib
from bisect import bisect_right
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


EMPTY = digest("0", "0", "0")  # the fingerprint of the set before any edition took effect


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

    def by_operator(self) -> dict[int, int]:
        """Operator id -> the version id of its edition in the set (no order, no names: lighter than `editions`);
        read once per set and kept in the shared cache, for every search filter on every day of the set."""

        def compute() -> list[list[int]]:
            query = (
                snapshot.in_force_query(self.since)
                .join(Catalogue, Catalogue.id == CatalogueVersion.catalogue_id)
                .with_only_columns(Catalogue.operator_id, CatalogueVersion.id)
            )
            return [[operator, version] for operator, version in db.session.execute(query)]

        found = cache.remembered(f"edition-set-operators:{self.since.isoformat()}:{self.fingerprint}", compute, ttl=TTL)
        return {int(operator): int(version) for operator, version in found}

    def version_ids(self, operators: set[int] | None = None) -> list[int]:
        return [vid for vid, _code, op in self.editions() if operators is None or op in operators]


def in_force(on: date) -> EditionSet:
    """The set in force on `on`: read off the timeline (`timeline`), with no query of its own."""
    days = timeline()
    index = bisect_right([day for day, _fingerprint in days], on) - 1
    if index < 0:
        return EditionSet(BEFORE_ANY, EMPTY)
    day, fingerprint = days[index]
    return EditionSet(day, fingerprint)


def timeline() -> list[tuple[date, str]]:
    """Each day on which some published edition takes effect, past or scheduled, with the fingerprint of the set
    in force from that day: the count, id sum and largest id of the published editions in effect by then.

    One grouped query, the running totals taken here; kept in the shared cache under the public revision (moved by
    every publication). A download for any date is then a cache read: 20 dates asked at once cost 20 aggregates
    over every edition before (8 ms each at national scale, while /healthz waited behind them), and the sets needed
    after a publication 300 more.
    """

    def compute() -> list[list]:
        query = (
            select(
                CatalogueVersion.effective_from,
                func.count(CatalogueVersion.id),
                func.sum(CatalogueVersion.id),
                func.max(CatalogueVersion.id),
            )
            .where(CatalogueVersion.status == VersionStatus.PUBLISHED)
            .group_by(CatalogueVersion.effective_from)
            .order_by(CatalogueVersion.effective_from)
        )
        found, count, total, largest = [], 0, 0, 0
        for day, day_count, day_total, day_largest in db.session.execute(query):
            count, total, largest = count + day_count, total + int(day_total), max(largest, int(day_largest))
            found.append([day.isoformat(), digest(str(count), str(total), str(largest))])
        return found

    cached = cache.remembered(f"edition-timeline:{revisions.current(PUBLIC_REVISION)}", compute, ttl=TTL)
    return [(date.fromisoformat(day), fingerprint) for day, fingerprint in cached]


def since(on: date) -> date:
    """The day the set in force on `on` began (BEFORE_ANY before the first edition)."""
    return in_force(on).since


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
    """Every set a date up to `today` maps to: the empty one, and the one begun on each change day until today."""
    return [EditionSet(BEFORE_ANY, EMPTY), *(EditionSet(day, fp) for day, fp in timeline() if day <= today)]

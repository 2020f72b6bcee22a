"""Dashboard figures, read-only: faulty and stale lists, complaints by status, operator and fee, fee levels.

Each figure is one query (or two) over the whole portal, so the page costs the same for 14 operators or 14,000.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import case, exists, func, select
from sqlalchemy.orm import aliased, contains_eager

from portal.catalogue.models import Catalogue, CatalogueVersion, FeeLineRecord, VersionStatus
from portal.catalogue.services import in_force_query
from portal.complaints import services as complaints
from portal.complaints.models import Complaint, ComplaintStatus
from portal.extensions import db
from portal.operators.models import Operator
from portal.validation.choices import parse_currency
from portal.validation.dates import one_year_before
from portal.validation.vocabulary import ChangeMark

DELETED = ChangeMark.DELETED


@dataclass(frozen=True)
class Faulty:
    """An operator whose newest version still has errors (the counts stored by its last check)."""

    operator: Operator
    number: int
    status: VersionStatus
    errors: int
    warnings: int


@dataclass(frozen=True)
class Stale:
    """An operator whose list in force is more than a year old, with nothing newer in the pipeline."""

    operator: Operator
    edition_code: str
    effective_from: date


@dataclass(frozen=True)
class Count:
    label: str
    count: int


@dataclass(frozen=True)
class FeeLevel:
    """One service's fixed amounts across the lists in force: lowest, median, highest, and how many operators."""

    name: str
    unit: str
    operators: int
    low: Decimal
    median: Decimal
    high: Decimal


def _newest_versions():
    newer = aliased(CatalogueVersion)
    return select(CatalogueVersion).where(
        ~exists().where(newer.catalogue_id == CatalogueVersion.catalogue_id, newer.number > CatalogueVersion.number)
    )


def faulty_lists() -> list[Faulty]:
    query = (
        _newest_versions()
        .join(CatalogueVersion.catalogue)
        .join(Catalogue.operator)
        .options(contains_eager(CatalogueVersion.catalogue).contains_eager(Catalogue.operator))
        .where(CatalogueVersion.error_count > 0)
        .order_by(CatalogueVersion.error_count.desc(), Operator.name_zh)
    )
    return [
        Faulty(v.catalogue.operator, v.number, v.status, v.error_count, v.warning_count)
        for v in db.session.scalars(query).unique()
    ]


def stale_lists(today: date) -> list[Stale]:
    """Lists in force whose effective date is more than twelve months back, and no newer version exists."""
    newer = aliased(CatalogueVersion)
    query = (
        in_force_query(today)
        .join(CatalogueVersion.catalogue)
        .join(Catalogue.operator)
        .options(contains_eager(CatalogueVersion.catalogue).contains_eager(Catalogue.operator))
        .where(
            CatalogueVersion.effective_from < one_year_before(today),
            ~exists().where(
                newer.catalogue_id == CatalogueVersion.catalogue_id, newer.number > CatalogueVersion.number
            ),
        )
        .order_by(CatalogueVersion.effective_from, Operator.name_zh)
    )
    return [Stale(v.catalogue.operator, v.edition_code or "", v.effective_from) for v in db.session.scalars(query)]


def without_list(today: date) -> Sequence[Operator]:
    """Operators with no list in force today (never published, or only a scheduled one)."""
    in_force = in_force_query(today).join(CatalogueVersion.catalogue).with_only_columns(Catalogue.operator_id)
    return db.session.scalars(select(Operator).where(Operator.id.not_in(in_force)).order_by(Operator.name_zh)).all()


def complaints_by_status() -> dict[ComplaintStatus, int]:
    return complaints.counts_by_status()


def complaints_by_operator(limit: int = 10) -> list[tuple[Operator, int, int]]:
    """(operator, complaints, of which still open), most complained about first."""
    open_count = func.sum(case((Complaint.status != ComplaintStatus.DECIDED, 1), else_=0))
    rows = db.session.execute(
        select(Operator, func.count(Complaint.id), open_count)
        .join(Complaint, Complaint.operator_id == Operator.id)
        .group_by(Operator.id)
        .order_by(func.count(Complaint.id).desc(), Operator.name_zh)
        .limit(limit)
    ).all()
    return [(operator, total, int(still_open or 0)) for operator, total, still_open in rows]


def most_complained_fees(limit: int = 10) -> list[Count]:
    """Fees by number of complaints, aliases counted together (文件费 and 单证费 are one fee)."""
    rows = db.session.execute(
        select(func.min(Complaint.fee_name), func.count(Complaint.id))
        .group_by(Complaint.fee_key)
        .order_by(func.count(Complaint.id).desc(), func.min(Complaint.fee_name))
        .limit(limit)
    ).all()
    return [Count(name, count) for name, count in rows]


def _yuan(currency: str) -> bool:
    try:
        return parse_currency(currency) == "CNY"
    except ValueError:
        return False


def fee_levels(today: date, limit: int = 8, min_operators: int = 2) -> list[FeeLevel]:
    """Fixed yuan amounts per service (canonical name and unit) over the lists in force, for the services most
    operators list."""
    in_force = in_force_query(today).with_only_columns(CatalogueVersion.id)
    rows = db.session.execute(
        select(
            FeeLineRecord.name_key,
            FeeLineRecord.name,
            FeeLineRecord.unit,
            FeeLineRecord.currency,
            FeeLineRecord.amount,
            Catalogue.operator_id,
        )
        .join(CatalogueVersion, CatalogueVersion.id == FeeLineRecord.version_id)
        .join(Catalogue, Catalogue.id == CatalogueVersion.catalogue_id)
        .where(
            FeeLineRecord.version_id.in_(in_force),
            FeeLineRecord.standard_kind == "fixed",
            FeeLineRecord.amount.is_not(None),
            FeeLineRecord.change_mark != DELETED,
        )
        .order_by(FeeLineRecord.name)
    ).all()
    amounts: dict[tuple[str, str], list[Decimal]] = defaultdict(list)
    operators: dict[tuple[str, str], set[int]] = defaultdict(set)
    names: dict[tuple[str, str], str] = {}
    for key, name, unit, currency, amount, operator_id in rows:
        if not _yuan(currency):
            continue
        group = (key, unit)
        amounts[group].append(amount)
        operators[group].add(operator_id)
        names.setdefault(group, name)
    common = sorted(
        (g for g in amounts if len(operators[g]) >= min_operators), key=lambda g: (-len(operators[g]), names[g])
    )
    return [
        FeeLevel(
            name=names[g],
            unit=g[1],
            operators=len(operators[g]),
            low=min(amounts[g]),
            median=statistics.median(sorted(amounts[g])),
            high=max(amounts[g]),
        )
        for g in common[:limit]
    ]

"""Review use cases: the queue, a submission's findings and diff, the three decisions, and re-validating editions.

A decision adds its ReviewDecision and audit row to the session and hands the version to the catalogue's own
transition (publish, request_changes, reject), whose commit writes them all: one decision, one transaction.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from portal import clock
from portal.audit.services import Actor, is_bureau_staff, record
from portal.catalogue import mapping
from portal.catalogue import services as catalogue
from portal.catalogue.models import CatalogueVersion, FeeLineRecord, VersionStatus
from portal.errors import Conflict, InvalidInput, PermissionDenied
from portal.extensions import db
from portal.govlist import services as govlist
from portal.govlist.signals import govlist_changed
from portal.operators import services as operators
from portal.operators.models import Operator
from portal.publishing import editions
from portal.review.models import Decision, RevalidationResult, RevalidationRun, ReviewDecision
from portal.transactions import atomic
from portal.validation import changes
from portal.validation.dates import parse_date
from portal.validation.engine import validate
from portal.validation.findings import N_, Finding
from portal.validation.model import CatalogueInput

DIFF_FIELDS = mapping.WRITTEN_FIELDS
NOT_AWAITING = N_("This version is not awaiting review any more.")
STALE = N_("The operator changed this version after you opened it. Reload the page and review it again.")


@dataclass(frozen=True)
class QueueEntry:
    version: CatalogueVersion
    operator: Operator
    submitted_at: datetime | None
    errors: int
    warnings: int
    is_change: bool
    days_waiting: int


@dataclass(frozen=True)
class DiffRow:
    """One line of the diff: the version's line (`new`), the published one it continues (`old`), or both."""

    key: str  # "line-<id>" for the version's lines, "base-<id>" for published lines it removes
    mark: str  # A, D, I, R, C or "" (unchanged)
    position: int | None
    item: str
    conditions: str
    new: Mapping[str, str] | None
    old: Mapping[str, str] | None
    changed: frozenset[str]


@dataclass(frozen=True)
class Diff:
    base: CatalogueVersion | None  # the edition compared with: the one changed, else the one in force
    rows: tuple[DiffRow, ...]

    @property
    def marks(self) -> Counter[str]:
        return Counter(row.mark for row in self.rows if row.mark)


def _check_bureau(actor: Actor | None) -> None:
    if actor is not None and not is_bureau_staff(actor):
        raise PermissionDenied(N_("Only the bureau reviews submitted lists."))


def queue(today: date | None = None) -> list[QueueEntry]:
    """Versions awaiting review, the longest waiting first."""
    today = today or clock.today()
    versions = db.session.scalars(
        select(CatalogueVersion)
        .where(CatalogueVersion.status == VersionStatus.SUBMITTED)
        .order_by(CatalogueVersion.submitted_at, CatalogueVersion.id)
    ).all()
    return [
        QueueEntry(
            version=v,
            operator=v.catalogue.operator,
            submitted_at=v.submitted_at,
            errors=v.error_count,
            warnings=v.warning_count,
            is_change=v.based_on_id is not None,
            days_waiting=(today - v.submitted_at.date()).days if v.submitted_at else 0,
        )
        for v in versions
    ]


def submission(version_id: int, actor: Actor | None) -> CatalogueVersion:
    """Any operator's version, for the bureau only."""
    _check_bureau(actor)
    return catalogue.own_version(version_id, actor)


def findings_of(version: CatalogueVersion) -> list[tuple[Finding, str, str | None]]:
    """Every stored finding with its id and the operator's explanation of it, if any."""
    explanations = version.explanations or {}
    found = []
    for finding in catalogue.report_of(version).findings:
        key = mapping.finding_id(finding)
        found.append((finding, key, explanations.get(key)))
    return found


def scheduled(version: CatalogueVersion, today: date | None = None) -> date | None:
    """The future date the version takes effect on once approved; None when it would take effect at once."""
    try:
        effective = parse_date(version.effective_date_text)
    except ValueError:
        return None
    return effective if effective > (today or clock.today()) else None


def diff(version: CatalogueVersion, today: date | None = None) -> Diff:
    """Line by line against the edition the version changes (else the one in force), marked as the catalogue marks.

    The version's lines come in their order, then the published lines it removes.
    """
    base = version.based_on or catalogue.in_force(version.catalogue.operator, today or clock.today())
    if base is not None and base.id == version.id:
        base = None
    aliases = govlist.reference().aliases
    new_records = mapping.live_records(version)
    old_records = {str(r.id): r for r in mapping.live_records(base)} if base is not None else {}
    new_lines = [mapping.to_fee_line(r) for r in new_records]
    old_lines = [mapping.to_fee_line(r) for r in old_records.values()]
    marks = changes.mark_changes(old_lines, new_lines, aliases)
    pairs = changes.pair_lines(old_lines, new_lines, aliases)
    rows = []
    for line in new_records:
        key = str(line.id)
        old = old_records.get(pairs.get(key, ""))
        if old is None:
            rows.append(_diff_row(f"line-{key}", marks[key], line, mapping.line_values(line), None))
        else:
            rows.append(_row(f"line-{key}", marks[key], line, old))
    for key, old in old_records.items():
        if marks.get(key) == changes.DELETED:
            rows.append(_row(f"base-{key}", changes.DELETED, None, old))
    return Diff(base, tuple(rows))


def _row(key: str, mark: str, new: FeeLineRecord | None, old: FeeLineRecord) -> DiffRow:
    """A diff row for the version's line `new` (None: `old` is removed) continuing the published line `old`."""
    new_values = mapping.line_values(new) if new is not None else None
    old_values = mapping.line_values(old)
    changed = frozenset(name for name in DIFF_FIELDS if new_values and new_values[name] != old_values[name])
    return _diff_row(key, mark, new if new is not None else old, new_values, old_values, changed)


def _diff_row(
    key: str,
    mark: str,
    shown: FeeLineRecord,
    new: Mapping[str, str] | None,
    old: Mapping[str, str] | None,
    changed: frozenset[str] = frozenset(),
) -> DiffRow:
    position = shown.position if new is not None else None
    return DiffRow(key, mark, position, shown.name, shown.conditions, new, old, changed)


def _ready(version: CatalogueVersion, actor: Actor | None, expected_lock: int | None) -> None:
    """Refuse a decision on a version no longer awaiting one, or changed since the reviewer's form was drawn.

    The version's row is locked first, and read again, so decisions on one version are made one at a time: the
    second reviewer waits, then finds it decided. Unlocked, each reviewer's decision row took a key-share lock on
    the version (its foreign key) and each publication's update of the version (its edition code is a unique key)
    then waited for the other's: PostgreSQL broke the deadlock by failing one request (a 500, not a conflict).
    """
    _check_bureau(actor)
    db.session.refresh(version, with_for_update=True)
    if version.status is not VersionStatus.SUBMITTED:
        raise Conflict(NOT_AWAITING)
    if expected_lock is not None and version.lock_version != expected_lock:
        raise Conflict(STALE)


def _decide(
    version: CatalogueVersion,
    actor: Actor | None,
    decision: Decision,
    comment: str,
    line_comments: list[dict[str, Any]],
) -> ReviewDecision:
    """Add the decision and its audit row; the catalogue transition called next commits them."""
    made = ReviewDecision(
        version=version,
        reviewer_id=actor.id if actor is not None else None,
        decision=decision,
        comment=comment,
        line_comments=line_comments,
    )
    db.session.add(made)
    db.session.flush()
    record(
        actor,
        f"review.{decision.value}",
        "catalogue_version",
        version.id,
        operator_id=version.catalogue.operator_id,
        after={"decision": decision.value, "comment": comment, "line_comments": line_comments, "id": made.id},
    )
    return made


def _transition(step: Any, *args: Any, **kwargs: Any) -> None:
    """Run the transition (it commits) with the decision added before it; a concurrent change is a conflict."""
    try:
        with atomic():
            step(*args, **kwargs)
    except StaleDataError:
        raise Conflict(STALE) from None


def approve(
    version: CatalogueVersion,
    actor: Actor | None,
    *,
    comment: str = "",
    expected_lock: int | None = None,
    today: date | None = None,
) -> ReviewDecision:
    """Approve: the version is published as an immutable edition, in force from its effective date."""
    _ready(version, actor, expected_lock)
    made = _decide(version, actor, Decision.APPROVED, comment.strip(), [])
    _transition(editions.publish, version, actor, now=today)
    return made


def request_changes(
    version: CatalogueVersion,
    actor: Actor | None,
    *,
    comment: str,
    line_comments: Mapping[str, str],
    expected_lock: int | None = None,
    today: date | None = None,
) -> ReviewDecision:
    """Send the version back with a general comment and comments per diff row (keyed by DiffRow.key)."""
    _ready(version, actor, expected_lock)
    per_line = [
        {
            "key": row.key,
            "position": row.position,
            "item": row.item,
            "conditions": row.conditions,
            "mark": row.mark,
            "comment": line_comments[row.key].strip(),
        }
        for row in diff(version, today).rows
        if (line_comments.get(row.key) or "").strip()
    ]
    comment = comment.strip()
    if not comment and not per_line:
        raise InvalidInput(N_("Say what the operator should change: a general comment or a comment on a line."))
    made = _decide(version, actor, Decision.CHANGES_REQUESTED, comment, per_line)
    _transition(catalogue.request_changes, version, actor, {"comment": comment, "lines": per_line})
    return made


def reject(
    version: CatalogueVersion, actor: Actor | None, *, reason: str, expected_lock: int | None = None
) -> ReviewDecision:
    """Reject the version for good, with the reason the operator reads."""
    _ready(version, actor, expected_lock)
    reason = reason.strip()
    if not reason:
        raise InvalidInput(N_("Give the reason for the rejection."))
    made = _decide(version, actor, Decision.REJECTED, reason, [])
    _transition(catalogue.reject, version, actor, reason)
    return made


def decisions_for(version_id: int) -> Sequence[ReviewDecision]:
    """The bureau's decisions on one version, oldest first."""
    return db.session.scalars(
        select(ReviewDecision)
        .where(ReviewDecision.version_id == version_id)
        .order_by(ReviewDecision.created_at, ReviewDecision.id)
    ).all()


def visible_decisions(version_id: int, actor: Actor) -> tuple[CatalogueVersion, Sequence[ReviewDecision]]:
    """A version and its decisions, for the bureau and for its own operator's staff."""
    version = catalogue.own_version(version_id, actor)
    return version, decisions_for(version.id)


@govlist_changed.connect
def _revalidate_after_list_changes(_app: object, *, actor: Actor | None, reason: str, **_news: object) -> None:
    """Every change of the government list re-checks the editions in force (govlist cannot import review)."""
    revalidate_editions(actor, reason)


def revalidate_editions(actor: Actor | None, reason: str, today: date | None = None) -> RevalidationRun:
    """Check every edition in force against the government list as it is now, and store what each would get.

    Editions are never changed: the run records their errors beside the errors they had when published.
    """
    today = today or clock.today()
    reference = govlist.reference()
    run = RevalidationRun(actor_id=actor.id if actor is not None else None, reason=reason[:200], as_of=today)
    for operator in operators.all_operators():
        edition = catalogue.in_force(operator, today)
        if edition is None:
            continue
        report = validate(_as_in_force(edition, today), reference, today)
        run.results.append(
            RevalidationResult(
                version_id=edition.id,
                operator_id=operator.id,
                edition_code=edition.edition_code or "",
                errors=len(report.errors),
                warnings=len(report.warnings),
                errors_before=edition.error_count,
                findings=[mapping.finding_to_json(f) for f in report.errors],
            )
        )
    run.editions = len(run.results)
    run.non_compliant = sum(1 for result in run.results if result.errors)
    with atomic():
        db.session.add(run)
        db.session.flush()
        failing = [r.edition_code for r in run.results if r.errors]
        record(actor, "review.revalidate", "revalidation_run", run.id, after={"reason": run.reason, "failing": failing})
    return run


def _as_in_force(edition: CatalogueVersion, on: date) -> CatalogueInput:
    """The edition as it applies on `on`: the validator judges a list by the government rows in force on its
    header's effective date, but an edition still in force must also match the rows in force now."""
    listed = mapping.catalogue_input(edition, None)
    return replace(listed, header=replace(listed.header, effective_date=on.isoformat()))


def revalidation_runs(limit: int = 20) -> Sequence[RevalidationRun]:
    """The latest runs, newest first."""
    return db.session.scalars(select(RevalidationRun).order_by(RevalidationRun.id.desc()).limit(limit)).all()


def revalidation_run(run_id: int | None = None) -> RevalidationRun | None:
    """One run, or the latest when no id is given."""
    if run_id is not None:
        return db.session.get(RevalidationRun, run_id)
    return db.session.scalar(select(RevalidationRun).order_by(RevalidationRun.id.desc()).limit(1))


def result_findings(result: RevalidationResult) -> list[Finding]:
    """The errors an edition got in a re-validation run."""
    return [mapping.finding_from_json(f) for f in result.findings]

"""One commit per use case, optimistic locking, and the audit trail that names what a stale editor missed.

Every edit records the version's new lock in its audit row (`after["_context"]`). A save made from an older lock
is refused with a Conflict whose params carry the saves since then: who, when, and what they changed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from portal import clock
from portal.audit.models import AuditEntry
from portal.audit.services import Actor, record
from portal.auth.models import User
from portal.catalogue.models import CatalogueVersion, FeeLineRecord
from portal.catalogue.services.reading import check_owner
from portal.errors import Conflict
from portal.extensions import db
from portal.transactions import atomic
from portal.validation.findings import N_
from portal.workbook import layout

CHANGED_BY_OTHERS = N_(
    "{who} saved this draft at {when}, after you opened it: {what}. Your change was not saved; check theirs, "
    "then save yours again if it is still needed."
)
DESCRIPTIONS = {
    "catalogue.line.add": N_("added line {line} ({item})"),
    "catalogue.line.delete": N_("deleted line {line} ({item})"),
    "catalogue.line.restore": N_("restored line {line} ({item})"),
    "catalogue.line.update": N_("changed line {line} ({item}): {fields}"),
    "catalogue.header": N_("changed the header: {fields}"),
    "catalogue.upload": N_("uploaded {filename}"),
    "catalogue.submit": N_("submitted it for review"),
}
DEFAULT_DESCRIPTION = N_("saved the draft")
SAVED_AT_ONCE = N_("Someone else started or changed this list at the same moment. Reload the page and try again.")
RECENT_ENTRIES = 200  # audit rows searched for the saves a stale editor missed


@contextmanager
def editing(version: CatalogueVersion, actor: Actor | None, expected_lock: int | None) -> Iterator[None]:
    """An edit of an editable version the actor owns, made from what the actor last saw."""
    check_owner(actor, version.catalogue.operator)
    if not version.status.editable:
        raise Conflict(N_("This version has been submitted or published and can no longer be changed."))
    with saving(version, expected_lock):
        yield


@contextmanager
def saving(version: CatalogueVersion | None, expected_lock: int | None) -> Iterator[None]:
    """Commit the whole use case or nothing; a stale lock, seen now or at the flush, is a Conflict."""
    seen = version.lock_version if version is not None else None
    if version is not None and expected_lock is not None:
        if version.lock_version != expected_lock:
            raise conflict(version, expected_lock)
        seen = expected_lock
    try:
        with atomic():
            if version is not None and seen is not None:
                _claim(version, seen)
            yield
    except StaleDataError:
        if version is None or seen is None:
            raise
        raise conflict(version, seen) from None
    except IntegrityError:  # two first saves at once: both numbered the same new version
        raise Conflict(SAVED_AT_ONCE) from None


def _claim(version: CatalogueVersion, seen: int) -> None:
    """Lock the version's row before the use case writes anything, and check it is still the one seen.

    Every edit takes this lock first, so two edits of one draft queue on it instead of locking lines in different
    orders (two deletions renumber the same lines): on PostgreSQL that was a deadlock, an error page for one of them.
    """
    claimed = select(CatalogueVersion.lock_version).where(CatalogueVersion.id == version.id).with_for_update()
    if db.session.scalar(claimed) != seen:
        raise StaleDataError(f"catalogue version {version.id} was saved by another request")


def audit(
    actor: Actor | None,
    action: str,
    version: CatalogueVersion,
    line: FeeLineRecord | None = None,
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    subject: tuple[str, int] | None = None,
    context: dict[str, Any] | None = None,
) -> None:
    """An audit row for a change to `version` (or one of its lines), with the version's new lock."""
    db.session.flush()
    where = {"version_id": version.id, "lock": version.lock_version, **(context or {})}
    if line is not None:
        where.update(line=line.position, item=line.name)
        subject = ("fee_line", line.id)
    kind, subject_id = subject or ("catalogue_version", version.id)
    operator_id = version.catalogue.operator_id
    record(
        actor,
        action,
        kind,
        subject_id,
        operator_id=operator_id,
        before=before,
        after={**(after or {}), "_context": where},
    )


def saves_since(version: CatalogueVersion, lock: int) -> list[dict[str, Any]]:
    """The saves of this version made after `lock`, oldest first: who, when, action, line and changed fields."""
    entries = db.session.scalars(
        select(AuditEntry)
        .where(AuditEntry.operator_id == version.catalogue.operator_id, AuditEntry.action.like("catalogue.%"))
        .order_by(AuditEntry.id.desc())
        .limit(RECENT_ENTRIES)
    ).all()
    saves = []
    for entry in reversed(entries):
        where = (entry.after or {}).get("_context") or {}
        if where.get("version_id") != version.id or where.get("lock", 0) <= lock:
            continue
        user = db.session.get(User, entry.actor_id) if entry.actor_id else None
        before, after = entry.before or {}, entry.after or {}
        saves.append(
            {
                "who": user.name if user is not None else entry.actor_label,
                "when": entry.created_at,
                "action": entry.action,
                "line": where.get("line"),
                "item": where.get("item", ""),
                "filename": after.get("filename", ""),
                "fields": [(k, before[k], after[k]) for k in after if k in before and isinstance(after[k], str)],
            }
        )
    return saves


def local_time(moment: datetime) -> str:
    """A naive UTC timestamp as Guangzhou reads it."""
    return clock.to_local(moment).strftime("%Y-%m-%d %H:%M")


def describe_saves(saves: Sequence[Mapping[str, Any]], translate: Callable[[str], str], lang: str) -> str:
    """The saves in words: "changed line 3 (文件费): 收费标准 400 → 450; added line 4 (堆存费)"."""
    parts = []
    for save in saves:
        header = save["action"] == "catalogue.header"
        fields = ", ".join(
            f"{layout.field_label(name, lang, header=header)} {_short(old)} → {_short(new)}"
            for name, old, new in save["fields"]
        )
        message = translate(DESCRIPTIONS.get(save["action"], DEFAULT_DESCRIPTION))
        parts.append(message.format(line=save["line"], item=save["item"], fields=fields, filename=save["filename"]))
    return "; ".join(parts)


def _short(value: object) -> str:
    text = " ".join(str(value or "—").split())
    return text if len(text) <= 40 else text[:39] + "…"


def conflict(version: CatalogueVersion, lock: int) -> Conflict:
    """The refusal of a save made from `lock`: who saved since, when, and what (params `saves`, new `lock`)."""
    saves = saves_since(version, lock)
    who = "、".join(dict.fromkeys(s["who"] for s in saves)) or "?"
    when = local_time(saves[-1]["when"]) if saves else ""
    what = describe_saves(saves, lambda s: s, "zh")
    return Conflict(CHANGED_BY_OTHERS, who=who, when=when, what=what, saves=saves, lock=version.lock_version)

"""An operator's editions as a change log: which one is in force or scheduled, and what each added, changed, removed.

Pure functions over `PublishedEdition`s. An edition carries its change marks (A, I, R, C on its lines, D on the lines
it removed) when it was made as a change of an earlier one; one without marks is compared with the edition before it
by name key and conditions, as the catalogue marks a change (`portal.validation.changes`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from portal.publishing.snapshot import PublishedEdition, PublishedLine
from portal.validation import vocabulary
from portal.validation.changes import ADDED, DELETED, INCREASE, REDUCTION, WORDING, mark_changes
from portal.validation.model import FeeLine
from portal.validation.names import normalise

MARKS = (ADDED, INCREASE, REDUCTION, WORDING, DELETED)


@dataclass(frozen=True)
class ChangedLine:
    mark: str
    line: PublishedLine


@dataclass(frozen=True)
class EditionChanges:
    """An edition and its changed lines: those it marks A, I, R or C in list order, then those it removed (D).

    A first edition (no earlier one) lists every line as added. `derived` says the marks were computed by comparing
    with `previous`, because the edition carries none; `replaced` that a later edition superseded it before it took
    effect.
    """

    edition: PublishedEdition
    previous: PublishedEdition | None
    lines: tuple[ChangedLine, ...]
    derived: bool = False
    replaced: bool = False

    @property
    def first(self) -> bool:
        return self.previous is None

    def count(self, mark: str) -> int:
        return sum(1 for changed in self.lines if changed.mark == mark)

    @property
    def counts(self) -> dict[str, int]:
        """Mark -> number of lines, for the marks that occur, in the order A, I, R, C, D."""
        return {mark: self.count(mark) for mark in MARKS if self.count(mark)}


def _order(edition: PublishedEdition) -> tuple[date, int]:
    return edition.effective_from, edition.number


def superseded(editions: Iterable[PublishedEdition]) -> frozenset[str]:
    """Codes of the editions replaced before they took effect: a later-published one takes effect no later.

    Publishing an edition supersedes every published one dated on or after it, so these never applied.
    """
    editions = list(editions)
    return frozenset(
        e.edition_code
        for e in editions
        if any(o.number > e.number and o.effective_from <= e.effective_from for o in editions)
    )


def _live(editions: Iterable[PublishedEdition]) -> list[PublishedEdition]:
    editions = list(editions)
    dropped = superseded(editions)
    return [e for e in editions if e.edition_code not in dropped]


def in_force(editions: Iterable[PublishedEdition], on: date) -> PublishedEdition | None:
    """The edition in force on `on`: the latest that was not superseded and whose date has come."""
    return max((e for e in _live(editions) if e.effective_from <= on), key=_order, default=None)


def scheduled(editions: Iterable[PublishedEdition], on: date) -> list[PublishedEdition]:
    """Editions that take effect after `on` (and were not superseded), soonest first."""
    return sorted((e for e in _live(editions) if e.effective_from > on), key=_order)


def previous(edition: PublishedEdition, editions: Iterable[PublishedEdition]) -> PublishedEdition | None:
    """The edition this one changes: of those published before it, the one in force the day before it takes
    effect, else (it predates them all) the latest of them. None for a first edition."""
    earlier = [e for e in editions if e.number < edition.number]
    eve = in_force(earlier, edition.effective_from - timedelta(days=1))
    return eve or max(_live(earlier), key=_order, default=None)


def _fee_line(line: PublishedLine, side: str) -> FeeLine:
    return FeeLine(
        name=line.name,
        service_content=line.service_content,
        standard=line.standard,
        unit=line.unit,
        currency=line.currency,
        pricing_class=line.pricing_class,
        basis=line.basis,
        pass_through=vocabulary.label("yes_no", line.pass_through, "zh"),
        conditions=line.conditions,
        remarks=line.remarks,
        line_no=line.line_no,
        effective_date=line.effective_date,
        key=f"{side}{line.position}",
    )


def diff(old: Sequence[PublishedLine], new: Sequence[PublishedLine]) -> tuple[ChangedLine, ...]:
    """The changes from `old` to `new`, lines matched by their stored name key (aliases applied) and conditions."""
    aliases = {normalise(line.name): line.name_key for line in (*old, *new) if line.name_key}
    marks = mark_changes([_fee_line(line, "old") for line in old], [_fee_line(line, "new") for line in new], aliases)
    changed = [ChangedLine(marks[f"new{line.position}"], line) for line in new if marks[f"new{line.position}"]]
    removed = [ChangedLine(DELETED, line) for line in old if marks.get(f"old{line.position}") == DELETED]
    return (*changed, *removed)


def _marked(edition: PublishedEdition) -> tuple[ChangedLine, ...]:
    changed = [
        ChangedLine(line.change_mark.strip().upper(), line)
        for line in edition.lines
        if line.change_mark.strip().upper() in MARKS
    ]
    return (*changed, *(ChangedLine(DELETED, line) for line in edition.removed))


def changes(edition: PublishedEdition, editions: Iterable[PublishedEdition]) -> EditionChanges:
    """What `edition` changed, given every edition of its operator (`edition` may be among them)."""
    editions = [e for e in editions if e.edition_code != edition.edition_code] + [edition]
    replaced = edition.edition_code in superseded(editions)
    before = previous(edition, editions)
    if before is None:
        every = tuple(ChangedLine(ADDED, line) for line in edition.lines)
        return EditionChanges(edition, None, every, replaced=replaced)
    marked = _marked(edition)
    if marked:
        return EditionChanges(edition, before, marked, replaced=replaced)
    return EditionChanges(edition, before, diff(before.lines, edition.lines), derived=True, replaced=replaced)


def change_log(editions: Iterable[PublishedEdition]) -> list[EditionChanges]:
    """Every edition with its changes, newest first (by effective date, then number)."""
    editions = list(editions)
    return [changes(e, editions) for e in sorted(editions, key=_order, reverse=True)]

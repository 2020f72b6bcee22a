"""Changes of the dated government-list rows: one added from the form, imported from a workbook in govlist.csv's
layout, their history; a rate is never edited in place, a new dated row follows the one it replaces."""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from flask import current_app
from sqlalchemy import select

from portal.audit import revisions
from portal.audit.services import Actor, record
from portal.auth.models import Role
from portal.errors import InvalidInput, Message, NotFound, PermissionDenied
from portal.extensions import db
from portal.govlist.loader import (
    GOVLIST_COLUMNS,
    GOVLIST_FILE,
    FeelistError,
    read_gov_items,
)
from portal.govlist.models import BundleDef, GovListItem
from portal.govlist.reference import REVISION, item_row, jsonable, to_model
from portal.govlist.signals import govlist_changed
from portal.transactions import atomic
from portal.validation.findings import N_
from portal.validation.model import (
    GovItem,
)
from portal.workbook import tables
from portal.workbook.guard import GuardLimits
from portal.workbook.refusals import UploadRefused

IMPORT_MAX_ROWS = 5_000
EDITABLE_UNTIL = "effective_until"  # the one value of an existing row a change may set: the day it ends
EDITED_IN_PLACE = N_(
    "Row {code} already exists with other values. A rate is never edited in place: add a new row with its own "
    "code and effective date."
)
STARTS_TOO_EARLY = N_(
    "Row {code} would take effect on {date}, but {other} of the same item takes effect on {other_date}. A new row "
    "must start after the rows it follows."
)


@dataclass(frozen=True)
class ItemHistory:
    """Every dated row of one government-list item, by conditions and then by date."""

    name_zh: str
    name_en: str
    rows: list[GovListItem]


@dataclass
class Changes:
    """What a change of the list did: rows added, rows closed (ended the day before a successor), rows unchanged."""

    added: list[str] = field(default_factory=list)
    closed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


def changed(actor: Actor | None, reason: str) -> None:
    """Announce a committed change (portal/govlist/signals.py): review re-validates, kept copies are dropped."""
    govlist_changed.send(current_app._get_current_object(), actor=actor, reason=reason)


def announce(actor: Actor | None, reason: str) -> None:
    """Announce a change committed elsewhere in the package (the official list intake)."""
    changed(actor, reason)


def known_codes() -> set[str]:
    return set(db.session.scalars(select(GovListItem.code)))


def check_admin(actor: Actor | None) -> None:
    if actor is not None and getattr(actor, "role", None) != Role.ADMIN:
        raise PermissionDenied(N_("Only an administrator may change the government list."))


@contextmanager
def committing() -> Iterator[None]:
    """A change of the list: committed with a move of its revision (every worker's kept copy expires), or nothing."""
    with atomic():
        yield
        revisions.bump(REVISION)


def history() -> list[ItemHistory]:
    """All rows, past and future included, grouped by item in the order the list first names them."""
    groups: dict[str, list[GovListItem]] = {}
    for row in db.session.scalars(select(GovListItem).order_by(GovListItem.id)):
        groups.setdefault(row.name_zh, []).append(row)
    return [ItemHistory(name, rows[0].name_en, sorted(rows, key=_dated)) for name, rows in groups.items()]


def _dated(row: GovListItem) -> tuple[str, ...]:
    conditions = (row.trade or "", row.container_size or "", row.laden or "", row.cargo or "")
    return (*conditions, (row.effective_from or date.min).isoformat(), row.code)


def get_item(item_id: int) -> GovListItem:
    row = db.session.get(GovListItem, item_id)
    if row is None:
        raise NotFound(N_("No such government-list row."))
    return row


def item_values(row: GovListItem) -> dict[str, str]:
    """A stored row as the text of govlist.csv's columns (to start a new dated row from it)."""
    values = item_row(to_model(row))
    text = {k: "|".join(v) if isinstance(v, list) else _cell(v) for k, v in values.items()}
    return {column: text.get(column, "") for column in GOVLIST_COLUMNS}


def _cell(value: object) -> str:
    """A value as govlist.csv writes it: true/false, rates with their places (13.60, 0.125), dates in ISO."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        exponent = value.normalize().as_tuple().exponent
        places = max(2, -exponent if isinstance(exponent, int) else 0)
        return f"{value:.{places}f}"
    return str(value)


def parse_rows(rows: Sequence[Sequence[str]]) -> list[GovItem]:
    """Rows of govlist.csv (the first one its header) read by the feelists loader itself, so they are checked alike.

    A row the loader refuses raises InvalidInput with `row` (the row's number, the header being 1) and `column`.
    """
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / GOVLIST_FILE
        with path.open("w", encoding="utf-8", newline="") as stream:
            csv.writer(stream).writerows(rows)
        try:
            return list(read_gov_items(path))
        except FeelistError as error:
            raise InvalidInput(
                N_("Row {row}, column {column}: {problem}"),
                row=error.line,
                column=error.column or "—",
                problem=Message(error.problem, error.params),
            ) from error


def add_item(values: Mapping[str, str], actor: Actor | None) -> Changes:
    """Add one dated row from the form; the row it follows ends the day before it takes effect."""
    check_admin(actor)
    row = [" ".join(values.get(column, "").split()) for column in GOVLIST_COLUMNS]
    items = parse_rows([list(GOVLIST_COLUMNS), row])
    with committing():
        changes = _add_items(items, actor)
    changed(actor, f"add {items[0].code}")
    return changes


def import_items(data: bytes, filename: str, actor: Actor | None, limits: GuardLimits | None = None) -> Changes:
    """Add the rows of an uploaded workbook (first sheet, govlist.csv's columns in row 1): all of them, or none."""
    check_admin(actor)
    try:
        cells = tables.first_sheet_values(data, filename, limits)
    except UploadRefused as error:
        raise InvalidInput(error.message, **error.params) from error
    if len(cells) > IMPORT_MAX_ROWS + 1:
        raise InvalidInput(N_("The sheet has more than {limit} rows."), limit=IMPORT_MAX_ROWS)
    header = [tables.text_of(value) for value in (cells[0] if cells else [])]
    while header and not header[-1]:
        header.pop()
    rows = [header] + [
        [tables.text_of(v) for v in row[: len(header)]] + [""] * (len(header) - len(row)) for row in cells[1:]
    ]
    items = parse_rows(rows)
    if not items:
        raise InvalidInput(N_("The sheet has no rows of the government list under its header."))
    with committing():
        changes = _add_items(items, actor)
        record(actor, "govlist.import", "feelists", filename[:64], after=asdict(changes))
    changed(actor, f"import {filename}")
    return changes


def _add_items(items: Sequence[GovItem], actor: Actor | None) -> Changes:
    """Known codes must be unchanged (or only ended); new codes are added in date order, each closing its forerunner."""
    rows = {row.code: row for row in db.session.scalars(select(GovListItem))}
    changes = Changes()
    new: list[GovItem] = []
    for item in items:
        row = rows.get(item.code)
        if row is None:
            new.append(item)
            continue
        values = item_row(item)
        differing = {k for k, v in values.items() if getattr(row, k) != v}
        if not differing:
            changes.unchanged.append(item.code)
        elif differing == {EDITABLE_UNTIL} and row.effective_until is None:
            _close(row, values[EDITABLE_UNTIL], actor, changes)
        else:
            raise InvalidInput(EDITED_IN_PLACE, code=item.code)
    for item in sorted(new, key=lambda i: i.effective_from or date.min):
        if item.effective_from is None:
            raise InvalidInput(N_("Row {code} needs the date it takes effect."), code=item.code)
        if item.folded_into and db.session.scalar(select(BundleDef).where(BundleDef.code == item.folded_into)) is None:
            raise InvalidInput(
                N_("Row {code} is folded into {bundle}, which is not a bundle."),
                code=item.code,
                bundle=item.folded_into,
            )
        for row in rows.values():
            if _same_item(row, item):
                _follow(row, item, actor, changes)
        values = item_row(item)
        rows[item.code] = GovListItem(**values)
        db.session.add(rows[item.code])
        record(actor, "govlist.item.create", "gov_item", item.code, after=jsonable(values))
        changes.added.append(item.code)
    db.session.flush()
    return changes


def _same_item(row: GovListItem, item: GovItem) -> bool:
    c = item.conditions
    ours = (item.name_zh, c.trade, c.container_size, c.laden, c.cargo)
    return (row.name_zh, row.trade, row.container_size, row.laden, row.cargo) == ours


def _follow(row: GovListItem, item: GovItem, actor: Actor | None, changes: Changes) -> None:
    """`item` follows `row` in time: a row taking effect on or after it is refused, an open one ended before it."""
    start = item.effective_from or date.min
    if row.effective_from is not None and row.effective_from >= start:
        raise InvalidInput(
            STARTS_TOO_EARLY,
            code=item.code,
            date=start.isoformat(),
            other=row.code,
            other_date=row.effective_from.isoformat(),
        )
    if row.effective_until is None or row.effective_until >= start:
        _close(row, start - timedelta(days=1), actor, changes)


def close_item(row: GovListItem, until: date, actor: Actor | None) -> None:
    """End a dated row on `until`, audited (the maintenance pages and the official-list intake alike)."""
    before = row.effective_until
    row.effective_until = until
    record(
        actor,
        "govlist.item.close",
        "gov_item",
        row.code,
        before={EDITABLE_UNTIL: _cell(before)},
        after={EDITABLE_UNTIL: _cell(until)},
    )


def _close(row: GovListItem, until: date, actor: Actor | None, changes: Changes) -> None:
    close_item(row, until, actor)
    changes.closed.append(row.code)

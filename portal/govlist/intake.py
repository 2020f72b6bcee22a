"""The bureau's official list intake: its government list in the layout it publishes (the notice's Attachment 1:
序号, 收费项目, 收费标准, 计费单位, 收费依据 ...; 适用条件 and 页码 when given), xlsx or csv; a preview of what would
change; applied (or cancelled) from a copy held server-side, never from the session.

Each official row is matched to the portal's rows in force by fee name (or alias), unit and the conditions it names:
- the same rate: the portal's row is marked verified, with the source document, its date and the page;
- another rate: a new dated row takes effect on the notice's date (verified), the old one ends the day before;
- no match, or several: listed for the bureau (never guessed); a row matching nothing links to the item form filled
  in from it (name, amount, unit, basis, source, date), where the bureau adds what the notice does not say (code,
  English name, pricing class, fixed or cap) and the loader checks it like any other row;
portal rows in force under a name the notice lists but matching none of its rows end the day before (ended).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from sqlalchemy import select

from portal.audit.services import Actor, record
from portal.errors import InvalidInput
from portal.extensions import db
from portal.govlist.changes import close_item
from portal.govlist.models import GovListItem
from portal.validation.conditions import parse_conditions
from portal.validation.findings import N_
from portal.workbook import tables
from portal.workbook.guard import GuardLimits
from portal.workbook.refusals import UploadRefused

HEADER_WORDS = {
    "序号": "no",
    "收费项目": "name",
    "项目名称": "name",
    "收费标准": "standard",
    "计费单位": "unit",
    "收费依据": "basis",
    "适用条件": "conditions",
    "适用范围": "conditions",
    "页码": "page",
    "备注": "remarks",
}
REQUIRED = ("name", "standard", "unit")
MAX_ROWS = 5_000
NUMBER = re.compile(r"\d+(?:\.\d+)?")


@dataclass(frozen=True)
class OfficialRow:
    row: int  # the row's number in the sheet (1-based), for located messages
    name: str
    standard: str
    unit: str
    basis: str = ""
    conditions: str = ""
    page: str = ""

    @property
    def rate(self) -> Decimal | None:
        found = NUMBER.search(self.standard.replace(",", ""))
        try:
            return Decimal(found.group(0)) if found else None
        except InvalidOperation:
            return None


@dataclass
class Preview:
    verified: list[dict[str, str]] = field(default_factory=list)  # {"code", "name", "rate", "row"}
    changed: list[dict[str, str]] = field(default_factory=list)  # {"code", "name", "old", "new", "row"}
    ended: list[dict[str, str]] = field(default_factory=list)  # {"code", "name", "rate"}
    # {"row", "name", "standard", "why", "rate", "unit", "basis"}: "why" is none, several or rate
    unmatched: list[dict[str, str]] = field(default_factory=list)
    already: int = 0  # rows already verified at this rate

    @property
    def empty(self) -> bool:
        return not (self.verified or self.changed or self.ended)


def is_official_layout(table: Sequence[Sequence[str]]) -> bool:
    """The notice's layout: a row naming 收费项目 among the first ten (a title may come first)."""
    return any("收费项目" in row or "项目名称" in row for row in table[:10])


def read_table(data: bytes, filename: str, limits: GuardLimits | None = None) -> list[list[str]]:
    """The first sheet of an xlsx (through the upload guard), or a csv in UTF-8 or GB18030, as text cells."""
    try:
        if tables.is_csv(filename):
            rows = tables.csv_rows(data, MAX_ROWS + 10)
        else:
            cells = tables.first_sheet_values(data, filename, limits)
            rows = [[tables.text_of(v) for v in row] for row in cells]
    except UploadRefused as error:
        raise InvalidInput(error.message, **error.params) from error
    if len(rows) > MAX_ROWS + 10:
        raise InvalidInput(N_("The sheet has more than {limit} rows."), limit=MAX_ROWS)
    return [[(c or "").strip() for c in row] for row in rows]


def official_rows(table: list[list[str]]) -> list[OfficialRow]:
    """The rows under the Attachment-1 header (found in the first ten rows); located errors for missing columns."""
    for index, row in enumerate(table[:10]):  # noqa: B007 - the header row found is used after the loop
        columns = {
            HEADER_WORDS[" ".join(c.split())]: i for i, c in enumerate(row) if " ".join(c.split()) in HEADER_WORDS
        }
        if "name" in columns:
            break
    else:
        raise InvalidInput(N_("No header row with 收费项目 in the first ten rows."))
    missing = [word for word, key in (("收费标准", "standard"), ("计费单位", "unit")) if key not in columns]
    if missing:
        raise InvalidInput(
            N_("Row {row}: the header lacks the column {column}."), row=index + 1, column="、".join(missing)
        )
    found = []
    for number, row in enumerate(table[index + 1 :], start=index + 2):

        def cell(key: str, row: list[str] = row) -> str:
            at = columns.get(key)
            return " ".join(row[at].split()) if at is not None and at < len(row) else ""

        if not cell("name"):
            continue
        found.append(
            OfficialRow(
                number, cell("name"), cell("standard"), cell("unit"), cell("basis"), cell("conditions"), cell("page")
            )
        )
    if not found:
        raise InvalidInput(N_("The sheet has no rows of the government list under its header."))
    return found


def _in_force(on: date) -> list[GovListItem]:
    rows = db.session.scalars(select(GovListItem).where(GovListItem.status == "in_force")).all()
    return [
        r
        for r in rows
        if (r.effective_from is None or r.effective_from <= on)
        and (r.effective_until is None or r.effective_until >= on)
    ]


def _unit(text: str) -> str:
    return text.replace(" ", "").replace("／", "/")


def _matches(item: GovListItem, official: OfficialRow) -> bool:
    if official.name != item.name_zh and official.name not in (item.aliases or []):
        return False
    if _unit(official.unit) != _unit(item.unit):
        return False
    named = parse_conditions(f"{official.conditions} {official.standard}")
    for attribute in ("trade", "container_size", "laden", "cargo"):
        wanted = getattr(named, attribute)
        if wanted is not None and getattr(item, attribute) != wanted:
            return False
    return True


def preview(rows: Sequence[OfficialRow], effective: date) -> tuple[Preview, list[tuple[str, GovListItem, OfficialRow]]]:
    """What applying would do, and the plan: ("verify" | "change", portal row, official row) per matched row."""
    current = _in_force(effective)
    result, plan, touched = Preview(), [], set()
    names = {r.name for r in rows}
    for official in rows:
        candidates = [item for item in current if _matches(item, official)]
        if len(candidates) > 1:  # several: the one whose conditions are exactly those named, if there is one
            named = parse_conditions(f"{official.conditions} {official.standard}")
            exact = [
                item
                for item in candidates
                if all(getattr(item, a) == getattr(named, a) for a in ("trade", "container_size", "laden", "cargo"))
            ]
            candidates = exact if len(exact) == 1 else candidates
        if len(candidates) != 1:
            result.unmatched.append(_unmatched(official, "none" if not candidates else "several"))
            continue
        item = candidates[0]
        touched.add(item.id)
        rate = official.rate
        if rate is not None and item.rate is not None and rate == item.rate:
            if item.verified:
                result.already += 1
            else:
                result.verified.append(
                    {"code": item.code, "name": item.name_zh, "rate": f"{rate}", "row": str(official.row)}
                )
            plan.append(("verify", item, official))
        elif rate is None:
            result.unmatched.append(_unmatched(official, "rate"))
        else:
            old = "" if item.rate is None else f"{item.rate}"
            result.changed.append(
                {"code": item.code, "name": item.name_zh, "old": old, "new": f"{rate}", "row": str(official.row)}
            )
            plan.append(("change", item, official))
    for item in current:
        if item.id not in touched and (item.name_zh in names or set(item.aliases or []) & names):
            result.ended.append(
                {"code": item.code, "name": item.name_zh, "rate": "" if item.rate is None else f"{item.rate}"}
            )
    return result, plan


def _unmatched(official: OfficialRow, why: str) -> dict[str, str]:
    rate = official.rate
    return {
        "row": str(official.row),
        "name": official.name,
        "standard": official.standard,
        "why": why,
        "rate": "" if rate is None else f"{rate}",
        "unit": official.unit,
        "basis": official.basis,
    }


@dataclass(frozen=True)
class Source:
    document: str
    document_date: date
    effective: date
    page: str = ""


def _verify(item: GovListItem, source: Source, page: str) -> None:
    item.verified = True
    item.verified_document = source.document[:300]
    item.verified_document_date = source.document_date
    item.verified_page = (page or source.page)[:16]


def apply(rows: Sequence[OfficialRow], source: Source, actor: Actor | None) -> Preview:
    """Apply the plan (the caller commits): verify, add the new rates as dated rows, end what the notice drops."""
    result, plan = preview(rows, source.effective)
    codes = set(db.session.scalars(select(GovListItem.code)))
    for action, item, official in plan:
        if action == "verify":
            if not item.verified:
                _verify(item, source, official.page)
                record(actor, "govlist.item.verify", "gov_item", item.code, after=_where(item))
            continue
        code = _new_code(item.code, source.effective, codes)
        values = {
            c.key: getattr(item, c.key) for c in GovListItem.__table__.columns if c.key not in ("id", "updated_at")
        }
        values.update(code=code, rate=official.rate, effective_from=source.effective, effective_until=None, trust="")
        values.update(basis=official.basis or item.basis, source=source.document)
        new = GovListItem(**values)
        _verify(new, source, official.page)
        db.session.add(new)
        close_item(item, source.effective - timedelta(days=1), actor)
        record(actor, "govlist.item.create", "gov_item", code, after={"rate": f"{official.rate}", **_where(new)})
    ended = {e["code"] for e in result.ended}
    for item in db.session.scalars(select(GovListItem).where(GovListItem.code.in_(ended))):
        close_item(item, source.effective - timedelta(days=1), actor)
    record(
        actor,
        "govlist.intake",
        "feelists",
        source.document[:64],
        after={k: len(v) for k, v in asdict(result).items() if isinstance(v, list)},
    )
    db.session.flush()
    return result


def _where(item: GovListItem) -> dict[str, str]:
    return {
        "verified_document": item.verified_document,
        "verified_document_date": item.verified_document_date.isoformat() if item.verified_document_date else "",
        "verified_page": item.verified_page,
    }


def _new_code(code: str, effective: date, taken: set[str]) -> str:
    base = f"{code}-{effective:%Y%m%d}"[:60]
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}-{n}"
    taken.add(candidate)
    return candidate

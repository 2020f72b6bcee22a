"""Seed the fictional demo operators, their catalogues and one account per role, from demo/operators.json.

Demo catalogues go through the same path as an upload: rows keyed by the prescribed column labels become
FeeLines, which the catalogue service stores and validates. Clean ones are published; faulty ones stay drafts
with their reports, for the validator and the review queue to show.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sqlalchemy import select
from tqdm import tqdm

from portal.auth import services as auth
from portal.auth.models import Role, User
from portal.catalogue import services as catalogue
from portal.extensions import db
from portal.operators import services as operators
from portal.operators.models import Operator, OperatorKind
from portal.publishing import editions
from portal.validation.model import CatalogueInput, FeeLine, Header
from portal.workbook.layout import match_column, match_header_field

DEMO_PASSWORD = "demo-2026"  # noqa: S105 - fictional demo accounts, printed by `make run`
BUREAU_ACCOUNTS = (
    ("admin@demo.gz.example", "演示管理员", Role.ADMIN),
    ("reviewer@demo.gz.example", "演示审核员", Role.REVIEWER),
)


def _user(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == email))


def _operator(entry: dict[str, Any]) -> Operator:
    existing = db.session.scalar(select(Operator).where(Operator.credit_code == entry["credit_code"]))
    if existing is not None:
        return existing
    return operators.register_operator(
        credit_code=entry["credit_code"],
        name_zh=entry["name_zh"],
        name_en=entry.get("name_en"),
        kind=OperatorKind(entry["kind"]),
        port_area_names=entry["port_areas"],
        address=entry.get("address", ""),
        website=entry.get("website", ""),
        complaint_phones=entry.get("complaint_phones", ()),
    )


def _by_label(row: dict[str, str], match) -> dict[str, str]:
    """Map prescribed-format labels to attribute names, as the workbook reader does with a header row."""
    values = {}
    for label, value in row.items():
        spec = match(label)
        if spec is None:
            raise ValueError(f"demo data label {label!r} is not in the prescribed format")
        values[getattr(spec, "attr", None) or spec.key] = str(value)
    return values


def catalogue_input(data: dict[str, Any]) -> CatalogueInput:
    """A demo catalogue (rows keyed by the prescribed labels) as the validator reads it."""
    return CatalogueInput(
        header=Header(**_by_label(data["header"], match_header_field)),
        lines=tuple(FeeLine(**_by_label(row, match_column)) for row in data["lines"]),
    )


def _catalogue(operator: Operator, data: dict[str, Any]) -> None:
    if catalogue.versions_of(operator):
        return
    listed = catalogue_input(data)
    version = catalogue.replace_contents(operator, listed.header, listed.lines, None, source="demo")
    if version.error_count == 0:
        editions.publish(version, None)


def seed(directory: Path, *, progress: bool = False) -> list[tuple[str, str, str]]:
    """Create what is missing; returns (email, role, operator) for every demo account."""
    accounts: list[tuple[str, str, str]] = []
    for email, name, role in BUREAU_ACCOUNTS:
        if _user(email) is None:
            auth.create_user(email, name, DEMO_PASSWORD, role)
        accounts.append((email, role.value, ""))
    entries = json.loads((directory / "operators.json").read_text(encoding="utf-8"))
    for n, entry in enumerate(tqdm(entries, desc="demo operators", unit="op", disable=not progress), 1):
        operator = _operator(entry)
        _catalogue(operator, entry["catalogue"])
        email = f"staff{n:02d}@demo.gz.example"
        if _user(email) is None:
            auth.create_user(email, f"{operator.name_zh} 填报员", DEMO_PASSWORD, Role.OPERATOR, operator=operator)
        accounts.append((email, Role.OPERATOR.value, operator.name_zh))
    return accounts

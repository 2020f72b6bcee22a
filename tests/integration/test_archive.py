"""Backup and transfer on the real databases: `flask export-all` then `flask import-all` reproduce every table, from
SQLite to PostgreSQL and back, and an archive that cannot be restored exactly is refused with the target unchanged."""

from __future__ import annotations

import base64
import enum
import hashlib
import json
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import JSON, select, text
from sqlalchemy.engine import make_url

from portal import create_app
from portal.admin import accounts
from portal.archive.services import SKIPPED, archived_tables
from portal.auth import services as auth
from portal.auth.models import Role
from portal.catalogue import services as catalogue
from portal.complaints import services as complaints
from portal.complaints.models import Decision as Verdict
from portal.extensions import db as _db
from portal.holding import services as holding
from portal.operators import identity
from portal.operators import services as operators
from portal.operators.models import OperatorKind
from portal.publishing import editions
from portal.review import services as review
from portal.validation.model import FeeLine
from tests.conftest import BACKENDS, PG_URL, _ensure_pg_database
from tests.factories import PASSWORD, credit_code, header_of

TODAY = date(2026, 11, 23)
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256))
LINES = (
    FeeLine(name="文件费", service_content="制作、签发单证", standard="400", unit="元/票", pricing_class="市场调节价"),
    FeeLine(name="铅封费", service_content="提供并施加铅封", standard="20.5", unit="元/个", pricing_class="市场调节价"),
)

Dump = dict[str, list[tuple[Any, ...]]]


header = header_of


def explained(version) -> dict[str, str]:
    return {key: "已核对" for key in catalogue.errors_to_explain(version)}


def file_against(operator, line_id: int):
    """File a complaint: 文件费 charged 1234.5678 for 2 票 where 400 per 票 is posted, with a PNG invoice."""
    filing = complaints.Filing(
        operator_id=operator.id,
        charged_on=date(2026, 6, 1),
        fee_line_id=line_id,
        fee_name="文件费",
        amount=Decimal("1234.5678"),
        currency="CNY",
        quantity=Decimal("2"),
        unit="票",
        description="文件费超出公示标准",
        contact_name="广州某外贸公司",
        contact_phone="13800138000",
        contact_email="shipper@example.test",
        invoice=PNG,
        remote_addr="203.0.113.5",
    )
    return complaints.file_complaint(filing, today=TODAY)


@pytest.fixture
def world(app, runner, make_operator, make_user) -> None:
    """A row in every archived table: the government list, the demo operators and catalogues, a change sent back and
    then approved, a complaint filed against a listed line and decided, a re-validation run, a sign-in, an invitation
    mailed, a name-change request, a held upload."""
    for command in ("load-govlist", "seed-demo"):
        result = runner.invoke(args=[command])
        assert result.exit_code == 0, result.output
    reviewer = make_user(Role.REVIEWER)
    operator = make_operator("广州归档测试码头有限公司", port_area_names=["南沙港区", "黄埔港区"])
    staff = make_user(Role.OPERATOR, operator=operator)
    first = catalogue.replace_contents(operator, header(operator, "2026-01-01"), LINES, staff, as_of=TODAY)
    editions.publish(first, None, now=TODAY)

    change = catalogue.start_change(operator, staff, as_of=TODAY)
    catalogue.save_header(change, staff, header(operator, TODAY.isoformat()), expected_lock=None, as_of=TODAY)
    line = next(record for record in change.lines if record.name == "文件费")
    catalogue.update_line(change, line.id, staff, replace(LINES[0], standard="450"), expected_lock=None, as_of=TODAY)
    catalogue.submit(change, staff, True, explained(change), as_of=TODAY)
    rows = review.diff(change, TODAY).rows
    review.request_changes(
        change, reviewer, comment="请说明涨价依据", line_comments={rows[0].key: "依据？"}, today=TODAY
    )
    catalogue.submit(change, staff, True, explained(change), as_of=TODAY)
    review.approve(change, reviewer, comment="同意", today=TODAY)

    complaint = file_against(operator, next(record.id for record in first.lines if record.name == "文件费"))
    complaints.assign(complaint, reviewer.id, reviewer)
    complaints.decide(complaint, Verdict.SUBSTANTIATED, "退还多收费用", "多收文件费，已责令退还", reviewer)
    review.revalidate_editions(reviewer, "政府清单更新", today=TODAY)
    assert auth.sign_in(staff.email, PASSWORD, "203.0.113.9") is not None
    administrator = make_user(Role.ADMIN)
    accounts.invite("invited@example.test", "新同事", Role.REVIEWER, None, administrator)  # a link and its mail
    identity.request_change(
        operator, staff, name_zh="广州归档测试港务有限公司", credit_code=operator.credit_code, reason="更名"
    )
    holding.hold("govlist-intake", "序号,收费项目\n1,货物港务费\n".encode(), "附件1.csv", owner_id=administrator.id)
    _db.session.commit()


@pytest.fixture
def small_world(make_operator, make_user, publish):
    """One operator with an account and a published list of two lines; returns the edition."""
    operator = make_operator()
    make_user(Role.OPERATOR, operator=operator)
    return publish(operator, *LINES)


@pytest.fixture
def target(tmp_path) -> Iterator[Callable[[str], Flask]]:
    """Make an app on a fresh, empty database: a SQLite file, or the second PostgreSQL database (`...2`)."""
    made: list[Flask] = []

    def make(backend: str) -> Flask:
        if backend == "sqlite":
            url = f"sqlite:///{tmp_path / f'target{len(made)}.sqlite3'}"
        else:
            pg = make_url(PG_URL)
            url = pg.set(database=f"{pg.database}2").render_as_string(hide_password=False)
            _ensure_pg_database(url)
        app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url})
        with app.app_context():
            _db.drop_all()
            _db.create_all()
        made.append(app)
        return app

    yield make
    for app in made:
        with app.app_context():
            _db.drop_all()
            _db.engine.dispose()


def run(app: Flask, *args: str):
    """Invoke a command against `app`'s database (pushing its context, so the command cannot reach another's)."""
    _db.session.commit()
    with app.app_context():
        return app.test_cli_runner().invoke(args=list(args))


def normalised(value: Any) -> tuple[str, Any]:
    """A value as both backends must return it: its Python type beside it (so 12.5 is not Decimal("12.5"))."""
    if isinstance(value, enum.Enum):
        value = value.value
    return type(value).__name__, value


MOVED_ON_IMPORT = "revision"  # counters an import sets past both the archive's and the target's (see services)


def dump(app: Flask, *, moved: bool = False) -> Dump:
    """Every archived table in primary-key order; JSON cells also say whether they are SQL NULL or a JSON null.

    The revision counters, which an import moves on rather than copies, are left out unless `moved`.
    """
    with app.app_context(), _db.engine.connect() as conn:
        tables = {}
        for table in archived_tables(_db.metadata):
            if table.name == MOVED_ON_IMPORT and not moved:
                continue
            nulls = [c.is_(None) for c in table.columns if isinstance(c.type, JSON)]
            query = select(*table.columns, *nulls).order_by(*table.primary_key.columns)
            tables[table.name] = [tuple(normalised(v) for v in row) for row in conn.execute(query)]
        return tables


def count(app: Flask, table_name: str) -> int:
    with app.app_context():
        table = _db.metadata.tables[table_name]
        return _db.session.scalar(select(_db.func.count()).select_from(table))


def rewrite(source: Path, out: Path, change: Callable[[str, bytes], bytes]) -> Path:
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(out, "w") as new:
        for info in old.infolist():
            new.writestr(info.filename, change(info.filename, old.read(info.filename)))
    return out


def manifest_of(path: Path) -> dict[str, Any]:
    with zipfile.ZipFile(path) as archive:
        return json.loads(archive.read("manifest.json"))


def test_every_skipped_table_exists_so_the_list_cannot_go_stale() -> None:
    create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://"})  # imports every model into the metadata
    assert set(SKIPPED) <= set(_db.metadata.tables)


@pytest.mark.usefixtures("world")
def test_export_then_import_reproduces_every_table_on_both_backends(app, backend, tmp_path, target) -> None:
    path = tmp_path / "portal.zip"
    result = run(app, "export-all", str(path))
    assert result.exit_code == 0, result.output
    before = dump(app, moved=True)
    assert [name for name, rows in before.items() if not rows] == [], "the world leaves these tables untested"

    manifest = manifest_of(path)
    archived = {entry["name"] for entry in manifest["tables"]}
    assert archived | set(manifest["skipped"]) == set(_db.metadata.tables), "a table is neither archived nor skipped"
    assert not archived & set(manifest["skipped"])
    assert {entry["name"]: entry["rows"] for entry in manifest["tables"]} == {n: len(r) for n, r in before.items()}

    for other in BACKENDS:
        fresh = target(other)
        result = run(fresh, "import-all", str(path))
        assert result.exit_code == 0, result.output
        after = dump(fresh, moved=True)
        for name, rows in before.items():
            if name != MOVED_ON_IMPORT:
                assert after[name] == rows, f"{name} differs after the trip from {backend} to {other}"
        # Revision counters move past the imported ones, so a worker's cache of the old data is never taken for it.
        moved = [(topic, ("int", number[1] + 1)) for topic, number in before["revision"]]
        assert after["revision"] == moved
        again = tmp_path / f"again-{other}.zip"
        assert run(fresh, "export-all", str(again)).exit_code == 0
        same = [entry for entry in manifest["tables"] if entry["name"] != MOVED_ON_IMPORT]
        again_same = [entry for entry in manifest_of(again)["tables"] if entry["name"] != MOVED_ON_IMPORT]
        assert again_same == same, "the same rows must give byte-identical files"
        with fresh.app_context():  # ids continue after the imported ones (PostgreSQL sequences were moved on)
            top = max(row[0][1] for row in after["operator"])
            added = operators.register_operator(
                credit_code=credit_code(999_999),
                name_zh="导入后新增码头有限公司",
                kind=OperatorKind.TERMINAL,
                port_area_names=["南沙港区"],
                complaint_phones=["020-87654321"],
            )
            assert added.id == top + 1


def test_the_archive_writes_money_as_decimal_strings_and_the_invoice_as_base64(app, tmp_path, small_world) -> None:
    file_against(small_world.catalogue.operator, next(r.id for r in small_world.lines if r.name == "文件费"))
    path = tmp_path / "portal.zip"
    assert run(app, "export-all", str(path)).exit_code == 0
    with zipfile.ZipFile(path) as archive:
        complaint = json.loads(archive.read("complaint.jsonl").splitlines()[0])
        lines = [json.loads(line) for line in archive.read("fee_line.jsonl").splitlines()]
    columns = next(e for e in manifest_of(path)["tables"] if e["name"] == "complaint")["columns"]
    assert columns["amount_charged"] == "decimal"
    assert complaint["amount_charged"] == "1234.5678"
    assert complaint["excess"] == "434.5678"  # 1234.5678 - 400 x 2
    assert base64.b64decode(complaint["invoice"]) == PNG
    assert {line["name"]: line["amount"] for line in lines} == {"文件费": "400.0000", "铅封费": "20.5000"}


@pytest.mark.usefixtures("small_world")
def test_a_database_built_by_the_migrations_takes_the_archive_unless_it_is_at_another_revision(app, tmp_path) -> None:
    path = tmp_path / "portal.zip"
    assert run(app, "export-all", str(path)).exit_code == 0
    migrated = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'migrated.sqlite3'}"})
    upgraded = run(migrated, "db", "upgrade")
    assert upgraded.exit_code == 0, upgraded.output
    imported = run(migrated, "import-all", str(path))
    assert imported.exit_code == 0, imported.output
    assert dump(migrated) == dump(app)

    with migrated.app_context():
        _db.session.execute(text("UPDATE alembic_version SET version_num = '0123456789ab'"))
        _db.session.commit()
    refused = run(migrated, "import-all", "--replace", str(path))
    assert refused.exit_code == 2  # every command refuses a database at another migration (portal.database_state)
    assert "is at migration 0123456789ab, this code needs " in refused.output
    with migrated.app_context():
        _db.engine.dispose()


@pytest.mark.usefixtures("small_world")
def test_a_non_empty_database_is_refused_without_replace_and_replaced_with_it(app, tmp_path, make_operator) -> None:
    path = tmp_path / "portal.zip"
    assert run(app, "export-all", str(path)).exit_code == 0
    exported = dump(app)
    make_operator("导出后新增码头有限公司")
    changed = dump(app)

    refused = run(app, "import-all", str(path))
    assert refused.exit_code == 1
    assert "not empty" in refused.output
    assert "--replace" in refused.output
    assert dump(app) == changed

    replaced = run(app, "import-all", "--replace", str(path))
    assert replaced.exit_code == 0, replaced.output
    assert dump(app) == exported


@pytest.mark.usefixtures("small_world")
def test_a_tampered_archive_is_refused_and_the_database_is_left_as_it_was(app, tmp_path) -> None:
    path = tmp_path / "portal.zip"
    assert run(app, "export-all", str(path)).exit_code == 0
    before = dump(app)

    def tamper(name: str, data: bytes) -> bytes:
        return data.replace("文件费".encode(), "文档费".encode()) if name == "fee_line.jsonl" else data

    tampered = rewrite(path, tmp_path / "tampered.zip", tamper)
    result = run(app, "import-all", "--replace", str(tampered))
    assert result.exit_code == 1
    assert "fee_line.jsonl does not match its checksum" in result.output
    assert dump(app) == before


@pytest.mark.usefixtures("small_world")
def test_rows_the_database_refuses_roll_back_the_whole_import_including_the_replaced_rows(app, tmp_path) -> None:
    """A consistent archive (checksums recomputed) whose operators share a credit code: the unique index refuses it
    after every earlier table was already deleted and re-inserted; all of that is undone."""
    path = tmp_path / "portal.zip"
    assert run(app, "export-all", str(path)).exit_code == 0
    before = dump(app)
    with zipfile.ZipFile(path) as archive:
        operator = json.loads(archive.read("operator.jsonl"))
    duplicate = (json.dumps(operator) + "\n" + json.dumps({**operator, "id": operator["id"] + 1}) + "\n").encode()

    def reseal(name: str, data: bytes) -> bytes:
        if name == "operator.jsonl":
            return duplicate
        if name == "manifest.json":
            manifest = json.loads(data)
            entry = next(e for e in manifest["tables"] if e["name"] == "operator")
            entry.update(rows=2, sha256=hashlib.sha256(duplicate).hexdigest())
            return json.dumps(manifest).encode()
        return data

    result = run(app, "import-all", "--replace", str(rewrite(path, tmp_path / "duplicate.zip", reseal)))
    assert result.exit_code == 1
    assert "Rows of operator were refused by the database" in result.output
    assert dump(app) == before


@pytest.mark.parametrize(
    ("changed", "message"),
    [
        ({"format_version": 2}, "this portal reads portal-archive version 1 only"),
        ({"format": "something-else"}, "this portal reads portal-archive version 1 only"),
        ({"schema_revision": "0123456789ab"}, "written at schema revision 0123456789ab"),
    ],
)
@pytest.mark.usefixtures("small_world")
def test_an_archive_of_another_format_or_schema_revision_is_refused(app, tmp_path, changed, message) -> None:
    path = tmp_path / "portal.zip"
    assert run(app, "export-all", str(path)).exit_code == 0
    before = dump(app)

    def edit(name: str, data: bytes) -> bytes:
        return json.dumps({**json.loads(data), **changed}).encode() if name == "manifest.json" else data

    result = run(app, "import-all", "--replace", str(rewrite(path, tmp_path / "other.zip", edit)))
    assert result.exit_code == 1
    assert message in result.output
    assert dump(app) == before

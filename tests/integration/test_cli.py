"""The command-line tasks against a real database file: migrations, the government list, demo data, accounts."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from portal import create_app
from portal.auth.models import Role, User
from portal.catalogue.models import CatalogueVersion, VersionStatus
from portal.extensions import created_on, db
from portal.govlist.models import BundleDef, FeeAlias, GovListItem
from portal.operators.models import Operator, PortArea
from tests.conftest import PG_URL


@pytest.fixture
def file_app(tmp_path):
    """An app on an empty SQLite file, built by the migrations rather than create_all."""
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'portal.sqlite3'}"})
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


def test_init_db_builds_the_schema_from_the_migrations(file_app) -> None:
    result = file_app.test_cli_runner().invoke(args=["init-db"])
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(func.count(PortArea.id))) == 5
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_object": created_on(conn.dialect.name)})
        diff = compare_metadata(context, db.metadata)
    assert diff == [], "the migrations and the models disagree"


def test_init_db_twice_changes_nothing(file_app) -> None:
    runner = file_app.test_cli_runner()
    assert runner.invoke(args=["init-db"]).exit_code == 0
    result = runner.invoke(args=["init-db"])
    assert result.exit_code == 0
    assert "0 port areas added" in result.output


def test_load_govlist_loads_items_bundles_and_aliases_and_is_repeatable(file_app) -> None:
    runner = file_app.test_cli_runner()
    runner.invoke(args=["init-db"])
    first = runner.invoke(args=["load-govlist"])
    assert first.exit_code == 0, first.output
    items = db.session.scalar(select(func.count(GovListItem.id)))
    assert items > 10
    assert db.session.scalar(select(func.count(BundleDef.id))) >= 1
    assert db.session.scalar(select(func.count(FeeAlias.id))) >= 5
    second = runner.invoke(args=["load-govlist"])
    assert second.exit_code == 0
    assert f"unchanged: {items}" in second.output


def test_seed_demo_creates_operators_catalogues_and_accounts_for_each_role(file_app) -> None:
    runner = file_app.test_cli_runner()
    runner.invoke(args=["init-db"])
    runner.invoke(args=["load-govlist"])
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(func.count(Operator.id))) >= 12
    roles = set(db.session.scalars(select(User.role)))
    assert roles == {Role.ADMIN, Role.REVIEWER, Role.OPERATOR}
    published = db.session.scalar(
        select(func.count(CatalogueVersion.id)).where(CatalogueVersion.status == VersionStatus.PUBLISHED)
    )
    drafts = db.session.scalar(
        select(func.count(CatalogueVersion.id)).where(CatalogueVersion.status == VersionStatus.DRAFT)
    )
    assert published >= 5
    assert drafts >= 5
    assert "reviewer@demo.gz.example" in result.output
    again = runner.invoke(args=["seed-demo"])
    assert again.exit_code == 0
    assert db.session.scalar(select(func.count(CatalogueVersion.id))) == published + drafts


def test_create_user_binds_operator_staff_to_their_operator(file_app) -> None:
    runner = file_app.test_cli_runner()
    runner.invoke(args=["init-db"])
    runner.invoke(args=["load-govlist"])
    runner.invoke(args=["seed-demo"])
    code = db.session.scalar(select(Operator.credit_code).limit(1))
    ok = runner.invoke(
        args=[
            "create-user",
            "new@example.test",
            "--role",
            "operator",
            "--operator",
            code,
            "--password",
            "long-enough-pw",
        ]
    )
    assert ok.exit_code == 0, ok.output
    user = db.session.scalar(select(User).where(User.email == "new@example.test"))
    assert user.operator.credit_code == code
    refused = runner.invoke(
        args=["create-user", "x@example.test", "--role", "reviewer", "--operator", code, "--password", "long-enough-pw"]
    )
    assert refused.exit_code != 0
    assert "exactly one operator" in refused.output


@pytest.mark.postgres
@pytest.mark.skipif(not PG_URL, reason="PORTAL_TEST_DATABASE_URL is not set")
def test_the_migrations_build_the_schema_on_an_empty_postgresql_database() -> None:
    url = make_url(PG_URL).set(database="portal_migrations_test")
    admin = create_engine(make_url(PG_URL).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text('DROP DATABASE IF EXISTS "portal_migrations_test" WITH (FORCE)'))
        conn.execute(text("CREATE DATABASE \"portal_migrations_test\" ENCODING 'UTF8' TEMPLATE template0"))
    try:
        app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url.render_as_string(hide_password=False)})
        with app.app_context():
            result = app.test_cli_runner().invoke(args=["init-db"])
            assert result.exit_code == 0, result.output
            with db.engine.connect() as conn:
                diff = compare_metadata(MigrationContext.configure(conn), db.metadata)
            assert diff == []
            db.session.remove()
            db.engine.dispose()
    finally:
        with admin.connect() as conn:
            conn.execute(text('DROP DATABASE IF EXISTS "portal_migrations_test" WITH (FORCE)'))
        admin.dispose()

"""Fixtures: an app per test on each backend (SQLite always, PostgreSQL when configured), clients, factories."""

from __future__ import annotations

import gc
import os
import re
import sqlite3
from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from werkzeug.routing.rules import Rule
from werkzeug.security import generate_password_hash

from portal import create_app
from portal.extensions import db as _db
from portal.operators.port_areas import ensure_port_areas

PG_URL = os.environ.get("PORTAL_TEST_DATABASE_URL", "")
BACKENDS = ["sqlite"] + (["postgresql"] if PG_URL else [])

pytest_plugins = ["tests.factories"]


def _cache_url_builders() -> None:
    """Each app made per test compiles its ~95 URL rules into builder functions (werkzeug generates and compiles
    Python source per rule: about 20 ms of the 27 ms create_app takes). The function depends only on the rule's text,
    its parsed parts and its defaults, and is bound to the rule afterwards, so the suite compiles each one once."""
    compile_builder = Rule._compile_builder
    builders: dict[tuple[object, ...], object] = {}

    def cached(self: Rule, append_unknown: bool = True):
        defaults = tuple(sorted((k, repr(v)) for k, v in (self.defaults or {}).items()))
        key = (self.rule, tuple(self._trace), defaults, append_unknown)
        if key not in builders:
            builders[key] = compile_builder(self, append_unknown)
        return builders[key]

    Rule._compile_builder = cached


_cache_url_builders()


def _ensure_pg_database(url: str) -> None:
    """Create the test database if it is missing (the server must answer: a configured backend never skips)."""
    target = make_url(url)
    admin = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            exists = conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": target.database})
            if not exists:
                conn.execute(text(f"CREATE DATABASE \"{target.database}\" ENCODING 'UTF8' TEMPLATE template0"))
    finally:
        admin.dispose()


def close_leftover_connections(url: str) -> None:
    """Close the psycopg connections to `url`'s database that a torn-down live server's threads left checked out
    (an engine's dispose() closes only what is back in its pool). Otherwise the garbage collector finds them open
    later and the ResourceWarning fails whichever test happens to be running then."""
    import psycopg

    database = make_url(url).database
    for thing in gc.get_objects():
        if isinstance(thing, psycopg.Connection) and not thing.closed and thing.info.dbname == database:
            thing.close()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Each test on the PostgreSQL backend carries the `postgres` marker (`make test-fast` leaves them out)."""
    for item in items:
        callspec = getattr(item, "callspec", None)
        if callspec is not None and "postgresql" in callspec.params.values():
            item.add_marker(pytest.mark.postgres)


def cheap_password_hash(password: str, method: str = "", salt_length: int = 16) -> str:  # noqa: ARG001
    """One PBKDF2 round instead of werkzeug's default scrypt."""
    return generate_password_hash(password, method="pbkdf2:sha256:1", salt_length=salt_length)


@pytest.fixture(autouse=True)
def _cheap_password_hashes(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Accounts get a one-round PBKDF2 hash instead of werkzeug's scrypt (about 0.1 s of CPU each, more on a busy
    machine): the suite makes thousands of accounts and signs in thousands of times, and the hash's cost is not what
    those tests test. A test marked `production_password_hash` runs on the real method and cost. The unknown-account
    hash is swapped too, so an unknown e-mail still costs the same work as a known one in every test."""
    if request.node.get_closest_marker("production_password_hash"):
        return
    monkeypatch.setattr("portal.auth.models.generate_password_hash", cheap_password_hash)
    monkeypatch.setattr("portal.auth.services._UNKNOWN_ACCOUNT_HASH", cheap_password_hash("unknown-account"))


@pytest.fixture(scope="session")
def sqlite_template() -> Iterator[sqlite3.Connection]:
    """The SQLite schema with its port areas, built once per process (per xdist worker) in memory; each test's
    in-memory database starts as a copy of it (sqlite3's backup API, a page copy) instead of running create_all."""
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://", "EXPORT_QUEUE": "manual"})
    template = sqlite3.connect(":memory:", check_same_thread=False)
    with app.app_context():
        _db.create_all()
        ensure_port_areas()
        _db.session.commit()
        _db.session.remove()
        raw = _db.engine.raw_connection()
        try:
            raw.driver_connection.backup(template)
        finally:
            raw.close()
        _db.engine.dispose()
    yield template
    template.close()


@pytest.fixture(scope="session")
def pg_schema() -> str:
    """Create the schema once per session on PostgreSQL; tests truncate after themselves."""
    _ensure_pg_database(PG_URL)
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": PG_URL})
    with app.app_context():
        _db.drop_all()
        _db.create_all()
        _db.session.remove()
        _db.engine.dispose()
    return PG_URL


def _truncate_all() -> None:
    tables = ", ".join(f'"{t.name}"' for t in _db.metadata.sorted_tables)
    _db.session.remove()
    with _db.engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def app(backend: str, request: pytest.FixtureRequest, tmp_path) -> Iterator[Flask]:
    if backend == "postgresql":
        url = request.getfixturevalue("pg_schema")
    else:
        url = "sqlite://"
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret-of-thirty-two-bytes-or-more",
            "SQLALCHEMY_DATABASE_URI": url,
            "EXPORTS_DIR": tmp_path / "exports",
            "EXPORT_QUEUE": "manual",  # exports wait for export_queue.current().work() (see tests: built_exports)
            "SERVER_NAME": "portal.test",
        }
    )
    with app.app_context():
        if backend == "sqlite":
            # `sqlite://` is one connection held by the engine (StaticPool): fill it from the template.
            raw = _db.engine.raw_connection()
            try:
                request.getfixturevalue("sqlite_template").backup(raw.driver_connection)
            finally:
                raw.close()
        ensure_port_areas()
        _db.session.commit()
        yield app
        if backend == "postgresql":
            _truncate_all()
        else:
            _db.session.remove()  # disposing the engine closes its one connection: the in-memory database is gone
        _db.engine.dispose()


@pytest.fixture
def db(app: Flask):  # noqa: ARG001 - the app context is what makes the session usable
    return _db


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask):
    return app.test_cli_runner()


CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def csrf_from(html: str) -> str:
    match = CSRF.search(html)
    assert match, "the page has no CSRF token"
    return match.group(1)


@pytest.fixture
def login_as(client: FlaskClient):
    """Sign `user` in through the real form (password: the factories' default)."""

    def login(user, password: str = "correct horse battery") -> FlaskClient:
        token = csrf_from(client.get("/login").get_data(as_text=True))
        response = client.post("/login", data={"email": user.email, "password": password, "csrf_token": token})
        assert response.status_code == 302, response.get_data(as_text=True)
        return client

    return login


def get_built(client: FlaskClient, url: str, **kwargs):
    """GET a download the way a patient visitor does: asked for, it is queued (202); the background worker (here
    the test's `manual` queue) builds it; asked again, it is sent. The response is read and closed."""
    from portal.publishing import export_queue

    response = client.get(url, **kwargs)
    response.get_data()
    response.close()
    if response.status_code == 202:
        with client.application.app_context():
            export_queue.current().work()
        response = client.get(url, **kwargs)
        response.get_data()
        response.close()
    return response

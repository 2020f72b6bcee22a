"""The probes: /healthz answers without the database or a cookie, /readyz says whether the database answers."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event

from portal import create_app
from portal.extensions import db


@contextmanager
def statements() -> Iterator[list[str]]:
    """The SQL statements the current app's engine runs inside the block."""
    seen: list[str] = []

    def note(conn, cursor, statement, parameters, context, executemany) -> None:
        seen.append(statement)

    engine = db.engine
    event.listen(engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", note)


def test_healthz_answers_ok_in_plain_text_without_a_cookie_or_a_query(client) -> None:
    with statements() as seen:
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.mimetype == "text/plain"
    assert response.get_data(as_text=True).strip() == "ok"
    assert "Set-Cookie" not in response.headers
    assert response.headers["Cache-Control"] == "no-store"
    assert seen == []


def test_healthz_answers_a_head_request(client) -> None:
    response = client.head("/healthz")
    assert response.status_code == 200


def test_probes_need_no_csrf_token_even_where_every_method_is_checked(tmp_path) -> None:
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "SQLALCHEMY_DATABASE_URI": "sqlite://",
            "EXPORTS_DIR": tmp_path,
            "WTF_CSRF_METHODS": ["GET", "HEAD", "POST"],
        }
    )
    client = app.test_client()
    assert client.get("/government-list").status_code == 400  # the stricter setting is in force
    assert client.get("/healthz").status_code == 200
    assert client.get("/readyz").status_code == 200


def test_readyz_answers_ok_when_the_database_answers(client) -> None:
    with statements() as seen:
        response = client.get("/readyz")
    assert response.status_code == 200
    assert response.get_data(as_text=True).strip() == "ok"
    assert "Set-Cookie" not in response.headers
    assert any("SELECT 1" in statement for statement in seen)


def test_readyz_answers_503_when_the_database_does_not(tmp_path) -> None:
    missing = tmp_path / "no such folder" / "portal.sqlite3"
    app = create_app({"TESTING": True, "SECRET_KEY": "test-secret", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{missing}"})
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.mimetype == "text/plain"
    assert response.headers["Cache-Control"] == "no-store"
    with app.app_context():
        db.engine.dispose()


def test_the_portal_starts_with_route_limits_switched_off_and_still_counts_sign_ins() -> None:
    from limits import parse

    from portal import create_app

    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://", "RATELIMIT_ENABLED": False})
    once = parse("1/minute")
    assert app.extensions["rate_strategy"].hit(once, "probe-key")
    assert not app.extensions["rate_strategy"].hit(once, "probe-key")
    later = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert later.config["RATELIMIT_ENABLED"] is True  # the next app limits again (the limiter object is shared)

"""The app factory and its configuration sources."""

from __future__ import annotations

import pytest

from portal import create_app


def test_overrides_given_to_the_factory_win(tmp_path) -> None:
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "TESTING": True, "UPLOAD_MAX_ROWS": 7})
    assert app.testing
    assert app.config["UPLOAD_MAX_ROWS"] == 7
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "sqlite://"


def test_environment_variables_with_the_portal_prefix_configure_the_app(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PORTAL_DATABASE_URL", "postgresql://u@db.example:5432/portal")
    monkeypatch.setenv("PORTAL_UPLOAD_MAX_ROWS", "123")
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@db.example:5432/portal"
    assert app.config["UPLOAD_MAX_ROWS"] == 123


def test_without_configuration_the_database_is_sqlite_in_the_instance_folder(monkeypatch) -> None:
    monkeypatch.delenv("PORTAL_DATABASE_URL", raising=False)
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///")
    assert app.config["SQLALCHEMY_DATABASE_URI"].endswith("instance/portal.sqlite3")


def test_templates_static_and_feelists_come_from_the_project_root() -> None:
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert (app.config["FEELISTS_DIR"] / "govlist.csv").is_file()
    assert app.static_folder
    assert app.static_folder.endswith("static")
    assert app.jinja_env.get_template("base.html") is not None


def test_every_response_carries_the_security_headers(client) -> None:
    response = client.get("/")
    assert response.status_code == 200
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"

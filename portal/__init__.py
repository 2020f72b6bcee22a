"""The Guangzhou port fee catalogue portal: application factory."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask

from portal import clock
from portal.config import Config

ROOT = Path(__file__).resolve().parent.parent


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app: defaults, then `PORTAL_*` environment variables, then `config` overrides."""
    app = Flask(
        __name__,
        template_folder=ROOT / "templates",
        static_folder=ROOT / "static",
        instance_path=str(ROOT / "instance"),
    )
    app.config.from_object(Config)
    app.config.update(FEELISTS_DIR=ROOT / "feelists", DEMO_DIR=ROOT / "demo", EXPORTS_DIR=ROOT / "exports")
    app.config.from_prefixed_env("PORTAL")
    app.config.update(config or {})
    app.config["BABEL_DEFAULT_TIMEZONE"] = app.config["TIMEZONE"]
    clock.configure(app.config["TIMEZONE"])
    _configure_database(app)

    from portal import cache, cli, extensions
    from portal.admin.routes import bp as admin_bp
    from portal.auth import login
    from portal.auth.routes import bp as auth_bp
    from portal.catalogue import name_index
    from portal.catalogue.routes import bp as catalogue_bp
    from portal.complaints.routes import bp as complaints_bp
    from portal.dashboard.routes import bp as dashboard_bp
    from portal.govlist.routes import bp as govlist_bp
    from portal.operators.routes import bp as operators_bp
    from portal.public.api import bp as api_bp
    from portal.public.check_file import bp as check_bp
    from portal.public.open_data_page import bp as opendata_bp
    from portal.public.routes import bp as public_bp
    from portal.publishing import export_queue
    from portal.publishing.routes import bp as downloads_bp
    from portal.review.routes import bp as review_bp
    from portal.shippers.routes import bp as shippers_bp
    from portal.web import errors, filters, health, i18n, limits, public_limits, response_cache, security, words

    extensions.db.init_app(app)
    name_index.listen()
    cache.init_app(app)
    export_queue.init_app(app)
    extensions.migrate.init_app(
        app, extensions.db, directory=str(ROOT / "migrations"), render_as_batch=True, compare_type=True
    )
    extensions.csrf.init_app(app)
    login.init_app(app)
    i18n.init_app(app)
    filters.init_app(app)
    words.init_app(app)
    errors.init_app(app)
    security.init_app(app)
    health.init_app(app)
    # The response cache before the limiter: a cached answer (about what /healthz costs) is neither counted nor
    # checked, which would cost more Redis round trips than the answer itself; a miss (a view run) is counted.
    response_cache.init_app(app)
    limits.init_app(app)
    public_limits.init_app(app)

    app.register_blueprint(public_bp)
    app.register_blueprint(check_bp)
    app.register_blueprint(shippers_bp)
    app.register_blueprint(api_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(operators_bp)
    app.register_blueprint(catalogue_bp)
    app.register_blueprint(govlist_bp)
    app.register_blueprint(review_bp)
    app.register_blueprint(complaints_bp)
    app.register_blueprint(dashboard_bp)
    app.register_blueprint(downloads_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(opendata_bp)
    public_limits.declare(app)  # once the views are registered
    cli.init_app(app)
    return app


def _configure_database(app: Flask) -> None:
    """`DATABASE_URL` (from PORTAL_DATABASE_URL) wins; else SQLite in the instance folder."""
    url = app.config.get("SQLALCHEMY_DATABASE_URI") or app.config.get("DATABASE_URL")
    if not url:
        os.makedirs(app.instance_path, exist_ok=True)
        url = "sqlite:///" + os.path.join(app.instance_path, "portal.sqlite3")
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    app.config["SQLALCHEMY_DATABASE_URI"] = url

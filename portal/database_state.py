"""Is the database ready for a command-line task? One line saying what is missing and the command that fixes it.

Every `flask --app wsgi <command>` but `init-db` calls `require()` first: a database that does not answer, has no
tables, lacks some of them (built by an older version) or sits at another migration than this code's, exits with
status 2 and one line on stderr, never a traceback. Commands that need data (the government list, a published
edition) ask for it by name. `flask validate` asks nothing: it reads the government list from feelists/ when the
database cannot give one (`govlist_in_database`).
"""

from __future__ import annotations

import click
from alembic.script import ScriptDirectory
from flask import current_app
from sqlalchemy import exists, inspect, select, text
from sqlalchemy.exc import SQLAlchemyError

from portal.extensions import db

EXIT_NOT_READY = 2
INIT_DB = "flask --app wsgi init-db"
LOAD_GOVLIST = "flask --app wsgi load-govlist"
SEED_DEMO = "flask --app wsgi seed-demo"
VERSION_TABLE = "alembic_version"


def _where() -> str:
    return db.engine.url.render_as_string(hide_password=True)


def schema_problem() -> str | None:
    """None when every table of the models exists (and the migration is this code's); else the one-line reason."""
    try:
        present = set(inspect(db.engine).get_table_names())
    except SQLAlchemyError as error:
        reason = str(getattr(error, "orig", None) or error).strip().splitlines()[0]
        return f"The database at {_where()} does not answer ({reason}): start it, or set PORTAL_DATABASE_URL."
    wanted = set(db.metadata.tables)
    if not present & wanted:
        return f"The database at {_where()} has no tables yet: run `{INIT_DB}` (or `make db`, which adds demo data)."
    missing = sorted(wanted - present)
    if missing:
        shown = ", ".join(missing[:3]) + (f" and {len(missing) - 3} more" if len(missing) > 3 else "")
        return f"The database at {_where()} is not fully migrated (missing {shown}): run `{INIT_DB}`."
    if VERSION_TABLE in present:  # built by the migrations (test databases are built from the models directly)
        at = set(db.session.scalars(text(f"SELECT version_num FROM {VERSION_TABLE}")))  # noqa: S608 - a constant
        heads = set(ScriptDirectory(current_app.extensions["migrate"].directory).get_heads())
        if at != heads:
            now, want = ", ".join(sorted(at)) or "none", ", ".join(sorted(heads))
            return f"The database at {_where()} is at migration {now}, this code needs {want}: run `{INIT_DB}`."
    return None


def govlist_problem() -> str | None:
    from portal.govlist.models import GovListItem

    if db.session.scalar(select(GovListItem.code).limit(1)) is not None:
        return None
    return f"The database at {_where()} has no government list: run `{LOAD_GOVLIST}` (or `make db`)."


def published_problem() -> str | None:
    from portal.catalogue.models import CatalogueVersion, VersionStatus

    published = (VersionStatus.PUBLISHED, VersionStatus.SUPERSEDED)
    if db.session.scalar(select(exists().where(CatalogueVersion.status.in_(published)))):
        return None
    return (
        f"The database at {_where()} has no published catalogue to export: "
        f"publish one through review, or load the demo data with `{SEED_DEMO}`."
    )


def require(*, govlist: bool = False, published: bool = False) -> None:
    """Exit 2 with one line on stderr unless the schema is there (and the data asked for)."""
    checks = [schema_problem]
    checks += [govlist_problem] if govlist else []
    checks += [published_problem] if published else []
    for check in checks:
        problem = check()
        if problem:
            db.session.rollback()
            click.echo(f"Error: {problem}", err=True)
            raise click.exceptions.Exit(EXIT_NOT_READY)


def govlist_in_database() -> bool:
    """The database answers, is migrated and holds a government list (else `flask validate` reads feelists/)."""
    ready = schema_problem() is None and govlist_problem() is None
    db.session.rollback()
    return ready

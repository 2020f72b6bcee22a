"""`flask export-all PATH` and `flask import-all PATH`: the whole database to one portable archive and back."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from portal.archive import services
from portal.archive.services import ArchiveError
from portal.database_state import require
from portal.extensions import db


def _revision() -> str:
    return services.schema_revision(current_app.extensions["migrate"].directory)


@click.command("export-all")
@with_appcontext
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def export_all_command(path: Path) -> None:
    """Write every table to PATH (a zip of JSON Lines files with a manifest of counts and checksums)."""
    require()
    try:
        manifest = services.export_archive(db.engine, db.metadata, path, _revision(), progress=sys.stderr.isatty())
    except (ArchiveError, OSError) as error:
        raise click.ClickException(str(error)) from error
    rows = sum(entry["rows"] for entry in manifest["tables"])
    click.echo(
        f"{rows} rows of {len(manifest['tables'])} tables written to {path} (schema {manifest['schema_revision']})."
    )
    for name, reason in manifest["skipped"].items():
        click.echo(f"  not exported: {name} ({reason})")


@click.command("import-all")
@with_appcontext
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--replace", is_flag=True, help="Delete everything in the database before importing.")
def import_all_command(path: Path, replace: bool) -> None:
    """Load an archive written by export-all, in one transaction: all of it or, on any error, nothing."""
    require()
    try:
        counts = services.import_archive(
            db.engine, db.metadata, path, _revision(), replace=replace, progress=sys.stderr.isatty()
        )
    except (ArchiveError, OSError) as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"{sum(counts.values())} rows of {len(counts)} tables imported from {path}.")

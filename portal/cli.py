"""Command-line tasks: `flask init-db`, `flask load-govlist`, `flask seed-demo`, `flask create-user`."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from flask_migrate import upgrade

from portal.auth import services as auth
from portal.auth.models import Role
from portal.database_state import require
from portal.errors import PortalError
from portal.extensions import db
from portal.govlist.loader import FeelistError
from portal.govlist.services import load_feelists
from portal.operators.port_areas import ensure_port_areas
from portal.operators.services import by_credit_code


@click.command("init-db")
@with_appcontext
def init_db() -> None:
    """Create or upgrade the schema (migrations) and insert the port areas."""
    upgrade(directory=current_app.extensions["migrate"].directory)
    added = ensure_port_areas()
    db.session.commit()
    click.echo(f"Schema up to date; {added} port areas added.")


@click.command("load-govlist")
@with_appcontext
@click.argument("directory", required=False, type=click.Path(exists=True, file_okay=False, path_type=Path))
def load_govlist(directory: Path | None) -> None:
    """Load the government list, bundles and aliases from feelists/ (or DIRECTORY)."""
    require()
    try:
        counts = load_feelists(directory or current_app.config["FEELISTS_DIR"])
    except FeelistError as error:
        raise click.ClickException(str(error)) from error
    click.echo(", ".join(f"{k}: {v}" for k, v in counts.items()))


@click.command("seed-demo")
@with_appcontext
def seed_demo() -> None:
    """Load the fictional demo operators, their catalogues and one account per role (skips what exists)."""
    from portal import demo

    require(govlist=True)
    accounts = demo.seed(current_app.config["DEMO_DIR"], progress=sys.stderr.isatty())
    click.echo(f"Demo accounts (password for all: {demo.DEMO_PASSWORD}):")
    for email, role, operator in accounts:
        click.echo(f"  {role:<9} {email:<40} {operator}")


@click.command("create-user")
@with_appcontext
@click.argument("email")
@click.option("--name", default="", help="Display name.")
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
@click.option("--operator", "credit_code", default=None, help="Operator's credit code (operator staff only).")
@click.password_option(help="Prompted for when not given.")
def create_user(email: str, name: str, role: str, credit_code: str | None, password: str) -> None:
    """Create an account: operator staff need --operator, bureau accounts must not have one."""
    require()
    try:
        operator = by_credit_code(credit_code) if credit_code else None
        user = auth.create_user(email, name, password, Role(role), operator=operator)
    except PortalError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Created {user.email} ({user.role.value}).")


def init_app(app: Flask) -> None:
    from portal.archive.cli import export_all_command, import_all_command
    from portal.catalogue.cli import validate_command
    from portal.publishing.cli import export_command, export_worker_command

    commands = (init_db, load_govlist, seed_demo, create_user, validate_command, export_command, export_worker_command)
    for command in (*commands, export_all_command, import_all_command):
        app.cli.add_command(command)

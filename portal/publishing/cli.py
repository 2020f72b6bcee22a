"""`flask export`: build (or find in the cache) the posting sheets and consolidated exports in force on a date."""

from __future__ import annotations

import sys
from datetime import datetime

import click
from flask import current_app
from flask.cli import with_appcontext
from tqdm import tqdm

from portal import clock
from portal.database_state import require
from portal.publishing import services

CHOICES = {"xlsx": ("xlsx",), "csv": ("csv",), "pdf": ("pdf",), "all": ("pdf", "xlsx", "csv")}


@click.command("export")
@with_appcontext
@click.option(
    "--as-of",
    "as_of",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="The catalogue in force on this date (YYYY-MM-DD); default today.",
)
@click.option(
    "--format", "fmt", type=click.Choice(list(CHOICES)), default="all", show_default=True, help="What to build."
)
def export_command(as_of: datetime | None, fmt: str) -> None:
    """Build the posting sheets (per edition and per port area) and the consolidated xlsx and csv."""
    require(published=True)
    on = as_of.date() if as_of else clock.today()
    jobs = services.export_jobs(on, CHOICES[fmt])
    paths = []
    with tqdm(jobs, unit="file", disable=not sys.stderr.isatty()) as progress:
        for job in progress:
            progress.set_postfix_str(job.label)
            paths.append(job.build())
    click.echo(f"{len(paths)} files for {on.isoformat()} in {current_app.config['EXPORTS_DIR']}")
    for path in paths:
        click.echo(f"  {path.name}")

"""`flask export`: build (or find in the cache) the posting sheets and consolidated exports in force on a date."""

from __future__ import annotations

import os
import sys
from datetime import date

import click
from flask import current_app
from flask.cli import with_appcontext
from tqdm import tqdm

from portal.cli_options import as_of_option
from portal.database_state import require
from portal.publishing import export_jobs, export_queue, services

CHOICES = {"xlsx": ("xlsx",), "csv": ("csv",), "pdf": ("pdf",), "all": ("pdf", "xlsx", "csv")}


@click.command("export")
@with_appcontext
@as_of_option("The catalogue in force on this date")
@click.option(
    "--format", "fmt", type=click.Choice(list(CHOICES)), default="all", show_default=True, help="What to build."
)
def export_command(as_of: date, fmt: str) -> None:
    """Build the posting sheets (per edition and per port area) and the consolidated xlsx and csv."""
    require(published=True)
    on = as_of
    jobs = services.export_jobs(on, CHOICES[fmt])
    paths = []
    with tqdm(jobs, unit="file", disable=not sys.stderr.isatty()) as progress:
        for job in progress:
            progress.set_postfix_str(job.label)
            paths.append(job.build())
    click.echo(f"{len(paths)} files for {on.isoformat()} in {current_app.config['EXPORTS_DIR']}")
    for path in paths:
        click.echo(f"  {path.name}")


@click.command("export-worker")
@with_appcontext
@click.option("--burst", is_flag=True, help="Build what is queued, then stop (else wait for more).")
@click.option(
    "--nice",
    type=click.IntRange(0, 19),
    default=10,
    show_default=True,
    help="Lower this worker's CPU priority by this much: on a machine shared with the web workers, pages come first.",
)
def export_worker_command(burst: bool, nice: int) -> None:
    """Run the background worker that builds the exports (RQ on Redis; with the in-process queue, --burst only).

    A million-line export keeps a core busy for minutes (the xlsx two: its writer is a process of its own, which
    inherits this priority). At normal priority, beside two web workers on two cores, /healthz's p99 rose to 101 ms
    while 20 downloads were asked; the worker therefore yields the CPU to them.
    """
    if nice and hasattr(os, "nice"):
        os.nice(nice)
    queue = export_queue.current()
    if isinstance(queue, export_queue.RQQueue):
        click.echo(f"export worker on {queue.queue.name} ({'burst' if burst else 'waiting for jobs'})")
        queue.work(burst=burst)
        return
    export_jobs.refresh()
    ran = queue.work() if not queue.threaded else 0
    queue.wait()
    click.echo(f"{ran} export jobs run in this process")

"""The builds the export queue runs (`export_queue`), and `refresh`: what a publication sets going.

After every publication (a commit that moved the public revision) `refresh` is queued: it queues the consolidated
xlsx and csv (zh and en) and the port-area PDFs of the set in force today and of the most recent past sets
(EXPORT_PAST_SETS), then removes the files no set up to today needs. Older past sets are built when first asked
for (the request is answered 202 while it is). Each build is its own job, named by its file, queued once.
"""

from __future__ import annotations

from datetime import date

from flask import current_app

from portal import clock
from portal.operators import services as operators
from portal.publishing import edition_sets, export_queue, services


def consolidated(fmt: str, lang: str, since: str) -> None:
    services.consolidated_path(fmt, date.fromisoformat(since), lang)


def area_pdf(area: str, since: str) -> None:
    services.port_area_pdf_path(area, date.fromisoformat(since))


def posting_sheet(edition_code: str) -> None:
    services.posting_sheet_path(edition_code)


def queue_set(found: edition_sets.EditionSet) -> None:
    """Queue every file of one set (built ones are found and skipped by the job)."""
    for fmt in services.FORMATS:
        for lang in services.LANGS:
            services.ready_consolidated(fmt, found.since, lang)
    for area in operators.port_areas():
        services.ready_port_area_pdf(area.code, found.since)


def refresh() -> None:
    today = clock.today()
    sets = {found.since: found for found in edition_sets.needed(today)}
    current = edition_sets.in_force(today)
    queue_set(current)
    past = [
        found
        for since, found in sorted(sets.items(), reverse=True)
        if since not in (current.since, edition_sets.BEFORE_ANY)  # the empty set before any edition: on demand
    ]
    for found in past[: current_app.config["EXPORT_PAST_SETS"]]:
        queue_set(found)
    services.prune(services.kept_names(list(sets.values())))


def after_publication() -> None:
    export_queue.enqueue(f"refresh-{clock.utcnow().isoformat()}", "refresh")

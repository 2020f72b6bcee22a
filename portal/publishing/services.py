"""Posting sheets, port-area PDFs and consolidated exports, kept under EXPORTS_DIR by what they hold.

A file's name is its content key: an edition code, or the digest of an edition set (`edition_sets`: the editions
in force from one change day to the next) and of the settings the file shows (public address, hotline, font).
Editions never change, so a file never goes stale: a new edition gives a new key. Files are written to a temporary
name and renamed into place, so two workers racing to build the same file both end up with it.

`*_path` functions build (the background worker, `flask export`); `ready_*` functions, what web requests call,
only find: a missing file is queued (`export_queue`) and None returned, so no visitor's request ever builds one.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from functools import partial
from pathlib import Path
from typing import IO

from flask import current_app

from portal.errors import InvalidInput, NotFound
from portal.operators import services as operators
from portal.publishing import edition_sets, export_queue, exports, pdf, snapshot
from portal.publishing.snapshot import PublishedEdition
from portal.validation.findings import N_
from portal.web.links import public_url

FORMATS = ("xlsx", "csv")
LANGS = ("zh", "en")
MIMETYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv",
}
BATCH = 200  # editions loaded at a time while streaming an export
LAYOUT = "1"  # bump when the files' layout changes, so cached files are rebuilt
_EDITION_CODE = re.compile(r"[0-9A-Za-z-]{1,48}")
OPERATOR_ENDPOINT = "public.operator"


def _root() -> Path:
    return Path(current_app.config["EXPORTS_DIR"])


def _digest(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:16]


def _cached(path: Path, write: Callable[[IO[bytes]], None]) -> Path:
    """`path` if it exists, else write it: to a temporary file in the same folder, then renamed into place."""
    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            write(stream)
        os.chmod(temporary, 0o644)  # mkstemp makes it private; the web workers may run as another user
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
    return path


def live_url(credit_code: str) -> str:
    """The operator's public page (PUBLIC_BASE_URL + its path), or the portal's home while there is none."""
    if OPERATOR_ENDPOINT not in current_app.view_functions:
        return current_app.config["PUBLIC_BASE_URL"].rstrip("/") + "/"
    return public_url(OPERATOR_ENDPOINT, credit_code=credit_code)


def _font() -> str:
    return pdf.load_font(current_app.config["PDF_FONT_PATH"])


def _pdf_settings() -> tuple[str, ...]:
    """What a PDF shows beyond its editions: where the QR codes point, the hotline, the font."""
    return (
        LAYOUT,
        current_app.config["PUBLIC_BASE_URL"],
        str(OPERATOR_ENDPOINT in current_app.view_functions),
        current_app.config["GOVERNMENT_HOTLINE"],
        _font(),
    )


def _posting_sheet_file(edition_code: str) -> Path:
    if not _EDITION_CODE.fullmatch(edition_code):
        raise NotFound(N_("No such edition."))
    return _root() / "editions" / f"{edition_code}-{_digest(*_pdf_settings())}.pdf"


def ready_posting_sheet(edition_code: str) -> Path | None:
    """The posting sheet if built; else queued (None). NotFound for an edition that was never published."""
    path = _posting_sheet_file(edition_code)
    if path.exists():
        return path
    if not snapshot.is_published(edition_code):
        raise NotFound(N_("No such edition."))
    export_queue.enqueue(f"posting-sheet-{edition_code}", "posting_sheet", edition_code)
    return None


def posting_sheet_path(edition_code: str) -> Path:
    """The posting sheet of one edition (current or past), built if missing; raises NotFound for an unknown code."""
    path = _posting_sheet_file(edition_code)
    if path.exists():
        return path
    edition = snapshot.by_code(edition_code)
    if edition is None:
        raise NotFound(N_("No such edition."))
    hotline = current_app.config["GOVERNMENT_HOTLINE"]
    sheet = pdf.posting_sheet(edition, live_url=live_url(edition.credit_code), hotline=hotline, font=_font())
    return _cached(path, lambda stream: stream.write(sheet))


def _area_name(area_code: str) -> str:
    for area in operators.port_areas():
        if area.code == area_code:
            return area.name_zh
    raise NotFound(N_("No such port area."))


def _area_file(area: str, on: date) -> tuple[Path, str, edition_sets.EditionSet]:
    area = area.upper()
    name = _area_name(area)
    found = edition_sets.in_force(on)
    key = found.key(*_pdf_settings(), edition_sets.membership(area))
    return _root() / "areas" / f"{area}-{key}.pdf", name, found


def ready_port_area_pdf(area: str, on: date) -> Path | None:
    """The port-area PDF of the set in force on `on` if built; else queued (None)."""
    path, _name, found = _area_file(area, on)
    if path.exists():
        return path
    export_queue.enqueue(f"area-{path.stem}", "area_pdf", area.upper(), found.since.isoformat())
    return None


def port_area_pdf_path(area: str, on: date) -> Path:
    """All editions in force in a port area (by its code, e.g. NANSHA) on `on`, one section per operator."""
    path, name, found = _area_file(area, on)
    if path.exists():
        return path
    editions = snapshot.editions_from_rows(found.version_ids(edition_sets.operators_in(area.upper())))
    sheet = pdf.port_area_sheet(
        name,
        editions,
        on=on,
        live_url=lambda edition: live_url(edition.credit_code),
        hotline=current_app.config["GOVERNMENT_HOTLINE"],
        font=_font(),
    )
    return _cached(path, lambda stream: stream.write(sheet))


def _in_batches(version_ids: Sequence[int]) -> Iterator[PublishedEdition]:
    """Editions a batch at a time, read as Core rows, so an export of every operator never holds them all."""
    for start in range(0, len(version_ids), BATCH):
        yield from snapshot.editions_from_rows(version_ids[start : start + BATCH])


def _consolidated_file(fmt: str, on: date, lang: str) -> tuple[Path, edition_sets.EditionSet]:
    if fmt not in FORMATS:
        raise InvalidInput(N_("Unknown export format: {fmt}."), fmt=fmt)
    if lang not in LANGS:
        raise InvalidInput(N_("Unknown language: {lang}."), lang=lang)
    found = edition_sets.in_force(on)
    return _root() / "catalogue" / f"catalogue-{lang}-{found.key(LAYOUT, fmt, lang)}.{fmt}", found


def ready_consolidated(fmt: str, on: date, lang: str) -> Path | None:
    """The consolidated export of the set in force on `on` if built; else queued (None)."""
    path, found = _consolidated_file(fmt, on, lang)
    if path.exists():
        return path
    export_queue.enqueue(f"consolidated-{path.stem}-{fmt}", "consolidated", fmt, lang, found.since.isoformat())
    return None


def consolidated_path(fmt: str, on: date, lang: str) -> Path:
    """Every operator's edition in force on `on`, one row per fee line, as xlsx or csv in `lang` (zh or en)."""
    path, found = _consolidated_file(fmt, on, lang)
    writer = exports.write_xlsx if fmt == "xlsx" else exports.write_csv
    version_ids = found.version_ids()
    return _cached(path, lambda stream: writer(stream, _in_batches(version_ids), lang))


def kept_names(sets: Sequence[edition_sets.EditionSet]) -> set[str]:
    """The names of every consolidated export and port-area PDF of these sets: what pruning keeps."""
    names: set[str] = set()
    areas = [(area.code, edition_sets.membership(area.code)) for area in operators.port_areas()]
    settings = _pdf_settings()
    for found in sets:
        for fmt in FORMATS:
            for lang in LANGS:
                names.add(f"catalogue-{lang}-{found.key(LAYOUT, fmt, lang)}.{fmt}")
        for code, members in areas:
            names.add(f"{code}-{found.key(*settings, members)}.pdf")
    return names


def prune(keep: set[str]) -> list[Path]:
    """Remove the consolidated exports and port-area PDFs no edition set needs (posting sheets stay: an edition
    is published for good); files being written (temporary names) are left alone."""
    removed = []
    for folder in ("catalogue", "areas"):
        for path in sorted((_root() / folder).glob("*")):
            if path.is_file() and not path.name.startswith(".") and path.name not in keep:
                path.unlink(missing_ok=True)
                removed.append(path)
    return removed


@dataclass(frozen=True)
class ExportJob:
    """One file `flask export` makes: a label for the progress bar, and the call that builds (or finds) it."""

    label: str
    build: Callable[[], Path]


def export_jobs(on: date, formats: Sequence[str]) -> list[ExportJob]:
    """The files that publish the catalogue in force on `on`: posting sheets and area PDFs, xlsx and csv."""
    jobs: list[ExportJob] = []
    if "pdf" in formats:
        for _version_id, code in snapshot.in_force_index(on):
            jobs.append(ExportJob(f"{code}.pdf", partial(posting_sheet_path, code)))
        for area in operators.port_areas():
            jobs.append(ExportJob(f"{area.code}.pdf", partial(port_area_pdf_path, area.code, on)))
    for fmt in FORMATS:
        if fmt in formats:
            jobs += [ExportJob(f"catalogue-{lang}.{fmt}", partial(consolidated_path, fmt, on, lang)) for lang in LANGS]
    return jobs

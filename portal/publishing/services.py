"""Posting sheets and consolidated exports, built on demand and cached under EXPORTS_DIR by what they hold.

A file's name is its content key: an edition code, or an as-of date plus a hash of the sorted edition codes in
force (and of the settings the file shows: public address, hotline, font). Editions never change, so a file
never goes stale: a new edition gives a new key. Any instance can rebuild any file, and files are written to a
temporary name and renamed into place, so two workers racing to build the same file both end up with it.
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
from portal.publishing import exports, pdf, snapshot
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


def posting_sheet_path(edition_code: str) -> Path:
    """The posting sheet of one edition (current or past); raises NotFound for an unknown code."""
    if not _EDITION_CODE.fullmatch(edition_code):
        raise NotFound(N_("No such edition."))
    path = _root() / "editions" / f"{edition_code}-{_digest(*_pdf_settings())}.pdf"
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


def port_area_pdf_path(area: str, on: date) -> Path:
    """All editions in force in a port area (by its code, e.g. NANSHA) on `on`, one section per operator."""
    area = area.upper()
    name = _area_name(area)
    index = snapshot.in_force_index(on, port_area=name)
    key = _digest(*_pdf_settings(), *sorted(code for _id, code in index))
    path = _root() / "areas" / f"{area}-{on.isoformat()}-{key}.pdf"
    if path.exists():
        return path
    editions = snapshot.editions([version_id for version_id, _code in index])
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
    """Editions a batch at a time, so an export of every operator never holds them all in memory."""
    for start in range(0, len(version_ids), BATCH):
        yield from snapshot.editions(version_ids[start : start + BATCH])


def consolidated_path(fmt: str, on: date, lang: str) -> Path:
    """Every operator's edition in force on `on`, one row per fee line, as xlsx or csv in `lang` (zh or en)."""
    if fmt not in FORMATS:
        raise InvalidInput(N_("Unknown export format: {fmt}."), fmt=fmt)
    if lang not in LANGS:
        raise InvalidInput(N_("Unknown language: {lang}."), lang=lang)
    index = snapshot.in_force_index(on)
    key = _digest(LAYOUT, fmt, lang, *sorted(code for _id, code in index))
    path = _root() / "catalogue" / f"catalogue-{on.isoformat()}-{lang}-{key}.{fmt}"
    writer = exports.write_xlsx if fmt == "xlsx" else exports.write_csv
    version_ids = [version_id for version_id, _code in index]
    return _cached(path, lambda stream: writer(stream, _in_batches(version_ids), lang))


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

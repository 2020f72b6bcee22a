"""Public downloads (no sign-in): posting sheets, port-area PDFs and the consolidated catalogue as xlsx and csv.

A download is a file built by the background worker (`export_queue`). A request only finds it: built, it is sent as
a static file (its name, a content key, as ETag); not yet built, the build is queued and the answer is 202 with
Retry-After and a page saying it is being prepared. A date asked for maps to the edition set in force that day, so
any number of dates cost no more files than there are sets.
"""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Response, current_app, render_template, request, send_file

from portal.publishing import services
from portal.web.as_of import requested_day
from portal.web.i18n import is_english

bp = Blueprint("downloads", __name__, url_prefix="/downloads")

MAX_AGE = 300


def _lang() -> str:
    lang = request.args.get("lang", "")
    if lang in services.LANGS:
        return lang
    return "en" if is_english() else "zh"


def _send(path: Path | None, fmt: str, download_name: str, *, attachment: bool) -> Response:
    """The built file, its name (the content key) as ETag: a client holding it gets 304. Not built yet: 202."""
    if path is None:
        return _being_prepared()
    response = send_file(
        path,
        mimetype=services.MIMETYPES[fmt],
        as_attachment=attachment,
        download_name=download_name,
        etag=path.stem,
        max_age=MAX_AGE,
        conditional=True,
    )
    response.cache_control.public = True
    return response


def _being_prepared() -> Response:
    seconds = int(current_app.config["EXPORT_RETRY_AFTER"])
    response = Response(render_template("downloads/preparing.html", seconds=seconds, url=request.full_path), 202)
    response.headers["Retry-After"] = str(seconds)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/editions/<edition_code>.pdf")
def edition_pdf(edition_code: str) -> Response:
    """An edition's posting sheet, shown in the browser (print it for the premises)."""
    path = services.ready_posting_sheet(edition_code)
    return _send(path, "pdf", f"{edition_code}.pdf", attachment=False)


@bp.get("/areas/<area_code>.pdf")
def area_pdf(area_code: str) -> Response:
    on = requested_day()
    path = services.ready_port_area_pdf(area_code, on)
    return _send(path, "pdf", f"{area_code}-{on.isoformat()}.pdf", attachment=False)


@bp.get("/catalogue.xlsx")
def catalogue_xlsx() -> Response:
    on, lang = requested_day(), _lang()
    path = services.ready_consolidated("xlsx", on, lang)
    return _send(path, "xlsx", f"port-fee-catalogue-{on.isoformat()}-{lang}.xlsx", attachment=True)


@bp.get("/catalogue.csv")
def catalogue_csv() -> Response:
    on, lang = requested_day(), _lang()
    path = services.ready_consolidated("csv", on, lang)
    return _send(path, "csv", f"port-fee-catalogue-{on.isoformat()}-{lang}.csv", attachment=True)

"""Public downloads (no sign-in): posting sheets, port area PDFs and the consolidated catalogue as xlsx and csv."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Response, request, send_file

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


def _send(path: Path, fmt: str, download_name: str, *, attachment: bool) -> Response:
    """The cached file, its name (the content key) as ETag: a client holding it gets 304."""
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


@bp.get("/editions/<edition_code>.pdf")
def edition_pdf(edition_code: str) -> Response:
    """An edition's posting sheet, shown in the browser (print it for the premises)."""
    path = services.posting_sheet_path(edition_code)
    return _send(path, "pdf", f"{edition_code}.pdf", attachment=False)


@bp.get("/areas/<area_code>.pdf")
def area_pdf(area_code: str) -> Response:
    on = requested_day()
    path = services.port_area_pdf_path(area_code, on)
    return _send(path, "pdf", f"{area_code}-{on.isoformat()}.pdf", attachment=False)


@bp.get("/catalogue.xlsx")
def catalogue_xlsx() -> Response:
    on, lang = requested_day(), _lang()
    path = services.consolidated_path("xlsx", on, lang)
    return _send(path, "xlsx", f"port-fee-catalogue-{on.isoformat()}-{lang}.xlsx", attachment=True)


@bp.get("/catalogue.csv")
def catalogue_csv() -> Response:
    on, lang = requested_day(), _lang()
    path = services.consolidated_path("csv", on, lang)
    return _send(path, "csv", f"port-fee-catalogue-{on.isoformat()}-{lang}.csv", attachment=True)

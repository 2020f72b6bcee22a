"""「检查我的文件」: anyone may check a workbook against the format and the government list, without an account.

Upload, see the findings, download the same workbook back with each finding as a cell comment and a 问题清单 sheet.
Nothing is stored: the file lives only in the request. The check is check_workbook(), as for an operator's upload
and `flask validate`; the form carries a CSRF token and is rate-limited per client (the shared limiter).
"""

from __future__ import annotations

import base64
from pathlib import PurePosixPath

from flask import Blueprint, current_app, render_template
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import SubmitField

from portal import clock
from portal.catalogue.services.workbooks import FIELD_LENGTHS
from portal.govlist import services as govlist
from portal.web.i18n import current_locale
from portal.web.limits import limiter
from portal.web.messages import error_message
from portal.workbook.annotate import TooLargeToAnnotate, annotate
from portal.workbook.check import check_workbook
from portal.workbook.guard import GuardLimits
from portal.workbook.refusals import UploadRefused

bp = Blueprint("check", __name__, url_prefix="/check")

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
LIMIT = "20/hour;5/minute"


class CheckForm(FlaskForm):
    file = FileField(_l("Workbook"), validators=[FileRequired(_l("Choose the workbook to check."))])
    submit = SubmitField(_l("Check the file"))


@bp.get("/")
def page():
    return render_template("public/check.html", form=CheckForm(), result=None)


@bp.post("/")
@limiter.limit(LIMIT)
def run():
    form = CheckForm()
    if not form.validate_on_submit():
        return render_template("public/check.html", form=form, result=None), 400
    file = form.file.data
    filename = PurePosixPath((file.filename or "").replace("\\", "/")).name or "workbook.xlsx"
    config = current_app.config
    limits = GuardLimits(max_bytes=config["UPLOAD_MAX_BYTES"], max_uncompressed=config["UPLOAD_MAX_UNCOMPRESSED"])
    data = file.read(config["UPLOAD_MAX_BYTES"] + 1)
    today = clock.today()
    try:
        checked = check_workbook(
            data,
            filename,
            govlist.reference(),
            today,
            lengths=FIELD_LENGTHS,
            max_rows=config["UPLOAD_MAX_ROWS"],
            limits=limits,
        )
    except UploadRefused as refused:
        form.file.errors.append(error_message(refused))
        return render_template("public/check.html", form=form, result=None), 400
    report = checked.report
    lang = "zh" if current_locale().startswith("zh") else "en"
    try:
        annotated = annotate(data, checked.read, report.findings, gettext, lang)
    except TooLargeToAnnotate:
        annotated = None
    stem = PurePosixPath(filename).stem or "workbook"
    download = None
    if annotated is not None:
        download = {
            "href": f"data:{XLSX};base64,{base64.b64encode(annotated).decode()}",
            "name": f"{stem}（检查结果）.xlsx" if lang == "zh" else f"{stem} (checked).xlsx",
        }
    findings = [
        {
            "rule": f.rule,
            "severity": f.severity.value,
            "sheet": f.location.sheet if f.location else None,
            "cell": f.location.cell if f.location else None,
            "field": f.location.field if f.location else None,
            "item": f.item,
            "message": f.render(gettext),
            "basis": f.basis,
        }
        for f in report.findings
    ]
    result = {
        "filename": filename,
        "report": report,
        "findings": findings,
        "lines": len(checked.catalogue.lines),
        "sheet": checked.read.sheet,
        "download": download,
        "day": today,
    }
    response = current_app.make_response(render_template("public/check.html", form=CheckForm(), result=result))
    response.headers["Cache-Control"] = "no-store"
    return response

"""Operator staff pages for their own catalogue: dashboard, draft, header and line forms, upload, downloads, submit."""

from __future__ import annotations

import io
import re
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import PurePosixPath
from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext
from flask_login import current_user, login_required

from portal.auth.guards import operator_required
from portal.catalogue import forms, services
from portal.catalogue.models import CatalogueVersion, FeeLineRecord
from portal.errors import Conflict, InvalidInput, PortalError
from portal.operators import services as operators
from portal.validation.findings import Finding
from portal.web.i18n import is_english
from portal.web.messages import error_message, flash_error

bp = Blueprint("catalogue", __name__, url_prefix="/catalogue")

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _lang() -> str:
    return "en" if is_english() else "zh"


def _missed(error: PortalError) -> dict[str, str]:
    """A conflict names, in the user's language, the saves the user missed."""
    if isinstance(error, Conflict) and "saves" in error.params:
        return {"what": services.describe_saves(error.params["saves"], gettext, _lang())}
    return {}


def _rows(findings: Iterable[Finding]) -> list[dict[str, Any]]:
    """Findings as the templates show them: located, translated, with their explanation id."""
    return [
        {**services.finding_to_json(f), "message": f.render(gettext), "id": services.finding_id(f)} for f in findings
    ]


def _by_field(findings: Iterable[Finding]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for finding in findings:
        field = finding.location.field if finding.location else None
        found.setdefault(field or "", []).append(finding.render(gettext))
    return found


def _reload_lock(form: forms.Locked, error: Conflict) -> None:
    """After a conflict the form carries the current lock: saving again, having seen the other change, is allowed."""
    if "lock" in error.params:
        form.lock.data = str(error.params["lock"])


def _draft() -> CatalogueVersion:
    """The signed-in operator's working draft; without one the draft page offers to start it.

    A change posted after the draft was submitted (by a colleague, a moment before) is refused in words, not dropped.
    """
    version = services.working_version(current_user.operator)
    if version is None:
        if request.method == "POST":
            flash(gettext("This version has been submitted or published and can no longer be changed."), "error")
        abort(redirect(url_for("catalogue.draft")))
    return version


def _xlsx(data: bytes, name: str):
    """Send a workbook; `name` holds the operator's name, whose control characters (a line break) cannot go in the
    Content-Disposition header (Werkzeug refuses them with an error) and become spaces."""
    return send_file(io.BytesIO(data), mimetype=XLSX, as_attachment=True, download_name=_CONTROL.sub(" ", name))


@bp.get("/")
@operator_required
def dashboard():
    operator = current_user.operator
    return render_template(
        "catalogue/dashboard.html",
        operator=operator,
        versions=services.versions_of(operator),
        working=services.working_version(operator),
        awaiting=services.awaiting_review(operator),
        published=services.latest_published(operator),
        action_form=forms.ActionForm(),
    )


@bp.get("/draft")
@operator_required
def draft():
    operator = current_user.operator
    version = services.working_version(operator)
    if version is None:
        return render_template(
            "catalogue/start.html",
            awaiting=services.awaiting_review(operator),
            published=services.latest_published(operator),
            form=forms.ActionForm(),
        )
    report = services.report_of(version)
    per_line = {
        severity: Counter(f.line_key for f in found if f.line_key)
        for severity, found in (("error", report.errors), ("warning", report.warnings))
    }
    return render_template(
        "catalogue/draft.html",
        version=version,
        header=services.to_header(version),
        findings=_rows(report.findings),
        errors=len(report.errors),
        warnings=len(report.warnings),
        per_line=per_line,
    )


@bp.post("/draft/start")
@operator_required
def start():
    return _opened(services.open_draft, gettext("The draft is open. Add its lines in the form, or upload a workbook."))


@bp.post("/change")
@operator_required
def start_change():
    started = gettext("A change of the published list has started. Set its effective date in the header.")
    return _opened(services.start_change, started)


def _opened(open_version: Callable[..., object], done: str):
    """A new working version for the operator (a first draft or a change): on to it, or back to the dashboard."""
    if not forms.ActionForm().validate_on_submit():
        abort(400)
    try:
        open_version(current_user.operator, current_user)
    except PortalError as error:
        flash_error(error, **_missed(error))
        return redirect(url_for("catalogue.dashboard"))
    flash(done, "success")
    return redirect(url_for("catalogue.draft"))


@bp.route("/draft/header", methods=["GET", "POST"])
@operator_required
def header():
    version = _draft()
    written = services.to_header(version)
    areas = [a.name_zh for a in operators.port_areas()]
    if request.method == "POST":
        form = forms.HeaderForm()
        form.offer(areas, written)
    else:
        form = forms.HeaderForm.of(written, version.lock_version, areas)
    status = 200
    if form.validate_on_submit():
        try:
            services.save_header(version, current_user, form.header(written), expected_lock=form.expected_lock())
        except Conflict as error:
            flash_error(error, **_missed(error))
            _reload_lock(form, error)
            status = 409
        except InvalidInput as error:  # the header names another operator
            field = getattr(form, str(error.params.get("field", "")), None)
            if field is None:
                flash_error(error)
            else:
                field.errors = [*field.errors, error_message(error)]
            status = 400
        else:
            if _header_findings(version):
                flash(gettext("Header saved. The check found issues, shown beside the fields."), "warning")
                return redirect(url_for("catalogue.header"))
            flash(gettext("Header saved."), "success")
            return redirect(url_for("catalogue.draft"))
    findings = _by_field(_header_findings(version))
    return render_template("catalogue/header.html", form=form, version=version, findings=findings), status


def _header_findings(version: CatalogueVersion) -> list[Finding]:
    """The findings about the header block: no line, and a header field (not a workbook column) named."""
    found = services.report_of(version).findings
    return [
        f for f in found if f.line_key is None and not f.item and f.location and f.location.field in forms.HEADER_FIELDS
    ]


@bp.route("/draft/lines/new", methods=["GET", "POST"])
@operator_required
def add_line():
    version = _draft()
    form = forms.LineForm() if request.method == "POST" else forms.LineForm(data={"lock": str(version.lock_version)})
    status = 200
    if form.validate_on_submit():
        try:
            line = services.add_line(version, current_user, form.fee_line(), expected_lock=form.expected_lock())
        except Conflict as error:
            flash_error(error, **_missed(error))
            _reload_lock(form, error)
            status = 409
        else:
            return _after_line_save(version, line.id)
    return _line_page(form, version, None, status)


@bp.route("/draft/lines/<int:line_id>", methods=["GET", "POST"])
@operator_required
def edit_line(line_id: int):
    version = _draft()
    stored = services.get_line(version, line_id)
    values = services.line_values(stored)
    if request.method == "POST":
        form = forms.LineForm()
        form.keep_written(values)
    else:
        form = forms.LineForm.of(values, version.lock_version)
    status = 200
    if form.validate_on_submit():
        try:
            services.update_line(
                version,
                line_id,
                current_user,
                form.fee_line(stored.conditions, stored.effective_date),
                expected_lock=form.expected_lock(),
            )
        except Conflict as error:
            flash_error(error, **_missed(error))
            _reload_lock(form, error)
            status = 409
        except InvalidInput as error:
            flash_error(error, **_missed(error))
            return redirect(url_for("catalogue.draft"))
        else:
            return _after_line_save(version, line_id)
    return _line_page(form, version, stored, status)


def _line_page(form: forms.LineForm, version: CatalogueVersion, line: FeeLineRecord | None, status: int):
    """The line form with the check's findings beside the fields they concern, the others above it."""
    found = _by_field(services.report_of(version).for_line(str(line.id))) if line is not None else {}
    general = [m for name, messages in found.items() if name not in forms.LINE_FINDING_FIELDS for m in messages]
    page = render_template(
        "catalogue/line.html", form=form, version=version, line=line, findings=found, general=general
    )
    return page, status


def _after_line_save(version: CatalogueVersion, line_id: int):
    """Back to the line while the check finds something in it, else to the draft."""
    found = services.report_of(version).for_line(str(line_id))
    if found:
        flash(
            gettext("Line saved. The check found %(count)s issue(s) in it, shown beside the fields.", count=len(found)),
            "warning",
        )
        return redirect(url_for("catalogue.edit_line", line_id=line_id))
    flash(gettext("Line saved."), "success")
    return redirect(url_for("catalogue.draft"))


@bp.post("/draft/lines/<int:line_id>/delete")
@operator_required
def delete_line(line_id: int):
    return _line_action(services.delete_line, line_id, gettext("Line deleted."))


@bp.post("/draft/lines/<int:line_id>/restore")
@operator_required
def restore_line(line_id: int):
    return _line_action(services.restore_line, line_id, gettext("Line restored."))


def _line_action(action, line_id: int, done: str):
    version = _draft()
    form = forms.LockForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        action(version, line_id, current_user, expected_lock=form.expected_lock())
    except (Conflict, InvalidInput) as error:
        flash_error(error, **_missed(error))
    else:
        flash(done, "success")
    return redirect(url_for("catalogue.draft"))


@bp.route("/upload", methods=["GET", "POST"])
@operator_required
def upload():
    operator = current_user.operator
    version = services.working_version(operator)
    form = forms.UploadForm()
    if request.method == "GET" and version is not None:
        form.lock.data = str(version.lock_version)
    status = 200
    if form.validate_on_submit():
        file = form.file.data
        filename = PurePosixPath((file.filename or "").replace("\\", "/")).name
        config = current_app.config
        try:
            saved = services.import_workbook(
                operator,
                current_user,
                file.read(),
                filename,
                mode=form.mode.data,
                expected_lock=form.expected_lock(),
                max_bytes=config["UPLOAD_MAX_BYTES"],
                max_uncompressed=config["UPLOAD_MAX_UNCOMPRESSED"],
                max_rows=config["UPLOAD_MAX_ROWS"],
            )
        except InvalidInput as error:
            form.file.errors.append(error_message(error, **_missed(error)))
            status = 400
        except Conflict as error:
            flash_error(error, **_missed(error))
            _reload_lock(form, error)
            status = 409
        else:
            flash(
                gettext(
                    "%(filename)s was read. The draft now has %(lines)s line(s), %(errors)s error(s) and "
                    "%(warnings)s warning(s).",
                    filename=filename,
                    lines=len(saved.lines),
                    errors=saved.error_count,
                    warnings=saved.warning_count,
                ),
                "warning" if saved.error_count else "success",
            )
            return redirect(url_for("catalogue.draft"))
    return render_template("catalogue/upload.html", form=form, version=version), status


@bp.route("/submit", methods=["GET", "POST"])
@operator_required
def submit():
    version = _draft()
    form = forms.SubmitForm()
    to_explain = services.errors_to_explain(version)
    if request.method == "GET":
        form.lock.data = str(version.lock_version)
        form.set_explanations(list(to_explain), version.explanations or {})
    status = 200
    if form.validate_on_submit():
        try:
            services.submit(
                version,
                current_user,
                form.attestation.data,
                form.explanation_texts(),
                expected_lock=form.expected_lock(),
            )
        except (Conflict, InvalidInput) as error:
            flash_error(error, **_missed(error))
            status = 409 if isinstance(error, Conflict) else 400
            if isinstance(error, Conflict):
                _reload_lock(form, error)
            to_explain = services.errors_to_explain(version)
            form.set_explanations(list(to_explain), form.explanation_texts())
        else:
            flash(gettext("Version %(number)s was submitted for review.", number=version.number), "success")
            return redirect(url_for("catalogue.dashboard"))
    findings = {row["id"]: row for row in _rows(to_explain.values())}
    return render_template(
        "catalogue/submit.html",
        form=form,
        version=version,
        findings=findings,
        warnings=len(services.report_of(version).warnings),
        attestation=services.ATTESTATION,
    ), status


@bp.post("/withdraw")
@operator_required
def withdraw():
    version = services.awaiting_review(current_user.operator)
    if not forms.ActionForm().validate_on_submit() or version is None:
        abort(400)
    try:
        services.withdraw(version, current_user)
    except PortalError as error:
        flash_error(error, **_missed(error))
    else:
        flash(gettext("Version %(number)s is a draft again.", number=version.number), "success")
    return redirect(url_for("catalogue.dashboard"))


@bp.get("/template.xlsx")
def template():
    lang = "en" if request.args.get("lang") == "en" else "zh"
    name = "fee-list-template.xlsx" if lang == "en" else "收费目录清单模板.xlsx"
    return _xlsx(services.blank_template(lang), name)


@bp.get("/<int:version_id>.xlsx")
def version_xlsx(version_id: int):
    visitor = current_user if current_user.is_authenticated else None
    version = services.visible_version(version_id, visitor)
    name = f"{version.catalogue.operator.name_zh}-收费目录清单-{version.number}.xlsx"
    return _xlsx(services.version_workbook(version, _lang()), name)


@bp.get("/<int:version_id>/findings.xlsx")
@login_required
def findings_xlsx(version_id: int):
    version = services.own_version(version_id, current_user)
    name = f"{version.catalogue.operator.name_zh}-检查结果-{version.number}.xlsx"
    return _xlsx(services.findings_workbook(version, gettext, _lang()), name)

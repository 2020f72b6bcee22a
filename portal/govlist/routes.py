"""Bureau pages for the government list: every dated row with its history, bundles and aliases; changes by admins.

After each change the editions in force are re-validated (by the review feature, told through
the `govlist_changed` signal), and the admin is taken to the result.
"""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user

from portal import clock
from portal.auth.guards import admin_required, bureau_required
from portal.errors import InvalidInput, Message, PortalError
from portal.extensions import db
from portal.govlist import forms, services
from portal.govlist import intake as intake_service
from portal.holding import services as holding
from portal.web import audit_words
from portal.web.bounds import DATABASE_ID_MAX, query_int
from portal.web.messages import error_message, flash_error, translated
from portal.workbook.guard import GuardLimits

bp = Blueprint("govlist", __name__, url_prefix="/govlist")

REVALIDATION = "review.revalidation"  # where a change leads: the editions checked against the changed list


def _changed(changes: services.Changes | None = None):
    if changes is not None:
        flash(
            gettext(
                "%(added)s row(s) added, %(closed)s earlier row(s) ended, %(unchanged)s unchanged.",
                added=len(changes.added),
                closed=len(changes.closed),
                unchanged=len(changes.unchanged),
            ),
            "success",
        )
    else:
        flash(gettext("The change is saved."), "success")
    return redirect(url_for(REVALIDATION))


@bp.get("/")
@bureau_required
def index():
    return render_template(
        "govlist/index.html",
        groups=services.history(),
        bundles=services.bundles_in_force(clock.today()),
        aliases=services.aliases(),
        changes=services.recent_changes(),
        words=audit_words,
        today=clock.today(),
        action_form=forms.ActionForm(),
    )


@bp.route("/items/new", methods=["GET", "POST"])
@admin_required
def new_item():
    """A new dated row; `?from=<id>` starts it from the row it follows."""
    following = query_int("from", None, 1, DATABASE_ID_MAX) if request.method == "GET" else None
    if following:
        row = services.get_item(following)
        form = forms.ItemForm.following(services.item_values(row), clock.today())
    elif request.method == "GET" and any(key in request.args for key in forms.PROPOSED):
        form = forms.ItemForm.proposed(request.args)
    else:
        form = forms.ItemForm()
    if form.validate_on_submit():
        try:
            changes = services.add_item(form.values(), current_user)
        except InvalidInput as error:
            column, problem = str(error.params.get("column", "")), error.params.get("problem")
            if column in form and isinstance(problem, Message):  # the field says what is wrong with it
                form[column].errors = [*form[column].errors, translated(problem.msgid, problem.params)]
            else:
                flash_error(error)
        else:
            return _changed(changes)
    return render_template("govlist/item.html", form=form), 400 if form.errors else 200


@bp.route("/import", methods=["GET", "POST"])
@admin_required
def import_items():
    form = forms.ImportForm()
    if form.validate_on_submit():
        upload = form.file.data
        limits = GuardLimits(
            max_bytes=current_app.config["UPLOAD_MAX_BYTES"],
            max_uncompressed=current_app.config["UPLOAD_MAX_UNCOMPRESSED"],
        )
        try:
            changes = services.import_items(upload.read(), upload.filename or "govlist.xlsx", current_user, limits)
        except PortalError as error:
            form.file.errors = [*form.file.errors, error_message(error)]
        else:
            return _changed(changes)
    return render_template("govlist/import.html", form=form), 400 if form.errors else 200


INTAKE = "govlist-intake"


def _limits() -> GuardLimits:
    return GuardLimits(
        max_bytes=current_app.config["UPLOAD_MAX_BYTES"],
        max_uncompressed=current_app.config["UPLOAD_MAX_UNCOMPRESSED"],
    )


@bp.route("/intake", methods=["GET", "POST"])
@admin_required
def intake():
    """Upload the official list in the layout the bureau publishes; nothing changes before the preview is applied."""
    form = forms.IntakeForm()
    if form.validate_on_submit():
        upload = form.file.data
        data, filename = upload.read(), upload.filename or "govlist.xlsx"
        try:
            table = intake_service.read_table(data, filename, _limits())
            if not intake_service.is_official_layout(table):
                services.parse_rows([r for r in table if any(r)])  # the portal's own layout: checked now
            else:
                intake_service.official_rows(table)
        except PortalError as error:
            form.file.errors = [*form.file.errors, error_message(error)]
        else:
            meta = {
                "document": form.document.data.strip(),
                "document_date": form.document_date.data.isoformat(),
                "effective": form.effective.data.isoformat(),
                "page": (form.page.data or "").strip(),
            }
            held = holding.hold(INTAKE, data, filename, owner_id=current_user.id, meta=meta)
            db.session.commit()
            return redirect(url_for("govlist.intake_preview", key=held.key))
    return render_template("govlist/intake.html", form=form), 400 if form.errors else 200


def _held(key: str):
    held = holding.find(INTAKE, key, owner_id=current_user.id)
    if held is None:
        abort(404)
    return held


def _source(held) -> intake_service.Source:  # noqa: ANN001 - a HeldFile
    meta = held.meta
    return intake_service.Source(
        document=meta["document"],
        document_date=date.fromisoformat(meta["document_date"]),
        effective=date.fromisoformat(meta["effective"]),
        page=meta.get("page", ""),
    )


def _table(held) -> tuple[bool, list[list[str]]]:  # noqa: ANN001 - a HeldFile
    table = intake_service.read_table(held.data, held.filename, _limits())
    return intake_service.is_official_layout(table), table


@bp.get("/intake/<key>")
@admin_required
def intake_preview(key: str):
    held = _held(key)
    official, table = _table(held)
    source = _source(held)
    if official:
        result, _plan = intake_service.preview(intake_service.official_rows(table), source.effective)
        own = None
    else:
        items = services.parse_rows([r for r in table if any(r)])
        known = services.known_codes()
        own = {
            "added": [i.code for i in items if i.code not in known],
            "known": [i.code for i in items if i.code in known],
        }
        result = None
    return render_template(
        "govlist/intake_preview.html", held=held, source=source, result=result, own=own, form=forms.IntakeDecisionForm()
    )


@bp.post("/intake/<key>/apply")
@admin_required
def intake_apply(key: str):
    held = _held(key)
    if not forms.IntakeDecisionForm().validate_on_submit():
        abort(400)
    official, table = _table(held)
    source = _source(held)
    try:
        if official:
            result = intake_service.apply(intake_service.official_rows(table), source, current_user)
            holding.release(held)
            db.session.commit()
            services.announce(current_user, f"intake {source.document}")
            flash(
                gettext(
                    "Applied: %(verified)s rate(s) verified, %(changed)s changed, %(ended)s ended.",
                    verified=len(result.verified),
                    changed=len(result.changed),
                    ended=len(result.ended),
                ),
                "success",
            )
            return redirect(url_for(REVALIDATION))
        changes = services.import_items(held.data, held.filename, current_user, _limits())
    except PortalError as error:
        db.session.rollback()
        flash(error_message(error), "error")
        return redirect(url_for("govlist.intake_preview", key=key))
    holding.release(_held(key))
    db.session.commit()
    return _changed(changes)


@bp.post("/intake/<key>/cancel")
@admin_required
def intake_cancel(key: str):
    held = _held(key)
    if not forms.IntakeDecisionForm().validate_on_submit():
        abort(400)
    holding.release(held)
    db.session.commit()
    flash(gettext("The upload is cancelled; nothing changed."), "info")
    return redirect(url_for("govlist.index"))


@bp.route("/bundles/<int:bundle_id>/components/new", methods=["GET", "POST"])
@admin_required
def new_component(bundle_id: int):
    bundle = services.get_bundle(bundle_id)
    form = forms.ComponentForm()
    if form.validate_on_submit():
        try:
            services.add_component(bundle, form.component(), current_user)
        except InvalidInput as error:
            form.name_zh.errors = [*form.name_zh.errors, error_message(error)]
        else:
            return _changed()
    return render_template("govlist/component.html", form=form, bundle=bundle), 400 if form.errors else 200


@bp.post("/components/<int:component_id>/remove")
@admin_required
def remove_component(component_id: int):
    if not forms.ActionForm().validate_on_submit():
        abort(400)
    services.remove_component(component_id, current_user)
    return _changed()


@bp.route("/aliases/new", methods=["GET", "POST"])
@admin_required
def new_alias():
    form = forms.AliasForm()
    if form.validate_on_submit():
        try:
            services.add_alias(form.alias.data, form.canonical.data, form.source.data or "", current_user)
        except InvalidInput as error:
            form.alias.errors = [*form.alias.errors, error_message(error)]
        else:
            return _changed()
    return render_template("govlist/alias.html", form=form), 400 if form.errors else 200


@bp.post("/aliases/<int:alias_id>/remove")
@admin_required
def remove_alias(alias_id: int):
    if not forms.ActionForm().validate_on_submit():
        abort(400)
    services.remove_alias(alias_id, current_user)
    return _changed()

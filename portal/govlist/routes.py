"""Bureau pages for the government list: every dated row with its history, bundles and aliases; changes by admins.

After each change the editions in force are re-validated (by the review feature, told through
the `govlist_changed` signal), and the admin is taken to the result.
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user

from portal import clock
from portal.auth.guards import admin_required, bureau_required
from portal.errors import InvalidInput, PortalError
from portal.govlist import forms, services
from portal.web.bounds import DATABASE_ID_MAX, query_int
from portal.web.messages import error_message, flash_error
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
    else:
        form = forms.ItemForm()
    if form.validate_on_submit():
        try:
            changes = services.add_item(form.values(), current_user)
        except InvalidInput as error:
            column = str(error.params.get("column", ""))
            if column in form:
                form[column].errors = [*form[column].errors, error_message(error)]
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

"""Bureau pages: the review queue, a submission with its findings and diff, decisions; re-validation results.

Operator staff open only the decisions on their own operator's versions (`/review/decisions/<id>`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user, login_required

from portal import clock
from portal.auth.guards import bureau_required
from portal.catalogue.models import CatalogueVersion
from portal.catalogue.services import finding_to_json
from portal.errors import PortalError
from portal.review import forms, services
from portal.web.bounds import DATABASE_ID_MAX, query_int
from portal.web.messages import flash_error

bp = Blueprint("review", __name__)


def _findings(version: CatalogueVersion) -> list[dict[str, Any]]:
    return [
        {**finding_to_json(f), "message": f.render(gettext), "id": key, "explanation": text}
        for f, key, text in services.findings_of(version)
    ]


def _page(version: CatalogueVersion, posted: forms.Decided | None = None, status: int = 200):
    today = clock.today()
    diff = services.diff(version, today)
    findings = _findings(version)
    # Changed rows by default (new, changed, withdrawn); "show all" adds the unchanged ones.
    show_all = request.args.get("all") == "1" or diff.base is None
    shown = [row for row in diff.rows if show_all or row.mark]
    decision_forms = forms.decision_forms(version.lock_version, [row.key for row in shown], posted)
    comments = decision_forms[forms.RequestChangesForm.KIND]
    return (
        render_template(
            "review/show.html",
            version=version,
            operator=version.catalogue.operator,
            diff=diff,
            rows=list(zip(shown, comments.lines, strict=False)),
            show_all=show_all,
            unchanged=sum(1 for row in diff.rows if not row.mark),
            findings=findings,
            errors=sum(1 for f in findings if f["severity"] == "error"),
            warnings=sum(1 for f in findings if f["severity"] == "warning"),
            scheduled=services.scheduled(version, today),
            forms=decision_forms,
            decisions=services.decisions_for(version.id),
        ),
        status,
    )


@bp.get("/review/")
@bureau_required
def queue():
    return render_template("review/queue.html", entries=services.queue())


@bp.get("/review/<int:version_id>")
@bureau_required
def show(version_id: int):
    return _page(services.submission(version_id, current_user))


def _refused(version: CatalogueVersion, error: PortalError):
    """Back to the review page, saying why the decision was not made."""
    flash_error(error)
    return redirect(url_for("review.show", version_id=version.id))


def _decide(
    version_id: int,
    form_class: type[forms.Decided],
    decide: Callable[..., object],
    done: Callable[[CatalogueVersion], str],
):
    """A reviewer's decision on a version, as its form says (`Decided.decision`): the form again (400) when wrong,
    the review page saying why when the decision is refused, else `done` flashed and back to the queue."""
    version = services.submission(version_id, current_user)
    form = form_class.posted()
    if not form.validate_on_submit():
        return _page(version, form, 400)
    try:
        decide(version, current_user, **form.decision())
    except PortalError as error:
        return _refused(version, error)
    flash(done(version), "success")
    return redirect(url_for("review.queue"))


@bp.post("/review/<int:version_id>/approve")
@bureau_required
def approve(version_id: int):
    return _decide(version_id, forms.ApproveForm, services.approve, _published)


def _published(version: CatalogueVersion) -> str:
    return gettext("Published as edition %(edition)s.", edition=version.edition_code)


@bp.post("/review/<int:version_id>/request-changes")
@bureau_required
def request_changes(version_id: int):
    returned = gettext("The version is returned to the operator with your comments.")
    return _decide(version_id, forms.RequestChangesForm, services.request_changes, lambda _version: returned)


@bp.post("/review/<int:version_id>/reject")
@bureau_required
def reject(version_id: int):
    rejected = gettext("The version is rejected; the operator sees your reason.")
    return _decide(version_id, forms.RejectForm, services.reject, lambda _version: rejected)


@bp.get("/review/decisions/<int:version_id>")
@login_required
def decisions(version_id: int):
    """The bureau's decisions on a version, for its operator's staff (and the bureau)."""
    version, made = services.visible_decisions(version_id, current_user)
    return render_template("review/decisions.html", version=version, decisions=made)


@bp.get("/govlist/revalidation")
@bureau_required
def revalidation():
    """The latest re-check of the editions in force (or the run asked for), and the runs before it."""
    run_id = query_int("run", None, 1, DATABASE_ID_MAX)
    run = services.revalidation_run(run_id)
    if run_id is not None and run is None:
        abort(404)
    messages = {
        result.id: [(f.item, f.render(gettext), f.rule) for f in services.result_findings(result)]
        for result in (run.results if run is not None else ())
    }
    return render_template("review/revalidation.html", run=run, runs=services.revalidation_runs(), messages=messages)


@bp.app_context_processor
def _decisions_in_templates() -> dict[str, Any]:
    """`review_decisions(version_id)` for templates of lower features (the operator's dashboard includes
    review/_decisions.html with it), which may not import review themselves."""
    return {"review_decisions": services.decisions_for}

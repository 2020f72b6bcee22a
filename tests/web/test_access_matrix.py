"""Every route of the app, for every role: who is let in (and where to), who is refused, and that a refused request
changes nothing — with CSRF on, as in production.

`ROUTES` names each (endpoint, method) of `app.url_map`; a route added without its row fails
`test_every_route_of_the_app_has_a_row_in_the_table`. The ids in the URLs are operator A's (access_world); B's staff
have no draft of their own there, so whatever B sends can reach A's data only through a hole. Every request is held
to the whole database: one the table does not expect to write must leave every row as it was. That is also why the
requests that must not write share a world per stage, while each allowed change gets a world of its own.
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from flask import url_for
from sqlalchemy import select

from portal.catalogue import services as catalogue
from portal.extensions import db as _db
from tests.conftest import csrf_from
from tests.web import access_world as w
from tests.web.access_world import (
    ADMIN,
    ANONYMOUS,
    DRAFT,
    PUBLISHED,
    REVIEWER,
    ROLES,
    STAFF_A,
    STAFF_B,
    STAGES,
    SUBMITTED,
)

STATE_CHANGING = frozenset({"POST", "PUT", "PATCH", "DELETE"})
SIGN_IN = "/login"


@dataclass(frozen=True)
class Outcome:
    status: int
    to: str | None = None  # where a redirect leads: a path, with {world attribute} placeholders
    writes: bool = False  # the request commits a change; otherwise every row must stay as it was

    @property
    def refused(self) -> bool:
        return self.status in (400, 403, 404) or self.to == SIGN_IN


OK = Outcome(200)
PREPARING = Outcome(202)
LOGIN = Outcome(302, SIGN_IN)
DENIED = Outcome(403)
HIDDEN = Outcome(404)
TO_DRAFT = Outcome(302, "/catalogue/draft")


def goes(path: str, *, writes: bool = False) -> Outcome:
    return Outcome(302, path, writes)


def everyone(outcome: Outcome) -> dict[str, Outcome]:
    return dict.fromkeys(ROLES, outcome)


def staff(a: Outcome, b: Outcome | None = None) -> dict[str, Outcome]:
    """Operator staff pages: A's staff, then B's (on their own operator: default as A), the bureau refused."""
    return {ANONYMOUS: LOGIN, STAFF_A: a, STAFF_B: a if b is None else b, REVIEWER: DENIED, ADMIN: DENIED}


def owner_and_bureau(ok: Outcome, anonymous: Outcome = LOGIN) -> dict[str, Outcome]:
    return {ANONYMOUS: anonymous, STAFF_A: ok, STAFF_B: DENIED, REVIEWER: ok, ADMIN: ok}


def bureau(ok: Outcome) -> dict[str, Outcome]:
    return {ANONYMOUS: LOGIN, STAFF_A: DENIED, STAFF_B: DENIED, REVIEWER: ok, ADMIN: ok}


def admins(ok: Outcome) -> dict[str, Outcome]:
    return {ANONYMOUS: LOGIN, STAFF_A: DENIED, STAFF_B: DENIED, REVIEWER: DENIED, ADMIN: ok}


def signed_in_home(anonymous: Outcome) -> dict[str, Outcome]:
    """Where the sign-in page sends those already signed in: staff to their catalogue, reviewers to their queue,
    administrators to the dashboard."""
    staff_home = goes("/catalogue/")
    return {
        ANONYMOUS: anonymous,
        STAFF_A: staff_home,
        STAFF_B: staff_home,
        REVIEWER: goes("/review/"),
        ADMIN: goes("/dashboard/"),
    }


@dataclass(frozen=True)
class Route:
    """One (endpoint, method): the outcome for each role, and what it takes to send it."""

    expect: Mapping[str, Outcome]
    params: Mapping[str, str] = field(default_factory=dict)  # URL argument -> World attribute
    stage: str = DRAFT  # A's state: published only, with a draft, or with a submitted change
    form: Callable[[w.World], dict[str, Any]] = w.no_fields  # what an allowed user sends (without the token)
    csrf_field: str = "csrf_token"


VERSION = {"version_id": "version"}
MARKER_LINE = {"line_id": "marker_line"}
COMPLAINT = {"complaint_id": "complaint"}
WRITES = {"writes": True}
TO_COMPLAINT = goes("/complaints/{complaint}", writes=True)

ROUTES: dict[tuple[str, str], Route] = {
    # Public pages, open data and downloads: everyone, signed in or not.
    ("public.index", "GET"): Route(everyone(OK)),
    ("health.healthz", "GET"): Route(everyone(OK)),
    ("health.readyz", "GET"): Route(everyone(OK)),
    ("public.search", "GET"): Route(everyone(OK)),
    ("public.operator", "GET"): Route(everyone(OK), {"credit_code": "credit_code"}),
    ("public.government_list", "GET"): Route(everyone(OK)),
    ("public.feed", "GET"): Route(everyone(OK)),
    ("check.page", "GET"): Route(everyone(OK)),
    ("check.run", "POST"): Route(everyone(OK), form=w.check_form),  # nothing stored: no writes
    ("shippers.compare", "GET"): Route(everyone(OK)),
    ("shippers.estimate", "GET"): Route(everyone(OK)),
    ("shippers.invoice", "GET"): Route(everyone(OK)),
    ("shippers.check_invoice", "POST"): Route(everyone(OK), form=w.invoice_form),  # checks, stores nothing
    ("api.fees", "GET"): Route(everyone(OK)),
    ("api.operators", "GET"): Route(everyone(OK)),
    ("api.catalogue", "GET"): Route(everyone(OK), {"credit_code": "credit_code"}),
    ("api.government_list", "GET"): Route(everyone(OK)),
    ("api.bundles", "GET"): Route(everyone(OK)),
    ("api.openapi", "GET"): Route(everyone(OK)),
    # Downloads: built in the background; the first request queues the build (202, being prepared).
    ("downloads.edition_pdf", "GET"): Route(everyone(PREPARING), {"edition_code": "edition"}),
    ("downloads.area_pdf", "GET"): Route(everyone(PREPARING), {"area_code": "area"}),
    ("downloads.catalogue_xlsx", "GET"): Route(everyone(PREPARING)),
    ("downloads.catalogue_csv", "GET"): Route(everyone(PREPARING)),
    ("opendata.index", "GET"): Route(everyone(OK)),
    ("opendata.datapackage_json", "GET"): Route(everyone(OK)),
    ("catalogue.template", "GET"): Route(everyone(OK)),
    ("complaints.new", "GET"): Route(everyone(OK)),
    ("complaints.file", "POST"): Route(everyone(goes("/complaints/filed", **WRITES)), form=w.complaint_form),
    ("complaints.filed", "GET"): Route(everyone(goes("/complaints/status"))),  # nothing filed in this session
    ("complaints.status", "GET"): Route(everyone(OK)),
    ("complaints.status", "POST"): Route(everyone(OK), form=w.status_form),
    ("complaints.outcomes", "GET"): Route(everyone(OK)),
    ("i18n.switch_language", "GET"): Route(everyone(goes("/")), {"lang": "language"}),
    # Signing in and out.
    ("auth.login", "GET"): Route(signed_in_home(OK)),
    ("auth.login", "POST"): Route(signed_in_home(goes("/catalogue/", **WRITES)), form=w.login_form),
    ("auth.logout", "POST"): Route({**everyone(goes("/", **WRITES)), ANONYMOUS: LOGIN}),  # ends the session generation
    # A version that is not published: its operator's staff and the bureau only; to the public it does not exist.
    ("catalogue.version_xlsx", "GET"): Route(owner_and_bureau(OK, anonymous=HIDDEN), VERSION),
    ("catalogue.findings_xlsx", "GET"): Route(owner_and_bureau(OK), VERSION),
    ("review.decisions", "GET"): Route(owner_and_bureau(OK), VERSION),
    # Operator staff, on their own operator's catalogue (B has no draft: the draft pages send B to start one).
    ("catalogue.dashboard", "GET"): Route(staff(OK)),
    ("catalogue.draft", "GET"): Route(staff(OK)),
    ("catalogue.start", "POST"): Route(staff(goes("/catalogue/draft", **WRITES)), stage=PUBLISHED, form=w.no_fields),
    ("catalogue.start_change", "POST"): Route(
        staff(goes("/catalogue/draft", **WRITES), goes("/catalogue/")), stage=PUBLISHED, form=w.no_fields
    ),
    ("catalogue.header", "GET"): Route(staff(OK, TO_DRAFT)),
    ("catalogue.header", "POST"): Route(staff(goes("/catalogue/draft", **WRITES), TO_DRAFT), form=w.header_form),
    ("catalogue.add_line", "GET"): Route(staff(OK, TO_DRAFT)),
    ("catalogue.add_line", "POST"): Route(staff(goes("/catalogue/draft", **WRITES), TO_DRAFT), form=w.add_line_form),
    ("catalogue.edit_line", "GET"): Route(staff(OK, TO_DRAFT), MARKER_LINE),
    ("catalogue.edit_line", "POST"): Route(
        staff(goes("/catalogue/draft", **WRITES), TO_DRAFT), MARKER_LINE, form=w.edit_line_form
    ),
    ("catalogue.delete_line", "POST"): Route(
        staff(goes("/catalogue/draft", **WRITES), TO_DRAFT), MARKER_LINE, form=w.lock_form
    ),
    ("catalogue.restore_line", "POST"): Route(
        staff(goes("/catalogue/draft", **WRITES), TO_DRAFT), {"line_id": "deleted_line"}, form=w.lock_form
    ),
    ("catalogue.upload", "GET"): Route(staff(OK)),
    ("catalogue.upload", "POST"): Route(staff(goes("/catalogue/draft", **WRITES)), form=w.upload_form),
    ("catalogue.submit", "GET"): Route(staff(OK, TO_DRAFT)),
    ("catalogue.submit", "POST"): Route(staff(goes("/catalogue/", **WRITES), TO_DRAFT), form=w.submit_form),
    ("catalogue.withdraw", "POST"): Route(
        staff(goes("/catalogue/", **WRITES), Outcome(400)), stage=SUBMITTED, form=w.no_fields
    ),
    ("operators.profile", "GET"): Route(staff(OK)),
    ("operators.profile", "POST"): Route(staff(goes("/operator/profile", **WRITES)), form=w.profile_form),
    ("complaints.operator_list", "GET"): Route(staff(OK)),
    ("complaints.operator_detail", "GET"): Route(staff(OK, HIDDEN), {"complaint_id": "asked"}),
    ("complaints.operator_detail", "POST"): Route(
        staff(goes("/complaints/operator/{asked}", **WRITES), HIDDEN), {"complaint_id": "asked"}, form=w.answer_form
    ),
    # The bureau: reviewers and administrators.
    ("review.queue", "GET"): Route(bureau(OK), stage=SUBMITTED),
    ("review.show", "GET"): Route(bureau(OK), VERSION, stage=SUBMITTED),
    ("review.approve", "POST"): Route(
        bureau(goes("/review/", **WRITES)), VERSION, SUBMITTED, w.approve_form, "approve-csrf_token"
    ),
    ("review.request_changes", "POST"): Route(
        bureau(goes("/review/", **WRITES)), VERSION, SUBMITTED, w.request_changes_form, "changes-csrf_token"
    ),
    ("review.reject", "POST"): Route(
        bureau(goes("/review/", **WRITES)), VERSION, SUBMITTED, w.reject_form, "reject-csrf_token"
    ),
    ("review.revalidation", "GET"): Route(bureau(OK)),
    ("dashboard.index", "GET"): Route(bureau(OK)),
    ("complaints.queue", "GET"): Route(bureau(OK)),
    ("complaints.detail", "GET"): Route(bureau(OK), COMPLAINT),
    ("complaints.invoice", "GET"): Route(bureau(OK), COMPLAINT),
    ("complaints.assign", "POST"): Route(
        bureau(goes("/complaints/{complaint}", **WRITES)), COMPLAINT, form=w.assign_form
    ),
    ("complaints.ask", "POST"): Route(bureau(goes("/complaints/{complaint}", **WRITES)), COMPLAINT, form=w.ask_form),
    ("complaints.decide", "POST"): Route(
        bureau(goes("/complaints/{complaint}", **WRITES)), COMPLAINT, form=w.decide_form
    ),
    ("govlist.index", "GET"): Route(bureau(OK)),
    # Changes of the government list: administrators only.
    ("govlist.new_item", "GET"): Route(admins(OK)),
    ("govlist.new_item", "POST"): Route(admins(goes("/govlist/revalidation", **WRITES)), form=w.item_form),
    ("govlist.import_items", "GET"): Route(admins(OK)),
    ("govlist.import_items", "POST"): Route(admins(goes("/govlist/revalidation", **WRITES)), form=w.import_form),
    ("govlist.new_component", "GET"): Route(admins(OK), {"bundle_id": "bundle"}),
    ("govlist.new_component", "POST"): Route(
        admins(goes("/govlist/revalidation", **WRITES)), {"bundle_id": "bundle"}, form=w.component_form
    ),
    ("govlist.remove_component", "POST"): Route(
        admins(goes("/govlist/revalidation", **WRITES)), {"component_id": "component"}, form=w.no_fields
    ),
    ("govlist.new_alias", "GET"): Route(admins(OK)),
    ("govlist.new_alias", "POST"): Route(admins(goes("/govlist/revalidation", **WRITES)), form=w.alias_form),
    ("govlist.remove_alias", "POST"): Route(
        admins(goes("/govlist/revalidation", **WRITES)), {"alias_id": "alias"}, form=w.no_fields
    ),
    # The official list intake: administrators only; a held upload is named by its key.
    ("govlist.intake", "GET"): Route(admins(OK)),
    ("govlist.intake", "POST"): Route(admins(Outcome(302, None, True)), form=w.intake_form),
    ("govlist.intake_preview", "GET"): Route(admins(OK), {"key": "intake_key"}),
    ("govlist.intake_apply", "POST"): Route(admins(goes("/govlist/revalidation", **WRITES)), {"key": "intake_key"}),
    ("govlist.intake_cancel", "POST"): Route(admins(goes("/govlist/", **WRITES)), {"key": "intake_key"}),
    # The administrators' area.
    ("admin.index", "GET"): Route(admins(OK)),
    ("admin.users", "GET"): Route(admins(OK)),
    ("admin.invite", "POST"): Route(admins(goes("/admin/users", **WRITES)), form=w.invite_form),
    ("admin.change_role", "POST"): Route(
        admins(goes("/admin/users", **WRITES)), {"user_id": "reviewer_user"}, form=w.role_form
    ),
    ("admin.user_active", "POST"): Route(admins(goes("/admin/users", **WRITES)), {"user_id": "reviewer_user"}),
    ("admin.reset_password", "POST"): Route(admins(goes("/admin/users", **WRITES)), {"user_id": "reviewer_user"}),
    ("admin.operators_list", "GET"): Route(admins(OK)),
    ("admin.register_operator", "POST"): Route(
        admins(goes("/admin/operators", **WRITES)), form=w.register_operator_form
    ),
    ("admin.operator_active", "POST"): Route(admins(goes("/admin/operators", **WRITES)), {"operator_id": "operator_a"}),
    ("admin.merge_operators", "POST"): Route(admins(goes("/admin/operators", **WRITES)), form=w.merge_form),
    ("admin.requests", "GET"): Route(admins(OK), stage=SUBMITTED),
    ("admin.approve_request", "POST"): Route(
        admins(goes("/admin/requests", **WRITES)), {"request_id": "identity_request"}, SUBMITTED, w.note_form
    ),
    ("admin.reject_request", "POST"): Route(
        admins(goes("/admin/requests", **WRITES)), {"request_id": "identity_request"}, SUBMITTED, w.note_form
    ),
    ("admin.audit", "GET"): Route(admins(OK)),
    ("admin.audit_csv", "GET"): Route(admins(OK)),
    ("operators.identity_request", "GET"): Route(staff(OK)),
    ("operators.identity_request", "POST"): Route(  # B's staff asking for A's credit code are refused
        staff(goes("/operator/profile", **WRITES), Outcome(400)), form=w.identity_form
    ),
    # A one-time account link works for whoever holds it (a signed-in user is signed out and the invitee in).
    ("auth.account_link", "GET"): Route(everyone(OK), {"token": "link_token"}),
    ("auth.account_link", "POST"): Route(
        everyone(goes("/review/", **WRITES)), {"token": "link_token"}, form=w.set_password_form
    ),
}


# ---- The database before and after ----------------------------------------------------------------------------------


def snapshot() -> dict[str, list[tuple]]:
    """Every row of every table. What a request left uncommitted is dropped first, as the end of a request does."""
    _db.session.rollback()
    return {
        table.name: [tuple(row) for row in _db.session.execute(select(table).order_by(*table.primary_key.columns))]
        for table in _db.metadata.sorted_tables
    }


def operator_state(world: w.World) -> dict[str, list[tuple]]:
    """Operator A's rows: profile, staff, catalogue, versions, lines, decisions, and the complaints about it (those
    of the world: anyone may file a new one)."""
    _db.session.rollback()
    t = _db.metadata.tables
    operator_id = world.operator_a
    catalogues = select(t["catalogue"].c.id).where(t["catalogue"].c.operator_id == operator_id)
    versions = select(t["catalogue_version"].c.id).where(t["catalogue_version"].c.catalogue_id.in_(catalogues))
    complaints = [world.complaint, world.asked]
    queries = {
        "operator": t["operator"].c.id == operator_id,
        "operator_port_area": t["operator_port_area"].c.operator_id == operator_id,
        "user": t["user"].c.operator_id == operator_id,
        "catalogue": t["catalogue"].c.operator_id == operator_id,
        "catalogue_version": t["catalogue_version"].c.id.in_(versions),
        "fee_line": t["fee_line"].c.version_id.in_(versions),
        "review_decision": t["review_decision"].c.version_id.in_(versions),
        "complaint": t["complaint"].c.id.in_(complaints),
        "complaint_event": t["complaint_event"].c.complaint_id.in_(complaints),
    }
    return {
        name: [tuple(row) for row in _db.session.execute(select(t[name]).where(where).order_by(*t[name].primary_key))]
        for name, where in queries.items()
    }


# ---- Sending a route's request ------------------------------------------------------------------------------------


@pytest.fixture
def world_for(app, make_operator, make_user, monkeypatch):
    monkeypatch.setattr("portal.auth.models.generate_password_hash", w.cheap_password_hash)
    app.config["COMPLAINT_MIN_SECONDS"] = 0  # the complaint form is sent at once
    return lambda stage: w.build(app, stage, make_operator, make_user)


def client_as(app, world: w.World, role: str):
    """A client of its own, signed in through the real form as `role` (anonymous: not), and its session's CSRF
    token (signing in rotates it: the one after sign-in, read from the sign-out form every signed-in page has)."""
    client = app.test_client()
    token = csrf_from(send(client, "GET", SIGN_IN).get_data(as_text=True))
    if role != ANONYMOUS:
        credentials = {"email": world.emails[role], "password": w.PASSWORD, "csrf_token": token}
        assert send(client, "POST", SIGN_IN, credentials).status_code == 302
        token = csrf_from(send(client, "GET", "/").get_data(as_text=True))
    return client, token


def path_of(endpoint: str, route: Route, world: w.World) -> str:
    return url_for(endpoint, _external=False, **{arg: getattr(world, attr) for arg, attr in route.params.items()})


def send(client, method: str, path: str, data: dict[str, Any] | None = None):
    """One request, in an application context of its own as a server gives it: nothing cached in `g` (the signed-in
    user, the CSRF token, the locale) or left in a database session carries over from the test or another client.
    The whole body is read (a file response keeps its file open until closed)."""

    def run():
        response = client.open(path, method=method, data=data)
        response.get_data()
        response.close()
        return response

    return contextvars.Context().run(run)


def check_request(app, world: w.World, endpoint: str, method: str, role: str) -> None:
    """Send the route's request as `role`, with a valid token, and hold the response and the database to the table."""
    route = ROUTES[endpoint, method]
    expected = route.expect[role]
    client, token = client_as(app, world, role)
    path = path_of(endpoint, route, world)
    data = None
    if method in STATE_CHANGING:
        data = {**route.form(world), route.csrf_field: token}
    before = snapshot()
    a_before = operator_state(world) if role == STAFF_B else None

    response = send(client, method, path, data)

    assert response.status_code == expected.status, response.get_data().decode("utf-8", "replace")[:3000]
    if expected.to is not None:
        location = urlsplit(response.location)
        assert location.path == expected.to.format(**asdict(world))
        if expected.to == SIGN_IN:
            assert parse_qs(location.query)["next"] == [path], "the sign-in page must lead back to the page asked for"
    if expected.writes:
        assert snapshot() != before, "an allowed request must have done what it was sent for"
    else:
        assert snapshot() == before, "a request that is refused (or only reads) must change no row"
    if role == STAFF_B:
        assert operator_state(world) == a_before, "B's staff changed operator A's data"
    if role in (ANONYMOUS, STAFF_B):
        assert w.MARKER not in response.get_data().decode("utf-8", "replace"), "A's unpublished line was shown"


WRITING = [
    pytest.param(endpoint, method, role, id=f"{endpoint}-{method}-{role}")
    for (endpoint, method), route in ROUTES.items()
    for role in ROLES
    if route.expect[role].writes
]


def test_every_route_of_the_app_has_a_row_in_the_table(app) -> None:
    served = {
        (rule.endpoint, method)
        for rule in app.url_map.iter_rules()
        if rule.endpoint != "static"
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    assert sorted(served - ROUTES.keys()) == [], "routes without a row: say who may use them"
    assert sorted(ROUTES.keys() - served) == [], "rows for routes the app no longer serves"
    assert all(set(route.expect) == set(ROLES) for route in ROUTES.values())


def test_csrf_protection_is_on_in_the_app_under_test(app) -> None:
    assert app.config.get("WTF_CSRF_ENABLED", True) is True
    assert app.config.get("WTF_CSRF_CHECK_DEFAULT", True) is True


@pytest.mark.parametrize("stage", STAGES)
def test_each_role_is_let_in_or_refused_as_the_table_says(app, world_for, subtests, stage: str) -> None:
    """Every request that must not write, at one stage of A's catalogue: they share a world, since each is checked
    to have left every row as it was."""
    world = world_for(stage)
    for (endpoint, method), route in ROUTES.items():
        for role in ROLES:
            if route.stage == stage and not route.expect[role].writes:
                with subtests.test(route=f"{method} {endpoint}", role=role):
                    check_request(app, world, endpoint, method, role)


@pytest.mark.parametrize(("endpoint", "method", "role"), WRITING)
def test_each_allowed_change_is_made_and_leads_where_the_table_says(
    app, world_for, endpoint: str, method: str, role: str
) -> None:
    check_request(app, world_for(ROUTES[endpoint, method].stage), endpoint, method, role)


def session_of(client) -> dict[str, Any]:
    """What a session holds that a request could change: the user signed in, the complaint filed."""

    def read() -> dict[str, Any]:
        with client.session_transaction() as session:
            return {key: session.get(key) for key in ("_user_id", "lang", "complaint_filed")}

    return contextvars.Context().run(read)


def _acting_role(route: Route) -> str:
    """The role whose request, with its token, would change something (else the first one let in)."""
    writers = [role for role in ROLES if route.expect[role].writes]
    return (writers or [role for role in ROLES if not route.expect[role].refused])[0]


@pytest.mark.parametrize("stage", STAGES)
def test_a_state_changing_request_without_the_csrf_token_is_refused_and_changes_nothing(
    app, world_for, subtests, stage: str
) -> None:
    """Sent by the role the request is for, with everything else it needs: only the token is missing."""
    world = world_for(stage)
    for (endpoint, method), route in ROUTES.items():
        if method not in STATE_CHANGING or route.stage != stage:
            continue
        with subtests.test(route=f"{method} {endpoint}"):
            client, _token = client_as(app, world, _acting_role(route))
            data = route.form(world)
            before, session_before = snapshot(), session_of(client)

            response = send(client, method, path_of(endpoint, route, world), data)

            assert response.status_code == 400
            assert snapshot() == before
            assert session_of(client) == session_before, "who is signed in, a filing: all as before"


def test_staff_with_a_draft_of_their_own_cannot_reach_another_operators_lines(app, world_for) -> None:
    world = world_for(DRAFT)
    staff_b = world.user(STAFF_B)
    draft = catalogue.open_draft(staff_b.operator, staff_b)
    catalogue.add_line(draft, staff_b, w.PUBLISHED_LINES[0], expected_lock=None)
    client, token = client_as(app, world, STAFF_B)
    lock = {"lock": str(draft.lock_version), "csrf_token": token}
    a_before = operator_state(world)

    for line in (world.marker_line, world.deleted_line):
        assert send(client, "GET", f"/catalogue/draft/lines/{line}").status_code == 404
        edit = {**w.edit_line_form(world), **lock}
        assert send(client, "POST", f"/catalogue/draft/lines/{line}", edit).status_code == 404
        assert send(client, "POST", f"/catalogue/draft/lines/{line}/delete", lock).status_code == 404
        assert send(client, "POST", f"/catalogue/draft/lines/{line}/restore", lock).status_code == 404

    assert operator_state(world) == a_before


@pytest.mark.parametrize("stage", [DRAFT, SUBMITTED])
def test_another_operators_staff_never_read_an_unpublished_version(app, world_for, stage) -> None:
    world = world_for(stage)
    anonymous, _token = client_as(app, world, ANONYMOUS)
    assert send(anonymous, "GET", f"/catalogue/{world.version}.xlsx").status_code == 404
    assert send(anonymous, "GET", f"/catalogue/{world.version}/findings.xlsx").status_code == 302
    staff_b, _token = client_as(app, world, STAFF_B)
    for url in (
        f"/catalogue/{world.version}.xlsx",
        f"/catalogue/{world.version}/findings.xlsx",
        f"/review/decisions/{world.version}",
    ):
        assert send(staff_b, "GET", url).status_code == 403, url


@pytest.mark.parametrize("stage", [DRAFT, SUBMITTED])
def test_no_public_page_shows_an_unpublished_line(app, world_for, stage) -> None:
    world = world_for(stage)
    client, _token = client_as(app, world, ANONYMOUS)
    public = [key for key, route in ROUTES.items() if key[1] == "GET" and route.expect[ANONYMOUS] == OK]
    for endpoint, _method in public:
        response = send(client, "GET", path_of(endpoint, ROUTES[endpoint, "GET"], world))
        assert response.status_code == 200, endpoint
        assert w.MARKER not in response.get_data().decode("utf-8", "replace"), endpoint


def test_a_deactivated_accounts_open_session_reaches_no_staff_page(app, world_for) -> None:
    world = world_for(DRAFT)
    client, _token = client_as(app, world, STAFF_A)
    assert send(client, "GET", "/catalogue/").status_code == 200
    world.user(STAFF_A).active = False
    _db.session.commit()

    response = send(client, "GET", "/catalogue/")

    assert response.status_code == 302
    assert urlsplit(response.location).path == SIGN_IN

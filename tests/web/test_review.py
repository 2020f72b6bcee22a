"""The review pages through the test client with CSRF on: the queue, a submission's diff, the three decisions,
the operator's view of them, and who may open what."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

import pytest
from flask.testing import FlaskClient
from sqlalchemy import update

from portal import clock
from portal.audit import revisions
from portal.auth.models import Role
from portal.catalogue import services as catalogue
from portal.catalogue.models import VersionStatus
from portal.extensions import db as _db
from portal.govlist import services as govlist
from portal.govlist.models import GovListItem
from portal.govlist.services import load_feelists
from portal.publishing import editions
from portal.review import services as review
from portal.validation.model import FeeLine, Header
from tests.conftest import csrf_from

TODAY = clock.today()
PUBLISHED = (
    FeeLine(name="文件费", service_content="制作、签发单证", standard="400", unit="元/票", pricing_class="市场调节价"),
    FeeLine(name="铅封费", service_content="提供并施加铅封", standard="20", unit="元/个", pricing_class="市场调节价"),
)
OFF_RATE = FeeLine(
    name="货物港务费",
    conditions="外贸进口 20英尺 重箱 普通货物",
    service_content="代收货物港务费",
    standard="20.00",
    unit="元/箱",
    pricing_class="政府定价",
    pass_through="是",
)
LINE_KEYS = re.compile(r'name="(changes-lines-\d+-key)" type="hidden" value="([\w-]+)"')


@pytest.fixture
def operator(app, make_operator):
    load_feelists(app.config["FEELISTS_DIR"])
    # As if the bureau had verified every official rate: a deviation from an unverified one would only warn.
    _db.session.execute(update(GovListItem).values(verified=True))
    revisions.bump(govlist.REVISION)
    _db.session.commit()
    return make_operator("广州评审码头有限公司")


@pytest.fixture
def staff(operator, make_user):
    return make_user(Role.OPERATOR, operator=operator)


@pytest.fixture
def reviewer(make_user):
    return make_user(Role.REVIEWER)


@pytest.fixture
def submitted(operator, staff):
    """A change of the published list awaiting review: 文件费 400 -> 450 (I), 铅封费 20 -> 15 (R), and 货物港务费
    added (A) above its official rate, which the operator explains."""
    header = Header(
        operator_name=operator.name_zh,
        credit_code=operator.credit_code,
        port_area="南沙港区",
        complaint_phone="020-12345678",
        effective_date="2026-01-01",
    )
    first = catalogue.replace_contents(operator, header, PUBLISHED, staff)
    editions.publish(first, None, now=date(2026, 1, 1))
    draft = catalogue.start_change(operator, staff)
    for line, standard in zip(list(draft.lines), ("450", "15"), strict=True):
        values = {k: getattr(line, k) for k in ("name", "service_content", "unit", "pricing_class")}
        catalogue.update_line(draft, line.id, staff, FeeLine(**values, standard=standard), expected_lock=None)
    catalogue.add_line(draft, staff, OFF_RATE, expected_lock=None)
    catalogue.save_header(draft, staff, replace(header, effective_date=TODAY.isoformat()), expected_lock=None)
    explanations = {key: "成本上涨，已附说明" for key in catalogue.errors_to_explain(draft)}
    return catalogue.submit(draft, staff, True, explanations)


@pytest.fixture
def as_reviewer(client: FlaskClient, login_as, reviewer) -> FlaskClient:
    return login_as(reviewer)


def decision_form(page: str, kind: str, **fields: str) -> dict[str, str]:
    """The fields a browser sends for one of the page's decision forms (prefixed `kind-`)."""
    lock = re.search(rf'name="{kind}-lock" type="hidden" value="(\d+)"', page)
    assert lock, f"the page has no {kind} form"
    data = {f"{kind}-csrf_token": csrf_from(page), f"{kind}-lock": lock.group(1)}
    return {**data, **{f"{kind}-{name}": value for name, value in fields.items()}}


def test_the_queue_shows_each_submission_with_its_counts_and_waiting_time(as_reviewer, submitted) -> None:
    page = as_reviewer.get("/review/").get_data(as_text=True)
    row = page[page.index(f'id="queue-{submitted.id}"') :]
    row = row[: row.index("</tr>")]
    assert "广州评审码头有限公司" in row
    assert f"/review/{submitted.id}" in row
    assert submitted.based_on.edition_code in row  # a change, of that edition
    assert f'<span class="badge badge--error">{submitted.error_count}</span>' in row


def test_the_review_page_shows_the_diff_with_increase_and_reduction_marks(as_reviewer, submitted) -> None:
    page = as_reviewer.get(f"/review/{submitted.id}").get_data(as_text=True)
    diff = page[page.index('id="diff"') :]
    assert 'data-mark="I"' in diff
    assert 'data-mark="R"' in diff
    assert "badge--mark-i" in diff
    assert "badge--mark-r" in diff
    assert re.search(r"<del[^>]*>400</del> → <ins[^>]*><mark>450</mark></ins>", diff)
    assert re.search(r"<del[^>]*>20</del> → <ins[^>]*><mark>15</mark></ins>", diff)
    assert catalogue.ATTESTATION in page


def test_the_review_page_shows_each_error_beside_the_operators_explanation(as_reviewer, submitted) -> None:
    page = as_reviewer.get(f"/review/{submitted.id}").get_data(as_text=True)
    findings = page[page.index('id="findings"') : page.index('id="diff"')]
    errors = [row[: row.index("</tr>")] for row in findings.split("findings__row--error")[1:]]
    assert len(errors) == submitted.error_count
    assert any("rate-deviation" in row for row in errors)
    assert all("成本上涨，已附说明" in row for row in errors)
    assert 'data-mark="A"' in page


def test_approving_publishes_the_edition_and_the_public_page_shows_it(
    as_reviewer, submitted, client: FlaskClient
) -> None:
    page = as_reviewer.get(f"/review/{submitted.id}").get_data(as_text=True)
    response = as_reviewer.post(f"/review/{submitted.id}/approve", data=decision_form(page, "approve", comment="同意"))
    assert response.status_code == 302
    assert response.location.endswith("/review/")
    assert submitted.status is VersionStatus.PUBLISHED
    code = f"{submitted.catalogue.operator.credit_code}-002"
    assert submitted.edition_code == code
    assert code in as_reviewer.get(response.location).get_data(as_text=True)  # the flash names it
    assert code in client.get("/").get_data(as_text=True)


def test_requesting_changes_stores_comments_per_line_for_the_operator(
    as_reviewer, submitted, client: FlaskClient, login_as, staff
) -> None:
    page = as_reviewer.get(f"/review/{submitted.id}").get_data(as_text=True)
    keys = LINE_KEYS.findall(page)
    assert len(keys) == 3
    fields = {"comment": "请补充成本依据"}
    data = decision_form(page, "changes", **fields)
    data.update({name: key for name, key in keys})
    data[keys[0][0].replace("-key", "-text")] = "涨幅过大，请说明"
    response = as_reviewer.post(f"/review/{submitted.id}/request-changes", data=data)
    assert response.status_code == 302
    assert submitted.status is VersionStatus.CHANGES_REQUESTED
    (decision,) = review.decisions_for(submitted.id)
    assert [(c["item"], c["comment"]) for c in decision.line_comments] == [("文件费", "涨幅过大，请说明")]

    client.post("/logout", data={"csrf_token": csrf_from(client.get("/").get_data(as_text=True))})
    login_as(staff)
    seen = client.get(f"/review/decisions/{submitted.id}").get_data(as_text=True)
    assert "请补充成本依据" in seen
    assert "涨幅过大，请说明" in seen


def test_a_rejection_needs_a_reason(as_reviewer, submitted) -> None:
    page = as_reviewer.get(f"/review/{submitted.id}").get_data(as_text=True)
    refused = as_reviewer.post(f"/review/{submitted.id}/reject", data=decision_form(page, "reject", reason=" "))
    assert refused.status_code == 400
    assert 'id="reject-reason-error"' in refused.get_data(as_text=True)
    assert submitted.status is VersionStatus.SUBMITTED
    done = as_reviewer.post(f"/review/{submitted.id}/reject", data=decision_form(page, "reject", reason="不属实"))
    assert done.status_code == 302
    assert submitted.status is VersionStatus.REJECTED


def test_a_decision_without_the_csrf_token_is_refused(as_reviewer, submitted) -> None:
    page = as_reviewer.get(f"/review/{submitted.id}").get_data(as_text=True)
    data = decision_form(page, "approve")
    del data["approve-csrf_token"]
    assert as_reviewer.post(f"/review/{submitted.id}/approve", data=data).status_code == 400
    assert submitted.status is VersionStatus.SUBMITTED


def test_a_decision_on_a_page_opened_before_the_version_changed_is_refused(as_reviewer, submitted) -> None:
    page = as_reviewer.get(f"/review/{submitted.id}").get_data(as_text=True)
    data = decision_form(page, "approve")
    data["approve-lock"] = str(int(data["approve-lock"]) - 1)
    response = as_reviewer.post(f"/review/{submitted.id}/approve", data=data)
    assert response.location.endswith(f"/review/{submitted.id}")
    assert submitted.status is VersionStatus.SUBMITTED


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/review/"),
        ("get", "/review/{id}"),
        ("post", "/review/{id}/approve"),
        ("post", "/review/{id}/reject"),
        ("get", "/govlist/revalidation"),
    ],
)
def test_operator_staff_cannot_open_the_review_pages(client, login_as, staff, submitted, method, path) -> None:
    login_as(staff)
    page = client.get("/catalogue/").get_data(as_text=True)
    data = {"csrf_token": csrf_from(page)} if method == "post" else None
    response = getattr(client, method)(path.format(id=submitted.id), data=data)
    assert response.status_code == 403
    assert submitted.status is VersionStatus.SUBMITTED


@pytest.mark.parametrize("path", ["/review/", "/review/{id}", "/review/decisions/{id}"])
def test_anonymous_visitors_are_sent_to_sign_in(client, submitted, path) -> None:
    response = client.get(path.format(id=submitted.id))
    assert response.status_code == 302
    assert "/login" in response.location


def test_another_operators_staff_cannot_read_the_decisions(
    client, login_as, submitted, make_operator, make_user
) -> None:
    login_as(make_user(Role.OPERATOR, operator=make_operator()))
    assert client.get(f"/review/decisions/{submitted.id}").status_code == 403

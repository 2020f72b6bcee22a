"""Editing never loses data: every form shows the stored values as the user wrote them and keeps what it does not
show; dates are saved as dates; the header's port area is chosen from the port areas; the profile shows phones one
per line and its port areas ticked. A property test: a web edit round-trip changes only the edited field."""

from __future__ import annotations

import contextvars
import string

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from portal.auth import services as auth
from portal.auth.models import Role
from portal.catalogue import services as catalogue
from portal.catalogue.mapping import LINE_FIELDS
from portal.catalogue.models import FeeLineRecord
from portal.extensions import db as _db
from portal.govlist.services import load_feelists
from portal.operators.models import Operator
from portal.validation.model import FeeLine, Header
from tests.conftest import csrf_from
from tests.web.formreader import form_dict


class Fresh:
    """Each request in a context of its own (nothing cached in `g` carries over)."""

    def __init__(self, client) -> None:
        self.client = client

    def get(self, *args, **kwargs):
        return contextvars.Context().run(self.client.get, *args, **kwargs)

    def post(self, *args, **kwargs):
        return contextvars.Context().run(self.client.post, *args, **kwargs)


@pytest.fixture
def operator(app, make_operator):
    load_feelists(app.config["FEELISTS_DIR"])
    return make_operator(
        "广州编辑测试码头有限公司",
        port_area_names=["南沙港区", "黄埔港区"],
        complaint_phones=["020-34001004", "13800138000"],
    )


@pytest.fixture
def staff(operator):
    return auth.create_user("edit@example.test", "编辑员", "correct horse battery", Role.OPERATOR, operator=operator)


@pytest.fixture
def browser(app, staff):
    client = Fresh(app.test_client())
    token = csrf_from(client.get("/login").get_data(as_text=True))
    assert (
        client.post(
            "/login", data={"email": staff.email, "password": "correct horse battery", "csrf_token": token}
        ).status_code
        == 302
    )
    return client


def _draft(operator, staff, *lines: FeeLine):
    header = Header(
        operator_name=operator.name_zh,
        credit_code=operator.credit_code,
        port_area="南沙港区",
        complaint_phone="020-12345678",
        effective_date="2027年1月1日",
    )
    return catalogue.replace_contents(operator, header, list(lines), staff)


def _stored(line_id: int) -> dict[str, str]:
    _db.session.expire_all()
    record = _db.session.get(FeeLineRecord, line_id)
    return {name: getattr(record, name) for name in LINE_FIELDS}


def _round_trip(browser, line_id: int, **edits: str):
    """Open the edit page, send back what it shows with `edits` applied, as a browser would."""
    page = browser.get(f"/catalogue/draft/lines/{line_id}").get_data(as_text=True)
    fields = form_dict(page, "line-form")
    fields.update(edits)
    return browser.post(f"/catalogue/draft/lines/{line_id}", data=fields)


def test_editing_a_line_keeps_its_xuhao_and_saves_the_date_as_a_date(browser, operator, staff) -> None:
    line = FeeLine(
        name="文件费",
        service_content="制作单证",
        standard="400",
        unit="元/票",
        pricing_class="市场调节价",
        line_no="7",
        effective_date="2027年1月1日",
    )
    draft = _draft(operator, staff, line)
    line_id = draft.lines[0].id
    page = browser.get(f"/catalogue/draft/lines/{line_id}").get_data(as_text=True)
    assert 'type="date"' in page
    assert form_dict(page, "line-form")["effective_date"] == "2027-01-01"  # the stored text, shown as a date
    response = _round_trip(browser, line_id, standard="450")
    assert response.status_code == 302
    stored = _stored(line_id)
    assert stored["line_no"] == "7"
    assert stored["standard"] == "450"
    assert stored["effective_date"] == "2027-01-01"


def test_a_stored_text_that_names_no_date_is_kept_when_the_date_is_left_alone(browser, operator, staff) -> None:
    line = FeeLine(name="文件费", standard="400", unit="元/票", pricing_class="市场调节价", effective_date="另行通知")
    draft = _draft(operator, staff, line)
    _round_trip(browser, draft.lines[0].id, remarks="备注")
    assert _stored(draft.lines[0].id)["effective_date"] == "另行通知"


def test_the_header_port_area_is_chosen_and_its_dates_are_dates(browser, operator, staff) -> None:
    _draft(operator, staff, FeeLine(name="文件费", standard="400", unit="元/票", pricing_class="市场调节价"))
    page = browser.get("/catalogue/draft/header").get_data(as_text=True)
    assert "<select" in page
    assert "黄埔港区" in page
    fields = form_dict(page, None)
    fields = {k: v for k, v in fields.items() if k not in ("lang", "next")}
    assert fields["port_area"] == "南沙港区"
    assert fields["effective_date"] == "2027-01-01"
    fields["port_area"] = "黄埔港区"
    assert browser.post("/catalogue/draft/header", data=fields).status_code == 302
    version = catalogue.working_version(_db.session.get(Operator, operator.id))
    _db.session.refresh(version)
    assert version.port_area == "黄埔港区"
    assert version.effective_date_text == "2027-01-01"


def test_the_profile_shows_phones_one_per_line_and_saving_it_as_shown_changes_nothing(browser, operator) -> None:
    page = browser.get("/operator/profile").get_data(as_text=True)
    assert "['020-34001004'" not in page
    fields = form_dict(page, "profile-form")
    assert fields["complaint_phones"] == "020-34001004\n13800138000"
    assert sorted(fields["port_areas"]) == ["南沙港区", "黄埔港区"]
    assert browser.post("/operator/profile", data=fields).status_code == 302
    _db.session.expire_all()
    saved = _db.session.get(Operator, operator.id)
    assert saved.complaint_phones == ["020-34001004", "13800138000"]
    assert {a.name_zh for a in saved.port_areas} == {"南沙港区", "黄埔港区"}


TEXT = (
    st.text(alphabet=string.ascii_letters + string.digits + "费用港区（）、，。 ", min_size=1, max_size=20)
    .map(str.strip)
    .filter(bool)
)
EDITABLE = ("name", "service_content", "standard", "basis", "remarks")


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    line_no=st.sampled_from(["", "1", "12", "3-1"]),
    remarks=st.sampled_from(["", "含税", "夜间加收\n另计"]),
    basis=st.sampled_from(["", "穗商务规字〔2021〕4号"]),
    effective=st.sampled_from(["", "2027-01-01"]),
    conditions=st.sampled_from(["", "外贸进口 20英尺 重箱", "危险货物 夜间"]),
    unit=st.sampled_from(["元/票", "元/箱", "元/吨·天"]),
    edited=st.sampled_from(EDITABLE),
    value=TEXT,
)
def test_a_web_edit_round_trip_changes_only_the_edited_field(
    browser, operator, staff, line_no, remarks, basis, effective, conditions, unit, edited, value
) -> None:
    line = FeeLine(
        name="堆存费",
        service_content="堆场存放",
        standard="100",
        unit=unit,
        pricing_class="市场调节价",
        basis=basis,
        conditions=conditions,
        remarks=remarks,
        line_no=line_no,
        effective_date=effective,
    )
    draft = _draft(operator, staff, line)
    line_id = draft.lines[0].id
    before = _stored(line_id)
    response = _round_trip(browser, line_id, **{edited: value})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    after = _stored(line_id)
    expected = {**before, edited: value}
    assert after == expected
    _db.session.rollback()
    # The next example starts from a draft of its own.
    for record in _db.session.scalars(select(FeeLineRecord)):
        _db.session.delete(record)
    _db.session.commit()

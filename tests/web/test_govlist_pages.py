"""Government-list maintenance pages through the test client with CSRF on: reviewers read, administrators change,
and every change leads to the re-validation of the editions in force."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import openpyxl
import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from portal import clock, demo
from portal.auth.models import Role
from portal.govlist import services as govlist
from portal.govlist.loader import GOVLIST_COLUMNS
from portal.govlist.models import FeeAlias, GovListItem
from tests.conftest import csrf_from

HARBOUR_DUES = "HWF-FT-GEN-20-IM-GZ"


@pytest.fixture
def loaded(app):
    govlist.load_feelists(app.config["FEELISTS_DIR"])


@pytest.fixture
def row(db):
    def get(code: str) -> GovListItem | None:
        return db.session.scalar(select(GovListItem).where(GovListItem.code == code))

    return get


@pytest.fixture
def as_admin(client: FlaskClient, login_as, loaded, make_user) -> FlaskClient:
    return login_as(make_user(Role.ADMIN))


@pytest.fixture
def as_reviewer(client: FlaskClient, login_as, loaded, make_user) -> FlaskClient:
    return login_as(make_user(Role.REVIEWER))


def form_fields(values: dict[str, str]) -> dict[str, str]:
    """govlist.csv text as the row form posts it (booleans as checkboxes: present or absent)."""
    fields = {k: v for k, v in values.items() if k not in ("pass_through", "verified")}
    fields.update({k: "y" for k in ("pass_through", "verified") if values[k] == "true"})
    return fields


def test_reviewers_read_every_dated_row_with_its_history(as_reviewer) -> None:
    page = as_reviewer.get("/govlist/").get_data(as_text=True)
    assert f'id="row-{HARBOUR_DUES}"' in page
    assert 'id="row-HWF-FT-GEN-20-IM-GZ2020"' in page  # a past row stays listed
    assert "2020-03-01 – 2020-06-30" in page
    assert 'id="add-row"' not in page  # no change buttons for reviewers


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/govlist/items/new"),
        ("post", "/govlist/items/new"),
        ("get", "/govlist/import"),
        ("post", "/govlist/aliases/1/remove"),
    ],
)
def test_reviewers_cannot_change_the_list(as_reviewer, method, path) -> None:
    data = {"csrf_token": csrf_from(as_reviewer.get("/govlist/").get_data(as_text=True))} if method == "post" else None
    assert getattr(as_reviewer, method)(path, data=data).status_code == 403


def test_operator_staff_cannot_open_the_maintenance_pages(client, login_as, loaded, make_user, make_operator) -> None:
    login_as(make_user(Role.OPERATOR, operator=make_operator()))
    assert client.get("/govlist/").status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client) -> None:
    response = client.get("/govlist/")
    assert response.status_code == 302
    assert "/login" in response.location


def test_an_admin_adds_a_dated_row_started_from_the_row_it_follows(as_admin, row) -> None:
    page = as_admin.get(f"/govlist/items/new?from={row(HARBOUR_DUES).id}").get_data(as_text=True)
    assert 'value="货物港务费"' in page
    values = govlist.item_values(row(HARBOUR_DUES))
    values.update(code="HWF-FT-GEN-20-IM-GZ2027", rate="15.00", effective_from="2027-01-01", effective_until="")
    response = as_admin.post("/govlist/items/new", data={**form_fields(values), "csrf_token": csrf_from(page)})
    assert response.status_code == 302
    assert response.location.endswith("/govlist/revalidation")
    assert row(HARBOUR_DUES).effective_until == date(2026, 12, 31)
    assert row("HWF-FT-GEN-20-IM-GZ2027").rate == Decimal("15.00")
    listed = as_admin.get("/govlist/").get_data(as_text=True)
    assert "2020-07-01 – 2026-12-31" in listed
    assert 'id="row-HWF-FT-GEN-20-IM-GZ2027"' in listed
    latest = listed[listed.index('id="changes"') :]
    assert "新增政府定价目录行" in latest  # the change in words,
    assert "govlist.item" not in latest  # not its code


@pytest.mark.parametrize(
    ("lang", "said"),
    [("zh", "填写了费率时须写明 fixed（固定）或 cap（上限）"), ("en", "must say fixed or cap when a rate is given")],
)
def test_the_loaders_objection_is_shown_beside_the_field_in_the_users_language(as_admin, row, lang, said) -> None:
    page = as_admin.get(f"/govlist/items/new?lang={lang}").get_data(as_text=True)
    values = govlist.item_values(row(HARBOUR_DUES))
    values.update(code="HWF-FT-GEN-20-IM-GZ2027", rate_kind="", effective_from="2027-01-01", effective_until="")
    response = as_admin.post(
        f"/govlist/items/new?lang={lang}", data={**form_fields(values), "csrf_token": csrf_from(page)}
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    errors = html[html.index('id="rate_kind-error"') :]
    assert said in errors[: errors.index("</div>")]
    assert row("HWF-FT-GEN-20-IM-GZ2027") is None


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("zh", "第 3 行，rate 列：'15.0x' 不是十进制金额（数字，可带小数点，如 13.60）"),
        ("en", "Row 3, column rate: '15.0x' is not a decimal amount (digits and an optional '.', e.g. 13.60)"),
    ],
)
def test_an_imported_rows_objection_names_row_and_column_in_the_users_language(as_admin, row, lang, said) -> None:
    good = govlist.item_values(row(HARBOUR_DUES))
    good.update(code="HWF-FT-GEN-20-IM-GZ2027", rate="15.00", effective_from="2027-01-01", effective_until="")
    bad = {**good, "code": "HWF-FT-GEN-20-IM-GZ2028", "rate": "15.0x", "effective_from": "2028-01-01"}
    book = openpyxl.Workbook()
    book.active.append(list(GOVLIST_COLUMNS))
    book.active.append([good[c] for c in GOVLIST_COLUMNS])
    book.active.append([bad[c] for c in GOVLIST_COLUMNS])
    stream = io.BytesIO()
    book.save(stream)
    token = csrf_from(as_admin.get(f"/govlist/import?lang={lang}").get_data(as_text=True))
    response = as_admin.post(
        f"/govlist/import?lang={lang}",
        data={"csrf_token": token, "file": (io.BytesIO(stream.getvalue()), "港务费.xlsx")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert said.replace("'", "&#39;") in html
    assert row("HWF-FT-GEN-20-IM-GZ2027") is None  # all rows or none


def test_an_admin_imports_rows_from_an_excel_file(as_admin, row) -> None:
    values = govlist.item_values(row(HARBOUR_DUES))
    values.update(code="HWF-FT-GEN-20-IM-GZ2027", rate="15.00", effective_from="2027-01-01", effective_until="")
    book = openpyxl.Workbook()
    book.active.append(list(GOVLIST_COLUMNS))
    book.active.append([values[c] for c in GOVLIST_COLUMNS])
    stream = io.BytesIO()
    book.save(stream)
    token = csrf_from(as_admin.get("/govlist/import").get_data(as_text=True))
    response = as_admin.post(
        "/govlist/import",
        data={"csrf_token": token, "file": (io.BytesIO(stream.getvalue()), "港务费.xlsx")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    assert row("HWF-FT-GEN-20-IM-GZ2027").rate == Decimal("15.00")


def test_an_upload_that_is_not_a_workbook_is_refused_with_the_reason(as_admin, row) -> None:
    token = csrf_from(as_admin.get("/govlist/import").get_data(as_text=True))
    response = as_admin.post(
        "/govlist/import",
        data={"csrf_token": token, "file": (io.BytesIO(b"code,name_zh\n"), "list.xlsx")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert 'id="file-error"' in response.get_data(as_text=True)


def test_a_post_without_the_csrf_token_changes_nothing(as_admin, db) -> None:
    alias = db.session.scalar(select(FeeAlias))
    assert as_admin.post(f"/govlist/aliases/{alias.id}/remove").status_code == 400
    assert db.session.get(FeeAlias, alias.id) is not None


def test_an_admin_adds_and_removes_an_alias(as_admin, db) -> None:
    page = as_admin.get("/govlist/aliases/new").get_data(as_text=True)
    data = {"alias": "港务费", "canonical": "货物港务费", "source": "测试", "csrf_token": csrf_from(page)}
    assert as_admin.post("/govlist/aliases/new", data=data).status_code == 302
    entry = db.session.scalar(select(FeeAlias).where(FeeAlias.alias == "港务费"))
    assert entry.canonical == "货物港务费"
    response = as_admin.post(f"/govlist/aliases/{entry.id}/remove", data={"csrf_token": csrf_from(page)})
    assert response.status_code == 302
    assert db.session.get(FeeAlias, entry.id) is None


def test_an_official_name_is_refused_as_an_alias_beside_the_field(as_admin) -> None:
    page = as_admin.get("/govlist/aliases/new").get_data(as_text=True)
    data = {"alias": "货物港务费", "canonical": "港口费", "source": "", "csrf_token": csrf_from(page)}
    response = as_admin.post("/govlist/aliases/new", data=data)
    assert response.status_code == 400
    assert 'id="alias-error"' in response.get_data(as_text=True)


def test_an_admin_adds_a_component_to_a_bundle(as_admin) -> None:
    (bundle,) = govlist.bundles_in_force(date(2026, 11, 23))
    page = as_admin.get(f"/govlist/bundles/{bundle.id}/components/new").get_data(as_text=True)
    data = {
        "name_zh": "理货",
        "name_en": "Tallying",
        "aliases": "",
        "basis": "测试依据",
        "source": "测试来源",
        "effective_from": "2027-01-01",
        "csrf_token": csrf_from(page),
    }
    assert as_admin.post(f"/govlist/bundles/{bundle.id}/components/new", data=data).status_code == 302
    added = next(c for c in bundle.components if c.name_zh == "理货")
    assert added.effective_from == date(2027, 1, 1)
    assert f'id="component-{added.id}"' in as_admin.get("/govlist/").get_data(as_text=True)


def test_the_revalidation_page_lists_the_operator_made_non_compliant(app, as_admin, row) -> None:
    demo.seed(app.config["DEMO_DIR"])
    values = govlist.item_values(row(HARBOUR_DUES))
    values.update(code="HWF-FT-GEN-20-IM-GZ2027", rate="15.00", effective_from=clock.today().isoformat())
    values.update(
        effective_until="", verified="true", trust="READ-OFFICIAL"
    )  # a verified rate: a deviation from it blocks (an error)
    page = as_admin.get("/govlist/items/new").get_data(as_text=True)
    response = as_admin.post("/govlist/items/new", data={**form_fields(values), "csrf_token": csrf_from(page)})
    html = as_admin.get(response.location).get_data(as_text=True)
    table = html[html.index('id="non-compliant"') :]
    table = table[: table.index("</table>")]
    assert "广州南沙示范集装箱码头有限公司" in table
    assert "rate-deviation" in table
    assert table.count("<tr id=") == 1

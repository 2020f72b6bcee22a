"""The official list intake: the bureau's list in its published layout (xlsx or csv), a preview of what changes,
applied or cancelled from a copy held server-side; verified rows record the document, its date and page."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import openpyxl
import pytest
from sqlalchemy import select

from portal import clock
from portal.audit.models import AuditEntry
from portal.auth.models import Role
from portal.govlist.models import GovListItem
from portal.govlist.services import load_feelists
from portal.holding.models import HeldFile
from tests.conftest import csrf_from

HARBOUR_DUES = "HWF-FT-GEN-20-IM-GZ"
HEADER = ["序号", "收费项目", "适用条件", "收费标准", "计费单位", "收费依据", "页码"]


@pytest.fixture
def admin(app, make_user, login_as):
    load_feelists(app.config["FEELISTS_DIR"])
    user = make_user(Role.ADMIN)
    login_as(user)
    return user


def _row(code: str) -> GovListItem:
    return _db_row(code)


def _db_row(code: str) -> GovListItem:
    from portal.extensions import db

    db.session.expire_all()
    return db.session.scalar(select(GovListItem).where(GovListItem.code == code))


def _xlsx(rows: list[list[object]]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["广州市港口收费目录（附件1）"])
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()


def _upload(client, data: bytes, filename: str, effective: str):
    token = csrf_from(client.get("/govlist/intake").get_data(as_text=True))
    return client.post(
        "/govlist/intake",
        data={
            "file": (io.BytesIO(data), filename),
            "document": "穗发改规〔2026〕3号",
            "document_date": "2026-11-20",
            "effective": effective,
            "page": "",
            "csrf_token": token,
        },
    )


def test_an_unverified_rate_confirmed_by_the_notice_becomes_verified_with_its_source(client, admin) -> None:
    row = _row(HARBOUR_DUES)
    assert not row.verified
    today = clock.today().isoformat()
    official = _xlsx([[1, row.name_zh, "外贸进口 20英尺 普通货物", f"{row.rate}元", row.unit, "交水规〔2019〕2号", 4]])
    response = _upload(client, official, "附件1.xlsx", today)
    html = response.get_data(as_text=True)
    assert response.status_code == 302, html[html.find("error-summary") :][:800]
    preview_path = response.location
    page = client.get(preview_path).get_data(as_text=True)
    assert HARBOUR_DUES in page.split('id="intake-verified"')[1].split("</ul>")[0]
    assert not _row(HARBOUR_DUES).verified  # nothing changes before it is applied
    key = re.search(r"/govlist/intake/([^/?#]+)", preview_path).group(1)
    applied = client.post(f"/govlist/intake/{key}/apply", data={"csrf_token": csrf_from(page)})
    assert applied.status_code == 302
    verified = _row(HARBOUR_DUES)
    assert verified.verified
    assert verified.verified_document == "穗发改规〔2026〕3号"
    assert verified.verified_document_date.isoformat() == "2026-11-20"
    assert verified.verified_page == "4"
    assert client.get("/government-list").get_data(as_text=True).count("穗发改规〔2026〕3号") >= 1
    from portal.extensions import db

    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "govlist.item.verify")) is not None
    assert db.session.scalar(select(HeldFile).where(HeldFile.key == key)) is None  # the held copy is gone


def test_a_changed_rate_becomes_a_new_dated_row_and_the_old_one_ends(client, admin) -> None:
    row = _row(HARBOUR_DUES)
    effective = clock.today() + timedelta(days=30)
    official = "\n".join(
        [",".join(HEADER), f"1,{row.name_zh},外贸进口 20英尺 普通货物,{row.rate + 1},{row.unit},依据,2"]
    ).encode("gb18030")
    response = _upload(client, official, "附件1.csv", effective.isoformat())
    assert response.status_code == 302
    page = client.get(response.location).get_data(as_text=True)
    changed = page.split('id="intake-changed"')[1].split("</ul>")[0]
    assert HARBOUR_DUES in changed
    key = re.search(r"/govlist/intake/([^/?#]+)", response.location).group(1)
    client.post(f"/govlist/intake/{key}/apply", data={"csrf_token": csrf_from(page)})
    old = _row(HARBOUR_DUES)
    assert old.effective_until == effective - timedelta(days=1)
    new = _row(f"{HARBOUR_DUES}-{effective:%Y%m%d}")
    assert new.rate == row.rate + 1
    assert new.verified
    assert new.effective_from == effective


def test_a_cancelled_intake_changes_nothing_and_another_admin_cannot_see_it(app, client, admin, make_user) -> None:
    row = _row(HARBOUR_DUES)
    official = _xlsx([[1, row.name_zh, "外贸进口 20英尺 普通货物", str(row.rate), row.unit, "", ""]])
    response = _upload(client, official, "附件1.xlsx", clock.today().isoformat())
    key = re.search(r"/govlist/intake/([^/?#]+)", response.location).group(1)
    page = client.get(response.location).get_data(as_text=True)
    other = app.test_client()
    other_email = make_user(Role.ADMIN).email
    import contextvars

    def as_other():
        token = csrf_from(other.get("/login").get_data(as_text=True))
        other.post("/login", data={"email": other_email, "password": "correct horse battery", "csrf_token": token})
        return other.get(f"/govlist/intake/{key}").status_code

    assert contextvars.Context().run(as_other) == 404
    assert client.post(f"/govlist/intake/{key}/cancel", data={"csrf_token": csrf_from(page)}).status_code == 302
    assert not _row(HARBOUR_DUES).verified
    assert client.get(f"/govlist/intake/{key}").status_code == 404


def test_a_sheet_without_the_standard_column_is_refused_with_the_row(client, admin) -> None:
    book = openpyxl.Workbook()
    book.active.append(["序号", "收费项目", "计费单位"])
    book.active.append([1, "货物港务费", "元/箱"])
    stream = io.BytesIO()
    book.save(stream)
    response = _upload(client, stream.getvalue(), "附件1.xlsx", clock.today().isoformat())
    assert response.status_code == 400
    assert "收费标准" in response.get_data(as_text=True)


def test_a_row_matching_nothing_is_not_added_but_opens_the_item_form_filled_in_from_the_notice(client, admin) -> None:
    today = clock.today().isoformat()
    official = _xlsx([[1, "新设港口设施保安费", "", "5元", "元/箱", "穗发改规〔2026〕3号 第二条", 7]])
    preview_path = _upload(client, official, "附件1.xlsx", today).location
    page = client.get(preview_path).get_data(as_text=True)
    unmatched = page.split('id="intake-unmatched"')[1].split("</ul>")[0]
    assert "新设港口设施保安费" in unmatched
    link = re.search(r'href="(/govlist/items/new\?[^"]+)"', unmatched).group(1).replace("&amp;", "&")
    form = client.get(link).get_data(as_text=True)
    assert 'value="新设港口设施保安费"' in form
    assert 'value="5"' in form
    assert 'value="元/箱"' in form
    assert f'value="{today}"' in form
    assert "穗发改规〔2026〕3号 第二条" in form.split('name="basis"')[1].split("</textarea>")[0]
    trust = form.split('name="trust"')[1].split("</select>")[0]
    assert re.search(r'<option selected value="READ-OFFICIAL"|<option value="READ-OFFICIAL" selected', trust)
    assert re.search(r'name="verified"[^>]*checked', form) is None  # the bureau ticks it after its own check
    key = re.search(r"/govlist/intake/([^/?#]+)", preview_path).group(1)
    client.post(f"/govlist/intake/{key}/apply", data={"csrf_token": csrf_from(page)})
    from portal.extensions import db

    db.session.expire_all()
    assert db.session.scalar(select(GovListItem).where(GovListItem.name_zh == "新设港口设施保安费")) is None

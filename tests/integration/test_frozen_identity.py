"""Published means frozen: an edition keeps the name, credit code and complaint phone it was published with, in its
PDF, API answers and exports, whatever the operator's record says later. A draft's header identity is the
operator's record, and a list naming another operator is refused, saying where and whose."""

from __future__ import annotations

import csv
import io
import subprocess
from datetime import date

import pytest
from openpyxl import load_workbook

from portal.auth.models import Role
from portal.catalogue import services as catalogue
from portal.errors import InvalidInput, PermissionDenied
from portal.extensions import db as _db
from portal.operators import services as operators
from portal.publishing import editions
from portal.validation.model import FeeLine, Header
from portal.workbook.writer import write_catalogue
from tests.conftest import csrf_from, get_built
from tests.factories import credit_code

OLD, NEW = "广州冻结示范码头有限公司", "广州改名示范码头有限公司"
OLD_EN, NEW_EN = "Frozen Demo Terminal Co., Ltd.", "Renamed Demo Terminal Co., Ltd."
LINE = FeeLine(name="文件费", service_content="制作单证", standard="400", unit="元/票", pricing_class="市场调节价")


def header_of(name: str, code: str, phone: str = "") -> Header:
    return Header(
        operator_name=name, credit_code=code, port_area="南沙港区", complaint_phone=phone, effective_date="2026-01-01"
    )


@pytest.fixture
def published(make_operator, make_user):
    """An edition published under OLD; then the bureau renames the operator, changes its code and phones."""
    operator = make_operator(OLD, name_en=OLD_EN, complaint_phones=["020-11110000"])
    old_code = operator.credit_code
    version = catalogue.replace_contents(operator, header_of(OLD, old_code), [LINE], None, as_of=date(2026, 1, 1))
    code = editions.publish(version, None).edition_code
    bureau = make_user(Role.ADMIN)
    operators.update_profile(operator, bureau, name_zh=NEW, name_en=NEW_EN, complaint_phones=["020-99990000"])
    operator.credit_code = credit_code(880_001)  # as an approved change request would
    _db.session.commit()
    return operator, old_code, code


def download(client, url: str) -> bytes:
    """A download's body, built by the export queue when asked for (tests.conftest.get_built)."""
    response = get_built(client, url)
    assert response.status_code == 200, url
    return response.get_data()


def pdf_text(data: bytes) -> str:
    done = subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True)  # noqa: S607
    return done.stdout.decode()


def test_the_posting_sheet_keeps_the_published_identity(client, published) -> None:
    _operator, old_code, code = published
    text = pdf_text(download(client, f"/downloads/editions/{code}.pdf"))
    assert OLD in text
    assert old_code in text
    assert "020-11110000" in text
    assert NEW not in text


def test_the_api_answers_with_the_published_identity(client, published) -> None:
    operator, old_code, _code = published
    body = client.get(f"/api/v1/operators/{operator.credit_code}/catalogue?as_of=2026-02-01").get_json()
    assert body["operator"]["name_zh"] == OLD
    assert body["operator"]["name_en"] == OLD_EN
    assert body["operator"]["credit_code"] == old_code
    assert body["complaint_phone"] == "020-11110000"
    fees = client.get("/api/v1/fees?as_of=2026-02-01").get_json()["items"]
    assert {(i["operator"]["name_zh"], i["operator"]["credit_code"]) for i in fees} == {(OLD, old_code)}


def test_the_exports_keep_the_published_identity(client, published) -> None:
    _operator, old_code, _code = published
    text = download(client, "/downloads/catalogue.csv?as_of=2026-02-01&lang=zh").decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert {(row[1], row[2]) for row in rows[1:]} == {(OLD, old_code)}
    data = download(client, "/downloads/catalogue.xlsx?as_of=2026-02-01&lang=en")
    book = load_workbook(io.BytesIO(data), read_only=True)
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    book.close()
    assert {(row[1], row[2]) for row in rows[1:]} == {(OLD_EN, old_code)}


def test_operator_staff_cannot_rename_their_firm(client, make_operator, make_user, login_as) -> None:
    operator = make_operator(OLD)
    staff = make_user(Role.OPERATOR, operator=operator)
    with pytest.raises(PermissionDenied):
        operators.update_profile(operator, staff, name_zh=NEW)
    login_as(staff)
    page = client.get("/operator/profile").get_data(as_text=True)
    assert 'name="name_zh"' not in page
    assert OLD in page
    assert operator.credit_code in page
    assert "商务局" in page  # the sentence saying a change goes through the bureau
    data = {
        "csrf_token": csrf_from(page),
        "name_zh": NEW,
        "complaint_phones": "020-12345678",
        "port_areas": "南沙港区",
    }
    client.post("/operator/profile", data=data)
    _db.session.refresh(operator)
    assert operator.name_zh == OLD


def test_a_draft_header_takes_the_identity_from_the_operator_record(make_operator) -> None:
    operator = make_operator(OLD)
    version = catalogue.replace_contents(operator, header_of("随手写的名字", ""), [LINE], None, as_of=date(2026, 1, 1))
    assert (version.operator_name, version.credit_code) == (OLD, operator.credit_code)


def test_a_header_with_another_operators_credit_code_is_refused(make_operator) -> None:
    mine, theirs = make_operator(OLD), make_operator(NEW)
    with pytest.raises(InvalidInput) as refused:
        catalogue.replace_contents(mine, header_of(OLD, theirs.credit_code), [LINE], None, as_of=date(2026, 1, 1))
    assert theirs.credit_code in str(refused.value)
    assert mine.credit_code in str(refused.value)
    assert catalogue.working_version(mine) is None  # nothing saved


def test_a_workbook_naming_another_operator_is_refused_with_the_cell(make_operator, make_user) -> None:
    mine, theirs = make_operator(OLD), make_operator(NEW)
    staff = make_user(Role.OPERATOR, operator=mine)
    for header, said in ((header_of(OLD, theirs.credit_code), theirs.credit_code), (header_of(NEW, ""), NEW)):
        stream = io.BytesIO()
        write_catalogue(stream, header, [LINE])
        with pytest.raises(InvalidInput) as refused:
            catalogue.import_workbook(mine, staff, stream.getvalue(), "清单.xlsx", as_of=date(2026, 1, 1))
        message = str(refused.value)
        assert said in message
        assert any(f"{column}{row}" in message for column in "ABCDEFGH" for row in range(1, 10)), message

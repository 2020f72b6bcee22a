"""「检查我的文件」: anyone checks a workbook without an account, sees the findings, downloads it back annotated;
nothing is stored, the form needs its CSRF token, and one client is rate-limited."""

from __future__ import annotations

import base64
import html
import io
import re
from pathlib import Path

import openpyxl
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from portal.audit.models import AuditEntry
from portal.catalogue.models import CatalogueVersion
from portal.extensions import db
from portal.govlist.services import load_feelists
from tests.conftest import csrf_from

FILES = Path(__file__).resolve().parents[1] / "corpus" / "real" / "files"
DOWNLOAD = re.compile(r'id="annotated" href="data:[^;]+;base64,([A-Za-z0-9+/=]+)"')


@pytest.fixture(autouse=True)
def government_list(app: Flask) -> None:
    load_feelists(app.config["FEELISTS_DIR"])


def post(client: FlaskClient, name: str, *, token: bool = True):
    page = client.get("/check/")
    fields: dict[str, object] = {"file": FileStorage(io.BytesIO((FILES / name).read_bytes()), name)}
    if token:
        fields["csrf_token"] = csrf_from(page.get_data(as_text=True))
    boundary, body = encode_multipart(fields)
    return client.post("/check/", data=body, content_type=f'multipart/form-data; boundary="{boundary}"')


def stored_rows() -> tuple[int, int]:
    return (
        db.session.scalar(select(func.count()).select_from(CatalogueVersion)),
        db.session.scalar(select(func.count()).select_from(AuditEntry)),
    )


def test_the_page_needs_no_account_and_is_linked_from_the_home_page(client: FlaskClient) -> None:
    assert 'href="/check/"' in client.get("/").get_data(as_text=True)
    page = client.get("/check/")
    assert page.status_code == 200
    assert 'name="csrf_token"' in page.get_data(as_text=True)


def test_the_findings_are_shown_and_the_workbook_comes_back_annotated_and_nothing_is_stored(client) -> None:
    before = stored_rows()
    response = post(client, "openpyxl_marks_and_vague_standards.xlsx")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    text = html.unescape(response.get_data(as_text=True))
    for cell in ("E10", "E11", "E12", "E13"):
        assert f"收费目录清单!{cell}" in text
    assert "一百九十" in text
    assert "按实收取" in text
    book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(DOWNLOAD.search(text).group(1))))
    assert book.sheetnames[0] == "问题清单"
    issues = list(book["问题清单"].iter_rows(min_row=2, values_only=True))
    assert [(row[3], row[1]) for row in issues] == [(c, "警告") for c in ("E10", "E11", "E12", "E13")]
    sheet = book["收费目录清单"]
    assert "一百九十" in sheet["E13"].comment.text
    assert sheet["E13"].value == "一百九十"  # the office's own values, unchanged
    assert sheet["B9"].comment is None
    assert stored_rows() == before


def test_an_old_excel_file_is_read_and_comes_back_as_xlsx(client) -> None:
    response = post(client, "libreoffice_plain.xls")
    assert response.status_code == 200
    text = html.unescape(response.get_data(as_text=True))
    book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(DOWNLOAD.search(text).group(1))))
    assert book["收费目录清单"]["B9"].value == "单证费"
    assert book.sheetnames == ["问题清单", "收费目录清单"]


def test_a_strict_open_xml_file_comes_back_with_its_values(client) -> None:
    """openpyxl drops a Strict file's sheets (it knows the transitional namespaces only): the values as read instead."""
    text = html.unescape(post(client, "excel_strict_open_xml.xlsx").get_data(as_text=True))
    book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(DOWNLOAD.search(text).group(1))))
    assert book.sheetnames == ["问题清单", "收费目录清单"]
    values = {cell.value for row in book["收费目录清单"].iter_rows() for cell in row}
    assert {"单证费", "电放费", "堆存费"} <= values


def test_a_refused_file_says_in_chinese_what_to_do(client) -> None:
    response = post(client, "libreoffice_plain.csv")
    assert response.status_code == 400
    assert "空白模板" in response.get_data(as_text=True)


def test_the_form_needs_its_csrf_token(client) -> None:
    assert post(client, "openpyxl_plain.xlsx", token=False).status_code == 400


def test_one_client_is_limited(client) -> None:
    codes = [post(client, "libreoffice_plain.csv").status_code for _ in range(6)]
    assert codes == [400] * 5 + [429]

"""The public downloads: content types, cache headers and ETags, 404 for what does not exist, no sign-in."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from openpyxl import load_workbook

from portal.catalogue import services as catalogue
from portal.publishing import editions
from portal.validation.model import FeeLine, Header
from tests.conftest import get_built

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def edition_code(make_operator) -> str:
    """One operator in 南沙港区 with a published list (in force from 2026-01-01)."""
    operator = make_operator("南沙示范码头有限公司")
    header = Header(
        operator_name=operator.name_zh,
        credit_code=operator.credit_code,
        port_area="南沙港区",
        complaint_phone="020-12345678",
        effective_date="2026-01-01",
    )
    lines = [
        FeeLine(name="文件费", service_content="制作单证", standard="400", unit="元/票", pricing_class="市场调节价"),
        FeeLine(name="=1+1", service_content="测试", standard="1", unit="元/票", pricing_class="市场调节价"),
    ]
    version = catalogue.replace_contents(operator, header, lines, None, as_of=date(2026, 1, 1))
    return editions.publish(version, None).edition_code


@pytest.fixture
def get(client):
    """GET a download, read it and close it (a file response holds its file open until closed)."""

    def get(url: str, **kwargs):
        return get_built(client, url, **kwargs)

    return get


@pytest.mark.parametrize(
    ("url", "mimetype", "disposition"),
    [
        ("/downloads/editions/{code}.pdf", "application/pdf", "inline"),
        ("/downloads/areas/NANSHA.pdf?as_of=2026-02-01", "application/pdf", "inline"),
        ("/downloads/catalogue.xlsx?as_of=2026-02-01&lang=zh", XLSX, "attachment"),
        ("/downloads/catalogue.csv?as_of=2026-02-01&lang=en", "text/csv", "attachment"),
    ],
)
def test_each_download_has_its_type_cache_headers_and_etag(get, edition_code, url, mimetype, disposition) -> None:
    response = get(url.format(code=edition_code))
    assert response.status_code == 200
    assert response.mimetype == mimetype
    assert response.headers["Content-Disposition"].startswith(disposition)
    assert response.cache_control.public
    assert response.cache_control.max_age == 300
    etag, _weak = response.get_etag()
    assert etag
    again = get(url.format(code=edition_code), headers={"If-None-Match": f'"{etag}"'})
    assert again.status_code == 304


def test_the_posting_sheet_is_a_pdf_of_the_edition(get, edition_code) -> None:
    response = get(f"/downloads/editions/{edition_code}.pdf")
    assert response.data.startswith(b"%PDF-")
    assert response.get_etag()[0].startswith(edition_code)


def test_the_csv_download_is_the_catalogue_in_force_with_formulas_escaped(get, edition_code) -> None:
    response = get("/downloads/catalogue.csv?as_of=2026-02-01&lang=zh")
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[0][:2] == ["版本编号", "单位名称"]
    assert [(row[0], row[8]) for row in rows[1:]] == [(edition_code, "文件费"), (edition_code, "'=1+1")]


def test_the_xlsx_download_reads_back(get, edition_code) -> None:
    response = get("/downloads/catalogue.xlsx?as_of=2026-02-01&lang=en")
    book = load_workbook(io.BytesIO(response.data), read_only=True)
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    book.close()
    assert rows[0][:2] == ("Edition", "Operator")
    assert [row[8] for row in rows[1:]] == ["文件费", "'=1+1"]


def test_before_the_first_edition_the_catalogue_is_empty(get, edition_code) -> None:
    response = get("/downloads/catalogue.csv?as_of=2025-12-31&lang=zh")
    assert len(response.data.decode("utf-8-sig").splitlines()) == 1


def test_the_download_is_chinese_unless_the_visitor_chose_english(client, get, edition_code) -> None:
    browser = {"Accept-Language": "en"}  # the browser's wish does not choose
    chinese = get("/downloads/catalogue.csv?as_of=2026-02-01", headers=browser)
    client.set_cookie("lang", "en", domain="portal.test")  # the switch's choice
    english = get("/downloads/catalogue.csv?as_of=2026-02-01", headers=browser)
    assert not chinese.data.decode("utf-8-sig").startswith("Edition,Operator")
    assert english.data.decode("utf-8-sig").startswith("Edition,Operator")


@pytest.mark.parametrize(
    "url",
    [
        "/downloads/editions/91440101000000000X-999.pdf",
        "/downloads/editions/..%2F..%2Fetc%2Fpasswd.pdf",
        "/downloads/areas/ATLANTIS.pdf",
        "/downloads/catalogue.json",
    ],
)
def test_what_does_not_exist_is_404(get, db, url) -> None:
    assert get(url).status_code == 404


def test_a_date_that_is_not_one_is_refused(get, db) -> None:
    assert get("/downloads/catalogue.csv?as_of=2026-02-30").status_code == 400

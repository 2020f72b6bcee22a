"""`?as_of=` means one thing everywhere (portal/web/as_of.py): a date written YYYY-MM-DD, today when absent or blank,
and a 400 naming the value in the user's language when it is anything else — pages, downloads and the API alike."""

from __future__ import annotations

import pytest

from portal import clock
from portal.govlist.services import load_feelists

PAGES = ["/", "/fees", "/government-list"]  # the feed lists editions by publication, whatever the date
DOWNLOADS = ["/downloads/catalogue.csv", "/downloads/areas/NANSHA.pdf"]
API = ["/api/v1/fees", "/api/v1/operators", "/api/v1/government-list", "/api/v1/bundles"]
SERVED = {200, 202}  # 202: a consolidated download being built in the background (publishing.services)
BAD = ["2026-13-01", "2026-02-30", "20260601", "2026/06/01", "yesterday", "<script>", "2026-6-1", "１２３４-05-06"]


def status(client, path: str, value: str) -> int:
    response = client.get(path, query_string={"as_of": value})
    response.close()  # downloads stream a file
    return response.status_code


@pytest.fixture(autouse=True)
def govlist(app):
    load_feelists(app.config["FEELISTS_DIR"])


@pytest.mark.parametrize("path", PAGES + DOWNLOADS)
@pytest.mark.parametrize("value", BAD)
def test_a_page_refuses_a_bad_date_with_400_in_chinese(client, path, value) -> None:
    browser = {"Accept-Language": "en"}  # the browser's wish does not choose the language
    response = client.get(path, query_string={"as_of": value}, headers=browser)
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert "不是日期，请按 2026-11-23 的格式填写。" in body
    assert "<script>" not in body.split("</header>")[-1]


def test_the_message_is_english_for_an_english_reader(client) -> None:
    response = client.get("/fees?as_of=2026-02-30&lang=en")
    assert response.status_code == 400
    assert "2026-02-30 is not a date; write it as 2026-11-23." in response.get_data(as_text=True)


@pytest.mark.parametrize("path", API)
@pytest.mark.parametrize("value", BAD)
def test_the_api_refuses_a_bad_date_with_its_json_error(client, path, value) -> None:
    response = client.get(path, query_string={"as_of": value, "lang": "en"})
    assert response.status_code == 400
    assert response.is_json
    assert response.get_json()["error"] == f"{value} is not a date; write it as 2026-11-23."


@pytest.mark.parametrize("path", PAGES + DOWNLOADS)
@pytest.mark.parametrize("value", ["", "   "])
def test_on_pages_absent_or_blank_means_today(client, path, value) -> None:
    assert status(client, path, value) in SERVED


@pytest.mark.parametrize("path", API)
def test_the_api_refuses_an_empty_parameter_as_its_openapi_document_says(client, path) -> None:
    response = client.get(path, query_string={"as_of": "", "lang": "en"})
    assert response.status_code == 400
    assert "as_of must not be empty" in response.get_json()["error"]


@pytest.mark.parametrize("path", PAGES + DOWNLOADS + API)
def test_a_good_date_is_accepted_everywhere(client, path) -> None:
    assert status(client, path, "2026-06-01") in SERVED


def test_the_api_echoes_the_day_it_answered_for(client) -> None:
    assert client.get("/api/v1/government-list?as_of=2026-06-01").get_json()["as_of"] == "2026-06-01"
    assert client.get("/api/v1/government-list").get_json()["as_of"] == clock.today().isoformat()

"""SQL and LIKE metacharacters, injection attempts, NUL and very long queries: on the search page (/fees), the API's
fee search (/api/v1/fees) and the other free-text parameters of the public pages. A query is text to look for,
never SQL; a NUL is refused up front, alike on both backends."""

from __future__ import annotations

import html
import re
from urllib.parse import quote

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, inspect, select

from portal.catalogue.models import FeeLineRecord
from portal.extensions import db
from portal.validation.model import FeeLine
from tests.conftest import csrf_from

DAY = "2026-02-01"
ROW = re.compile(r'<th scope="row" data-label="[^"]*">(.*?)</th>', re.S)
ORDINARY = "普通装卸费"
NAMES = (
    ORDINARY,
    "100%堆存费",
    "A_B联运费",
    "O'Neil代理费",
    '双引号"费',
    "反斜杠\\费",
    "甲/乙转运费",
)
TABLES = ("fee_line", "catalogue_version", "catalogue", "operator", "audit_entry", "user")


@pytest.fixture
def lines(make_operator, publish) -> None:
    """One operator with a fee name holding each metacharacter, and an ordinary one; in force from 2026-01-01."""
    fees = [FeeLine(name=name, standard="100", unit="元/票", pricing_class="市场调节价") for name in NAMES]
    publish(make_operator("广州元字符测试码头有限公司"), *fees)


def page_names(client: FlaskClient, **args: str) -> list[str]:
    response = client.get("/fees", query_string={"as_of": DAY, **args})
    assert response.status_code == 200
    return [html.unescape(name) for name in ROW.findall(response.get_data(as_text=True))]


def api_names(client: FlaskClient, **args: str) -> set[str]:
    response = client.get("/api/v1/fees", query_string={"as_of": DAY, "per_page": "200", **args})
    assert response.status_code == 200, response.get_data(as_text=True)
    return {item["name"] for item in response.get_json()["items"]}


def assert_untouched() -> None:
    """Every table is still there, with every line in it."""
    db.session.rollback()
    existing = set(inspect(db.engine).get_table_names())
    assert set(TABLES) <= existing
    assert db.session.scalar(select(func.count()).select_from(FeeLineRecord)) == len(NAMES)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("%", {"100%堆存费"}),
        ("_", {"A_B联运费"}),
        ("'", {"O'Neil代理费"}),
        ('"', {'双引号"费'}),
        ("\\", {"反斜杠\\费"}),
        ("/", {"甲/乙转运费"}),  # the LIKE escape character itself
        ("100%", {"100%堆存费"}),
        ("_B", {"A_B联运费"}),
        ("%%", set()),
        ("%_%", set()),
        ("\\%", set()),
        ("/%", set()),
        ('"; DROP TABLE fee_line; --', set()),
        ("'; DELETE FROM operator; --", set()),
        ("' OR '1'='1", set()),
        ("' OR 1=1 --", set()),
        ("1' UNION SELECT credit_code FROM operator --", set()),
        ("'); TRUNCATE catalogue_version CASCADE; --", set()),
    ],
)
def test_a_metacharacter_query_finds_only_the_lines_containing_it_literally(client, lines, query, expected) -> None:
    assert set(page_names(client, q=query)) == expected
    assert api_names(client, q=query) == expected
    assert_untouched()
    assert page_names(client, q="装卸") == [ORDINARY]


def test_a_wildcard_query_does_not_list_every_line(client, lines) -> None:
    everything = set(page_names(client))

    assert everything == set(NAMES)
    for wildcard in ("%", "_", "%_", "__"):
        assert set(page_names(client, q=wildcard)) < everything
        assert api_names(client, q=wildcard) < everything


@pytest.mark.parametrize("query", ["\x00", "文件\x00费", "%\x00", "\x00' OR '1'='1"])
def test_a_nul_in_the_query_is_refused_as_a_bad_request_on_the_page_and_the_api(client, lines, query) -> None:
    page = client.get("/fees", query_string={"q": query})
    api = client.get("/api/v1/fees", query_string={"q": query})

    assert page.status_code == 400
    assert api.status_code == 400
    assert api.get_json()["error"]
    assert_untouched()


@pytest.mark.parametrize(
    "url",
    [
        "/fees?operator=%00",
        "/fees?port=%00",
        "/fees?pricing_class=%00",
        "/operators/%00",
        "/feed.atom?fee=%00",
        "/feed.atom?operator=%00",
        "/compare?service=%00",
        "/estimate?port=%00&count=1",
        "/government-list?as_of=%00",
    ],
)
def test_a_nul_in_any_public_parameter_is_a_bad_request_not_a_server_error(client, lines, url) -> None:
    assert client.get(url).status_code == 400
    assert_untouched()


def test_a_nul_in_a_form_field_is_refused_before_any_service_sees_it(client, lines) -> None:
    token = csrf_from(client.get("/complaints/status").get_data(as_text=True))
    form = {"reference": "TS-2026-\x00", "contact": "13912345678", "csrf_token": token}

    response = client.post("/complaints/status", data=form)

    assert response.status_code == 400
    assert "NUL" in response.get_data(as_text=True)


@pytest.mark.parametrize("query", ["费" * 10_000, "%" * 5_000, "'" * 5_000, "a" * 100_000])
def test_a_very_long_query_is_cut_on_the_page_and_refused_by_the_api(client, lines, query) -> None:
    assert page_names(client, q=query) == []
    response = client.get("/api/v1/fees", query_string={"q": query})
    assert response.status_code == 400
    assert response.get_json()["error"]
    assert_untouched()


@pytest.mark.parametrize(
    "args",
    [
        {"operator": "' OR '1'='1"},
        {"operator": "%"},
        {"port": "%"},
        {"port": "' OR '1'='1"},
        {"pricing_class": "%"},
        {"pricing_class": "' OR '1'='1"},
    ],
)
def test_metacharacters_in_the_filters_match_nothing_rather_than_everything(client, lines, args) -> None:
    assert page_names(client, **args) == []
    assert_untouched()


COMPARED = re.compile(r'<h2 id="result-title">.*?: (\d+) lines</h2>', re.S)


@pytest.mark.parametrize(
    ("url", "status", "entries"),
    [
        ("/feed.atom?fee=" + quote("'; DROP TABLE fee_line; --"), 200, 0),
        ("/feed.atom?fee=" + quote(ORDINARY), 200, 1),
        ("/feed.atom?fee=%25", 200, 1),  # the one fee whose name holds a %
        ("/feed.atom?fee=%25%25", 200, 0),
    ],
)
def test_the_feeds_fee_filter_takes_metacharacters_as_text(client, lines, url, status, entries) -> None:
    response = client.get(url)
    assert response.status_code == status
    assert response.get_data(as_text=True).count("<entry>") == entries
    assert_untouched()


@pytest.mark.parametrize(
    ("service", "count"),
    [(ORDINARY, 1), ("100%堆存费", 1), ("' OR '1'='1", 0), ("%", 0), ("_", 0), ("100%", 0), ("%费", 0)],
)
def test_the_comparisons_service_takes_metacharacters_as_text(client, lines, service, count) -> None:
    response = client.get("/compare", query_string={"service": service, "as_of": DAY, "lang": "en"})
    assert response.status_code == 200
    assert COMPARED.findall(response.get_data(as_text=True)) == [str(count)]
    assert_untouched()


def test_an_operator_address_with_metacharacters_is_not_found(client, lines) -> None:
    assert client.get("/operators/" + quote("' OR '1'='1")).status_code == 404
    assert client.get("/operators/" + quote("%")).status_code == 404
    assert_untouched()


def test_the_feed_for_a_wildcard_names_only_the_fee_that_contains_it(client, lines) -> None:
    body = client.get("/feed.atom", query_string={"fee": "%"}).get_data(as_text=True)

    assert body.count("<entry>") == 1
    assert client.get("/feed.atom", query_string={"fee": "%%"}).get_data(as_text=True).count("<entry>") == 0

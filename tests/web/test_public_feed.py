"""The Atom feed of published editions: valid XML, newest first, filtered by operator and by fee (aliases too)."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from portal.govlist.services import load_feelists
from portal.public.feed import ATOM
from portal.validation.model import FeeLine

NS = {"a": ATOM}


def fee(name: str, standard: str = "100") -> FeeLine:
    return FeeLine(name=name, standard=standard, service_content="按票服务", unit="元/票", pricing_class="市场调节价")


@pytest.fixture
def editions(app, make_operator, publish):
    """A shipping line that raises its document fee (written DOC) and a terminal that adds a seal fee."""
    load_feelists(app.config["FEELISTS_DIR"])
    line = make_operator("示范船公司")
    terminal = make_operator("示范码头公司")
    codes = [
        publish(line, fee("DOC", "400"), fee("换单费", "300")).edition_code,
        publish(terminal, fee("换单费", "280")).edition_code,
        publish(line, fee("DOC", "450"), fee("换单费", "300"), effective="2026-03-01").edition_code,
        publish(terminal, fee("换单费", "280"), fee("铅封费", "50"), effective="2026-04-01").edition_code,
    ]
    return {"line": line, "terminal": terminal, "codes": codes}


def read_feed(client, **args: str) -> ET.Element:
    response = client.get("/feed.atom", query_string=args)
    assert response.status_code == 200
    assert response.mimetype == "application/atom+xml"
    root = ET.fromstring(response.data)  # noqa: S314 - our own response
    assert root.tag == f"{{{ATOM}}}feed"
    return root


def entry_codes(root: ET.Element) -> list[str]:
    return [entry.findtext("a:title", namespaces=NS).split(" · ")[-1] for entry in root.findall("a:entry", NS)]


def test_the_feed_lists_published_editions_newest_first(client, editions) -> None:
    root = read_feed(client)
    assert entry_codes(root) == list(reversed(editions["codes"]))
    assert root.findtext("a:id", namespaces=NS)
    assert root.find("a:link[@rel='self']", NS).get("href").endswith("/feed.atom")


def test_each_entry_names_the_operator_edition_date_and_changes(client, editions) -> None:
    latest = read_feed(client).find("a:entry", NS)
    assert latest.findtext("a:title", namespaces=NS) == f"示范码头公司 · {editions['codes'][3]}"
    assert latest.findtext("a:author/a:name", namespaces=NS) == "示范码头公司"
    summary = latest.findtext("a:summary", namespaces=NS)
    assert "2026-04-01" in summary
    assert "A 铅封费" in summary
    assert "换单费" not in summary  # unchanged
    link = latest.find("a:link", NS).get("href")
    assert link.endswith(f"/operators/{editions['terminal'].credit_code}#edition-{editions['codes'][3]}")
    assert latest.findtext("a:published", namespaces=NS).endswith("Z")


def test_the_operator_filter_keeps_only_that_operators_editions(client, editions) -> None:
    root = read_feed(client, operator=editions["line"].credit_code)
    assert entry_codes(root) == [editions["codes"][2], editions["codes"][0]]
    assert "示范船公司" in root.findtext("a:title", namespaces=NS)


def test_an_unknown_operator_has_no_feed(client, editions) -> None:
    assert client.get("/feed.atom?operator=91440101000000000X").status_code == 404


@pytest.mark.parametrize(
    ("fee_name", "expected"),
    [
        ("文件费", [2, 0]),  # an alias of DOC: the first edition added it, the third raised it
        ("DOC", [2, 0]),
        ("铅封费", [3]),
        ("换单费", [1, 0]),  # the first editions added it; no later one changed it
        ("电放费", []),
    ],
)
def test_the_fee_filter_keeps_editions_that_change_that_fee(client, editions, fee_name, expected) -> None:
    root = read_feed(client, fee=fee_name)
    assert entry_codes(root) == [editions["codes"][i] for i in expected]


def test_the_feed_holds_at_most_fifty_entries(client, make_operator, publish) -> None:
    operator = make_operator()
    for day in range(1, 52):
        publish(operator, fee("换单费", str(100 + day)), effective=f"2026-{1 + day // 28:02d}-{1 + day % 28:02d}")
    root = read_feed(client)
    assert len(root.findall("a:entry", NS)) == 50
    assert entry_codes(root)[0] == f"{operator.credit_code}-051"


def test_operator_text_is_escaped_and_stray_control_characters_dropped(client, make_operator, publish) -> None:
    operator = make_operator('<b>"码头" & Co</b>')
    publish(operator, fee("换单费\x01</summary><x>", "300"))
    publish(operator, fee("换单费\x01</summary><x>", "350"), effective="2026-05-01")
    entry = read_feed(client).find("a:entry", NS)
    assert entry.findtext("a:author/a:name", namespaces=NS) == '<b>"码头" & Co</b>'
    assert "I 换单费</summary><x>" in entry.findtext("a:summary", namespaces=NS)


def test_an_unchanged_feed_answers_not_modified(client, editions) -> None:
    first = client.get("/feed.atom")
    assert first.headers["Cache-Control"] == "public, max-age=300"
    again = client.get("/feed.atom", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304


def test_an_empty_database_gives_a_valid_empty_feed(client) -> None:
    root = read_feed(client)
    assert root.findall("a:entry", NS) == []
    assert root.findtext("a:updated", namespaces=NS)

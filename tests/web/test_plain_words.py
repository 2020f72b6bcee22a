"""No internal code shows on a public page, in Chinese or in English: government-list row and bundle codes, rule
codes, source grades, stored statuses and enumerations are all shown in words."""

from __future__ import annotations

import csv
import io
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from portal import demo as demo_data
from portal.govlist.services import load_feelists
from portal.pricing.invoice import Mark
from portal.validation import rules
from tests.conftest import csrf_from
from tests.web.public_pages import public_pages

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests" / "corpus" / "real" / "files"
SHOWN_ATTRIBUTES = {"aria-label", "title", "placeholder", "alt", "value"}


def _column(name: str, column: str) -> set[str]:
    with (ROOT / "feelists" / name).open(encoding="utf-8") as f:
        return {row[column] for row in csv.DictReader(f) if row[column]}


def internal_codes() -> set[str]:
    trust = {part for value in _column("govlist.csv", "trust") for part in value.split("|")}
    rule_codes = {module.CODE for module in rules.ALL} if hasattr(rules, "ALL") else set()
    for path in (ROOT / "portal" / "validation" / "rules").glob("*.py"):
        rule_codes |= set(re.findall(r'^CODE = "([^"]+)"', path.read_text(encoding="utf-8"), re.M))
    stored = {"in_force", "abolished", "folded", *(m.value for m in Mark if "_" in m.value)}
    kinds = {"shipping_line", "shipping_agent", "customs_broker"}
    return _column("govlist.csv", "code") | _column("bundles.csv", "code") | trust | rule_codes | stored | kinds


class _Shown(HTMLParser):
    """The text a visitor sees or hears: text outside script/style, and labels, titles, placeholders, values."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._hidden += 1
        kind = dict(attrs).get("type")
        for name, value in attrs:
            if name in SHOWN_ATTRIBUTES and value and not (name == "value" and kind in ("hidden", "checkbox", None)):
                self.parts.append(value)

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden:
            self.parts.append(data)


def shown(html: str) -> str:
    parser = _Shown()
    parser.feed(html)
    return "\n".join(parser.parts)


def codes_in(text: str, codes: set[str]) -> list[str]:
    return sorted(c for c in codes if re.search(rf"(?<![A-Za-z0-9_\-]){re.escape(c)}(?![A-Za-z0-9_\-])", text))


@pytest.fixture
def demo(app):
    load_feelists(app.config["FEELISTS_DIR"])
    demo_data.seed(app.config["DEMO_DIR"])


def test_the_check_knows_the_codes_it_looks_for() -> None:
    codes = internal_codes()
    assert {"BERTH-GUIDED", "BAOGAN", "READ-MIRROR", "split-service", "not-on-government-list"} <= codes
    assert codes_in("依据 BERTH-GUIDED 收取", codes) == ["BERTH-GUIDED"]
    assert codes_in(shown('<p title="BAOGAN">包干</p>'), codes) == ["BAOGAN"]
    assert codes_in(shown('<input type="hidden" value="BAOGAN"><p>包干</p>'), codes) == []


@pytest.mark.parametrize("language", ["zh", "en"])
def test_no_public_page_shows_an_internal_code(client, demo, language) -> None:
    codes = internal_codes()
    client.set_cookie("lang", language, domain="portal.test")
    headers: dict[str, str] = {}
    found = {}
    for path in public_pages():
        response = client.get(path, headers=headers)
        assert response.status_code == 200, path
        assert f'<html lang="{"en" if language == "en" else "zh-CN"}"' in response.get_data(as_text=True), path
        leaked = codes_in(shown(response.get_data(as_text=True)), codes)
        if leaked:
            found[path] = leaked
    token = csrf_from(client.get("/invoice", headers=headers).get_data(as_text=True))
    checked = client.post(
        "/invoice",
        headers=headers,
        data={
            "csrf_token": token,
            "operator-0": "广州南沙示范集装箱码头有限公司",
            "charged_on-0": "2026-11-20",
            "fee_name-0": "场内搬移费",
            "amount-0": "100",
            "operator-1": "不存在的公司",
            "charged_on-1": "2026-11-20",
            "fee_name-1": "打单费",
            "amount-1": "50",
        },
    )
    assert checked.status_code == 200
    leaked = codes_in(shown(checked.get_data(as_text=True)), codes)
    if leaked:
        found["POST /invoice"] = leaked
    assert found == {}


def test_a_government_row_status_follows_from_its_dates(client, demo) -> None:
    early = shown(client.get("/government-list?as_of=2020-04-01").get_data(as_text=True))
    today = shown(client.get("/government-list").get_data(as_text=True))
    assert "执行中" in early
    assert "Temporary rate published for Nansha" not in today  # English notes stay out of the Chinese page
    assert "政府指导价" in today


def test_the_english_government_list_uses_english_words(client, demo) -> None:
    english = shown(client.get("/government-list?lang=en").get_data(as_text=True))
    assert "In force" in english
    assert "执行中" not in english
    assert "政府指导价" not in english  # the pricing class in words
    assert "Government-guided price" in english


def finding_codes() -> set[str]:
    """Every finding's code: the rules' and the workbook reader's and guard's (each a quoted lower-case-hyphen word)."""
    codes = set()
    for package in ("validation", "workbook"):
        for path in (ROOT / "portal" / package).rglob("*.py"):
            codes |= set(re.findall(r'"([a-z]+(?:-[a-z]+)+)"', path.read_text(encoding="utf-8")))
    return codes - {"us-ascii"}  # an encoding's name, said as such


@pytest.mark.parametrize("language", ["zh", "en"])
def test_the_check_page_says_each_finding_in_words(client, demo, language) -> None:
    """Every file of the corpus checked on the public page: its findings in words, never a rule's code."""
    codes = finding_codes()
    assert {"vague-standard", "error-value", "stray-cell", "hidden-sheet", "zip-bomb"} <= codes
    if language == "en":
        codes -= {"sub-columns"}  # an English word too: "the column title ... has sub-columns"
    client.set_cookie("lang", language, domain="portal.test")
    found, findings = {}, 0
    for number, path in enumerate(sorted(CORPUS.iterdir())):
        address = {"REMOTE_ADDR": f"10.9.{number // 200}.{number % 200 + 1}"}  # one visitor per file: the limit
        page = client.get("/check/", environ_base=address).get_data(as_text=True)
        fields = {"file": FileStorage(io.BytesIO(path.read_bytes()), path.name), "csrf_token": csrf_from(page)}
        boundary, body = encode_multipart(fields)
        response = client.post(
            "/check/", data=body, content_type=f'multipart/form-data; boundary="{boundary}"', environ_base=address
        )
        assert response.status_code in (200, 400), path.name
        text = response.get_data(as_text=True)
        findings += text.count('class="findings__row')
        if leaked := codes_in(shown(text), codes):
            print(
                path.name,
                [shown(text)[m.start() - 200 : m.start() + 50] for m in re.finditer("sub-columns", shown(text))],
            )
            found[path.name] = leaked
    assert findings > 70  # the pages did show findings
    assert found == {}

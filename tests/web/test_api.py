"""The open-data API: every endpoint and filter, alias search, paging, bad parameters, ETags, exact money."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal

import pytest
from flask.testing import FlaskClient
from sqlalchemy import inspect, select

from portal import clock, create_app, demo
from portal.catalogue import services as catalogue
from portal.catalogue.models import CatalogueVersion, FeeLineRecord
from portal.extensions import db as _db
from portal.govlist.services import load_feelists
from portal.operators import services as operators
from portal.operators.models import OperatorKind
from portal.operators.port_areas import ensure_port_areas
from portal.public import open_data, search
from portal.public.openapi import DOCUMENT
from portal.publishing import editions
from portal.validation.model import FeeLine, Header
from tests.conftest import BACKENDS, _truncate_all
from tests.factories import credit_code

DAY = "2026-11-23"  # every demo edition is in force by then; the scheduled test edition is not
DOC_OPERATOR, SCHEDULED_OPERATOR = credit_code(900001), credit_code(900004)


def _publish(name_zh: str, code: str, lines: list[FeeLine], *, effective: str = "2026-01-01", operator=None):
    """Register an operator (unless given) and publish an edition of `lines` taking effect on `effective`."""
    if operator is None:
        operator = operators.register_operator(
            credit_code=code,
            name_zh=name_zh,
            kind=OperatorKind.FORWARDER,
            port_area_names=["黄埔港区"],
            complaint_phones=["020-88880000"],
        )
    header = Header(
        operator_name=name_zh,
        credit_code=code,
        port_area="黄埔港区",
        complaint_phone="020-88880000",
        effective_date=effective,
    )
    version = catalogue.replace_contents(operator, header, lines, None, as_of=date(2026, 1, 1))
    editions.publish(version, None)
    return operator


def _fee(name: str, standard: str = "50") -> FeeLine:
    return FeeLine(
        name=name, service_content="制作并交付单证", standard=standard, unit="元/票", pricing_class="市场调节价"
    )


@pytest.fixture(scope="module", params=BACKENDS)
def api(request: pytest.FixtureRequest) -> Iterator[FlaskClient]:
    """One app per backend for the whole module, seeded once: every request here only reads.

    The government list and the demo operators, plus editions written for these tests: the three names of the
    document fee (文件费, 单证费, DOC) at three forwarders, a name with LIKE wildcards in it, and an operator
    with a second edition scheduled for 2030 that drops one of its two fees (a change mark D notice).
    """
    url = request.getfixturevalue("pg_schema") if request.param == "postgresql" else "sqlite://"
    app = create_app({"TESTING": True, "SECRET_KEY": "test-secret", "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        if request.param == "sqlite":
            _db.create_all()
        ensure_port_areas()
        _db.session.commit()
        load_feelists(app.config["FEELISTS_DIR"])
        demo.seed(app.config["DEMO_DIR"])
        _publish("广州文件示范货代有限公司", DOC_OPERATOR, [_fee("文件费", "45")])
        _publish("广州单证示范货代有限公司", credit_code(900002), [_fee("单证费", "60.5")])
        _publish("广州英文示范货代有限公司", credit_code(900003), [_fee("DOC"), _fee("100%_折扣费", "1")])
        first = _publish("广州排期示范货代有限公司", SCHEDULED_OPERATOR, [_fee("电放费", "300"), _fee("加急费", "80")])
        _publish(
            "广州排期示范货代有限公司",
            SCHEDULED_OPERATOR,
            [_fee("电放费", "350")],
            effective="2030-01-01",
            operator=first,
        )
        yield app.test_client()
        if request.param == "postgresql":
            _truncate_all()
        else:
            _db.session.remove()
            _db.drop_all()
        _db.engine.dispose()


def get(api: FlaskClient, path: str, **params: object):
    response = api.get("/api/v1" + path, query_string=params)
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    return response


def fees(api: FlaskClient, **params: object) -> dict:
    response = get(api, "/fees", **{"as_of": DAY, "per_page": 200, **params})
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def names(body: dict) -> set[str]:
    return {item["name"] for item in body["items"]}


# /fees: search by name and alias


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("文件费", {"文件费", "单证费", "DOC", "理货单证费"}),
        ("单证费", {"文件费", "单证费", "DOC", "理货单证费"}),
        ("DOC", {"文件费", "单证费", "DOC", "理货单证费"}),
        ("doc", {"文件费", "单证费", "DOC", "理货单证费"}),
        ("ＤＯＣ", {"文件费", "单证费", "DOC", "理货单证费"}),
        ("D/O", {"换单费"}),
        ("换单", {"换单费"}),
        (
            "文件",
            {"文件费", "单证费", "DOC", "理货单证费"},
        ),  # part of an alias stands for the whole fee, as on the page
        ("包干费", {"港口作业包干费"}),
    ],
)
def test_a_fee_is_found_by_its_name_part_of_it_or_any_alias(api, query, expected) -> None:
    assert names(fees(api, q=query)) == expected


def test_a_query_matching_nothing_gives_an_empty_page_with_a_zero_total(api) -> None:
    body = fees(api, q="不存在的收费")
    assert (body["total"], body["items"]) == (0, [])


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("%", {"100%_折扣费"}),
        ("_", {"100%_折扣费"}),
        ("%_", {"100%_折扣费"}),
        ("'", set()),
        ("\\", set()),
        ("/", set()),
        ('"; DROP TABLE fee_line; --', set()),
        ("' OR '1'='1", set()),
    ],
)
def test_sql_and_like_metacharacters_in_q_are_searched_for_literally(api, query, expected) -> None:
    assert names(fees(api, q=query)) == expected
    assert inspect(_db.engine).has_table("fee_line")


# /fees: filters


# The editions in force on DAY: the seven published demo lists and the four written above (not the 2030 one).
EDITIONS_IN_FORCE = {
    "914401155970010134-001",
    "9144011259700808X3-001",
    "914401035970101040-001",
    "91440112597011115C-001",
    "91440112597012126P-001",
    "91440111597013137L-001",
    "91440113597014148W-001",
    f"{DOC_OPERATOR}-001",
    f"{credit_code(900002)}-001",
    f"{credit_code(900003)}-001",
    f"{SCHEDULED_OPERATOR}-001",
}


def test_without_filters_every_line_in_force_is_listed_once(api) -> None:
    body = fees(api)
    assert body["total"] == len(body["items"]) == 81 + 6  # the demo lists' lines in force, and the six above
    assert {item["edition"] for item in body["items"]} == EDITIONS_IN_FORCE
    assert len({(item["edition"], item["name"], item["conditions"]) for item in body["items"]}) == 87


@pytest.mark.parametrize("port", ["南沙港区", "NANSHA"])
def test_fees_filtered_by_port_area_come_from_operators_working_there(api, port) -> None:
    in_nansha = {o["credit_code"] for o in get(api, "/operators", port="南沙港区").get_json()["items"]}
    body = fees(api, port=port)
    assert body["total"] > 0
    assert {item["operator"]["credit_code"] for item in body["items"]} <= in_nansha
    assert "914401155970010134" in {item["operator"]["credit_code"] for item in body["items"]}


@pytest.mark.parametrize("kind", ["terminal", "forwarder", "tally"])
def test_fees_filtered_by_operator_kind_are_of_that_kind_only(api, kind) -> None:
    body = fees(api, kind=kind)
    assert body["total"] > 0
    assert {item["operator"]["kind"] for item in body["items"]} == {kind}


def test_fees_filtered_by_operator_are_that_operators_lines(api) -> None:
    body = fees(api, operator="914401155970010134")
    assert body["total"] == 28
    assert {item["operator"]["name_zh"] for item in body["items"]} == {"广州南沙示范集装箱码头有限公司"}


def test_an_unknown_but_well_formed_credit_code_matches_no_line(api) -> None:
    assert fees(api, operator=credit_code(999999))["total"] == 0


@pytest.mark.parametrize("pricing_class", ["市场调节价", "政府定价"])
def test_fees_filtered_by_pricing_class_are_of_that_class_only(api, pricing_class) -> None:
    body = fees(api, pricing_class=pricing_class)
    assert body["total"] > 0
    assert {item["pricing_class"] for item in body["items"]} == {pricing_class}


def test_filters_combine(api) -> None:
    body = fees(api, q="包干费", port="NANSHA", kind="terminal", pricing_class="市场调节价")
    assert body["total"] == 6
    assert {item["operator"]["credit_code"] for item in body["items"]} == {"914401155970010134"}


# /fees: dates, money, paging


def test_before_any_edition_took_effect_there_are_no_fees(api) -> None:
    assert fees(api, as_of="2020-01-01") == {
        "as_of": "2020-01-01",
        "page": 1,
        "per_page": 200,
        "total": 0,
        "more": False,
        "items": [],
    }


def test_a_scheduled_edition_applies_from_its_date_only(api) -> None:
    before = fees(api, operator=SCHEDULED_OPERATOR, as_of="2029-12-31")["items"]
    after = fees(api, operator=SCHEDULED_OPERATOR, as_of="2030-01-01")["items"]
    assert sorted((i["edition"], i["amount"]) for i in before) == [
        (f"{SCHEDULED_OPERATOR}-001", a) for a in ("300.00", "80.00")
    ]
    assert [(i["edition"], i["amount"]) for i in after] == [(f"{SCHEDULED_OPERATOR}-002", "350.00")]


def test_without_as_of_the_editions_in_force_today_are_listed(api) -> None:
    body = get(api, "/fees", operator=SCHEDULED_OPERATOR).get_json()
    assert body["as_of"] == clock.today().isoformat()
    expected = "002" if clock.today() >= date(2030, 1, 1) else "001"
    assert {item["edition"] for item in body["items"]} == {f"{SCHEDULED_OPERATOR}-{expected}"}


def exact(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)


def test_amounts_are_decimal_strings_equal_to_the_stored_amounts(api) -> None:
    stored = {
        (r.version.edition_code, r.name, r.conditions, r.standard): (r.amount, r.amount_max)
        for r in _db.session.scalars(select(FeeLineRecord))
    }
    items = fees(api)["items"]
    assert any(item["amount"] for item in items)
    for item in items:
        assert all(item[field] is None or isinstance(item[field], str) for field in ("amount", "amount_max"))
        amounts = stored[item["edition"], item["name"], item["conditions"], item["standard"]]
        assert (exact(item["amount"]), exact(item["amount_max"])) == amounts


@pytest.mark.parametrize(("query", "amount"), [("单证费", "60.50"), ("文件费", "45.00"), ("100%", "1.00")])
def test_money_keeps_two_decimal_places(api, query, amount) -> None:
    amounts = {item["name"]: item["amount"] for item in fees(api, q=query)["items"]}
    assert amount in amounts.values()


def test_pages_split_the_ordered_list_without_gaps_or_overlaps(api) -> None:
    everything = fees(api)["items"]
    pages = [fees(api, per_page=7, page=n) for n in range(1, len(everything) // 7 + 2)]
    assert [item for page in pages for item in page["items"]] == everything
    assert all(len(page["items"]) == 7 for page in pages[:-1])
    assert {page["total"] for page in pages} == {len(everything)}


def test_lines_are_grouped_by_fee_name_then_by_edition_then_in_list_order(api) -> None:
    stored = {
        (version.edition_code, line.line_no, line.name, line.conditions, line.standard): (
            line.name_key,
            version.id,
            line.position,
        )
        for line, version in _db.session.execute(
            select(FeeLineRecord, CatalogueVersion).join(
                CatalogueVersion, FeeLineRecord.version_id == CatalogueVersion.id
            )
        )
    }
    order = [
        stored[tuple(item[k] for k in ("edition", "line_no", "name", "conditions", "standard"))]
        for item in fees(api)["items"]
    ]
    assert len(order) > 50
    assert order == sorted(order)
    assert len({key for key, _version, _position in order}) > 10


@pytest.mark.parametrize(("number", "per_page", "count"), [(1, 1, 1), (1, 200, 200), (100000, 200, 0), (2, 50, 50)])
def test_paging_bounds_are_accepted(api, number, per_page, count) -> None:
    body = get(api, "/fees", as_of=DAY, page=number, per_page=per_page).get_json()
    assert (body["page"], body["per_page"]) == (number, per_page)
    assert len(body["items"]) == min(count, max(body["total"] - (number - 1) * per_page, 0))


def test_the_default_page_holds_fifty_lines(api) -> None:
    body = get(api, "/fees", as_of=DAY).get_json()
    assert (body["page"], body["per_page"], len(body["items"])) == (1, 50, 50)


# /fees and friends: bad parameters


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/fees", {"page": 0}),
        ("/fees", {"page": -1}),
        ("/fees", {"page": "1.5"}),
        ("/fees", {"page": "二"}),
        ("/fees", {"page": 100001}),
        ("/fees", {"per_page": 0}),
        ("/fees", {"per_page": 201}),
        ("/fees", {"per_page": "1_0"}),
        ("/fees", {"as_of": "2026-13-01"}),
        ("/fees", {"as_of": "20260101"}),
        ("/fees", {"as_of": "0000-01-01"}),
        ("/fees", {"as_of": "yesterday"}),
        ("/fees", {"kind": "ship"}),
        ("/fees", {"pricing_class": "免费"}),
        ("/fees", {"port": "火星港区"}),
        ("/fees", {"port": "nansha"}),  # the document's enum is exact: codes in capitals, Chinese names
        ("/fees", {"kind": " terminal"}),
        ("/fees", {"operator": "91440101000000172m"}),  # codes are written in capitals
        ("/fees", {"operator": "123"}),
        ("/fees", {"operator": "91440101000000000O"}),
        ("/fees", {"q": "费" * 201}),
        ("/fees", {"q": "文件\x00费"}),
        ("/operators", {"kind": "ship"}),
        ("/operators", {"port": "火星港区"}),
        ("/government-list", {"as_of": "2026-02-30"}),
        ("/bundles", {"as_of": "next week"}),
        ("/operators/914401155970010134/catalogue", {"as_of": "2026/01/01"}),
    ],
)
def test_a_bad_parameter_is_a_400_with_a_json_error(api, path, params) -> None:
    response = get(api, path, **params)
    assert response.status_code == 400
    assert response.is_json
    assert response.get_json()["error"]


@pytest.mark.parametrize("name", ["q", "port", "kind", "operator", "pricing_class", "as_of", "page", "per_page"])
def test_a_parameter_given_empty_is_a_400_naming_it_as_the_document_says(api, name) -> None:
    response = get(api, "/fees", **{"as_of": DAY, name: ""})
    assert response.status_code == 400
    assert name in response.get_json()["error"]
    schema = next(p for p in DOCUMENT["components"]["parameters"].values() if p["name"] == name)["schema"]
    assert schema.get("minLength") == 1 or "pattern" in schema or "enum" in schema or schema["type"] == "integer"


def test_a_port_area_the_document_lists_is_accepted(api) -> None:
    ports = DOCUMENT["components"]["parameters"]["port"]["schema"]["enum"]
    assert "NANSHA" in ports
    assert "南沙港区" in ports
    for port in ports:
        assert get(api, "/fees", as_of=DAY, port=port).status_code == 200


def test_a_wrong_method_is_a_405_naming_the_allowed_ones(api) -> None:
    response = api.post("/api/v1/fees")
    assert response.status_code == 405
    assert set(response.headers["Allow"].replace(" ", "").split(",")) == {"GET", "HEAD", "OPTIONS"}


# Caching and the open-data headers


def test_a_response_carries_an_etag_and_a_matching_if_none_match_gets_a_304(api) -> None:
    first = get(api, "/fees", as_of=DAY, q="换单")
    assert first.headers["Cache-Control"] == "public, max-age=60"
    etag = first.headers["ETag"]
    again = api.get("/api/v1/fees", query_string={"as_of": DAY, "q": "换单"}, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.get_data() == b""
    assert again.headers["ETag"] == etag
    assert again.headers["Cache-Control"] == "public, max-age=60"


def test_a_stale_etag_gets_the_full_response(api) -> None:
    response = api.get("/api/v1/bundles", headers={"If-None-Match": '"stale"'})
    assert response.status_code == 200
    assert response.get_json()["items"]


def test_different_results_have_different_etags(api) -> None:
    etags = {get(api, "/fees", as_of=DAY, q=q).headers["ETag"] for q in ("换单", "文件费", "DOC")}
    assert len(etags) == 2  # 文件费 and DOC are one fee: the same lines, the same body


def test_json_is_utf8_without_escapes(api) -> None:
    response = get(api, "/fees", as_of=DAY, q="换单")
    assert response.mimetype == "application/json"
    assert "换单费".encode() in response.get_data()


# /operators and their catalogues


def test_operators_are_listed_with_the_edition_in_force_or_null(api) -> None:
    items = {o["credit_code"]: o for o in get(api, "/operators", as_of=DAY).get_json()["items"]}
    assert len(items) == 14 + 4
    terminal = items["914401155970010134"]
    assert terminal["edition"] == {"code": "914401155970010134-001", "effective_from": "2026-01-01"}
    assert terminal["port_areas"] == [{"code": "NANSHA", "name_zh": "南沙港区", "name_en": "Nansha Port Area"}]
    assert terminal["complaint_phones"] == ["020-39001001", "12345"]
    assert items["914401125970020244"]["edition"] is None  # its demo list has errors: still a draft
    assert sum(o["edition"] is not None for o in items.values()) == 7 + 4


def test_before_any_edition_every_operator_has_none(api) -> None:
    items = get(api, "/operators", as_of="2020-01-01").get_json()["items"]
    assert items
    assert {o["edition"] is None for o in items} == {True}


@pytest.mark.parametrize(
    ("params", "count"),
    [({"kind": "customs_broker"}, 2), ({"port": "XINSHA"}, 2), ({"port": "新沙港区", "kind": "terminal"}, 1)],
)
def test_operators_filtered_by_kind_and_port_area(api, params, count) -> None:
    assert len(get(api, "/operators", **params).get_json()["items"]) == count


def test_an_operators_catalogue_is_its_edition_in_force(api) -> None:
    body = get(api, "/operators/914401155970010134/catalogue", as_of=DAY).get_json()
    assert body["edition"] == "914401155970010134-001"
    assert body["operator"] == {
        "credit_code": "914401155970010134",
        "name_zh": "广州南沙示范集装箱码头有限公司",
        "name_en": "Guangzhou Nansha Demo Container Terminal Co., Ltd.",
        "kind": "terminal",
    }
    assert (body["port_area"], body["complaint_phone"], body["effective_from"]) == (
        "南沙港区",
        "020-39001001；12345",
        "2026-01-01",
    )
    assert len(body["lines"]) == 28
    assert body["lines"][0]["name"] == "港口作业包干费"
    assert body["lines"][0]["amount"] == "560.00"
    assert body["published_at"].endswith("Z")


def test_a_catalogue_follows_the_edition_in_force_on_the_date(api) -> None:
    path = f"/operators/{SCHEDULED_OPERATOR}/catalogue"
    assert get(api, path, as_of="2029-12-31").get_json()["number"] == 1
    later = get(api, path, as_of="2030-01-01").get_json()
    assert later["number"] == 2
    assert [line["name"] for line in later["lines"]] == ["电放费"]
    assert [(line["name"], line["change_mark"]) for line in later["removed"]] == [("加急费", "D")]


@pytest.mark.parametrize(
    ("code", "as_of"),
    [
        (credit_code(999999), DAY),  # nobody registered under it
        ("not-a-credit-code", DAY),
        ("914401125970020244", DAY),  # registered, but no published edition
        ("914401155970010134", "2025-12-31"),  # before its first edition
    ],
)
def test_a_catalogue_that_does_not_exist_on_the_date_is_a_404(api, code, as_of) -> None:
    response = get(api, f"/operators/{code}/catalogue", as_of=as_of)
    assert response.status_code == 404
    assert response.get_json()["error"]


# The government list and bundles


def test_the_government_list_gives_rates_as_strings_with_basis_and_source(api) -> None:
    items = {i["code"]: i for i in get(api, "/government-list", as_of=DAY).get_json()["items"]}
    harbour_dues = items["HWF-FT-GEN-20-IM-GZ"]
    assert (harbour_dues["rate"], harbour_dues["rate_kind"], harbour_dues["pricing_class"]) == (
        "17.00",
        "fixed",
        "政府定价",
    )
    assert harbour_dues["conditions"] == {
        "trade": "外贸进口",
        "container_size": "20",
        "laden": None,
        "cargo": "普通货物",
    }
    assert "交水规〔2019〕2号" in harbour_dues["basis"]
    assert harbour_dues["source"]
    assert harbour_dues["effective_from"] == "2020-07-01"
    assert items["PCF-ABOLISHED"]["status"] == "abolished"
    assert items["PCF-ABOLISHED"]["rate"] is None
    assert "HWF-FT-GEN-20-IM-GZ2020" not in items  # the 2020 temporary rate ended on 2020-06-30


def test_the_government_list_as_of_an_earlier_date_shows_the_rows_then_in_effect(api) -> None:
    items = {i["code"]: i for i in get(api, "/government-list", as_of="2020-04-01").get_json()["items"]}
    assert items["HWF-FT-GEN-20-IM-GZ2020"]["rate"] == "13.60"
    assert items["PCF-UNTIL2020"]["status"] == "in_force"
    assert "PCF-ABOLISHED" not in items


def test_bundles_are_listed_with_their_components(api) -> None:
    bundles = get(api, "/bundles", as_of=DAY).get_json()["items"]
    baogan = next(b for b in bundles if b["code"] == "BAOGAN")
    assert "包干费" in baogan["aliases"]
    assert len(baogan["components"]) == 6
    assert {"name_zh", "name_en", "aliases", "basis", "source", "effective_from"} == set(baogan["components"][0])


# The document itself


def test_the_openapi_document_is_served_and_describes_every_api_route(api) -> None:
    response = get(api, "/openapi.json")
    assert response.get_json() == DOCUMENT
    assert response.get_json()["openapi"].startswith("3.1")
    app = api.application
    routes = {
        rule.rule.removeprefix("/api/v1").replace("<credit_code>", "{credit_code}")
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("api.")
    }
    assert routes == set(DOCUMENT["paths"])


def test_the_api_is_not_guarded_by_csrf_or_sign_in(api) -> None:
    assert get(api, "/fees", as_of=DAY).status_code == 200
    response = api.post("/api/v1/fees")
    assert response.status_code == 405
    assert response.is_json


@pytest.mark.parametrize("per_page", [3, 7, 10])
def test_pages_past_the_lines_counted_go_on_in_the_same_order(api, monkeypatch, per_page) -> None:
    """A page among the lines counted is read by id, a page past them by walking on (search.FirstLines): both give
    the slices of the one ordered list, whatever the page size, with the total stopping at the count."""
    everything = fees(api)["items"]
    monkeypatch.setattr(search, "COUNT_LIMIT", 20)
    on = date.fromisoformat(DAY)
    pages = [open_data.fee_page(on, search.Filters(), n, per_page) for n in range(1, len(everything) // per_page + 3)]
    assert len(everything) > 2 * 20
    assert [item for page in pages for item in page["items"]] == everything
    assert {(page["total"], page["more"]) for page in pages} == {(20, True)}

"""The fee search of the single window: names, aliases, short queries, filters, as-of dates, pages, hostile input."""

from __future__ import annotations

import re

import pytest
from flask.testing import FlaskClient

from portal.govlist.services import load_feelists
from portal.operators.models import OperatorKind
from portal.public.search import search_terms
from portal.validation.model import Bundle, BundleComponent, FeeLine, GovItem, PricingClass, Reference

ROW = re.compile(r"<tr>\s*<th scope=\"row\" data-label=\"[^\"]*\">(.*?)</th>", re.S)
FAR = "2099-01-01"  # a scheduled edition's date: still ahead whenever the suite runs


def fee(name: str, standard: str = "100", **fields: str) -> FeeLine:
    fields.setdefault("service_content", "按票提供服务")
    fields.setdefault("unit", "元/票")
    fields.setdefault("pricing_class", "市场调节价")
    return FeeLine(name=name, standard=standard, **fields)


@pytest.fixture
def market(app, make_operator, publish):
    """Three operators in two port areas, of three kinds, with fees written under different names."""
    load_feelists(app.config["FEELISTS_DIR"])
    terminal = make_operator("南沙甲码头有限公司", port_area_names=["南沙港区"])
    line = make_operator("黄埔乙船公司", kind=OperatorKind.SHIPPING_LINE, port_area_names=["黄埔港区"])
    forwarder = make_operator("南沙丙货代有限公司", kind=OperatorKind.FORWARDER, port_area_names=["南沙港区"])
    publish(
        terminal,
        fee("换单费", "300"),
        fee("货物港务费", "32", conditions="外贸 20英尺 重箱", unit="元/箱", pricing_class="政府定价"),
        fee("超重附加费(10%以上)", "50"),
    )
    publish(line, fee("文件费", "450"), fee("铅封费", "50"))
    publish(forwarder, fee("DOC", "200"), fee("单证费", "220", conditions="内贸"), fee("订舱费", "150"))
    return {"terminal": terminal, "line": line, "forwarder": forwarder}


REFERENCE = Reference(
    gov_items=(
        GovItem(
            code="HWF",
            name_zh="货物港务费",
            name_en="Harbour dues on cargo",
            pricing_class=PricingClass.GOV_PRICED,
            unit="元/箱",
            basis="交水规〔2019〕2号",
        ),
    ),
    bundles=(
        Bundle(
            code="BAOGAN",
            name_zh="港口作业包干费",
            name_en="Port operation package charge",
            basis="",
            aliases=("包干费",),
            components=(
                BundleComponent(
                    name_zh="港口设施保安", name_en="Port facility security", basis="", aliases=("安保费",)
                ),
            ),
        ),
    ),
    aliases={"文件费": "单证费", "doc": "单证费", "安保费": "港口设施保安费"},
)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("文件费", {"文件费", "单证费", "doc"}),
        ("单证", {"单证", "文件费", "doc"}),  # 单证费 holds 单证: searching 单证 already finds it
        ("ＤＯＣ", {"doc", "单证费", "文件费"}),
        ("港务", {"港务", "harbourduesoncargo"}),
        ("harbour dues", {"harbourdues", "货物港务费"}),
        ("包干", {"包干", "portoperationpackagecharge"}),
        ("安保费", {"安保费", "港口设施保安", "portfacilitysecurity"}),
        ("费", {"费"}),  # one character: as written, no expansion
        ("  ", set()),
    ],
)
def test_a_query_stands_for_its_aliases_and_the_government_names_it_is_part_of(query, expected) -> None:
    assert set(search_terms(query, REFERENCE)) == expected


def names(page: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in ROW.findall(page)]


def search(client: FlaskClient, **args: str) -> str:
    response = client.get("/fees", query_string=args)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_a_fee_name_finds_the_operators_that_charge_it(client, market) -> None:
    results = search(client, q="换单费").split('id="results-title"')[1]
    assert names(results) == ["换单费"]
    assert "南沙甲码头有限公司" in results
    assert "黄埔乙船公司" not in results


@pytest.mark.parametrize("query", ["文件费", "单证费", "DOC", "doc", "ＤＯＣ"])
def test_an_alias_finds_every_line_of_the_same_fee_whatever_its_written_name(client, market, query) -> None:
    assert sorted(names(search(client, q=query))) == sorted(["文件费", "DOC", "单证费"])


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("换单", ["换单费"]),
        ("港务", ["货物港务费"]),
        ("铅封", ["铅封费"]),
        ("订舱", ["订舱费"]),
    ],
)
def test_a_two_character_chinese_query_finds_the_lines_containing_it(client, market, query, expected) -> None:
    assert names(search(client, q=query)) == expected


def test_an_empty_query_lists_every_line_in_force(client, market) -> None:
    page = search(client)
    assert len(names(page)) == 8
    assert "8" in page.split('id="results-title"')[1].split("</h2>")[0]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ({"port": "HUANGPU"}, ["文件费", "铅封费"]),
        ({"port": "NANSHA"}, ["DOC", "单证费", "订舱费", "换单费", "货物港务费", "超重附加费(10%以上)"]),
        ({"kind": "forwarder"}, ["DOC", "单证费", "订舱费"]),
        ({"pricing_class": "政府定价"}, ["货物港务费"]),
        ({"q": "文件费", "port": "NANSHA"}, ["DOC", "单证费"]),
        ({"kind": "no-such-kind", "q": "铅封"}, ["铅封费"]),
    ],
)
def test_filters_narrow_the_results(client, market, args, expected) -> None:
    assert sorted(names(search(client, **args))) == sorted(expected)


def test_the_operator_filter_takes_a_credit_code(client, market) -> None:
    code = market["line"].credit_code
    assert sorted(names(search(client, operator=code))) == ["文件费", "铅封费"]
    assert names(search(client, operator="91440101000000000X")) == []


def test_each_result_links_to_its_operator_page_keeping_the_date(client, market) -> None:
    page = search(client, q="换单", as_of="2026-06-01")
    assert f'href="/operators/{market["terminal"].credit_code}?as_of=2026-06-01"' in page


def test_a_scheduled_edition_shows_only_from_its_date(client, market, publish) -> None:
    publish(market["terminal"], fee("换单费", "350"), effective=FAR)
    before = search(client, q="换单", as_of="2098-12-31")
    after = search(client, q="换单", as_of=FAR)
    assert ">300<" in before
    assert ">350<" not in before
    assert ">350<" in after
    assert ">300<" not in after


def test_before_any_edition_took_effect_nothing_is_found(client, market) -> None:
    assert names(search(client, as_of="2025-12-31")) == []


def test_a_malformed_date_is_refused_in_the_users_language_not_replaced_by_today(client, market) -> None:
    response = client.get("/fees", query_string={"q": "换单", "as_of": "<script>2026"})
    assert response.status_code == 400  # portal/web/as_of.py: never another day's prices in silence
    body = response.get_data(as_text=True)
    assert "不是日期，请按 2026-11-23 的格式填写。" in body
    assert "<script>2026" not in body


def test_results_come_fifty_to_a_page(client, make_operator, publish) -> None:
    operator = make_operator("分页码头有限公司")
    publish(operator, *(fee(f"测试费{n:02d}") for n in range(1, 61)))
    first = search(client, q="测试费")
    second = search(client, q="测试费", page="2")
    assert len(names(first)) == 50
    assert names(second) == [f"测试费{n:02d}" for n in range(51, 61)]
    assert 'rel="next" href="/fees?page=2&amp;q=%E6%B5%8B%E8%AF%95%E8%B4%B9"' in first
    assert names(search(client, q="测试费", page="99")) == names(second)
    assert client.get("/fees", query_string={"q": "测试费", "page": "x"}).status_code == 400  # not a page number


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("%", ["超重附加费(10%以上)"]),
        ("10%", ["超重附加费(10%以上)"]),
        ("_", []),
        ("'", []),
        ('"; DROP TABLE fee_line; --', []),
        ("\\", []),
        ("换单' OR '1'='1", []),
    ],
)
def test_sql_metacharacters_are_searched_as_plain_text(client, market, query, expected) -> None:
    assert names(search(client, q=query)) == expected
    assert names(search(client, q="换单")) == ["换单费"]


def test_a_line_name_with_markup_is_shown_as_text(client, make_operator, publish) -> None:
    publish(make_operator("脚本测试有限公司"), fee("<script>alert(1)</script>"))
    page = search(client, q="script")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert(1)" not in page


def test_the_search_page_announces_its_atom_feed(client, market) -> None:
    page = search(client, q="换单")
    assert re.search(r'<link rel="alternate" type="application/atom\+xml"[^>]*href="/feed.atom\?fee=', page)


def test_the_results_become_cards_on_a_phone(client, market) -> None:
    page = search(client, q="换单")
    assert 'class="table table--stack results"' in page
    assert 'data-label="' in page.split('table--stack results"')[1]


def test_the_navigation_links_the_fee_search(client) -> None:
    nav = client.get("/").get_data(as_text=True).split('class="site-nav"')[1].split("</nav>")[0]
    assert 'href="/fees"' in nav


@pytest.mark.parametrize("as_of", ["2025-12-31", "2026-06-01"])
def test_the_home_page_shows_the_editions_in_force_on_the_date(client, market, as_of) -> None:
    page = client.get("/", query_string={"as_of": as_of}).get_data(as_text=True)
    code = market["terminal"].credit_code
    assert (f"{code}-001" in page) is (as_of >= "2026-01-01")
    assert f'href="/operators/{code}?as_of={as_of}"' in page


def test_the_home_page_refuses_a_date_that_does_not_exist(client, market) -> None:
    response = client.get("/?as_of=2026-02-30")
    assert response.status_code == 400
    assert "2026-02-30 不是日期" in response.get_data(as_text=True)
    assert f"{market['terminal'].credit_code}-001" not in response.get_data(as_text=True)  # no other day's lists
    assert f"{market['terminal'].credit_code}-001" in client.get("/").get_data(as_text=True)


@pytest.mark.parametrize("args", [{"port": "NANSHA"}, {"kind": "forwarder"}, {"operator": "terminal"}])
def test_browsing_a_filter_lists_the_same_lines_whether_read_by_edition_or_by_name(app, market, monkeypatch, args):
    """Without words, a filter leaving a few editions reads their lines by edition and sorts them; one leaving many
    walks the name index: the same lines come out in the same order either way."""
    from portal import clock
    from portal.public import search as searching

    if args.get("operator") == "terminal":
        args = {"operator": market["terminal"].credit_code}
    filters = searching.Filters(**args)
    no_list = Reference(gov_items=(), bundles=(), aliases={})  # given: the pages are computed, not taken from the cache
    by_edition = searching.search(clock.today(), filters, reference=no_list)
    monkeypatch.setattr(searching, "FEW_EDITIONS", 0)
    by_name = searching.search(clock.today(), filters, reference=no_list)
    assert by_edition.hits
    assert [(h.name, h.credit_code) for h in by_edition.hits] == [(h.name, h.credit_code) for h in by_name.hits]
    assert by_edition.total == by_name.total


def test_an_operator_published_in_a_port_area_is_found_by_its_filter_the_same_day(
    client, market, make_operator, publish
):
    """The editions a port area's filter leaves are shared through the cache under the public revision: a
    publication moves it, so the new operator's lines are found by a search that never ran before."""
    assert names(search(client, port="NANSHA", q="订舱")) == ["订舱费"]
    newcomer = make_operator("南沙丁仓储有限公司", kind=OperatorKind.WAREHOUSE, port_area_names=["南沙港区"])
    publish(newcomer, fee("仓储费", "80"))
    assert names(search(client, port="NANSHA", q="仓储")) == ["仓储费"]
    assert names(search(client, port="HUANGPU", q="仓储")) == []


def test_a_line_shows_its_operator_as_named_when_the_edition_was_published(app, market) -> None:
    """Publication freezes who publishes: a later change of the operator's name never rewrites an edition, on the
    search page as in the API (a new edition carries the new name)."""
    from portal import clock
    from portal.extensions import db
    from portal.public import search as searching

    market["terminal"].name_zh, market["terminal"].name_en = "南沙甲码头(新名)有限公司", "Nansha A Terminal (new)"
    db.session.commit()
    no_list = Reference(gov_items=(), bundles=(), aliases={})  # given: the page is computed, not taken from the cache
    hits = searching.search(clock.today(), searching.Filters(q="换单费"), reference=no_list).hits
    assert [(h.operator_name_zh, h.operator_name_en) for h in hits] == [("南沙甲码头有限公司", None)]


@pytest.mark.parametrize(
    ("args", "day"),
    [({"port": "NANSHA"}, None), ({"kind": "forwarder", "q": "单证"}, None), ({"port": "HUANGPU"}, "2026-06-01")],
)
def test_a_filters_editions_are_the_same_tested_one_by_one_or_taken_from_the_edition_set(
    app, market, make_operator, publish, monkeypatch, args, day
) -> None:
    """A filter leaving a few operators tests their editions for being in force; one leaving many takes them from the
    edition set in force that day (EditionSet.by_operator): the same lines either way, a scheduled edition not yet
    among them."""
    from datetime import date

    from portal import clock
    from portal.public import search as searching

    publish(market["terminal"], fee("换单费", "350"), effective="2099-01-01")  # scheduled: not in force yet
    on = date.fromisoformat(day) if day else clock.today()
    no_list = Reference(gov_items=(), bundles=(), aliases={})  # given: the pages are computed, not taken from the cache
    filters = searching.Filters(**args)
    one_by_one = searching.search(on, filters, reference=no_list)
    monkeypatch.setattr(searching, "FEW_OPERATORS", 0)
    from_the_set = searching.search(on, searching.Filters(**args), reference=no_list)
    assert one_by_one.hits
    assert [(h.name, h.standard, h.edition_code) for h in one_by_one.hits] == [
        (h.name, h.standard, h.edition_code) for h in from_the_set.hits
    ]

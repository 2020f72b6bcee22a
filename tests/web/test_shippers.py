"""Shippers' pages on the demo data and on small markets: a service compared, a shipment estimated side by side."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from portal import demo as demo_data
from portal.govlist.services import load_feelists
from portal.operators.models import Operator, OperatorKind
from portal.validation.model import FeeLine

DAY = "2026-11-23"
TERMINAL = "广州南沙示范集装箱码头有限公司"
NANSHA = (
    "广州南沙示范集装箱码头有限公司",
    "广州示范熏蒸消毒服务有限公司",
    "广州示范理货有限公司",
    "广州示范集装箱运输有限公司",
)
IMPORT_40 = {
    "port": "南沙港区",
    "trade": "外贸进口",
    "size": "40",
    "count": "2",
    "laden": "重箱",
    "cargo": "普通货物",
    "days": "20",
    "service": "inspection",
    "as_of": DAY,
}
NUM = re.compile(r'<td[^>]*class="num">\s*([^<]*?)\s*</td>')


def main(html: str) -> str:
    return html.split('<main id="main"', 1)[1].split("</main>", 1)[0]


def table(html: str, table_id: str) -> str:
    assert f'id="{table_id}"' in html, f"no table #{table_id}"
    return html.split(f'id="{table_id}"', 1)[1].split("</table>", 1)[0]


@pytest.fixture
def demo(app):
    """The government list and the demo operators: seven of them have a fee list in force."""
    load_feelists(app.config["FEELISTS_DIR"])
    demo_data.seed(app.config["DEMO_DIR"])


def doc(name: str, standard: str) -> FeeLine:
    return FeeLine(name=name, standard=standard, unit="元/票", service_content="制作提单", pricing_class="市场调节价")


@pytest.fixture
def document_fees(app, make_operator, publish):
    """Four shipping lines charging the document fee under its three names (an even count for the median)."""
    load_feelists(app.config["FEELISTS_DIR"])
    for n, (name, standard) in enumerate((("文件费", "450"), ("DOC", "500"), ("单证费", "400"), ("单证费", "200"))):
        line = make_operator(f"测试船公司{n}", kind=OperatorKind.SHIPPING_LINE)
        publish(line, doc(name, standard))


def test_one_terminals_package_charges_under_different_conditions_are_listed_not_averaged(client, demo) -> None:
    page = client.get(f"/compare?service=包干费&port=南沙港区&as_of={DAY}").get_data(as_text=True)
    apart = table(page, "apart")
    assert NUM.findall(apart) == ["300.00", "330.00", "420.00", "500.00", "560.00", "860.00"]
    assert apart.count(TERMINAL) == 6
    assert 'id="statistics"' not in page
    assert 'id="no-groups"' in page
    assert '<ol class="bars"' not in main(page)
    assert "style=" not in main(page)  # the content security policy allows no inline style


def test_lines_under_different_conditions_get_a_group_a_median_and_a_chart_each(client, make_operator, publish):
    load_feelists(client.application.config["FEELISTS_DIR"])
    amounts = {"重箱": ("800", "900", "1000"), "空箱": ("300", "400")}
    for n in range(3):
        lines = [
            FeeLine(
                name="港口作业包干费",
                standard=amounts[laden][n],
                unit="元/箱",
                conditions=f"外贸 40英尺 {laden}",
                service_content="装卸",
                pricing_class="市场调节价",
            )
            for laden in amounts
            if n < len(amounts[laden])
        ]
        publish(make_operator(f"测试码头{n}有限公司"), *lines)
    publish(
        make_operator("测试内贸码头有限公司"),
        FeeLine(
            name="港口作业包干费",
            standard="500",
            unit="元/箱",
            conditions="内贸 40英尺 重箱",
            service_content="装卸",
            pricing_class="市场调节价",
        ),
    )
    page = client.get("/compare?service=港口作业包干费").get_data(as_text=True)
    stats = table(page, "statistics")
    assert NUM.findall(stats) == ["3", "800.00", "900.00", "1,000.00", "2", "300.00", "350.00", "400.00"]
    assert NUM.findall(table(page, "group-1-offers")) == ["800.00", "900.00", "1,000.00"]
    assert NUM.findall(table(page, "group-2-offers")) == ["300.00", "400.00"]
    assert NUM.findall(table(page, "apart")) == ["500.00"]
    charts = main(page).split('<ol class="bars"')[1:]
    assert len(charts) == 2
    first = charts[0].split("</ol>")[0]
    assert first.count('fill="#0b3a75"') == 3
    for bar in re.findall(r"<svg[^>]*>", first):
        assert 'viewBox="0 0 1000 20"' in bar  # each bar scales with its box
    assert 'width="1000.0000" height="20" fill="#0b3a75"' in first  # the highest amount of the group spans the bar
    assert "<text" not in first  # words are HTML, so their contrast can be checked


def test_filters_keep_only_lines_whose_conditions_fit(client, demo) -> None:
    page = client.get(f"/compare?service=港口作业包干费&port=南沙港区&size=40&laden=重箱&as_of={DAY}")
    assert NUM.findall(table(page.get_data(as_text=True), "apart")) == ["500.00", "860.00"]


@pytest.mark.parametrize("name", ["文件费", "DOC", "单证费", " doc "])
def test_a_service_is_compared_under_every_one_of_its_names(client, document_fees, name) -> None:
    page = client.get("/compare", query_string={"service": name, "as_of": DAY}).get_data(as_text=True)
    assert NUM.findall(table(page, "group-1-offers")) == ["200.00", "400.00", "450.00", "500.00"]
    assert NUM.findall(table(page, "statistics")) == ["4", "200.00", "425.00", "500.00"]


def test_an_edition_is_compared_only_from_its_effective_date(client, app, make_operator, publish) -> None:
    load_feelists(app.config["FEELISTS_DIR"])
    publish(
        make_operator("测试远期船公司", kind=OperatorKind.SHIPPING_LINE), doc("文件费", "450"), effective="2099-01-01"
    )
    today = client.get(f"/compare?service=文件费&as_of={DAY}").get_data(as_text=True)
    assert "测试远期船公司" not in main(today)
    later = client.get("/compare?service=文件费&as_of=2099-06-01").get_data(as_text=True)
    assert "测试远期船公司" in table(later, "apart")


def test_the_compare_page_offers_the_services_in_force_and_the_nav_links_both_tools(client, demo) -> None:
    page = client.get(f"/compare?port=黄埔港区&as_of={DAY}").get_data(as_text=True)
    names = re.findall(r'<option value="([^"]+)">', page.split('id="service-names"', 1)[1].split("</datalist>")[0])
    assert "换单费" in names
    assert "港口作业包干费" not in names  # no terminal of 黄埔港区 has a list in force
    assert "table--stack offers" not in page
    home = client.get("/").get_data(as_text=True)
    assert 'href="/compare"' in home
    assert 'href="/estimate"' in home


def test_a_malformed_date_is_refused_without_echoing_markup(client, demo) -> None:
    response = client.get("/compare?service=包干费&as_of=<script>alert(1)</script>")
    assert response.status_code == 200
    assert "<script>alert(1)" not in main(response.get_data(as_text=True))


def test_a_shipment_is_priced_at_each_operator_of_the_area_side_by_side(client, demo) -> None:
    page = client.get("/estimate", query_string=IMPORT_40).get_data(as_text=True)
    estimate = table(page, "estimate")
    header = estimate.split("</thead>", 1)[0]
    assert [header.index(name) for name in NANSHA] == sorted(header.index(name) for name in NANSHA)
    for trace in (
        "860.00 元/箱 × 2 箱 = 1,720.00",
        "(4 天 × 0.00 + 6 天 × 40.00 + 10 天 × 80.00) × 2 箱 = 2,080.00",
        "34.00 元/箱 × 2 箱 = 68.00",
        "380.00 元/箱 × 2 箱 = 760.00",
        "150.00 元/箱 × 2 箱 = 300.00",
        "100.00 元/箱·天 × 2 箱 × 20 天 = 4,000.00",
        "28.00 元/箱 × 2 箱 = 56.00",
    ):
        assert trace in estimate
    assert "按政府定价目录中货物港务费的标准计算" in estimate  # harbour dues at the official rate, named in words
    assert "HWF-FT-GEN-40-IM-GZ" not in estimate  # never by the list's internal row code
    totals = estimate.split("<tfoot>", 1)[1].split("</tr>", 1)[0]
    assert re.findall(r"<strong>([^<]*)</strong>", totals) == ["8,928.00 CNY", "—", "56.00 CNY", "—"]


def test_the_estimate_form_starts_with_the_operators_of_the_first_port_area(client, demo) -> None:
    page = main(client.get("/estimate").get_data(as_text=True))
    checked = re.findall(r'name="operator" value="\d+"\s+id="operator-\d+" checked>\s*<label[^>]*>([^<]+)<', page)
    assert checked == list(NANSHA)
    assert 'id="estimate"' not in page


def test_only_the_operators_ticked_are_estimated(client, db, demo) -> None:
    terminal = db.session.scalar(select(Operator.id).where(Operator.name_zh == TERMINAL))
    page = client.get("/estimate", query_string={**IMPORT_40, "operator": terminal, "service": []})
    header = table(page.get_data(as_text=True), "estimate").split("</thead>", 1)[0]
    assert TERMINAL in header
    assert "广州示范理货有限公司" not in header
    assert "查验" not in table(page.get_data(as_text=True), "estimate")  # inspection was not ticked


@pytest.mark.parametrize(("field", "value"), [("count", "0"), ("count", "two"), ("size", "99"), ("days", "-1")])
def test_an_impossible_shipment_is_refused_field_by_field(client, demo, field, value) -> None:
    response = client.get("/estimate", query_string={**IMPORT_40, field: value})
    page = main(response.get_data(as_text=True))
    assert response.status_code == 400  # refused, with the field named in the page
    assert f'href="#{field}"' in page.split('class="error-summary"', 1)[1]
    assert 'id="estimate"' not in page


def test_a_link_naming_a_port_area_lists_its_operators_without_estimating(client, demo) -> None:
    page = main(client.get("/estimate?port=黄埔港区").get_data(as_text=True))
    assert "广州黄埔示范仓储物流有限公司" in page
    assert TERMINAL not in page  # a 南沙港区 terminal
    assert "error-summary" not in page
    assert 'id="estimate"' not in page

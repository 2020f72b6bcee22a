"""The bureau's dashboard figures, each worked out by hand from a few published lists."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from portal.catalogue import services as catalogue
from portal.dashboard import services as dashboard
from portal.validation.model import FeeLine, Header

TODAY = date(2027, 3, 1)


def fee(name: str, standard: str, *, unit: str = "元/票", **fields: str) -> FeeLine:
    return FeeLine(
        name=name, service_content="服务", standard=standard, unit=unit, pricing_class="市场调节价", **fields
    )


def test_fee_levels_are_the_low_median_and_high_of_fixed_yuan_amounts_of_services_two_operators_list(
    make_operator, publish
) -> None:
    a, b, c = make_operator("甲码头"), make_operator("乙码头"), make_operator("丙码头")
    publish(a, fee("文件费", "400"), fee("电放费", "300"), fee("洗箱费", "50", unit="元/箱"))
    publish(b, fee("文件费", "500"), fee("电放费", "60", currency="USD"), fee("洗箱费", "40-60", unit="元/箱"))
    publish(c, fee("文件费", "450"), fee("电放费", "350"), fee("洗箱费", "70", unit="元/箱"))
    levels = dashboard.fee_levels(TODAY)
    # the dollar 电放费 and the ranged 洗箱费 are left out of the figures
    assert [(x.name, x.unit, x.operators, x.low, x.median, x.high) for x in levels] == [
        ("文件费", "元/票", 3, Decimal("400"), Decimal("450"), Decimal("500")),
        ("洗箱费", "元/箱", 2, Decimal("50"), Decimal("60"), Decimal("70")),
        ("电放费", "元/票", 2, Decimal("300"), Decimal("325"), Decimal("350")),
    ]
    assert [x.name for x in dashboard.fee_levels(TODAY, limit=1)] == ["文件费"]
    assert [x.name for x in dashboard.fee_levels(TODAY, min_operators=3)] == ["文件费"]


def test_a_list_in_force_for_more_than_a_year_with_nothing_newer_is_stale(make_operator, publish) -> None:
    old, fresh, renewing = make_operator("旧码头"), make_operator("新码头"), make_operator("续码头")
    publish(old, fee("文件费", "400"), effective="2026-02-28")
    publish(fresh, fee("文件费", "400"), effective="2026-03-01")
    publish(renewing, fee("文件费", "400"), effective="2026-01-01")
    catalogue.start_change(renewing, None, as_of=TODAY)  # a newer version is on its way
    stale = dashboard.stale_lists(TODAY)
    assert [(s.operator.name_zh, s.effective_from) for s in stale] == [("旧码头", date(2026, 2, 28))]
    assert stale[0].edition_code.endswith("-001")


def test_operators_without_a_list_in_force_include_those_whose_list_is_only_scheduled(make_operator, publish) -> None:
    publish(make_operator("有清单码头"), fee("文件费", "400"), effective="2027-01-01")
    publish(make_operator("待生效码头"), fee("文件费", "400"), effective="2027-06-01")
    make_operator("无清单码头")
    assert [o.name_zh for o in dashboard.without_list(TODAY)] == ["待生效码头", "无清单码头"]


def test_faulty_lists_are_the_newest_versions_with_errors_most_errors_first(make_operator, publish) -> None:
    clean, one, two = make_operator("甲码头"), make_operator("乙码头"), make_operator("丙码头")
    publish(clean, fee("文件费", "400"))
    header = Header(operator_name="乙码头", credit_code=one.credit_code, port_area="南沙港区",
                    complaint_phone="020-12345678", effective_date="2027-01-01")  # fmt: skip
    catalogue.replace_contents(one, header, [fee("文件费", "-1")], None, as_of=TODAY)
    header2 = Header(operator_name="丙码头", credit_code=two.credit_code, port_area="南沙港区",
                     complaint_phone="020-12345678", effective_date="2027-01-01")  # fmt: skip
    catalogue.replace_contents(two, header2, [fee("文件费", "-1"), fee("电放费", "-2")], None, as_of=TODAY)
    faulty = dashboard.faulty_lists()
    assert [(f.operator.name_zh, f.number, f.errors, f.warnings) for f in faulty] == [
        ("丙码头", 1, 2, 0),
        ("乙码头", 1, 1, 0),
    ]

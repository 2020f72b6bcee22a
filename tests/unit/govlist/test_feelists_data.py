"""The shipped feelists load, and their rows keep the promises of feelists/README.md and DOMAIN.md."""

from __future__ import annotations

import csv
from collections import Counter
from datetime import date
from decimal import Decimal
from itertools import combinations
from pathlib import Path

import pytest

from portal import clock
from portal.govlist.loader import GOVLIST_FILE, HISTORICAL, SEPARATOR, Trust, load_reference, read_aliases
from portal.validation.model import GovItem, GovStatus, PricingClass, RateKind, Reference
from portal.validation.names import normalise

FEELISTS = Path(__file__).resolve().parents[3] / "feelists"
TODAY = clock.today()


@pytest.fixture(scope="module")
def reference() -> Reference:
    return load_reference(FEELISTS)


def rows_on(reference: Reference, name_zh: str, on: date, **conditions: str | None) -> list[GovItem]:
    """The rows of one item in effect on a day, narrowed by condition values (trade="外贸", ...)."""
    return [
        item
        for item in reference.gov_items
        if item.name_zh == name_zh
        and item.in_effect(on)
        and all(getattr(item.conditions, key) == value for key, value in conditions.items())
    ]


def trust_parts(item: GovItem) -> list[str]:
    return item.trust.split(SEPARATOR)


def test_the_shipped_feelists_load_the_sourced_items_the_bundle_and_the_aliases(reference: Reference) -> None:
    assert {item.name_zh for item in reference.gov_items} == {
        "货物港务费",
        "港口设施保安费",
        "引航(移泊)费",
        "拖轮费",
        "停泊费",
        "围油栏使用费",
        "驳船取送费",
        "特殊平舱费",
        "港口建设费",
        "船舶油污损害赔偿基金",
    }
    assert [bundle.code for bundle in reference.bundles] == ["BAOGAN"]
    assert reference.aliases[normalise("DOC")] == "单证费"


def test_government_list_codes_are_unique_in_the_file() -> None:
    with (FEELISTS / GOVLIST_FILE).open(encoding="utf-8") as file:
        codes = Counter(row["code"] for row in csv.DictReader(file))
    assert [code for code, count in codes.items() if count > 1] == []


def test_every_row_of_every_file_names_its_basis_and_its_source(reference: Reference) -> None:
    rows = [*reference.gov_items, *reference.bundles, *(c for b in reference.bundles for c in b.components)]
    assert all(row.basis.strip() and row.source.strip() for row in rows)
    assert all(entry.source.strip() for entry in read_aliases(FEELISTS / "aliases.csv"))


def test_validity_windows_of_one_item_under_the_same_conditions_never_overlap(reference: Reference) -> None:
    def overlap(a: GovItem, b: GovItem) -> bool:
        return (a.effective_from or date.min) <= (b.effective_until or date.max) and (b.effective_from or date.min) <= (
            a.effective_until or date.max
        )

    clashes = [
        (a.code, b.code)
        for a, b in combinations(reference.gov_items, 2)
        if (a.name_zh, a.conditions) == (b.name_zh, b.conditions) and overlap(a, b)
    ]
    assert clashes == []


def test_every_folded_row_names_a_bundle_in_effect_when_it_folds(reference: Reference) -> None:
    bundles = {bundle.code: bundle for bundle in reference.bundles}
    folded = [item for item in reference.gov_items if item.status is GovStatus.FOLDED]
    assert folded, "the shipped list has folded rows"
    for item in folded:
        assert item.folded_into in bundles, item.code
        assert bundles[item.folded_into].in_effect(item.effective_from), item.code


@pytest.mark.parametrize(
    ("on", "status"),
    [
        (date(2020, 12, 31), GovStatus.IN_FORCE),
        (date(2021, 1, 1), GovStatus.ABOLISHED),
        (date(2030, 1, 1), GovStatus.ABOLISHED),
    ],
)
def test_the_port_construction_fee_is_abolished_from_2021_01_01(
    reference: Reference, on: date, status: GovStatus
) -> None:
    (row,) = rows_on(reference, "港口建设费", on)
    assert row.status is status
    assert row.pricing_class is PricingClass.GOV_FUND
    assert row.rate is None


@pytest.mark.parametrize(("size", "former"), [("20", Decimal("6.40")), ("40", Decimal("9.60"))])
def test_port_facility_security_is_folded_into_the_package_charge_from_2022_04_01(
    reference: Reference, size: str, former: Decimal
) -> None:
    (before,) = rows_on(reference, "港口设施保安费", date(2022, 3, 31), container_size=size)
    (after,) = rows_on(reference, "港口设施保安费", date(2022, 4, 1), container_size=size)
    assert (before.status, before.pricing_class, before.rate_kind, before.rate) == (
        GovStatus.IN_FORCE,
        PricingClass.GOV_PRICED,
        RateKind.FIXED,
        former,
    )
    assert (after.status, after.folded_into, after.rate_kind, after.rate) == (
        GovStatus.FOLDED,
        "BAOGAN",
        RateKind.CAP,
        former,
    )
    assert after.pricing_class is PricingClass.MARKET


@pytest.mark.parametrize("name_zh", ["驳船取送费", "特殊平舱费"])
def test_barge_shuttle_and_special_trimming_are_folded_into_the_package_charge_from_2018_06_20(
    reference: Reference, name_zh: str
) -> None:
    (before,) = rows_on(reference, name_zh, date(2018, 6, 19))
    (after,) = rows_on(reference, name_zh, date(2018, 6, 20))
    assert (before.status, before.pricing_class) == (GovStatus.IN_FORCE, PricingClass.GOV_GUIDED)
    assert (after.status, after.folded_into, after.rate) == (GovStatus.FOLDED, "BAOGAN", None)


def test_derived_and_historical_rows_are_never_verified(reference: Reference) -> None:
    doubtful = [
        item
        for item in reference.gov_items
        if trust_parts(item)[0] in {Trust.DERIVED, Trust.ASSUMED} or HISTORICAL in trust_parts(item)
    ]
    assert len(doubtful) > len(reference.gov_items) / 2, "most rows are derived or historical, honestly so"
    assert [item.code for item in doubtful if item.verified] == []


def test_only_official_rows_still_in_force_are_verified(reference: Reference) -> None:
    for item in reference.gov_items:
        if item.verified:
            assert trust_parts(item) == [Trust.READ_OFFICIAL], item.code
            assert item.effective_until is None, item.code


def test_a_row_is_marked_historical_exactly_when_its_validity_has_ended(reference: Reference) -> None:
    """Fails on the day a row's window closes without `|HISTORICAL` added (feelists/README.md, adding an edition)."""
    for item in reference.gov_items:
        ended = item.effective_until is not None and item.effective_until < TODAY
        assert (HISTORICAL in trust_parts(item)) == ended, item.code


def test_harbour_dues_in_force_now_cover_every_trade_size_and_cargo_class_once(reference: Reference) -> None:
    rows = rows_on(reference, "货物港务费", TODAY)
    keys = Counter((r.conditions.trade, r.conditions.container_size, r.conditions.cargo) for r in rows)
    trades, sizes, cargoes = ("外贸进口", "外贸出口", "内贸"), ("20", "40"), ("普通货物", "危险货物", "冷藏")
    assert keys == Counter((t, s, c) for t in trades for s in sizes for c in cargoes)
    assert all(r.pass_through and r.rate_kind is RateKind.FIXED and r.unit == "元/箱" for r in rows)
    assert all(r.trust == Trust.DERIVED and not r.verified for r in rows)


@pytest.mark.parametrize(
    ("trade", "size", "general", "special"),
    [
        ("外贸进口", "20", Decimal("17.00"), Decimal("34.00")),
        ("外贸出口", "40", Decimal("17.00"), Decimal("34.00")),
        ("内贸", "40", Decimal("7.00"), Decimal("14.00")),
    ],
)
def test_class_one_dangerous_goods_and_laden_reefers_pay_double_harbour_dues(
    reference: Reference, trade: str, size: str, general: Decimal, special: Decimal
) -> None:
    def rate(**conditions: str | None) -> Decimal | None:
        (row,) = rows_on(reference, "货物港务费", TODAY, trade=trade, container_size=size, **conditions)
        return row.rate

    assert rate(cargo="普通货物") == general
    assert rate(cargo="危险货物") == special
    assert rate(cargo="冷藏", laden="重箱") == special


@pytest.mark.parametrize(
    ("on", "rate"),
    [
        (date(2012, 7, 1), Decimal("0.3")),
        (date(2020, 2, 29), Decimal("0.3")),
        (date(2020, 3, 1), Decimal("0.15")),
        (date(2020, 6, 30), Decimal("0.15")),
        (date(2020, 7, 1), Decimal("0.3")),
    ],
)
def test_the_oil_pollution_fund_is_0_3_a_tonne_and_was_halved_from_march_to_june_2020(
    reference: Reference, on: date, rate: Decimal
) -> None:
    (row,) = rows_on(reference, "船舶油污损害赔偿基金", on)
    assert (row.rate, row.unit, row.pass_through) == (rate, "元/吨", True)


def test_the_oil_pollution_fund_starts_on_2012_07_01(reference: Reference) -> None:
    assert rows_on(reference, "船舶油污损害赔偿基金", date(2012, 6, 30)) == []


def test_pilotage_for_the_largest_ships_is_capped_at_the_derived_49000(reference: Reference) -> None:
    (row,) = rows_on(reference, "引航(移泊)费", TODAY)
    assert (row.pricing_class, row.rate, row.rate_kind, row.unit) == (
        PricingClass.GOV_GUIDED,
        Decimal("49000"),
        RateKind.CAP,
        "元/次",
    )
    assert row.trust == Trust.DERIVED
    assert not row.verified
    assert "120,000 NRT" in row.note


@pytest.mark.parametrize(
    ("on", "included", "not_yet"),
    [
        (date(2018, 6, 19), {"装卸船作业"}, {"驳船取送", "特殊平舱", "港口设施保安"}),
        (date(2018, 6, 20), {"驳船取送", "特殊平舱"}, {"港口设施保安"}),
        (date(2022, 4, 1), {"驳船取送", "特殊平舱", "港口设施保安"}, set()),
    ],
)
def test_the_package_charge_must_include_each_legal_component_from_its_date(
    reference: Reference, on: date, included: set[str], not_yet: set[str]
) -> None:
    (baogan,) = reference.bundles
    names = {component.name_zh for component in baogan.components_on(on)}
    assert included <= names
    assert not (not_yet & names)


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("文件费", "单证费"),
        ("ＤＯＣ", "单证费"),
        ("封志费", "铅封费"),
        ("seal", "铅封费"),
        ("TLX", "电放费"),
        ("设备管理费", "设备交接单费"),
        ("EIR", "设备交接单费"),
        ("D/O", "换单费"),
        ("DHC", "码头操作费"),
        ("安保费", "港口设施保安费"),
        ("堆存保管费", "库场使用费"),
        ("供电服务费", "船舶供应服务费"),
        ("污油水接收处理服务费", "船舶污染物接收处理服务费"),
    ],
)
def test_an_alias_resolves_to_the_name_the_catalogue_should_use(
    reference: Reference, written: str, canonical: str
) -> None:
    assert reference.aliases[normalise(written)] == canonical


def test_thc_is_a_shipping_line_charge_and_not_a_name_of_the_package_charge(reference: Reference) -> None:
    (baogan,) = reference.bundles
    assert "THC" not in baogan.aliases
    assert reference.aliases[normalise("THC")] == "码头操作费"

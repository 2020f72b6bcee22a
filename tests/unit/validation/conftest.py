"""A small government list, bundle and alias dictionary, and builders for fee lines and catalogues."""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from portal.validation.credit_code import check_character
from portal.validation.model import (
    Bundle,
    BundleComponent,
    CatalogueInput,
    Conditions,
    FeeLine,
    GovItem,
    GovStatus,
    Header,
    PricingClass,
    RateKind,
    Reference,
)

MEASURES = "交水规〔2019〕2号"
FOLD_2018 = "交水发〔2018〕77号"
FOLD_2022 = "《关于减并港口收费等有关事项的通知》"
ABOLISH_2021 = "财政部公告(2021年, 取消港口建设费)"
BAOGAN = "BAOGAN"


@pytest.fixture(autouse=True)
def _fresh_caches() -> None:
    """Empty the validation core's lru_caches before each test.

    A mutation run (make mutation) forks one worker per mutant from a process that has already imported, and
    maybe called, the core: a cache filled by the unmutated code would answer for the mutant and hide it.
    """
    for name, module in list(sys.modules.items()):
        if name.startswith("portal.validation") and module is not None:
            for value in vars(module).values():
                if callable(getattr(value, "cache_clear", None)):
                    value.cache_clear()


CREDIT_CODE = "91440101MA5ABCDE1" + check_character("91440101MA5ABCDE1")


def _harbour_dues(code: str, trade: str, size: str, rate: str) -> GovItem:
    return GovItem(
        code=code,
        name_zh="货物港务费",
        name_en="Harbour dues on cargo",
        pricing_class=PricingClass.GOV_PRICED,
        unit="元/箱",
        basis=MEASURES,
        conditions=Conditions(trade=trade, container_size=size),
        rate=Decimal(rate),
        rate_kind=RateKind.FIXED,
    )


def _security(code: str, size: str, rate: str) -> GovItem:
    return GovItem(
        code=code,
        name_zh="港口设施保安费",
        name_en="Port facility security fee",
        pricing_class=PricingClass.GOV_PRICED,
        unit="元/箱",
        basis=MEASURES,
        conditions=Conditions(trade="外贸", container_size=size, laden="重箱"),
        rate=Decimal(rate),
        rate_kind=RateKind.FIXED,
        effective_until=date(2022, 3, 31),
        aliases=("安保费",),
    )


def _folded_2018(code: str, name: str, name_en: str) -> tuple[GovItem, GovItem]:
    guided = GovItem(
        code=code,
        name_zh=name,
        name_en=name_en,
        pricing_class=PricingClass.GOV_GUIDED,
        unit="元/吨",
        basis=MEASURES,
        effective_until=date(2018, 6, 19),
    )
    folded = GovItem(
        code=f"{code}-FOLDED",
        name_zh=name,
        name_en=name_en,
        pricing_class=PricingClass.MARKET,
        unit="元/吨",
        basis=FOLD_2018,
        status=GovStatus.FOLDED,
        effective_from=date(2018, 6, 20),
        folded_into=BAOGAN,
    )
    return guided, folded


GOV_ITEMS = (
    _harbour_dues("HWF-FT-20-IM", "外贸进口", "20", "34.00"),
    _harbour_dues("HWF-FT-20-EX", "外贸出口", "20", "17.00"),
    _harbour_dues("HWF-FT-40-IM", "外贸进口", "40", "68.00"),
    _harbour_dues("HWF-FT-40-EX", "外贸出口", "40", "34.00"),
    _harbour_dues("HWF-DT-20", "内贸", "20", "7.00"),
    GovItem(
        code="PIL",
        name_zh="引航(移泊)费",
        name_en="Pilotage (shifting) fee",
        pricing_class=PricingClass.GOV_GUIDED,
        unit="元/次",
        basis=f"{MEASURES} 表5",
        rate=Decimal("49000"),
        rate_kind=RateKind.CAP,
    ),
    GovItem(
        code="BOOM",
        name_zh="围油栏使用费",
        name_en="Oil boom fee",
        pricing_class=PricingClass.GOV_GUIDED,
        unit="元/次",
        basis=MEASURES,
    ),
    GovItem(
        code="PCF",
        name_zh="港口建设费",
        name_en="Port construction fee",
        pricing_class=PricingClass.GOV_FUND,
        unit="元/吨",
        basis="财政部 港口建设费征收使用管理办法",
        effective_until=date(2020, 12, 31),
    ),
    GovItem(
        code="PCF-ABOLISHED",
        name_zh="港口建设费",
        name_en="Port construction fee",
        pricing_class=PricingClass.GOV_FUND,
        unit="元/吨",
        basis=ABOLISH_2021,
        status=GovStatus.ABOLISHED,
        effective_from=date(2021, 1, 1),
    ),
    _security("PFS-20", "20", "16.00"),
    _security("PFS-40", "40", "24.00"),
    GovItem(
        code="PFS-FOLDED",
        name_zh="港口设施保安费",
        name_en="Port facility security fee",
        pricing_class=PricingClass.MARKET,
        unit="元/箱",
        basis=FOLD_2022,
        status=GovStatus.FOLDED,
        rate=Decimal("16.00"),
        rate_kind=RateKind.CAP,
        effective_from=date(2022, 4, 1),
        folded_into=BAOGAN,
        aliases=("安保费",),
    ),
    *_folded_2018("BARGE", "驳船取送费", "Barge shuttle fee"),
    *_folded_2018("TRIM", "特殊平舱费", "Special trimming fee"),
    GovItem(
        code="OIL-FUND",
        name_zh="船舶油污损害赔偿基金",
        name_en="Ship-source oil pollution compensation fund",
        pricing_class=PricingClass.GOV_FUND,
        unit="元/吨",
        basis="《船舶油污损害赔偿基金征收使用管理办法》",
        rate=Decimal("0.3"),
        rate_kind=RateKind.FIXED,
        pass_through=True,
    ),
)
# The rules' cases judge against rates the bureau has verified (a finding resting only on an unverified rate is a
# warning instead: tests/unit/validation/test_unverified_rates.py).
GOV_ITEMS = tuple(replace(item, verified=True) for item in GOV_ITEMS)

BUNDLES = (
    Bundle(
        code=BAOGAN,
        name_zh="港口作业包干费",
        name_en="Port operation package charge",
        basis=MEASURES,
        aliases=("包干费", "THC", "码头操作费"),
        components=(
            BundleComponent("装卸船作业", "Loading and discharging", MEASURES),
            BundleComponent("场内搬移", "Moving within the terminal", MEASURES),
            BundleComponent("驳船取送", "Barge shuttle", FOLD_2018, effective_from=date(2018, 6, 20)),
            BundleComponent("特殊平舱", "Special trimming", FOLD_2018, effective_from=date(2018, 6, 20)),
            BundleComponent("港口设施保安", "Port facility security", FOLD_2022, effective_from=date(2022, 4, 1)),
        ),
    ),
)

ALIASES = {
    "文件费": "单证费",
    "DOC": "单证费",
    "封志费": "铅封费",
    "SEAL": "铅封费",
    "TLX": "电放费",
    "设备单费": "设备交接单费",
    "EIR": "设备交接单费",
}

CLEAN_LINE = {
    "name": "理货费",
    "service_content": "集装箱理货",
    "standard": "14",
    "unit": "元/箱",
    "pricing_class": "市场调节价",
}

# Fields of typical lines, over the clean market line of `make_line`.
CLASS_A = {"service_content": "政府规定的服务", "basis": "交水规〔2019〕2号"}
HWF = {
    **CLASS_A,
    "name": "货物港务费",
    "standard": "34.00",
    "pricing_class": "政府定价",
    "conditions": "外贸进口 20英尺",
}
PIL = {**CLASS_A, "name": "引航(移泊)费", "standard": "40000", "unit": "元/次", "pricing_class": "政府指导价"}
BOOM = {**CLASS_A, "name": "围油栏使用费", "standard": "8000", "unit": "元/次", "pricing_class": "政府指导价"}
PCF = {**CLASS_A, "name": "港口建设费", "standard": "4", "unit": "元/吨", "pricing_class": "政府性基金"}
PFS = {
    **CLASS_A,
    "name": "港口设施保安费",
    "standard": "16",
    "pricing_class": "政府定价",
    "conditions": "外贸 20英尺 重箱",
}
BARGE = {**CLASS_A, "name": "驳船取送费", "standard": "3", "unit": "元/吨", "pricing_class": "政府指导价"}
TRIM = {**CLASS_A, "name": "特殊平舱费", "standard": "3", "unit": "元/吨", "pricing_class": "政府指导价"}
OIL_FUND = {
    **CLASS_A,
    "name": "船舶油污损害赔偿基金",
    "standard": "0.3",
    "unit": "元/吨",
    "pricing_class": "政府性基金",
}
BAOGAN = {"name": "港口作业包干费", "service_content": "装卸船作业、场内搬移、驳船取送", "standard": "850"}
DOC = {"name": "文件费", "service_content": "制作提单等单证", "standard": "450", "unit": "元/票"}


LineFactory = Callable[..., FeeLine]
CatalogueFactory = Callable[..., CatalogueInput]


@pytest.fixture(scope="session")
def reference() -> Reference:
    return Reference(gov_items=GOV_ITEMS, bundles=BUNDLES, aliases=ALIASES)


@pytest.fixture
def make_line() -> LineFactory:
    """A clean market-priced line; keyword arguments override any field."""

    def make(**fields: Any) -> FeeLine:
        return FeeLine(**{**CLEAN_LINE, **fields})

    return make


@pytest.fixture
def make_catalogue() -> CatalogueFactory:
    """A catalogue with a complete, valid header; `header` overrides header fields. Lines get keys L1, L2 ..."""

    def make(*lines: FeeLine, last_confirmed: date | None = None, **header: str) -> CatalogueInput:
        values = {
            "operator_name": "广州南沙示例码头有限公司",
            "credit_code": CREDIT_CODE,
            "port_area": "南沙港区",
            "complaint_phone": "020-12345678",
            "effective_date": "2024-01-01",
        }
        values.update(header)
        keyed = tuple(
            line if line.key is not None else replace(line, key=f"L{i}") for i, line in enumerate(lines, start=1)
        )
        return CatalogueInput(header=Header(**values), lines=keyed, last_confirmed=last_confirmed)

    return make

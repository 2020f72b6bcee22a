"""The rule table's expected findings (test_rules.CASES), whole: rule, severity, line, field, basis, message, parameters.

Written out literally and checked by hand against the notice and the small government list of conftest.py; the
message is the English text as rendered (the Chinese comes from the same msgid and parameters).
"""

# ruff: noqa: E501

from __future__ import annotations

Expected = tuple[str, str, str | None, str | None, str, str, dict[str, str]]

# Whole findings of each case, in report order: rule, severity, line, field, basis, message as said, parameters.
FINDINGS: dict[str, list[Expected]] = {
    "clean": [],
    "no-name": [
        (
            "missing-field",
            "error",
            "L1",
            "name",
            "穗商务规字〔2021〕4号 附件2; 市场监管总局令第56号",
            "A fee line has no fee item name; every fee in the list must be named.",
            {},
        )
    ],
    "no-service-content": [
        (
            "missing-field",
            "error",
            "L1",
            "service_content",
            "穗商务规字〔2021〕4号 附件2; 市场监管总局令第56号",
            "理货费 has no service content; describe what the fee pays for.",
            {},
        )
    ],
    "no-standard": [
        (
            "missing-field",
            "error",
            "L1",
            "standard",
            "穗商务规字〔2021〕4号 附件2; 市场监管总局令第56号",
            "理货费 has no charging standard; write the amount, range, tiers or how it is calculated.",
            {},
        )
    ],
    "blank-standard": [
        (
            "missing-field",
            "error",
            "L1",
            "standard",
            "穗商务规字〔2021〕4号 附件2; 市场监管总局令第56号",
            "理货费 has no charging standard; write the amount, range, tiers or how it is calculated.",
            {},
        )
    ],
    "no-unit": [
        (
            "missing-field",
            "error",
            "L1",
            "unit",
            "穗商务规字〔2021〕4号 附件2; 市场监管总局令第56号",
            "理货费 has no charging unit; write the unit, e.g. 元/箱 or 元/票.",
            {},
        )
    ],
    "no-pricing-class": [
        (
            "missing-field",
            "error",
            "L1",
            "pricing_class",
            "穗商务规字〔2021〕4号 附件2; 市场监管总局令第56号",
            "理货费 has no pricing class; write one of 行政事业性收费, 政府性基金, 政府定价, 政府指导价, 市场调节价.",
            {},
        )
    ],
    "class-a-without-basis": [
        (
            "missing-field",
            "error",
            "L1",
            "basis",
            "穗商务规字〔2021〕4号 附件2; 市场监管总局令第56号",
            "货物港务费 is 政府定价 but cites no legal basis; give the document number and article.",
            {"pricing_class": "政府定价"},
        )
    ],
    "market-without-basis": [],
    "two-decimal-points": [
        (
            "invalid-value",
            "error",
            "L1",
            "standard",
            "穗商务规字〔2021〕4号 附件2",
            "The standard of 理货费, 12.3.4, is not a number that can be read.",
            {"value": "12.3.4"},
        )
    ],
    "negative-amount": [
        (
            "invalid-value",
            "error",
            "L1",
            "standard",
            "穗商务规字〔2021〕4号 附件2",
            "The standard of 理货费, -200, is negative; a fee cannot be below zero.",
            {"value": "-200"},
        )
    ],
    "negative-amount-with-unit": [
        (
            "invalid-value",
            "error",
            "L1",
            "standard",
            "穗商务规字〔2021〕4号 附件2",
            "The standard of 理货费, -5元/箱, is negative; a fee cannot be below zero.",
            {"value": "-5元/箱"},
        )
    ],
    "reversed-range": [
        (
            "invalid-value",
            "error",
            "L1",
            "standard",
            "穗商务规字〔2021〕4号 附件2",
            "The standard of 理货费, 500-400, is a range whose lower end is above its upper end.",
            {"value": "500-400"},
        )
    ],
    "exponent": [
        (
            "invalid-value",
            "error",
            "L1",
            "standard",
            "穗商务规字〔2021〕4号 附件2",
            "The standard of 理货费, 1e309, uses exponent notation; write the amount in full.",
            {"value": "1e309"},
        )
    ],
    "nan": [
        (
            "invalid-value",
            "error",
            "L1",
            "standard",
            "穗商务规字〔2021〕4号 附件2",
            "The standard of 理货费, NaN, is not a number that can be read.",
            {"value": "NaN"},
        )
    ],
    "misplaced-separator": [
        (
            "invalid-value",
            "error",
            "L1",
            "standard",
            "穗商务规字〔2021〕4号 附件2",
            "The standard of 理货费, 1,2000, has misplaced thousands separators; write e.g. 1,200.00.",
            {"value": "1,2000"},
        )
    ],
    "five-places": [
        (
            "invalid-value",
            "error",
            "L1",
            "standard",
            "穗商务规字〔2021〕4号 附件2",
            "The standard of 理货费, 10.12345, has more than 4 decimal places.",
            {"value": "10.12345"},
        )
    ],
    "four-places": [],
    "negative-tier": [
        (
            "invalid-value",
            "error",
            "L1",
            "standard",
            "穗商务规字〔2021〕4号 附件2",
            "The standard of 理货费, 1-7天免费；8-14天-85元/天, is negative; a fee cannot be below zero.",
            {"value": "1-7天免费；8-14天-85元/天"},
        )
    ],
    "unknown-class": [
        (
            "invalid-value",
            "error",
            "L1",
            "pricing_class",
            "穗商务规字〔2021〕4号 附件2",
            "The pricing class of 理货费, 市场价, is not one of 行政事业性收费, 政府性基金, 政府定价, 政府指导价, 市场调节价.",
            {"value": "市场价"},
        )
    ],
    "unknown-currency": [
        (
            "invalid-value",
            "error",
            "L1",
            "currency",
            "穗商务规字〔2021〕4号 附件2",
            "The currency of 理货费, EUR, is not accepted; write CNY (人民币) or USD, or leave it blank for CNY.",
            {"value": "EUR"},
        )
    ],
    "known-currencies": [],
    "bad-pass-through": [
        (
            "invalid-value",
            "error",
            "L1",
            "pass_through",
            "穗商务规字〔2021〕4号 附件2",
            "The pass-through value of 理货费, 可能, must be 是 or 否 (Y or N).",
            {"value": "可能"},
        )
    ],
    "good-pass-through": [],
    "bad-change-mark": [
        (
            "invalid-value",
            "error",
            "L1",
            "change_mark",
            "穗商务规字〔2021〕4号 附件2",
            "The change mark of 理货费, X, must be one of A, D, I, R, C or blank.",
            {"value": "X"},
        )
    ],
    "good-change-mark": [],
    "bad-line-date": [
        (
            "invalid-value",
            "error",
            "L1",
            "effective_date",
            "穗商务规字〔2021〕4号 附件2",
            "The date 2024-13-01 cannot be read; write it as 2026-01-01.",
            {"value": "2024-13-01"},
        )
    ],
    "good-line-date": [],
    "unknown-government-fee": [
        (
            "not-on-government-list",
            "error",
            "L1",
            "name",
            "穗商务规字〔2021〕4号; 《广州市优化营商环境条例》第四十七条",
            "港口服务费 is listed as 政府定价, but no such item is on the government list in force on 2024-06-01.",
            {"date": "2024-06-01", "pricing_class": "政府定价"},
        )
    ],
    "misspelt-government-fee": [
        (
            "not-on-government-list",
            "error",
            "L1",
            "name",
            "穗商务规字〔2021〕4号; 《广州市优化营商环境条例》第四十七条",
            "货物港物费 is listed as 政府定价, but no such item is on the government list in force on 2024-06-01. Did you mean 货物港务费?",
            {"date": "2024-06-01", "pricing_class": "政府定价", "suggestion": "货物港务费"},
        )
    ],
    "name-without-brackets": [],
    "full-width-brackets": [],
    "unknown-market-fee": [],
    "fixed-rate-without-places": [],
    "fixed-rate-with-symbols": [],
    "fixed-rate-differs": [
        (
            "rate-deviation",
            "error",
            "L1",
            "standard",
            "交水规〔2019〕2号",
            "货物港务费 is a government-priced fee; the official rate for 外贸进口 20英尺 is 34.00 元/箱, the list says 35.",
            {"actual": "35", "conditions": "外贸进口 20英尺", "expected": "34.00", "unit": "元/箱"},
        )
    ],
    "fixed-rate-below": [
        (
            "rate-deviation",
            "error",
            "L1",
            "standard",
            "交水规〔2019〕2号",
            "货物港务费 is a government-priced fee; the official rate for 外贸进口 20英尺 is 34.00 元/箱, the list says 33.99.",
            {"actual": "33.99", "conditions": "外贸进口 20英尺", "expected": "34.00", "unit": "元/箱"},
        )
    ],
    "any-conditions-one-rate": [],
    "any-conditions-no-rate": [
        (
            "rate-deviation",
            "error",
            "L1",
            "standard",
            "交水规〔2019〕2号",
            "货物港务费 is a government-priced fee; the official rate is 7.00 / 17.00 / 34.00 / 68.00 元/箱, the list says 20.",
            {"actual": "20", "conditions": "", "expected": "7.00 / 17.00 / 34.00 / 68.00", "unit": "元/箱"},
        )
    ],
    "other-rows-rate": [
        (
            "rate-deviation",
            "error",
            "L1",
            "standard",
            "交水规〔2019〕2号",
            "货物港务费 is a government-priced fee; the official rate for 外贸出口 40尺 is 34.00 元/箱, the list says 68.",
            {"actual": "68", "conditions": "外贸出口 40尺", "expected": "34.00", "unit": "元/箱"},
        )
    ],
    "rate-conditions-spelt-otherwise": [],
    "conditions-in-the-name": [],
    "no-row-for-conditions": [],
    "range-of-official-rates": [],
    "range-off-rates": [
        (
            "rate-deviation",
            "error",
            "L1",
            "standard",
            "交水规〔2019〕2号",
            "货物港务费 is a government-priced fee; the official rate for 外贸 is 17.00 / 34.00 / 68.00 元/箱, the list says 30-40.",
            {"actual": "30-40", "conditions": "外贸", "expected": "17.00 / 34.00 / 68.00", "unit": "元/箱"},
        )
    ],
    "currency-mismatch": [
        (
            "rate-deviation",
            "error",
            "L1",
            "currency",
            "交水规〔2019〕2号",
            "货物港务费 is charged in USD, but its official rate is set in CNY; amounts in different currencies are not converted, so state it in CNY.",
            {"currency": "USD", "expected_currency": "CNY"},
        )
    ],
    "at-the-cap": [],
    "above-the-cap": [
        (
            "rate-deviation",
            "error",
            "L1",
            "standard",
            "交水规〔2019〕2号 表5",
            "引航(移泊)费 is government-guided and may not exceed 49,000.00 元/次; the list says 49000.01.",
            {"actual": "49000.01", "conditions": "", "expected": "49,000.00", "unit": "元/次"},
        )
    ],
    "range-above-the-cap": [
        (
            "rate-deviation",
            "error",
            "L1",
            "standard",
            "交水规〔2019〕2号 表5",
            "引航(移泊)费 is government-guided and may not exceed 49,000.00 元/次; the list says 40000-50000.",
            {"actual": "40000-50000", "conditions": "", "expected": "49,000.00", "unit": "元/次"},
        )
    ],
    "capped-above-the-fixed-rate": [
        (
            "rate-deviation",
            "error",
            "L1",
            "standard",
            "交水规〔2019〕2号",
            "货物港务费 is a government-priced fee; the official rate for 外贸进口 20英尺 is 34.00 元/箱, the list says 不超过35元.",
            {"actual": "不超过35元", "conditions": "外贸进口 20英尺", "expected": "34.00", "unit": "元/箱"},
        )
    ],
    "capped-at-the-cap": [],
    "capped-above-the-cap": [
        (
            "rate-deviation",
            "error",
            "L1",
            "standard",
            "交水规〔2019〕2号 表5",
            "引航(移泊)费 is government-guided and may not exceed 49,000.00 元/次; the list says 50000元封顶.",
            {"actual": "50000元封顶", "conditions": "", "expected": "49,000.00", "unit": "元/次"},
        )
    ],
    "formula-not-rate-checked": [],
    "item-without-rate": [],
    "marked-up": [
        (
            "rate-deviation",
            "error",
            "L1",
            "standard",
            "《船舶油污损害赔偿基金征收使用管理办法》",
            "船舶油污损害赔偿基金 is collected on behalf of the authority and may not be marked up: the official rate is 0.30 元/吨, the list says 0.35.",
            {"actual": "0.35", "conditions": "", "expected": "0.30", "unit": "元/吨"},
        )
    ],
    "fund-at-rate": [],
    "market-at-rate": [
        (
            "misclassified",
            "error",
            "L1",
            "pricing_class",
            "交水规〔2019〕2号",
            "货物港务费 is on the government list as 政府定价; it cannot be listed as 市场调节价.",
            {"expected": "政府定价"},
        )
    ],
    "market-off-rate": [
        (
            "rate-deviation",
            "error",
            "L1",
            "standard",
            "交水规〔2019〕2号",
            "货物港务费 is a government-priced fee; the official rate for 外贸进口 20英尺 is 34.00 元/箱, the list says 40.",
            {"actual": "40", "conditions": "外贸进口 20英尺", "expected": "34.00", "unit": "元/箱"},
        ),
        (
            "misclassified",
            "error",
            "L1",
            "pricing_class",
            "交水规〔2019〕2号",
            "货物港务费 is on the government list as 政府定价; it cannot be listed as 市场调节价.",
            {"expected": "政府定价"},
        ),
    ],
    "construction-fee-last-day": [],
    "construction-fee-abolished": [
        (
            "abolished-fee",
            "error",
            "L1",
            "name",
            "财政部公告(2021年, 取消港口建设费)",
            "港口建设费 was abolished on 2021-01-01 (财政部公告(2021年, 取消港口建设费)) and may no longer be charged.",
            {"basis": "财政部公告(2021年, 取消港口建设费)", "since": "2021-01-01"},
        )
    ],
    "abolished-any-class": [
        (
            "abolished-fee",
            "error",
            "L1",
            "name",
            "财政部公告(2021年, 取消港口建设费)",
            "港口建设费 was abolished on 2021-01-01 (财政部公告(2021年, 取消港口建设费)) and may no longer be charged.",
            {"basis": "财政部公告(2021年, 取消港口建设费)", "since": "2021-01-01"},
        )
    ],
    "security-fee-last-day": [],
    "security-fee-off-rate": [
        (
            "rate-deviation",
            "error",
            "L1",
            "standard",
            "交水规〔2019〕2号",
            "港口设施保安费 is a government-priced fee; the official rate for 外贸 20英尺 重箱 is 16.00 元/箱, the list says 20.",
            {"actual": "20", "conditions": "外贸 20英尺 重箱", "expected": "16.00", "unit": "元/箱"},
        )
    ],
    "security-fee-folded": [
        (
            "abolished-fee",
            "error",
            "L1",
            "name",
            "《关于减并港口收费等有关事项的通知》",
            "港口设施保安费 may no longer be charged as a separate fee since 2022-04-01: it is part of 港口作业包干费 (《关于减并港口收费等有关事项的通知》).",
            {"basis": "《关于减并港口收费等有关事项的通知》", "bundle": "港口作业包干费", "since": "2022-04-01"},
        )
    ],
    "security-fee-alias-folded": [
        (
            "abolished-fee",
            "error",
            "L1",
            "name",
            "《关于减并港口收费等有关事项的通知》",
            "安保费 may no longer be charged as a separate fee since 2022-04-01: it is part of 港口作业包干费 (《关于减并港口收费等有关事项的通知》).",
            {"basis": "《关于减并港口收费等有关事项的通知》", "bundle": "港口作业包干费", "since": "2022-04-01"},
        )
    ],
    "folded-whatever-conditions": [
        (
            "abolished-fee",
            "error",
            "L1",
            "name",
            "《关于减并港口收费等有关事项的通知》",
            "港口设施保安费 may no longer be charged as a separate fee since 2022-04-01: it is part of 港口作业包干费 (《关于减并港口收费等有关事项的通知》).",
            {"basis": "《关于减并港口收费等有关事项的通知》", "bundle": "港口作业包干费", "since": "2022-04-01"},
        )
    ],
    "barge-last-day": [],
    "barge-folded": [
        (
            "abolished-fee",
            "error",
            "L1",
            "name",
            "交水发〔2018〕77号",
            "驳船取送费 may no longer be charged as a separate fee since 2018-06-20: it is part of 港口作业包干费 (交水发〔2018〕77号).",
            {"basis": "交水发〔2018〕77号", "bundle": "港口作业包干费", "since": "2018-06-20"},
        )
    ],
    "trimming-last-day": [],
    "trimming-folded": [
        (
            "abolished-fee",
            "error",
            "L1",
            "name",
            "交水发〔2018〕77号",
            "特殊平舱费 may no longer be charged as a separate fee since 2018-06-20: it is part of 港口作业包干费 (交水发〔2018〕77号).",
            {"basis": "交水发〔2018〕77号", "bundle": "港口作业包干费", "since": "2018-06-20"},
        )
    ],
    "trimming-as-market": [
        (
            "misclassified",
            "error",
            "L1",
            "pricing_class",
            "交水规〔2019〕2号",
            "特殊平舱费 is on the government list as 政府指导价; it cannot be listed as 市场调节价.",
            {"expected": "政府指导价"},
        )
    ],
    "folded-beside-bundle-once": [
        (
            "abolished-fee",
            "error",
            "L2",
            "name",
            "交水发〔2018〕77号",
            "驳船取送费 may no longer be charged as a separate fee since 2018-06-20: it is part of 港口作业包干费 (交水发〔2018〕77号).",
            {"basis": "交水发〔2018〕77号", "bundle": "港口作业包干费", "since": "2018-06-20"},
        )
    ],
    "security-beside-bundle-once": [
        (
            "abolished-fee",
            "error",
            "L2",
            "name",
            "《关于减并港口收费等有关事项的通知》",
            "港口设施保安费 may no longer be charged as a separate fee since 2022-04-01: it is part of 港口作业包干费 (《关于减并港口收费等有关事项的通知》).",
            {"basis": "《关于减并港口收费等有关事项的通知》", "bundle": "港口作业包干费", "since": "2022-04-01"},
        )
    ],
    "wrong-class-a": [
        (
            "misclassified",
            "error",
            "L1",
            "pricing_class",
            "交水规〔2019〕2号",
            "货物港务费 is listed as 政府指导价, but the government list classes it as 政府定价.",
            {"actual": "政府指导价", "expected": "政府定价"},
        )
    ],
    "guided-as-market": [
        (
            "misclassified",
            "error",
            "L1",
            "pricing_class",
            "交水规〔2019〕2号 表5",
            "引航(移泊)费 is on the government list as 政府指导价; it cannot be listed as 市场调节价.",
            {"expected": "政府指导价"},
        )
    ],
    "guided-as-priced": [
        (
            "misclassified",
            "error",
            "L1",
            "pricing_class",
            "交水规〔2019〕2号",
            "围油栏使用费 is listed as 政府定价, but the government list classes it as 政府指导价.",
            {"actual": "政府定价", "expected": "政府指导价"},
        )
    ],
    "component-beside-bundle": [
        (
            "split-service",
            "error",
            "L2",
            "name",
            "交水规〔2019〕2号",
            "场内搬移费 is part of 港口作业包干费, which this list already charges; it may not be charged again as a separate fee.",
            {"bundle": "港口作业包干费"},
        )
    ],
    "component-without-bundle": [],
    "bundle-alias": [
        (
            "split-service",
            "error",
            "L2",
            "name",
            "交水规〔2019〕2号",
            "装卸船作业费 is part of 港口作业包干费, which this list already charges; it may not be charged again as a separate fee.",
            {"bundle": "港口作业包干费"},
        )
    ],
    "component-stem": [
        (
            "split-service",
            "error",
            "L2",
            "name",
            "交水规〔2019〕2号",
            "装卸船费 is part of 港口作业包干费, which this list already charges; it may not be charged again as a separate fee.",
            {"bundle": "港口作业包干费"},
        )
    ],
    "component-before-it-joined": [],
    "second-fee-beside": [
        (
            "split-service",
            "error",
            "L2",
            "name",
            "交水发〔2018〕77号; 交水规〔2019〕2号; 市场监管总局、交通运输部 港口航运环节乱收费典型案例",
            "围油栏布防服务费 is a second fee for the service of 围油栏使用费, a government-priced or government-guided item; the service may not be split into extra fees.",
            {"gov_item": "围油栏使用费"},
        )
    ],
    "second-fee-instead": [
        (
            "split-service",
            "error",
            "L1",
            "name",
            "交水发〔2018〕77号; 交水规〔2019〕2号; 市场监管总局、交通运输部 港口航运环节乱收费典型案例",
            "围油栏布防服务费 is a second fee for the service of 围油栏使用费, a government-priced or government-guided item; the service may not be split into extra fees.",
            {"gov_item": "围油栏使用费"},
        )
    ],
    "second-fee-pilotage": [
        (
            "split-service",
            "error",
            "L1",
            "name",
            "交水发〔2018〕77号; 交水规〔2019〕2号; 市场监管总局、交通运输部 港口航运环节乱收费典型案例",
            "引航服务费 is a second fee for the service of 引航(移泊)费, a government-priced or government-guided item; the service may not be split into extra fees.",
            {"gov_item": "引航(移泊)费"},
        )
    ],
    "surcharge-content": [
        (
            "split-service",
            "error",
            "L1",
            "name",
            "交水发〔2018〕77号; 交水规〔2019〕2号; 市场监管总局、交通运输部 港口航运环节乱收费典型案例",
            "夜班费 adds a surcharge to 围油栏使用费, a government-priced or government-guided item; no extra fee may be added to it.",
            {"gov_item": "围油栏使用费"},
        )
    ],
    "surcharge-remark": [
        (
            "split-service",
            "error",
            "L1",
            "name",
            "交水发〔2018〕77号; 交水规〔2019〕2号; 市场监管总局、交通运输部 港口航运环节乱收费典型案例",
            "夜班费 adds a surcharge to 引航(移泊)费, a government-priced or government-guided item; no extra fee may be added to it.",
            {"gov_item": "引航(移泊)费"},
        )
    ],
    "surcharge-named": [
        (
            "split-service",
            "error",
            "L1",
            "name",
            "交水发〔2018〕77号; 交水规〔2019〕2号; 市场监管总局、交通运输部 港口航运环节乱收费典型案例",
            "围油栏使用费夜班费 adds a surcharge to 围油栏使用费, a government-priced or government-guided item; no extra fee may be added to it.",
            {"gov_item": "围油栏使用费"},
        )
    ],
    "surcharge-holiday": [
        (
            "split-service",
            "error",
            "L1",
            "name",
            "交水发〔2018〕77号; 交水规〔2019〕2号; 市场监管总局、交通运输部 港口航运环节乱收费典型案例",
            "节假日附加费 adds a surcharge to 货物港务费, a government-priced or government-guided item; no extra fee may be added to it.",
            {"gov_item": "货物港务费"},
        )
    ],
    "surcharge-market-service": [],
    "rush-fee-market-service": [],
    "same-line-twice": [
        (
            "duplicate-item",
            "error",
            "L2",
            "name",
            "市场监管总局令第56号; 穗商务规字〔2021〕4号",
            "文件费 repeats 文件费, listed with the same conditions as line 1; list each fee once.",
            {"first": "文件费", "first_line": "1"},
        )
    ],
    "aliases-twice": [
        (
            "duplicate-item",
            "error",
            "L2",
            "name",
            "市场监管总局令第56号; 穗商务规字〔2021〕4号",
            "DOC repeats 文件费, listed with the same conditions as line 1; list each fee once.",
            {"first": "文件费", "first_line": "1"},
        ),
        (
            "duplicate-item",
            "error",
            "L3",
            "name",
            "市场监管总局令第56号; 穗商务规字〔2021〕4号",
            "单证费 repeats 文件费, listed with the same conditions as line 1; list each fee once.",
            {"first": "文件费", "first_line": "1"},
        ),
    ],
    "traditional-is-not-alias": [],
    "other-conditions": [],
    "in-yuan-and-in-dollars": [],
    "dollars-in-a-yuan-line": [
        (
            "invalid-value",
            "error",
            "L1",
            "standard",
            "穗商务规字〔2021〕4号 附件2",
            "The standard of 文件费, 50美元, is written in USD, but the line's currency is CNY (a blank 币种 means CNY). "
            "Write USD in its 币种 column, or the standard in CNY.",
            {"currency": "CNY", "named": "USD", "value": "50美元"},
        )
    ],
    "dollars-in-a-dollar-line": [],
    "meijin-is-us-dollars": [],
    "per-bill-unit-per-box": [
        (
            "invalid-value",
            "error",
            "L1",
            "unit",
            "穗商务规字〔2021〕4号 附件2",
            "The standard of 文件费, 450元/票, is a price per 元/票, but its 计费单位 (unit) is 元/箱: the list would "
            "publish and charge it per 元/箱. Make the two agree: write the unit the price is charged by in both.",
            {"value": "450元/票", "written": "元/票", "unit": "元/箱"},
        )
    ],
    "per-teu-unit-per-box": [
        (
            "invalid-value",
            "error",
            "L1",
            "unit",
            "穗商务规字〔2021〕4号 附件2",
            "The standard of 文件费, USD 60/TEU, is a price per USD/TEU, but its 计费单位 (unit) is USD/UNIT: the "
            "list would publish and charge it per USD/UNIT. Make the two agree: write the unit the price is charged "
            "by in both.",
            {"value": "USD 60/TEU", "written": "USD/TEU", "unit": "USD/UNIT"},
        )
    ],
    "per-bill-written-two-ways": [],
    "per-bill-in-the-lines-dollars-unit-per-box": [
        (
            "invalid-value",
            "error",
            "L1",
            "unit",
            "穗商务规字〔2021〕4号 附件2",
            "The standard of 文件费, 15/票, is a price per USD/票, but its 计费单位 (unit) is USD/箱: the list would "
            "publish and charge it per USD/箱. Make the two agree: write the unit the price is charged by in both.",
            {"value": "15/票", "written": "USD/票", "unit": "USD/箱"},
        )
    ],
    "per-bill-in-yuan-unit-per-box": [
        (
            "invalid-value",
            "error",
            "L1",
            "unit",
            "穗商务规字〔2021〕4号 附件2",
            "The standard of 文件费, RMB 100/票, is a price per 元/票, but its 计费单位 (unit) is 元/箱: the list would "
            "publish and charge it per 元/箱. Make the two agree: write the unit the price is charged by in both.",
            {"value": "RMB 100/票", "written": "元/票", "unit": "元/箱"},
        )
    ],
    "per-bill-in-yuan-by-line": [
        (
            "invalid-value",
            "error",
            "L1",
            "unit",
            "穗商务规字〔2021〕4号 附件2",
            "The standard of 文件费, 100/票, is a price per 元/票, but its 计费单位 (unit) is 元/箱: the list would "
            "publish and charge it per 元/箱. Make the two agree: write the unit the price is charged by in both.",
            {"value": "100/票", "written": "元/票", "unit": "元/箱"},
        )
    ],
    "per-box-and-day-both": [],
    "per-day-of-a-box-per-day": [],
    "per-time-of-a-call": [],
    "an-unknown-unit-is-not-compared": [],
    "a-text-standard-is-not-compared": [
        (
            "vague-standard",
            "warning",
            "L1",
            "standard",
            "市场监管总局令第56号",
            "The standard of 文件费, 450元/票(保底), gives its amount with 保底: a starting, minimum or approximate "
            "amount, or one with more charged on top, is not the price of the service, so it is not published as one. "
            "Write the price itself; if it varies, a range (400-500) or tiers, and charges on top as lines of their "
            "own.",
            {"value": "450元/票(保底)", "word": "保底"},
        )
    ],
    "yuan-in-a-dollar-line": [
        (
            "invalid-value",
            "error",
            "L1",
            "standard",
            "穗商务规字〔2021〕4号 附件2",
            "The standard of 文件费, 85元/票, is written in CNY, but the line's currency is USD (a blank 币种 means CNY). "
            "Write CNY in its 币种 column, or the standard in USD.",
            {"currency": "USD", "named": "CNY", "value": "85元/票"},
        )
    ],
    "hong-kong-dollars": [
        (
            "invalid-value",
            "error",
            "L1",
            "standard",
            "穗商务规字〔2021〕4号 附件2",
            "The standard of 文件费, HK$100, is written in a currency that is not accepted; write it in CNY (人民币) or USD.",
            {"value": "HK$100"},
        )
    ],
    "a-date-for-a-standard": [
        (
            "invalid-value",
            "error",
            "L1",
            "standard",
            "穗商务规字〔2021〕4号 附件2",
            "The standard of 文件费, 2026-01-01, is a date, not a price. A spreadsheet turns a price into a date when "
            "its cell is formatted as one: give the cell a number or text format and write the price.",
            {"value": "2026-01-01"},
        )
    ],
    "three-prices-by-dashes": [
        (
            "vague-standard",
            "warning",
            "L1",
            "standard",
            "市场监管总局令第56号",
            "The standard of 文件费, 100-200-300, gives 3 prices in one cell (100, 200, 300), so none of them can be "
            "checked, compared or used in an estimate, and a shipper cannot tell which applies. If they are prices "
            "for different box sizes or other conditions, write one line for each, with its condition in 适用条件 "
            "(conditions).",
            {"value": "100-200-300", "count": "3", "prices": "100, 200, 300"},
        )
    ],
    "two-prices-by-or": [
        (
            "vague-standard",
            "warning",
            "L1",
            "standard",
            "市场监管总局令第56号",
            "The standard of 文件费, 100元或200元, gives 2 prices in one cell (100, 200), so none of them can be checked, compared or used in an estimate, and a shipper cannot tell which applies. If they are prices for different box sizes or other conditions, write one line for each, with its condition in 适用条件 (conditions).",
            {"count": "2", "prices": "100, 200", "value": "100元或200元"},
        )
    ],
    "full-stop-for-a-point": [
        (
            "invalid-value",
            "error",
            "L1",
            "standard",
            "穗商务规字〔2021〕4号 附件2",
            "The standard of 文件费, 100。00, has a Chinese full stop (。) between digits, so it cannot be read as an amount. If it is a decimal point, write it with a half-width point (100.00).",
            {"value": "100。00"},
        )
    ],
    "hong-kong-dollars-beside-yuan": [
        (
            "invalid-value",
            "error",
            "L1",
            "standard",
            "穗商务规字〔2021〕4号 附件2",
            "The standard of 文件费, 100元或HK$110, is written in a currency that is not accepted; write it in CNY (人民币) "
            "or USD.",
            {"value": "100元或HK$110"},
        )
    ],
    "both-named-one-is-the-lines": [],
    "yuan-spelt-twice": [
        (
            "duplicate-item",
            "error",
            "L2",
            "name",
            "市场监管总局令第56号; 穗商务规字〔2021〕4号",
            "文件费 repeats 文件费, listed with the same conditions as line 1; list each fee once.",
            {"first": "文件费", "first_line": "1"},
        )
    ],
    "conditions-spelt-otherwise": [
        (
            "duplicate-item",
            "error",
            "L2",
            "name",
            "市场监管总局令第56号; 穗商务规字〔2021〕4号",
            "文件费 repeats 文件费, listed with the same conditions as line 1; list each fee once.",
            {"first": "文件费", "first_line": "1"},
        )
    ],
    "high-cube-is-another-box": [],
    "high-cube-spelt-otherwise": [
        (
            "duplicate-item",
            "error",
            "L2",
            "name",
            "市场监管总局令第56号; 穗商务规字〔2021〕4号",
            "文件费 repeats 文件费, listed with the same conditions as line 1; list each fee once.",
            {"first": "文件费", "first_line": "1"},
        )
    ],
    "bracketed-names": [],
    "other-words-differ": [],
    "other-words-alike": [
        (
            "duplicate-item",
            "error",
            "L2",
            "name",
            "市场监管总局令第56号; 穗商务规字〔2021〕4号",
            "文件费 repeats 文件费, listed with the same conditions as line 1; list each fee once.",
            {"first": "文件费", "first_line": "1"},
        )
    ],
    "rate-after-a-market-line": [
        (
            "rate-deviation",
            "error",
            "L2",
            "standard",
            "交水规〔2019〕2号",
            "货物港务费 is a government-priced fee; the official rate for 外贸进口 20英尺 is 34.00 元/箱, the list says 35.",
            {"actual": "35", "conditions": "外贸进口 20英尺", "expected": "34.00", "unit": "元/箱"},
        )
    ],
    "rate-after-an-unknown-currency": [
        (
            "invalid-value",
            "error",
            "L1",
            "currency",
            "穗商务规字〔2021〕4号 附件2",
            "The currency of 货物港务费, EUR, is not accepted; write CNY (人民币) or USD, or leave it blank for CNY.",
            {"value": "EUR"},
        ),
        (
            "rate-deviation",
            "error",
            "L2",
            "standard",
            "交水规〔2019〕2号",
            "货物港务费 is a government-priced fee; the official rate for 外贸出口 20英尺 is 17.00 元/箱, the list says 18.",
            {"actual": "18", "conditions": "外贸出口 20英尺", "expected": "17.00", "unit": "元/箱"},
        ),
    ],
    "rate-after-a-negative-amount": [
        (
            "invalid-value",
            "error",
            "L1",
            "standard",
            "穗商务规字〔2021〕4号 附件2",
            "The standard of 货物港务费, -34, is negative; a fee cannot be below zero.",
            {"value": "-34"},
        ),
        (
            "rate-deviation",
            "error",
            "L2",
            "standard",
            "交水规〔2019〕2号",
            "货物港务费 is a government-priced fee; the official rate for 外贸出口 20英尺 is 17.00 元/箱, the list says 18.",
            {"actual": "18", "conditions": "外贸出口 20英尺", "expected": "17.00", "unit": "元/箱"},
        ),
    ],
    "rate-after-a-formula": [
        (
            "rate-deviation",
            "error",
            "L2",
            "standard",
            "交水规〔2019〕2号",
            "货物港务费 is a government-priced fee; the official rate for 外贸进口 20英尺 is 34.00 元/箱, the list says 35.",
            {"actual": "35", "conditions": "外贸进口 20英尺", "expected": "34.00", "unit": "元/箱"},
        )
    ],
    "rate-after-no-matching-row": [
        (
            "rate-deviation",
            "error",
            "L2",
            "standard",
            "交水规〔2019〕2号",
            "货物港务费 is a government-priced fee; the official rate for 外贸进口 20英尺 is 34.00 元/箱, the list says 35.",
            {"actual": "35", "conditions": "外贸进口 20英尺", "expected": "34.00", "unit": "元/箱"},
        )
    ],
    "rate-after-another-currency": [
        (
            "rate-deviation",
            "error",
            "L1",
            "currency",
            "交水规〔2019〕2号",
            "货物港务费 is charged in USD, but its official rate is set in CNY; amounts in different currencies are not converted, so state it in CNY.",
            {"currency": "USD", "expected_currency": "CNY"},
        ),
        (
            "rate-deviation",
            "error",
            "L2",
            "standard",
            "交水规〔2019〕2号",
            "货物港务费 is a government-priced fee; the official rate for 外贸出口 20英尺 is 17.00 元/箱, the list says 18.",
            {"actual": "18", "conditions": "外贸出口 20英尺", "expected": "17.00", "unit": "元/箱"},
        ),
    ],
    "abolished-after-a-market-line": [
        (
            "abolished-fee",
            "error",
            "L2",
            "name",
            "财政部公告(2021年, 取消港口建设费)",
            "港口建设费 was abolished on 2021-01-01 (财政部公告(2021年, 取消港口建设费)) and may no longer be charged.",
            {"basis": "财政部公告(2021年, 取消港口建设费)", "since": "2021-01-01"},
        )
    ],
    "misclassified-after-an-unknown-class": [
        (
            "invalid-value",
            "error",
            "L1",
            "pricing_class",
            "穗商务规字〔2021〕4号 附件2",
            "The pricing class of 理货费, 市场价, is not one of 行政事业性收费, 政府性基金, 政府定价, 政府指导价, 市场调节价.",
            {"value": "市场价"},
        ),
        (
            "misclassified",
            "error",
            "L2",
            "pricing_class",
            "交水规〔2019〕2号",
            "货物港务费 is listed as 政府指导价, but the government list classes it as 政府定价.",
            {"actual": "政府指导价", "expected": "政府定价"},
        ),
    ],
    "misclassified-after-a-right-class": [
        (
            "misclassified",
            "error",
            "L2",
            "pricing_class",
            "交水规〔2019〕2号 表5",
            "引航(移泊)费 is on the government list as 政府指导价; it cannot be listed as 市场调节价.",
            {"expected": "政府指导价"},
        )
    ],
    "duplicate-after-no-name": [
        (
            "missing-field",
            "error",
            "L1",
            "name",
            "穗商务规字〔2021〕4号 附件2; 市场监管总局令第56号",
            "A fee line has no fee item name; every fee in the list must be named.",
            {},
        ),
        (
            "duplicate-item",
            "error",
            "L3",
            "name",
            "市场监管总局令第56号; 穗商务规字〔2021〕4号",
            "文件费 repeats 文件费, listed with the same conditions as line 2; list each fee once.",
            {"first": "文件费", "first_line": "2"},
        ),
    ],
    "off-list-after-a-market-line": [
        (
            "not-on-government-list",
            "error",
            "L2",
            "name",
            "穗商务规字〔2021〕4号; 《广州市优化营商环境条例》第四十七条",
            "港口服务费 is listed as 政府定价, but no such item is on the government list in force on 2024-06-01.",
            {"date": "2024-06-01", "pricing_class": "政府定价"},
        )
    ],
    "off-list-after-a-listed-line": [
        (
            "not-on-government-list",
            "error",
            "L2",
            "name",
            "穗商务规字〔2021〕4号; 《广州市优化营商环境条例》第四十七条",
            "港口服务费 is listed as 政府定价, but no such item is on the government list in force on 2024-06-01.",
            {"date": "2024-06-01", "pricing_class": "政府定价"},
        )
    ],
    "split-after-retired": [
        (
            "abolished-fee",
            "error",
            "L1",
            "name",
            "《关于减并港口收费等有关事项的通知》",
            "港口设施保安费 may no longer be charged as a separate fee since 2022-04-01: it is part of 港口作业包干费 (《关于减并港口收费等有关事项的通知》).",
            {"basis": "《关于减并港口收费等有关事项的通知》", "bundle": "港口作业包干费", "since": "2022-04-01"},
        ),
        (
            "split-service",
            "error",
            "L2",
            "name",
            "交水发〔2018〕77号; 交水规〔2019〕2号; 市场监管总局、交通运输部 港口航运环节乱收费典型案例",
            "围油栏布防服务费 is a second fee for the service of 围油栏使用费, a government-priced or government-guided item; the service may not be split into extra fees.",
            {"gov_item": "围油栏使用费"},
        ),
    ],
    "split-after-no-name": [
        (
            "missing-field",
            "error",
            "L1",
            "name",
            "穗商务规字〔2021〕4号 附件2; 市场监管总局令第56号",
            "A fee line has no fee item name; every fee in the list must be named.",
            {},
        ),
        (
            "split-service",
            "error",
            "L2",
            "name",
            "交水发〔2018〕77号; 交水规〔2019〕2号; 市场监管总局、交通运输部 港口航运环节乱收费典型案例",
            "引航服务费 is a second fee for the service of 引航(移泊)费, a government-priced or government-guided item; the service may not be split into extra fees.",
            {"gov_item": "引航(移泊)费"},
        ),
    ],
    "invalid-after-a-clean-line": [
        (
            "invalid-value",
            "error",
            "L2",
            "standard",
            "穗商务规字〔2021〕4号 附件2",
            "The standard of 文件费, -200, is negative; a fee cannot be below zero.",
            {"value": "-200"},
        )
    ],
    "unit-after-a-clean-line": [
        (
            "unknown-unit",
            "warning",
            "L2",
            "unit",
            "穗商务规字〔2021〕4号 附件2",
            "The unit of 文件费, 元/坨, is not a recognised charging unit (e.g. 元/箱, 元/票, 元/吨).",
            {"value": "元/坨"},
        )
    ],
    "vague-after-a-clean-line": [
        (
            "vague-standard",
            "warning",
            "L2",
            "standard",
            "市场监管总局令第56号",
            "The standard of 文件费, 面议, names no amount or formula; state the price or how it is calculated.",
            {"value": "面议"},
        )
    ],
    "pass-through-up-to-the-rate": [
        (
            "rate-deviation",
            "error",
            "L1",
            "standard",
            "交水规〔2019〕2号",
            "货物港务费 is a government-priced fee; the official rate for 外贸进口 20英尺 is 34.00 元/箱, the list says 33-34.",
            {"actual": "33-34", "conditions": "外贸进口 20英尺", "expected": "34.00", "unit": "元/箱"},
        )
    ],
    "pass-through-at-the-cap": [],
    "pass-through-above-the-cap": [
        (
            "rate-deviation",
            "error",
            "L1",
            "standard",
            "交水规〔2019〕2号 表5",
            "引航(移泊)费 is collected on behalf of the authority and may not be marked up: the official rate is 49,000.00 元/次, the list says 49000.01.",
            {"actual": "49000.01", "conditions": "", "expected": "49,000.00", "unit": "元/次"},
        )
    ],
    "range-with-equal-ends": [],
    "range-reversed-by-a-cent": [
        (
            "invalid-value",
            "error",
            "L1",
            "standard",
            "穗商务规字〔2021〕4号 附件2",
            "The standard of 理货费, 400.01-400, is a range whose lower end is above its upper end.",
            {"value": "400.01-400"},
        )
    ],
    "negotiable": [
        (
            "vague-standard",
            "warning",
            "L1",
            "standard",
            "市场监管总局令第56号",
            "The standard of 理货费, 面议, names no amount or formula; state the price or how it is calculated.",
            {"value": "面议"},
        )
    ],
    "as-incurred": [
        (
            "vague-standard",
            "warning",
            "L1",
            "standard",
            "市场监管总局令第56号",
            "The standard of 理货费, 按实际发生, names no amount or formula; state the price or how it is calculated.",
            {"value": "按实际发生"},
        )
    ],
    "to-be-agreed": [
        (
            "vague-standard",
            "warning",
            "L1",
            "standard",
            "市场监管总局令第56号",
            "The standard of 理货费, 另议, names no amount or formula; state the price or how it is calculated.",
            {"value": "另议"},
        )
    ],
    "with-a-cap": [],
    "a-formula": [],
    "a-price-per-a-box-size": [
        (
            "vague-standard",
            "warning",
            "L1",
            "standard",
            "市场监管总局令第56号",
            "The standard of 理货费, 100元/20尺, is a price per 20尺 box, so it cannot be checked or used in an estimate "
            "as a price. Write the box size in 适用条件 (conditions), the price alone in this cell (100) and the unit as "
            "元/箱.",
            {"value": "100元/20尺", "size": "20尺"},
        )
    ],
    "units": [],
    "unknown-unit": [
        (
            "unknown-unit",
            "warning",
            "L1",
            "unit",
            "穗商务规字〔2021〕4号 附件2",
            "The unit of 理货费, 元/坨, is not a recognised charging unit (e.g. 元/箱, 元/票, 元/吨).",
            {"value": "元/坨"},
        )
    ],
    "usd-unit": [],
    "unit-without-currency": [
        (
            "unknown-unit",
            "warning",
            "L1",
            "unit",
            "穗商务规字〔2021〕4号 附件2",
            "The unit of 理货费, 箱/天, names no currency; write it with the currency in front, as the format does: "
            "元/箱·天.",
            {"value": "箱/天", "suggested": "元/箱·天"},
        )
    ],
    "english-unit-in-usd": [
        (
            "unknown-unit",
            "warning",
            "L1",
            "unit",
            "穗商务规字〔2021〕4号 附件2",
            "The unit of 文件费, per B/L, names no currency; write it with the currency in front, as the format "
            "does: USD/B/L.",
            {"value": "per B/L", "suggested": "USD/B/L"},
        )
    ],
    "units-written-otherwise": [],
}
# The cases whose findings say more with row numbers (the duplicate rule names the row, not the line).
WITH_ROWS: dict[str, list[Expected]] = {
    "yuan-spelt-twice": [
        (
            "duplicate-item",
            "error",
            "L2",
            "name",
            "市场监管总局令第56号; 穗商务规字〔2021〕4号",
            "文件费 repeats 文件费, listed with the same conditions at row 10; list each fee once.",
            {"first": "文件费", "first_row": "10"},
        )
    ],
    "same-line-twice": [
        (
            "duplicate-item",
            "error",
            "L2",
            "name",
            "市场监管总局令第56号; 穗商务规字〔2021〕4号",
            "文件费 repeats 文件费, listed with the same conditions at row 10; list each fee once.",
            {"first": "文件费", "first_row": "10"},
        )
    ],
    "aliases-twice": [
        (
            "duplicate-item",
            "error",
            "L2",
            "name",
            "市场监管总局令第56号; 穗商务规字〔2021〕4号",
            "DOC repeats 文件费, listed with the same conditions at row 10; list each fee once.",
            {"first": "文件费", "first_row": "10"},
        ),
        (
            "duplicate-item",
            "error",
            "L3",
            "name",
            "市场监管总局令第56号; 穗商务规字〔2021〕4号",
            "单证费 repeats 文件费, listed with the same conditions at row 10; list each fee once.",
            {"first": "文件费", "first_row": "10"},
        ),
    ],
    "conditions-spelt-otherwise": [
        (
            "duplicate-item",
            "error",
            "L2",
            "name",
            "市场监管总局令第56号; 穗商务规字〔2021〕4号",
            "文件费 repeats 文件费, listed with the same conditions at row 10; list each fee once.",
            {"first": "文件费", "first_row": "10"},
        )
    ],
    "high-cube-spelt-otherwise": [
        (
            "duplicate-item",
            "error",
            "L2",
            "name",
            "市场监管总局令第56号; 穗商务规字〔2021〕4号",
            "文件费 repeats 文件费, listed with the same conditions at row 10; list each fee once.",
            {"first": "文件费", "first_row": "10"},
        )
    ],
    "other-words-alike": [
        (
            "duplicate-item",
            "error",
            "L2",
            "name",
            "市场监管总局令第56号; 穗商务规字〔2021〕4号",
            "文件费 repeats 文件费, listed with the same conditions at row 10; list each fee once.",
            {"first": "文件费", "first_row": "10"},
        )
    ],
    "duplicate-after-no-name": [
        (
            "missing-field",
            "error",
            "L1",
            "name",
            "穗商务规字〔2021〕4号 附件2; 市场监管总局令第56号",
            "A fee line has no fee item name; every fee in the list must be named.",
            {},
        ),
        (
            "duplicate-item",
            "error",
            "L3",
            "name",
            "市场监管总局令第56号; 穗商务规字〔2021〕4号",
            "文件费 repeats 文件费, listed with the same conditions at row 11; list each fee once.",
            {"first": "文件费", "first_row": "11"},
        ),
    ],
}

"""The words of the workbooks the portal writes: the title, the instructions sheet and the findings sheet (zh, en)."""

from __future__ import annotations

from portal.validation.model import PricingClass

INSTRUCTIONS_SHEET = {"zh": "说明", "en": "Instructions"}
FINDINGS_SHEET = {"zh": "检查结果", "en": "Findings"}
ISSUES_SHEET = {"zh": "问题清单", "en": "Issues"}  # what the check page adds to a workbook it gives back
TITLE = {"zh": "口岸收费目录清单", "en": "Port fee catalogue"}

DROPDOWN_ERROR = {"zh": "请从下拉列表中选择。", "en": "Choose a value from the list."}
REQUIRED_MARK = {"zh": "必填", "en": "Required"}
OPTIONAL_MARK = {"zh": "选填", "en": "Optional"}

INSTRUCTIONS_HEAD = {
    "zh": ("字段", "是否必填", "填写说明"),
    "en": ("Field", "Required", "How to fill it in"),
}

INSTRUCTIONS_INTRO = {
    "zh": (
        "填写说明",
        "工作表“收费目录清单”上方为单位信息（A列填名称，B列填内容），下方表格每行一条收费。",
        "同一收费项目按不同适用条件（贸易类型、箱型、货类等）收费的，分行填写。",
        "请直接填写数值和文字，不要使用公式；含公式的单元格不会被读取，并报告为错误。",
        "收费标准以元为单位（币种为 USD 的除外）；区间写作 400-500，分段用分号分隔。",
        "保存为 Excel 工作簿（.xlsx）后上传。",
    ),
    "en": (
        "How to fill in the list",
        "On the sheet 收费目录清单, the operator's details come first (label in column A, value in column B); "
        "below them, the table has one row per fee.",
        "Where one fee is charged differently by trade, box size or cargo, give each condition its own row.",
        "Type values and text, not formulas: a cell with a formula is not read and is reported as an error.",
        "Standards are in yuan unless the currency is USD; write a range as 400-500 and separate tiers with "
        "semicolons.",
        "Save the file as Excel Workbook (.xlsx) and upload it.",
    ),
}

CLASSES_HEAD = {"zh": ("定价方式", "说明"), "en": ("Pricing class", "Meaning")}
CLASS_NOTES = {
    "zh": {
        PricingClass.ADMIN_FEE: "A类：政府目录内项目，按政府规定标准收取，须填写收费依据。",
        PricingClass.GOV_FUND: "A类：政府性基金，按规定标准收取，须填写收费依据。",
        PricingClass.GOV_PRICED: "A类：政府定价，须按规定标准收取，须填写收费依据。",
        PricingClass.GOV_GUIDED: "A类：政府指导价，不得超过规定上限，须填写收费依据。",
        PricingClass.MARKET: "B类：市场调节价，由经营者自主定价；不得拆分收费、重复收费或使用含糊标准。",
    },
    "en": {
        PricingClass.ADMIN_FEE: "Class A: an administrative fee on the government list, at the official rate; "
        "give the legal basis.",
        PricingClass.GOV_FUND: "Class A: a government fund, at the official rate; give the legal basis.",
        PricingClass.GOV_PRICED: "Class A: government-set price, charged exactly; give the legal basis.",
        PricingClass.GOV_GUIDED: "Class A: government-guided price, at most the official cap; give the legal basis.",
        PricingClass.MARKET: "Class B: set by the operator; no split, duplicate or vague charges.",
    },
}

FINDINGS_COLUMNS = {  # a list of findings in a workbook, as the portal gives it and as the check page adds it
    "zh": ("序号", "级别", "工作表", "单元格", "字段", "收费项目", "问题", "依据"),
    "en": ("No.", "Severity", "Sheet", "Cell", "Field", "Fee item", "Issue", "Basis"),
}
FINDINGS_WIDTHS = (6, 8, 14, 8, 14, 22, 80, 30)

"""`flask validate PATH`: text and JSON reports, exit codes 0 / 1 / 2, against the government list in the database."""

from __future__ import annotations

import io
import json

import pytest

from portal.govlist.services import load_feelists
from portal.validation.model import FeeLine, Header
from portal.workbook.writer import write_catalogue
from tests.factories import credit_code

HEADER = Header(
    operator_name="广州示范码头有限公司",
    credit_code=credit_code(424242),
    port_area="南沙港区",
    complaint_phone="020-12345678",
    effective_date="2026-06-01",
    updated_date="2026-06-01",
)
CLEAN = FeeLine(
    name="港口作业包干费",
    conditions="外贸 20英尺 重箱",
    service_content="集装箱装卸船、场内搬移、驳船取送、特殊平舱、港口设施保安",
    standard="850",
    unit="元/箱",
    currency="CNY",
    pricing_class="市场调节价",
    pass_through="否",
)
HARBOUR_DUES = FeeLine(
    name="货物港务费",
    conditions="外贸进口 20英尺 普通货物",
    service_content="代收货物港务费",
    standard="20.00",
    unit="元/箱",
    currency="CNY",
    pricing_class="政府定价",
    basis="交水规〔2019〕2号",
    pass_through="是",
)


@pytest.fixture
def workbook(app, tmp_path):
    load_feelists(app.config["FEELISTS_DIR"])

    def write(*lines: FeeLine, header: Header = HEADER):
        buffer = io.BytesIO()
        write_catalogue(buffer, header, lines)
        path = tmp_path / "list.xlsx"
        path.write_bytes(buffer.getvalue())
        return str(path)

    return write


def test_a_clean_list_exits_zero_with_a_summary(runner, workbook) -> None:
    result = runner.invoke(args=["validate", workbook(CLEAN), "--as-of", "2026-11-23"])
    assert result.exit_code == 0, result.output
    assert "广州示范码头有限公司" in result.output


CONSTRUCTION = FeeLine(
    name="港口建设费",
    service_content="港口建设",
    standard="4",
    unit="元/吨",
    currency="CNY",
    pricing_class="政府性基金",
    basis="财综〔2011〕29号",
    pass_through="是",
)


def test_errors_exit_one_and_json_carries_located_bilingual_findings(runner, workbook) -> None:
    args = ["validate", workbook(CLEAN, HARBOUR_DUES, CONSTRUCTION), "--json", "--as-of", "2026-11-23"]
    result = runner.invoke(args=args)
    assert result.exit_code == 1, result.output
    report = json.loads(result.output)
    assert report["summary"]["lines"] == 3
    assert report["summary"]["errors"] == 1  # the abolished fund
    assert [f["rule"] for f in report["findings"] if f["severity"] == "error"] == ["abolished-fee"]
    assert report["operator"]["credit_code"] == HEADER.credit_code
    finding = next(f for f in report["findings"] if f["rule"] == "rate-deviation")
    assert finding["severity"] == "warning"  # every shipped official rate is still unverified: it warns, says why
    assert "尚未对照发文机关原文核实" in finding["message_zh"], finding["message_zh"]
    assert finding["item"] == "货物港务费"
    assert finding["sheet"] == "收费目录清单"
    assert finding["cell"]
    assert finding["cell"][0].isalpha()
    assert finding["field"] == "standard"
    assert "17" in finding["message_zh"]
    assert "17" in finding["message_en"]
    assert finding["message_zh"] != finding["message_en"]
    assert "交水规" in finding["basis"]
    assert set(finding) == {
        "rule",
        "severity",
        "sheet",
        "row",
        "cell",
        "field",
        "item",
        "message_zh",
        "message_en",
        "basis",
    }


def test_the_effective_date_decides_whether_a_fee_was_already_abolished(runner, workbook) -> None:
    construction = FeeLine(
        name="港口建设费",
        service_content="港口建设",
        standard="4",
        unit="元/吨",
        currency="CNY",
        pricing_class="政府性基金",
        basis="财综〔2011〕29号",
        pass_through="是",
    )
    before = workbook(construction, header=HEADER.__class__(**{**HEADER.__dict__, "effective_date": "2020-12-31"}))
    early = json.loads(runner.invoke(args=["validate", before, "--json", "--as-of", "2020-12-31"]).output)
    assert "abolished-fee" not in {f["rule"] for f in early["findings"]}
    after = workbook(construction, header=HEADER.__class__(**{**HEADER.__dict__, "effective_date": "2021-01-01"}))
    late = json.loads(runner.invoke(args=["validate", after, "--json", "--as-of", "2021-01-01"]).output)
    assert "abolished-fee" in {f["rule"] for f in late["findings"]}


@pytest.mark.parametrize(
    ("content", "name", "said"),
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "old.xlsx", "xlsx"),
        ("收费项目,收费标准\n文件费,400\n".encode(), "list.csv", "xlsx"),
        (b"PK\x03\x04broken", "broken.xlsx", ""),
    ],
)
def test_an_unreadable_file_exits_two_and_says_why(runner, app, tmp_path, content, name, said) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    result = runner.invoke(args=["validate", str(path), "--json"])
    assert result.exit_code == 2
    error = json.loads(result.output)["error"]
    assert error["code"]
    assert error["message_zh"]
    assert said.lower() in error["message_en"].lower()


def test_a_missing_file_exits_two(runner, app, tmp_path) -> None:
    result = runner.invoke(args=["validate", str(tmp_path / "nope.xlsx")])
    assert result.exit_code == 2

"""The invoice check on the demo lists: typed and uploaded charges, each marking, the excess, located errors, and the
prefilled complaint; nothing is stored."""

from __future__ import annotations

import io
import re
from urllib.parse import parse_qs, urlsplit

import pytest
import xlsxwriter
from sqlalchemy import func, select

from portal import demo as demo_data
from portal.complaints.models import Complaint
from portal.govlist.services import load_feelists
from tests.conftest import csrf_from

TERMINAL = "广州南沙示范集装箱码头有限公司"
AGENCY = "广州黄埔示范供应链物流有限公司"
AGENCY_CODE = "9144011259700808X3"
DAY = "2026-11-20"
CHARGES = [
    (TERMINAL, DAY, "港口作业包干费", "2", "1720"),  # 860 a box at most: within the list
    (TERMINAL, DAY, "场内搬移费", "2", "160"),  # a part of the package charge, billed again
    (TERMINAL, DAY, "码头作业包干费", "1", "960"),  # the package charge by another name, 100 above 860
    (TERMINAL, DAY, "打单费", "1", "50"),  # not on the list
    (AGENCY_CODE, DAY, "换单费", "1", "460"),  # 360 a box at most: 100 above
]
HEADER = ["经营单位", "日期", "收费项目", "数量", "金额"]


@pytest.fixture
def demo(app):
    load_feelists(app.config["FEELISTS_DIR"])
    demo_data.seed(app.config["DEMO_DIR"])


def typed(rows) -> dict[str, str]:
    data = {}
    for n, (operator, day, fee, quantity, amount) in enumerate(rows):
        data |= {
            f"operator-{n}": operator,
            f"charged_on-{n}": day,
            f"fee_name-{n}": fee,
            f"quantity-{n}": quantity,
            f"amount-{n}": amount,
        }
    return data


def post(client, data=None, **files):
    token = csrf_from(client.get("/invoice").get_data(as_text=True))
    payload = {"csrf_token": token, **(data or {})}
    for name, (content, filename) in files.items():
        payload[name] = (io.BytesIO(content), filename)
    return client.post("/invoice", data=payload, content_type="multipart/form-data")


def findings(html: str) -> list[tuple[str, str, str]]:
    """(fee, finding, excess) per checked row."""
    body = html.split('id="invoice-checked"', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)[1:]
    result = []
    for row in rows:
        cells = [re.sub(r"<[^>]+>", " ", c) for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
        cells = [re.sub(r"\s+", " ", c).strip() for c in cells]
        result.append((cells[1], cells[5], cells[7]))
    return result


EXPECTED = [
    ("港口作业包干费", "在清单内，未超过公示标准", "—"),
    ("场内搬移费", "包干服务的组成部分，被重复收费 已包含在 港口作业包干费 中", "160.00"),
    ("码头作业包干费", "超过公示标准", "100.00"),
    ("打单费", "不在经营单位的收费目录清单内", "50.00"),
    ("换单费", "超过公示标准", "100.00"),
]


def test_typed_charges_are_each_marked_and_the_excess_totalled(client, demo) -> None:
    response = post(client, typed(CHARGES))
    html = response.get_data(as_text=True)
    assert response.status_code == 200, html
    assert findings(html) == EXPECTED
    assert re.search(r'id="excess-total">[^<]*410\.00 人民币', html)


def _xlsx(rows) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("发票")
    sheet.write_row(0, 0, ["某某物流 发票费用明细"])  # a title above the header
    sheet.write_row(1, 0, HEADER)
    for n, row in enumerate(rows, start=2):
        sheet.write_row(n, 0, [row[0], row[1], row[2], float(row[3]), float(row[4])])
    book.close()
    return buffer.getvalue()


def _csv(rows, encoding="utf-8-sig") -> bytes:
    lines = [",".join(HEADER)] + [",".join(row) for row in rows]
    return ("\n".join(lines) + "\n").encode(encoding)


@pytest.mark.parametrize(
    ("content", "filename"),
    [(_xlsx(CHARGES), "invoice.xlsx"), (_csv(CHARGES), "invoice.csv"), (_csv(CHARGES, "gb18030"), "发票.csv")],
    ids=["xlsx", "csv-utf8", "csv-gb18030"],
)
def test_an_uploaded_invoice_is_checked_the_same_way(client, demo, content, filename) -> None:
    html = post(client, invoice=(content, filename)).get_data(as_text=True)
    assert findings(html) == EXPECTED


def test_bad_rows_are_located_and_nothing_is_checked(client, demo) -> None:
    rows = [
        CHARGES[0],
        (TERMINAL, "2026-13-40", "换单费", "1", "abc"),
        (TERMINAL, DAY, "", "0", "100"),
    ]
    response = post(client, invoice=(_csv(rows), "invoice.csv"))
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'id="invoice-checked"' not in html
    errors = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html.split('id="invoice-errors"', 1)[1].split("</ul>")[0]))
    assert "第 3 行，B 列（收费日期）：2026-13-40 不是日期" in errors
    assert "第 3 行，E 列（实收金额）：abc 不是金额" in errors
    assert "第 4 行，C 列（收费项目）：收费项目为空" in errors
    assert "第 4 行，D 列（数量）：0 必须大于零" in errors


def test_a_typed_bad_row_names_the_row_and_field(client, demo) -> None:
    html = post(client, typed([(AGENCY, DAY, "换单费", "1", "")])).get_data(as_text=True)
    assert "第 1 行（实收金额）" in re.sub(r"<[^>]+>", "", html)


@pytest.mark.parametrize(
    ("content", "filename", "message"),
    [
        (b"x" * (64 * 1024 + 1), "big.csv", "大于 64 KB"),
        (b"just,some,words\n1,2,3\n", "invoice.csv", "没有表头行"),
        (b"PK\x03\x04 not really a zip", "invoice.xlsx", ""),
    ],
    ids=["too-big", "no-header", "broken-xlsx"],
)
def test_an_unreadable_upload_is_refused_with_a_reason(app, client, demo, content, filename, message) -> None:
    app.config["INVOICE_CHECK_MAX_BYTES"] = 64 * 1024  # below werkzeug's in-memory threshold, as 512 KB is not
    response = post(client, invoice=(content, filename))
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "文件未读取" in html
    assert message in re.sub(r"<[^>]+>", "", html)


def test_the_check_needs_its_csrf_token(client, demo) -> None:
    response = client.post("/invoice", data=typed(CHARGES), content_type="multipart/form-data")
    assert response.status_code == 400
    assert 'id="invoice-checked"' not in response.get_data(as_text=True)


def test_a_flagged_charge_prefills_a_complaint_and_nothing_is_stored(client, demo, db) -> None:
    html = post(client, typed(CHARGES)).get_data(as_text=True)
    links = re.findall(r'class="complain-link" href="([^"]+)"', html)
    assert len(links) == 4  # the four flagged charges; the charge within the list has none
    above = parse_qs(urlsplit(links[-1].replace("&amp;", "&")).query)
    assert above["charged_on"] == [DAY]
    assert above["amount"] == ["460"]
    assert above["fee_line"][0].isdigit()
    assert "超出" in above["description"][0]
    assert "100.00" in above["description"][0]
    page = client.get(links[-1].replace("&amp;", "&")).get_data(as_text=True)
    assert 'value="460"' in page
    assert "100.00" in page.split("<textarea", 1)[1].split("</textarea>", 1)[0]
    assert re.search(r'<option selected value="\d+">换单费', page) or re.search(
        r'<option value="\d+" selected>换单费', page
    )
    unlisted = parse_qs(urlsplit(links[2].replace("&amp;", "&")).query)
    assert unlisted["fee_line"] == ["other"]
    assert unlisted["other_name"] == ["打单费"]
    assert db.session.scalar(select(func.count()).select_from(Complaint)) == 0


def test_an_unknown_operator_is_said_so(client, demo) -> None:
    html = post(client, typed([("不存在的公司", DAY, "换单费", "1", "100")])).get_data(as_text=True)
    assert findings(html) == [("换单费", "未找到经营单位：请填写全称或统一社会信用代码", "—")]

"""Operator staff's catalogue pages through the test client with CSRF on: forms, uploads, downloads, submission."""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Sequence
from datetime import date

import openpyxl
import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from portal.audit.models import AuditEntry
from portal.auth import services as auth
from portal.auth.models import Role
from portal.catalogue import services as catalogue
from portal.catalogue.models import VersionStatus
from portal.extensions import db as _db
from portal.govlist.services import load_feelists
from portal.publishing import editions
from portal.validation.model import FeeLine, Header
from portal.workbook.reader import read_workbook
from tests.conftest import csrf_from

TABLE = [
    "序号",
    "收费项目",
    "适用条件",
    "服务内容",
    "收费标准",
    "计费单位",
    "币种",
    "定价方式",
    "收费依据",
    "代收代付",
    "备注",
]
LOCK = re.compile(r'name="lock"[^>]*value="(\d+)"|value="(\d+)"[^>]*name="lock"')
FIELDS = ("name", "service_content", "standard", "unit", "pricing_class")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def lock_from(html: str) -> str:
    match = LOCK.search(html)
    assert match, "the page has no lock field"
    return match.group(1) or match.group(2)


def line_form(**values: str) -> dict[str, str]:
    defaults = {
        "name": "文件费",
        "trade": "",
        "container_size": "",
        "laden": "",
        "cargo": "",
        "other_conditions": "",
        "service_content": "制作、签发单证",
        "standard": "400",
        "unit": "元/票",
        "unit_other": "",
        "currency": "CNY",
        "pricing_class": "市场调节价",
        "basis": "",
        "pass_through": "否",
        "remarks": "",
        "effective_date": "",
    }
    return {**defaults, **values}


@pytest.fixture
def operator(app, make_operator):
    load_feelists(app.config["FEELISTS_DIR"])
    return make_operator("广州测试码头有限公司")


@pytest.fixture
def staff(operator):
    return auth.create_user("zhang@example.test", "张三", "correct horse battery", Role.OPERATOR, operator=operator)


@pytest.fixture
def signed_in(client: FlaskClient, login_as, staff) -> FlaskClient:
    return login_as(staff)


@pytest.fixture
def post(client: FlaskClient) -> Callable[..., object]:
    """POST a form the way a browser does: open the page first, take its CSRF token (and lock), then send."""

    def send(page: str, data: dict[str, object], *, to: str | None = None, lock: bool = True, **kwargs):
        html = client.get(page).get_data(as_text=True)
        fields = {"csrf_token": csrf_from(html), **({"lock": lock_from(html)} if lock else {}), **data}
        return client.post(to or page, data=fields, **kwargs)

    return send


@pytest.fixture
def draft(operator, staff):
    def make(
        lines: Sequence[FeeLine] = (
            FeeLine(
                name="文件费", service_content="制作单证", standard="400", unit="元/票", pricing_class="市场调节价"
            ),
        ),
    ):
        header = Header(
            operator_name=operator.name_zh,
            credit_code=operator.credit_code,
            port_area="南沙港区",
            complaint_phone="020-12345678",
            effective_date="2026-03-01",
        )
        return catalogue.replace_contents(operator, header, lines, staff)

    return make


@pytest.fixture
def xlsx(operator) -> Callable[..., bytes]:
    def make(rows: Sequence[Sequence[object]], table: Sequence[str] = TABLE) -> bytes:
        book = openpyxl.Workbook()
        sheet = book.active
        sheet.title = "收费目录清单"
        for label, value in (
            ("单位名称", operator.name_zh),
            ("统一社会信用代码", operator.credit_code),
            ("口岸/港区", "南沙港区"),
            ("投诉举报电话", "020-12345678"),
            ("执行日期", "2026-03-01"),
        ):
            sheet.append([label, value])
        sheet.append([])
        sheet.append(list(table))
        for values in rows:
            sheet.append(list(values))
        stream = io.BytesIO()
        book.save(stream)
        return stream.getvalue()

    return make


def row(name: str = "文件费", standard: object = "400") -> list[object]:
    return ["", name, "", "制作、签发单证", standard, "元/票", "CNY", "市场调节价", "", "否", ""]


def test_staff_start_their_list_from_the_dashboard(signed_in, post, operator) -> None:
    response = post("/catalogue/", {}, to="/catalogue/draft/start", lock=False)
    assert response.status_code == 302
    assert response.location.endswith("/catalogue/draft")
    page = signed_in.get("/catalogue/draft").get_data(as_text=True)
    assert operator.credit_code in page
    assert 'id="add-line"' in page
    assert catalogue.working_version(operator) is not None


def test_a_post_without_a_csrf_token_changes_nothing(signed_in, operator) -> None:
    assert signed_in.post("/catalogue/draft/start").status_code == 400
    assert catalogue.working_version(operator) is None


def test_the_line_form_composes_the_conditions_from_its_choices(signed_in, post, draft, operator) -> None:
    version = draft()
    values = line_form(
        name="货物港务费",
        trade="外贸进口",
        container_size="20",
        laden="重箱",
        cargo="普通货物",
        other_conditions="查验无问题",
        standard="200",
        unit="元/箱",
    )
    response = post("/catalogue/draft/lines/new", values)
    assert response.status_code == 302
    added = version.lines[-1]
    assert added.conditions == "外贸进口 20英尺 重箱 普通货物 查验无问题"
    page = signed_in.get(f"/catalogue/draft/lines/{added.id}").get_data(as_text=True)
    assert re.search(r'<option selected value="外贸进口">|<option value="外贸进口" selected>', page)
    assert re.search(r'value="20"[^>]*selected|selected[^>]*value="20"', page)


def test_findings_show_beside_the_field_they_concern_after_a_save(signed_in, post, draft) -> None:
    version = draft()
    line = version.lines[0]
    response = post(f"/catalogue/draft/lines/{line.id}", line_form(standard="-120"))
    assert response.location.endswith(f"/catalogue/draft/lines/{line.id}")
    page = signed_in.get(response.location).get_data(as_text=True)
    standard_block = page[page.index('id="standard-error"') :]
    assert "-120" in standard_block[: standard_block.index("</div>")]
    assert 'id="name-error"' not in page


def test_findings_are_shown_in_the_users_language(signed_in, post, draft) -> None:
    version = draft()
    response = post(f"/catalogue/draft/lines/{version.lines[0].id}", line_form(standard="-120"))
    page = signed_in.get(response.location).get_data(as_text=True)
    assert "文件费的收费标准“-120”为负数" in page
    assert "is negative" not in page


def test_a_stale_save_gets_a_conflict_naming_the_other_change(signed_in, draft, staff) -> None:
    version = draft()
    line = version.lines[0]
    html = signed_in.get(f"/catalogue/draft/lines/{line.id}").get_data(as_text=True)
    colleague = auth.create_user(
        "li@example.test", "李四", "correct horse battery", Role.OPERATOR, operator=staff.operator
    )
    catalogue.update_line(
        version,
        line.id,
        colleague,
        FeeLine(name="文件费", service_content="制作单证", standard="450", unit="元/票", pricing_class="市场调节价"),
        expected_lock=version.lock_version,
    )
    response = signed_in.post(
        f"/catalogue/draft/lines/{line.id}",
        data={**line_form(standard="500"), "csrf_token": csrf_from(html), "lock": lock_from(html)},
    )
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "李四" in page
    assert "400 → 450" in page
    assert lock_from(page) == str(version.lock_version)
    _db.session.expire_all()
    assert line.standard == "450"


def test_a_line_is_deleted_by_a_post_with_the_lock(signed_in, post, draft) -> None:
    version = draft([FeeLine(name="文件费", standard="400"), FeeLine(name="电放费", standard="300")])
    gone = version.lines[1]
    page = signed_in.get("/catalogue/draft").get_data(as_text=True)
    assert f'action="/catalogue/draft/lines/{gone.id}/delete"' in page
    assert "data-confirm" in page
    response = post("/catalogue/draft", {}, to=f"/catalogue/draft/lines/{gone.id}/delete")
    assert response.status_code == 302
    assert [line.name for line in version.lines] == ["文件费"]


def test_an_upload_with_faults_is_kept_and_its_findings_are_located(signed_in, post, xlsx, operator) -> None:
    data = xlsx([row(), row("电放费", -120)], table=[*TABLE[:-1], "备住"])
    response = post(
        "/catalogue/upload",
        {"file": (io.BytesIO(data), "清单.xlsx"), "mode": "replace"},
        lock=False,
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    page = signed_in.get("/catalogue/draft").get_data(as_text=True)
    assert "收费目录清单!E9" in page
    assert "收费目录清单!K7" in page
    assert [line.name for line in catalogue.working_version(operator).lines] == ["文件费", "电放费"]


@pytest.mark.parametrize(
    ("data", "filename", "says"),
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "清单.xls", "另存为 Excel 工作簿（.xlsx）"),
        ("收费项目,收费标准\n".encode(), "清单.csv", "这是文本文件"),
    ],
    ids=["xls", "csv"],
)
def test_a_refused_upload_shows_what_to_do_and_leaves_the_draft(signed_in, post, draft, data, filename, says) -> None:
    version = draft()
    lock = version.lock_version
    response = post(
        "/catalogue/upload",
        {"file": (io.BytesIO(data), filename), "mode": "replace"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert says in response.get_data(as_text=True)
    _db.session.expire_all()
    assert (version.lock_version, [line.standard for line in version.lines]) == (lock, ["400"])


def test_an_upload_above_the_configured_size_is_refused_with_a_message(signed_in, post, app, xlsx) -> None:
    app.config["UPLOAD_MAX_BYTES"] = 1_000
    data = xlsx([row()])
    response = post(
        "/catalogue/upload",
        {"file": (io.BytesIO(data), "清单.xlsx"), "mode": "replace"},
        lock=False,
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert "请删除清单不需要的图片和工作表" in response.get_data(as_text=True)


def test_an_upload_above_the_request_cap_is_refused_with_413(signed_in, post, app) -> None:
    app.config["MAX_CONTENT_LENGTH"] = 10_000
    response = post(
        "/catalogue/upload",
        {"file": (io.BytesIO(b"x" * 20_000), "big.xlsx"), "mode": "replace"},
        lock=False,
        content_type="multipart/form-data",
    )
    assert response.status_code == 413


@pytest.mark.parametrize(
    ("lang", "sheets"), [("zh", ["收费目录清单", "说明"]), ("en", ["收费目录清单", "Instructions"])]
)
def test_the_blank_template_downloads_with_dropdowns_and_instructions(client, lang, sheets) -> None:
    response = client.get(f"/catalogue/template.xlsx?lang={lang}")
    assert response.status_code == 200
    assert response.mimetype == XLSX
    book = openpyxl.load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == sheets
    assert len(book["收费目录清单"].data_validations.dataValidation) >= 4


def test_the_draft_downloads_as_xlsx_under_a_chinese_name(signed_in, draft, operator) -> None:
    version = draft()
    response = signed_in.get(f"/catalogue/{version.id}.xlsx")
    assert response.status_code == 200
    assert response.mimetype == XLSX
    assert "filename*=UTF-8''" in response.headers["Content-Disposition"]
    read = read_workbook(response.data, "下载.xlsx")
    assert [line.name for line in read.catalogue.lines] == ["文件费"]


def test_the_findings_report_downloads_in_the_users_language(signed_in, draft) -> None:
    version = draft(
        [FeeLine(name="电放费", service_content="电放", standard="-1", unit="元/票", pricing_class="市场调节价")]
    )
    response = signed_in.get(f"/catalogue/{version.id}/findings.xlsx")
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.data))["检查结果"]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    negative = [r for r in rows if r[5] == "电放费" and r[4] == "收费标准"]
    severity, message = negative[0][1], negative[0][6]
    assert severity == "错误"
    assert "-1" in message
    assert "负" in message
    assert not any("invalid-value" in str(value) for row in rows for value in row)  # words, not the rule's code


def test_another_operators_staff_cannot_download_or_edit_a_draft(
    client, login_as, draft, make_operator, make_user
) -> None:
    version = draft()
    login_as(make_user(Role.OPERATOR, operator=make_operator()))
    assert client.get(f"/catalogue/{version.id}.xlsx").status_code == 403
    assert client.get(f"/catalogue/{version.id}/findings.xlsx").status_code == 403
    assert client.get(f"/catalogue/draft/lines/{version.lines[0].id}").status_code == 302  # they have no draft
    client.post(
        "/catalogue/draft/start", data={"csrf_token": csrf_from(client.get("/catalogue/").get_data(as_text=True))}
    )
    assert client.get(f"/catalogue/draft/lines/{version.lines[0].id}").status_code == 404


def test_the_public_gets_published_editions_only(client, draft) -> None:
    version = draft()
    assert client.get(f"/catalogue/{version.id}.xlsx").status_code == 404
    editions.publish(version, None)
    assert client.get(f"/catalogue/{version.id}.xlsx").status_code == 200


def test_bureau_staff_do_not_edit_operator_drafts(client, login_as, make_user) -> None:
    login_as(make_user(Role.REVIEWER))
    assert client.get("/catalogue/draft").status_code == 403
    assert client.get("/catalogue/upload").status_code == 403


def test_submission_asks_an_explanation_for_each_error_and_the_attestation(signed_in, post, draft, operator) -> None:
    version = draft(
        [FeeLine(name="电放费", service_content="电放", standard="-1", unit="元/票", pricing_class="市场调节价")]
    )
    page = signed_in.get("/catalogue/submit").get_data(as_text=True)
    assert "本单位承诺所填报收费目录清单真实、准确、完整" in page
    assert 'name="explanations-0-text"' in page
    finding_id = re.search(r'name="explanations-0-finding_id"[^>]*value="([^"]+)"', page).group(1)
    refused = post(
        "/catalogue/submit", {"explanations-0-finding_id": finding_id, "explanations-0-text": "", "attestation": "y"}
    )
    assert refused.status_code == 400
    assert "个错误未作说明" in refused.get_data(as_text=True)
    unattested = post(
        "/catalogue/submit", {"explanations-0-finding_id": finding_id, "explanations-0-text": "暂按代收标准收取"}
    )
    assert unattested.status_code == 400
    assert version.status is VersionStatus.DRAFT
    done = post(
        "/catalogue/submit",
        {"explanations-0-finding_id": finding_id, "explanations-0-text": "暂按代收标准收取", "attestation": "y"},
    )
    assert done.status_code == 302
    assert version.status is VersionStatus.SUBMITTED
    assert version.explanations == {finding_id: "暂按代收标准收取"}
    dashboard = signed_in.get("/catalogue/").get_data(as_text=True)
    assert "badge--submitted" in dashboard
    assert 'id="withdraw"' in dashboard


def test_a_submitted_version_is_withdrawn_to_a_draft(signed_in, post, draft, staff) -> None:
    version = catalogue.submit(draft(), staff, True, {})
    response = post("/catalogue/", {}, to="/catalogue/withdraw", lock=False)
    assert response.status_code == 302
    assert version.status is VersionStatus.DRAFT


def test_a_change_of_the_published_list_shows_its_marks(signed_in, post, draft, operator) -> None:
    lines = [
        FeeLine(**{k: v for k, v in line_form(name=name, standard=standard).items() if k in FIELDS})
        for name, standard in (("文件费", "400"), ("电放费", "300"))
    ]
    editions.publish(draft(lines), None, now=date(2026, 3, 1))
    assert post("/catalogue/", {}, to="/catalogue/change", lock=False).status_code == 302
    change = catalogue.working_version(operator)
    first, second = change.lines
    post(f"/catalogue/draft/lines/{first.id}", line_form(standard="450"))
    post("/catalogue/draft", {}, to=f"/catalogue/draft/lines/{second.id}/delete")
    page = signed_in.get("/catalogue/draft").get_data(as_text=True)
    assert "badge--mark-i" in page
    assert "badge--mark-d" in page
    notice = change.lines[-1]
    assert (notice.name, notice.change_mark) == ("电放费", "D")
    assert f'action="/catalogue/draft/lines/{notice.id}/restore"' in page
    actions = set(_db.session.scalars(select(AuditEntry.action)))
    assert {"catalogue.draft", "catalogue.line.update", "catalogue.line.delete"} <= actions


def test_the_header_form_saves_and_shows_header_findings(signed_in, post, draft) -> None:
    version = draft()
    values = {
        "operator_name": version.operator_name,
        "credit_code": "123",
        "port_area": "南沙港区",
        "complaint_phone": "020-12345678",
        "effective_date": "2026-04-01",
        "updated_date": "",
    }
    values["complaint_phone"] = "12"
    response = post("/catalogue/draft/header", values)
    assert response.location.endswith("/catalogue/draft/header")
    page = signed_in.get(response.location).get_data(as_text=True)
    assert 'id="complaint_phone-error"' in page
    assert 'id="credit_code-error"' not in page  # the typed "123" gave way to the operator's record
    assert version.credit_code == version.catalogue.operator.credit_code
    assert version.effective_date_text == "2026-04-01"

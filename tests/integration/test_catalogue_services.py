"""Catalogue use cases on the real database, both backends: edits, locking, uploads, submission, changes, audit."""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date
from decimal import Decimal

import openpyxl
import pytest
from sqlalchemy import select

from portal.audit.models import AuditEntry
from portal.auth import services as auth
from portal.auth.models import Role
from portal.catalogue import services as catalogue
from portal.catalogue.models import CatalogueVersion, VersionStatus
from portal.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from portal.extensions import db as _db
from portal.govlist.services import load_feelists
from portal.publishing import editions
from portal.validation.model import FeeLine, Header
from portal.workbook import template_text
from portal.workbook.reader import read_workbook

TODAY = date(2026, 3, 2)
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


def fee(name: str = "文件费", standard: str = "400", **values: str) -> FeeLine:
    defaults = {"service_content": "制作、签发单证", "unit": "元/票", "pricing_class": "市场调节价"}
    return FeeLine(name=name, standard=standard, **{**defaults, **values})


def row(name: str = "文件费", standard: object = "400", conditions: str = "", unit: str = "元/票") -> list[object]:
    return ["", name, conditions, "制作、签发单证", standard, unit, "CNY", "市场调节价", "", "否", ""]


@pytest.fixture
def govlist(app) -> None:
    load_feelists(app.config["FEELISTS_DIR"])


@pytest.fixture
def operator(make_operator, govlist):
    return make_operator("广州测试码头有限公司")


@pytest.fixture
def staff(operator):
    return auth.create_user("zhang@example.test", "张三", "correct horse battery", Role.OPERATOR, operator=operator)


@pytest.fixture
def colleague(operator):
    return auth.create_user("li@example.test", "李四", "correct horse battery", Role.OPERATOR, operator=operator)


@pytest.fixture
def stranger(make_operator, make_user):
    return make_user(Role.OPERATOR, operator=make_operator())


@pytest.fixture
def header(operator) -> Header:
    return Header(
        operator_name=operator.name_zh,
        credit_code=operator.credit_code,
        port_area="南沙港区",
        complaint_phone="020-12345678",
        effective_date="2026-03-01",
    )


@pytest.fixture
def draft(operator, staff, header) -> Callable[..., CatalogueVersion]:
    """The operator's draft holding `lines` (default: one clean 文件费 line)."""

    def make(lines: Sequence[FeeLine] = (fee(),)) -> CatalogueVersion:
        return catalogue.replace_contents(operator, header, lines, staff, as_of=TODAY)

    return make


@pytest.fixture
def xlsx(operator) -> Callable[..., bytes]:
    """A workbook in the prescribed format: header block, a blank row, the table header, then `rows`."""

    def make(rows: Sequence[Sequence[object]], table: Sequence[str] = TABLE, effective: str = "2026-03-01") -> bytes:
        book = openpyxl.Workbook()
        sheet = book.active
        sheet.title = "收费目录清单"
        for label, value in (
            ("单位名称", operator.name_zh),
            ("统一社会信用代码", operator.credit_code),
            ("口岸/港区", "南沙港区"),
            ("投诉举报电话", "020-12345678"),
            ("执行日期", effective),
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


def audit_rows(action: str) -> list[AuditEntry]:
    return list(_db.session.scalars(select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)))


def published(version: CatalogueVersion) -> CatalogueVersion:
    return editions.publish(version, None, now=TODAY)


# ---- Starting and editing -------------------------------------------------------------------------------------


def test_a_new_draft_is_prefilled_from_the_operator_profile(operator, staff) -> None:
    version = catalogue.open_draft(operator, staff, as_of=TODAY)
    assert (version.status, version.number, version.based_on) == (VersionStatus.DRAFT, 1, None)
    assert (version.operator_name, version.credit_code) == (operator.name_zh, operator.credit_code)
    assert (version.port_area, version.complaint_phone) == ("南沙港区", "020-12345678")
    assert catalogue.open_draft(operator, staff, as_of=TODAY).id == version.id
    assert [e.subject_id for e in audit_rows("catalogue.draft")] == [str(version.id)]


def test_adding_a_line_checks_it_and_stores_the_findings_beside_its_fields(draft, staff) -> None:
    version = draft()
    lock = version.lock_version
    line = catalogue.add_line(version, staff, fee("堆存费", "-5", unit="元/箱·天"), expected_lock=lock, as_of=TODAY)
    assert version.lock_version > lock
    assert [(f.rule, f.location.field) for f in catalogue.report_of(version).for_line(str(line.id))] == [
        ("invalid-value", "standard")
    ]
    assert version.error_count == 1
    entry = audit_rows("catalogue.line.add")[-1]
    assert (entry.subject_type, entry.subject_id, entry.actor_label) == ("fee_line", str(line.id), staff.email)
    assert entry.after["standard"] == "-5"
    assert entry.after["_context"] == {
        "version_id": version.id,
        "lock": version.lock_version,
        "line": 2,
        "item": "堆存费",
    }


def test_an_amount_too_large_to_store_is_kept_as_written_only(draft, staff) -> None:
    version = draft()
    huge = "1" + "0" * 15
    line = catalogue.add_line(version, staff, fee("堆存费", huge), expected_lock=version.lock_version, as_of=TODAY)
    _db.session.expire_all()
    assert (line.standard, line.standard_kind, line.amount) == (huge, "fixed", None)


def test_updating_a_line_audits_the_fields_before_and_after(draft, staff) -> None:
    version = draft()
    line = version.lines[0]
    catalogue.update_line(version, line.id, staff, fee(standard="450"), expected_lock=version.lock_version, as_of=TODAY)
    assert (line.standard, line.amount) == ("450", Decimal("450"))
    entry = audit_rows("catalogue.line.update")[-1]
    assert entry.before == {"standard": "400"}
    assert {k: v for k, v in entry.after.items() if k != "_context"} == {"standard": "450"}


def test_deleting_a_line_audits_what_it_held(draft, staff) -> None:
    version = draft([fee(), fee("电放费", "300")])
    removed = version.lines[1]
    catalogue.delete_line(version, removed.id, staff, expected_lock=version.lock_version, as_of=TODAY)
    assert [line.name for line in version.lines] == ["文件费"]
    entry = audit_rows("catalogue.line.delete")[-1]
    assert (entry.subject_type, entry.subject_id) == ("fee_line", str(removed.id))
    assert entry.before["name"] == "电放费"
    assert entry.before["standard"] == "300"


def test_saving_the_header_audits_it_and_checks_it_again(draft, staff, header) -> None:
    version = draft()
    bad = Header(
        **{
            **{k: getattr(header, k) for k in ("operator_name", "port_area", "complaint_phone")},
            "credit_code": "123",
            "effective_date": "2026-04-01",
        }
    )
    catalogue.save_header(
        version, staff, replace(bad, complaint_phone="12"), expected_lock=version.lock_version, as_of=TODAY
    )
    errors = {(f.rule, f.location.field) for f in catalogue.report_of(version).errors}
    assert ("missing-complaint-phone", "complaint_phone") in errors  # "12" is no phone number
    assert version.credit_code == header.credit_code  # the operator's record, not the "123" typed
    entry = audit_rows("catalogue.header")[-1]
    assert entry.before == {
        "credit_code": header.credit_code,
        "complaint_phone": header.complaint_phone,
        "effective_date": "2026-03-01",
    }
    assert entry.after["effective_date"] == "2026-04-01"


@pytest.mark.parametrize(
    "action",
    [
        lambda v, actor: catalogue.add_line(v, actor, fee(), expected_lock=v.lock_version),
        lambda v, actor: catalogue.update_line(v, v.lines[0].id, actor, fee(), expected_lock=v.lock_version),
        lambda v, actor: catalogue.delete_line(v, v.lines[0].id, actor, expected_lock=v.lock_version),
        lambda v, actor: catalogue.save_header(v, actor, Header(), expected_lock=v.lock_version),
        lambda v, actor: catalogue.submit(v, actor, True, {}),
        lambda v, actor: catalogue.open_draft(v.catalogue.operator, actor),
        lambda v, actor: catalogue.own_version(v.id, actor),
    ],
    ids=["add", "update", "delete", "header", "submit", "open", "read"],
)
def test_staff_of_another_operator_are_refused(draft, stranger, action) -> None:
    version = draft()
    lock = version.lock_version
    with pytest.raises(PermissionDenied):
        action(version, stranger)
    _db.session.expire_all()
    assert (version.lock_version, [line.standard for line in version.lines]) == (lock, ["400"])


def test_a_draft_is_not_found_by_the_public_but_a_published_edition_is(draft, stranger) -> None:
    version = draft()
    with pytest.raises(NotFound):
        catalogue.visible_version(version.id, None)
    with pytest.raises(PermissionDenied):
        catalogue.visible_version(version.id, stranger)
    published(version)
    assert catalogue.visible_version(version.id, None) is version


# ---- Optimistic locking ---------------------------------------------------------------------------------------


def test_a_save_from_a_stale_lock_is_refused_naming_the_other_change(draft, staff, colleague) -> None:
    version = draft()
    seen = version.lock_version
    line = version.lines[0]
    catalogue.update_line(version, line.id, staff, fee(standard="450"), expected_lock=seen, as_of=TODAY)
    with pytest.raises(Conflict) as refused:
        catalogue.update_line(version, line.id, colleague, fee(standard="500"), expected_lock=seen, as_of=TODAY)
    message = str(refused.value)
    assert "张三" in message
    assert "changed line 1 (文件费): 收费标准 400 → 450" in message
    assert refused.value.params["lock"] == version.lock_version
    assert [s["who"] for s in refused.value.params["saves"]] == ["张三"]
    _db.session.expire_all()
    assert line.standard == "450"


def test_a_save_that_loses_a_race_at_the_flush_is_refused_and_keeps_nothing(draft, staff) -> None:
    version = draft()
    seen = version.lock_version
    table = CatalogueVersion.__table__
    _db.session.execute(table.update().where(table.c.id == version.id).values(lock_version=seen + 1))
    with pytest.raises(Conflict):
        catalogue.update_line(version, version.lines[0].id, staff, fee(standard="450"), expected_lock=seen, as_of=TODAY)
    _db.session.expire_all()
    assert version.lines[0].standard == "400"
    assert audit_rows("catalogue.line.update") == []


# ---- Uploads --------------------------------------------------------------------------------------------------


def test_an_upload_with_findings_is_saved_as_the_draft_with_its_located_report(operator, staff, xlsx) -> None:
    table = [*TABLE[:-1], "备住"]  # a misspelt 备注
    data = xlsx([row(), row("电放费", -120)], table=table)
    version = catalogue.import_workbook(operator, staff, data, "清单.xlsx", as_of=TODAY)
    assert [(line.name, line.standard, line.source_row) for line in version.lines] == [
        ("文件费", "400", 8),
        ("电放费", "-120", 9),
    ]
    located = {(f.rule, f.location.sheet, f.location.cell) for f in catalogue.report_of(version).findings}
    assert ("invalid-value", "收费目录清单", "E9") in located
    assert ("unknown-column", "收费目录清单", "K7") in located
    assert (version.source, version.upload_filename, version.error_count) == ("upload", "清单.xlsx", 1)
    entry = audit_rows("catalogue.upload")[-1]
    assert entry.before["lines"] == []
    assert [line["name"] for line in entry.after["lines"]] == ["文件费", "电放费"]


@pytest.mark.parametrize(
    ("data", "filename", "says"),
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "清单.xls", "not an Excel workbook"),
        ("收费项目,收费标准\n文件费,400\n".encode(), "清单.csv", "text file"),
        (b"", "清单.xlsx", "empty"),
    ],
    ids=["xls", "csv", "empty"],
)
def test_a_refused_upload_says_what_to_do_and_leaves_the_draft_unchanged(
    draft, operator, staff, data, filename, says
) -> None:
    version = draft()
    lock = version.lock_version
    with pytest.raises(InvalidInput, match=says):
        catalogue.import_workbook(operator, staff, data, filename, expected_lock=lock, as_of=TODAY)
    _db.session.expire_all()
    assert (version.lock_version, [line.standard for line in version.lines]) == (lock, ["400"])
    assert audit_rows("catalogue.upload") == []


def test_a_workbook_is_read_by_its_content_whatever_its_name_says(operator, staff, xlsx) -> None:
    version = catalogue.import_workbook(operator, staff, xlsx([row()]), "清单.xlsm", as_of=TODAY)
    assert len(version.lines) == 1


def test_an_upload_bigger_than_the_cap_is_refused_before_it_is_read(operator, staff, xlsx) -> None:
    data = xlsx([row()])
    with pytest.raises(InvalidInput, match="at most"):
        catalogue.import_workbook(operator, staff, data, "清单.xlsx", max_bytes=len(data) - 1, as_of=TODAY)


def test_merging_replaces_the_same_fee_and_adds_the_others(draft, operator, staff, xlsx) -> None:
    version = draft([fee(), fee("堆存费", "20", unit="元/箱·天", remarks="按天计")])
    data = xlsx([row("文件费", "450"), row("查验搬移费", "200", unit="元/箱")])
    catalogue.import_workbook(
        operator, staff, data, "补充.xlsx", mode="merge", expected_lock=version.lock_version, as_of=TODAY
    )
    assert [(line.name, line.standard, line.source_row) for line in version.lines] == [
        ("文件费", "450", 8),
        ("堆存费", "20", None),
        ("查验搬移费", "200", 9),
    ]


def test_merging_keeps_the_values_of_columns_the_workbook_lacks(draft, operator, staff, xlsx) -> None:
    version = draft([fee(remarks="节假日照收")])
    data = xlsx([row("文件费", "450")[:-1]], table=TABLE[:-1])
    catalogue.import_workbook(operator, staff, data, "补充.xlsx", mode="merge", as_of=TODAY)
    assert (version.lines[0].standard, version.lines[0].remarks) == ("450", "节假日照收")


def test_values_too_long_for_their_column_are_cut_and_reported(operator, staff, xlsx) -> None:
    version = catalogue.import_workbook(operator, staff, xlsx([row(), row("港" * 250)]), "长.xlsx", as_of=TODAY)
    assert len(version.lines[1].name) == 200
    cut = [f for f in catalogue.report_of(version).errors if f.params.get("limit") == "200"]
    assert [(f.location.cell, f.line_key) for f in cut] == [("B9", str(version.lines[1].id))]


def test_a_formula_cell_is_reported_on_the_stored_line_it_belongs_to(operator, staff, xlsx) -> None:
    version = catalogue.import_workbook(
        operator, staff, xlsx([row(), row("电放费", "=100+200")]), "公式.xlsx", as_of=TODAY
    )
    (formula,) = [f for f in catalogue.report_of(version).errors if f.rule == "formula-not-allowed"]
    assert (formula.location.cell, formula.line_key) == ("E9", str(version.lines[1].id))
    assert version.lines[1].standard == ""


def test_reader_findings_stay_until_their_line_is_edited(operator, staff, xlsx) -> None:
    data = xlsx([row(), row("电放费", "300")], table=[*TABLE[:-1], "备住"])
    version = catalogue.import_workbook(operator, staff, data, "清单.xlsx", as_of=TODAY)
    first, second = version.lines
    catalogue.update_line(
        version, second.id, staff, fee("电放费", "-1"), expected_lock=version.lock_version, as_of=TODAY
    )
    findings = catalogue.report_of(version).findings
    assert "unknown-column" in {f.rule for f in findings}
    assert [(f.location.sheet, f.location.cell, f.location.field) for f in findings if f.rule == "invalid-value"] == [
        (None, None, "standard")
    ]
    assert second.source_row is None
    assert first.source_row == 8


# ---- Submission -----------------------------------------------------------------------------------------------


def test_submitting_needs_the_attestation(draft, staff) -> None:
    version = draft()
    with pytest.raises(InvalidInput, match="true, accurate and complete"):
        catalogue.submit(version, staff, False, {}, as_of=TODAY)
    assert version.status is VersionStatus.DRAFT


def test_submitting_is_blocked_until_every_error_is_explained(draft, staff) -> None:
    version = draft([fee(), fee("电放费", "-120")])
    (error_id,) = catalogue.errors_to_explain(version)
    with pytest.raises(InvalidInput) as refused:
        catalogue.submit(version, staff, True, {error_id: "  "}, as_of=TODAY)
    assert refused.value.params["missing"] == [error_id]
    assert version.status is VersionStatus.DRAFT
    catalogue.submit(version, staff, True, {error_id: "代收海关费用，按实际退还", "unrelated": "x"}, as_of=TODAY)
    assert version.status is VersionStatus.SUBMITTED
    assert version.explanations == {error_id: "代收海关费用，按实际退还"}
    assert version.attestation == catalogue.ATTESTATION
    assert (version.submitted_by_id, version.submitted_at is not None) == (staff.id, True)
    assert audit_rows("catalogue.submit")[-1].after["explanations"] == {error_id: "代收海关费用，按实际退还"}


def test_a_submitted_version_cannot_be_edited_until_it_is_withdrawn(draft, staff) -> None:
    version = catalogue.submit(draft(), staff, True, {}, as_of=TODAY)
    with pytest.raises(Conflict):
        catalogue.add_line(version, staff, fee("电放费"), expected_lock=version.lock_version)
    with pytest.raises(Conflict):
        catalogue.open_draft(version.catalogue.operator, staff)
    catalogue.withdraw(version, staff)
    assert (version.status, version.attestation) == (VersionStatus.DRAFT, None)
    assert audit_rows("catalogue.withdraw")[-1].before["status"] == "submitted"
    with pytest.raises(Conflict):
        catalogue.withdraw(version, staff)


# ---- Changes of a published list ------------------------------------------------------------------------------


@pytest.fixture
def edition(draft) -> CatalogueVersion:
    lines = [
        fee(),
        fee("电放费", "300"),
        fee("堆存费", "20", unit="元/箱·天"),
        fee("查验搬移费", "200", unit="元/箱"),
        fee("换单费", "100", effective_date="2025-01-01"),
    ]
    return published(draft(lines))


def test_a_change_starts_from_the_edition_in_force_and_marks_every_line(edition, operator, staff) -> None:
    change = catalogue.start_change(operator, staff, as_of=TODAY)
    assert (change.based_on, change.effective_date_text, [m.change_mark for m in change.lines]) == (
        edition,
        "",
        [""] * 5,
    )
    by_name = {line.name: line for line in change.lines}
    lock = change.lock_version
    for name, standard in (("文件费", "450"), ("电放费", "250")):
        catalogue.update_line(change, by_name[name].id, staff, fee(name, standard), expected_lock=lock)
        lock = change.lock_version
    catalogue.update_line(
        change,
        by_name["堆存费"].id,
        staff,
        fee("堆存费", "20", unit="元/箱·天", remarks="按自然日"),
        expected_lock=lock,
    )
    catalogue.delete_line(change, by_name["查验搬移费"].id, staff, expected_lock=change.lock_version)
    catalogue.add_line(change, staff, fee("VGM申报费", "50"), expected_lock=change.lock_version)
    marks = [(line.name, line.change_mark) for line in change.lines]
    assert marks == [
        ("文件费", "I"),
        ("电放费", "R"),
        ("堆存费", "C"),
        ("换单费", ""),
        ("VGM申报费", "A"),
        ("查验搬移费", "D"),
    ]
    assert change.lines[3].effective_date == "2025-01-01"


def test_a_deleted_line_is_kept_as_a_notice_outside_the_check_until_restored(edition, operator, staff) -> None:
    change = catalogue.start_change(operator, staff, as_of=TODAY)
    gone = next(line for line in change.lines if line.name == "电放费")
    catalogue.delete_line(change, gone.id, staff, expected_lock=change.lock_version)
    notice = change.lines[-1]
    assert (notice.name, notice.change_mark) == ("电放费", "D")
    assert [line.name for line in catalogue.lines_in_force(change)] == ["文件费", "堆存费", "查验搬移费", "换单费"]
    assert catalogue.report_of(change).lines == 4
    with pytest.raises(InvalidInput):
        catalogue.update_line(change, notice.id, staff, fee("电放费", "-1"), expected_lock=change.lock_version)
    catalogue.restore_line(change, notice.id, staff, expected_lock=change.lock_version)
    assert [line.change_mark for line in change.lines] == [""] * 5


def test_changed_lines_take_effect_with_the_change_unless_given_their_own_date(
    edition, operator, staff, header
) -> None:
    change = catalogue.start_change(operator, staff, as_of=TODAY)
    first = change.lines[0]
    catalogue.update_line(change, first.id, staff, fee(standard="450"), expected_lock=change.lock_version)
    assert first.effective_date == ""
    scheduled = Header(
        **{
            **{k: getattr(header, k) for k in ("operator_name", "credit_code", "port_area", "complaint_phone")},
            "effective_date": "2026-07-01",
        }
    )
    catalogue.save_header(change, staff, scheduled, expected_lock=change.lock_version)
    assert first.effective_date == "2026-07-01"
    assert [line.effective_date for line in change.lines[1:]] == ["", "", "", "2025-01-01"]


def test_a_scheduled_change_keeps_the_edition_in_force_until_its_date(edition, operator, staff, header) -> None:
    change = catalogue.start_change(operator, staff, as_of=TODAY)
    catalogue.update_line(change, change.lines[0].id, staff, fee(standard="450"), expected_lock=change.lock_version)
    future = Header(
        **{
            **{k: getattr(header, k) for k in ("operator_name", "credit_code", "port_area", "complaint_phone")},
            "effective_date": "2026-07-01",
        }
    )
    catalogue.save_header(change, staff, future, expected_lock=change.lock_version)
    catalogue.submit(change, staff, True, {}, as_of=TODAY)
    editions.publish(change, None, now=TODAY)
    assert catalogue.in_force(operator, TODAY) == edition
    assert catalogue.in_force(operator, date(2026, 6, 30)) == edition
    assert catalogue.in_force(operator, date(2026, 7, 1)) == change
    assert edition.status is VersionStatus.PUBLISHED


def test_an_upload_into_a_published_list_starts_a_change_and_is_marked(edition, operator, staff, xlsx) -> None:
    data = xlsx(
        [
            row("文件费", "400"),
            row("电放费", "350"),
            row("堆存费", "20", unit="元/箱·天"),
            row("换单费", "100"),
            row("港建费", "10"),
        ]
    )
    change = catalogue.import_workbook(operator, staff, data, "变更.xlsx", as_of=TODAY)
    assert change.based_on == edition
    assert [(line.name, line.change_mark) for line in change.lines] == [
        ("文件费", ""),
        ("电放费", "I"),
        ("堆存费", ""),
        ("换单费", ""),
        ("港建费", "A"),
        ("查验搬移费", "D"),
    ]


def test_the_version_and_its_findings_come_out_as_workbooks(draft, operator, staff) -> None:
    version = draft([fee(), fee("电放费", "-120")])
    read = read_workbook(catalogue.version_workbook(version, "zh"), "清单.xlsx")
    assert [(line.name, line.standard) for line in read.catalogue.lines] == [("文件费", "400"), ("电放费", "-120")]
    assert read.catalogue.header.credit_code == operator.credit_code
    report = openpyxl.load_workbook(io.BytesIO(catalogue.findings_workbook(version, lambda s: s, "en")))
    rows = list(report["Findings"].iter_rows(values_only=True))
    assert rows[0] == template_text.FINDINGS_COLUMNS["en"]
    assert [r[0] for r in rows[1:]] == list(range(1, len(rows)))
    assert any("-120" in r[6] for r in rows[1:])  # the negative price, said in words

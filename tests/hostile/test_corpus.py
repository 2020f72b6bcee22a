"""Issue #8: each hostile workbook, uploaded over a draft, is refused cleanly or read into located findings."""

from __future__ import annotations

import io
import json
import os
import threading
import tracemalloc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import openpyxl
import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_babel import gettext
from markupsafe import escape
from sqlalchemy import func, inspect, select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from portal.audit.models import AuditEntry
from portal.auth.models import Role
from portal.catalogue import services as catalogue
from portal.catalogue.models import CatalogueVersion
from portal.errors import InvalidInput
from portal.extensions import db as _db
from portal.govlist.services import load_feelists
from portal.operators.models import Operator
from portal.validation.findings import Finding, Report
from portal.validation.model import FeeLine, Header
from portal.workbook.guard import GuardLimits, UploadRefused, inspect_upload
from portal.workbook.layout import DATA_SHEET
from portal.workbook.reader import read_workbook, refuse_if_empty
from tests.conftest import csrf_from
from tests.factories import credit_code

from .corpus import CASES, READ, REFUSED, ROW, ROW_LIMIT, WEB, At, Case, Read, Refused

MB = 1024 * 1024
MEMORY_BOUND = 200 * MB  # the shared-strings bomb alone would inflate to 300 MB
PAGE = os.sysconf("SC_PAGE_SIZE")
SCRIPT = "<script>alert(1)</script>"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _id(case: Case) -> str:
    return case.id


@pytest.fixture(scope="session")
def built() -> Callable[[Case], tuple[bytes, str]]:
    """Each case's file, built once per session: the big ones take a second or two."""
    cache: dict[str, tuple[bytes, str]] = {}

    def build(case: Case) -> tuple[bytes, str]:
        if case.id not in cache:
            cache[case.id] = case.build()
        return cache[case.id]

    return build


@pytest.fixture
def operator(app: Flask, make_operator) -> Operator:
    load_feelists(app.config["FEELISTS_DIR"])
    return make_operator("广州测试码头有限公司", credit_code=credit_code(0))  # the code the corpus's header block gives


@pytest.fixture
def staff(operator: Operator, make_user):
    return make_user(Role.OPERATOR, operator)


@pytest.fixture
def existing_draft(operator: Operator, staff) -> CatalogueVersion:
    """A draft with two known lines, one of them faulty, so its lock and its report are both worth keeping."""
    header = Header(
        operator_name=operator.name_zh,
        credit_code=operator.credit_code,
        port_area="南沙港区",
        complaint_phone="020-12345678",
        effective_date="2026-03-01",
    )
    lines = (
        FeeLine(name="文件费", service_content="制作单证", standard="400", unit="元/票", pricing_class="市场调节价"),
        FeeLine(name="电放费", service_content="电放", standard="-5", unit="元/票", pricing_class="市场调节价"),
    )
    version = catalogue.replace_contents(operator, header, lines, staff)
    assert catalogue.report_of(version).errors  # the negative standard: the report is not empty
    return version


def _row(record: Any) -> dict[str, Any]:
    return {column.key: getattr(record, column.key) for column in inspect(record).mapper.column_attrs}


def stored(operator: Operator) -> str:
    """Everything stored about the operator's catalogue, read afresh: versions, lines, reports, locks, audit rows."""
    _db.session.expire_all()
    versions = [{**_row(v), "lines": [_row(r) for r in v.lines]} for v in catalogue.versions_of(operator)]
    own = AuditEntry.operator_id == operator.id
    audit = _db.session.scalar(select(func.count()).select_from(AuditEntry).where(own))
    return json.dumps({"versions": versions, "audit": audit}, default=str, sort_keys=True, ensure_ascii=False)


def resident_bytes() -> int:
    """The process's resident memory now (not its lifetime peak, which an earlier test may have set)."""
    with open("/proc/self/statm", encoding="ascii") as statm:
        return int(statm.read().split()[1]) * PAGE


class ResidentPeak:
    """The highest resident memory seen while a block runs, sampled every few milliseconds by a thread."""

    def __init__(self, interval: float = 0.002) -> None:
        self.interval = interval
        self.base = resident_bytes()
        self.peak = self.base
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._done.wait(self.interval):
            self.peak = max(self.peak, resident_bytes())

    def __enter__(self) -> ResidentPeak:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.peak = max(self.peak, resident_bytes())
        self._done.set()
        self._thread.join()

    @property
    def growth(self) -> int:
        return self.peak - self.base


@contextmanager
def bounded(*, trace: bool) -> Iterator[None]:
    """The block's own peak memory: Python allocations traced where cheap, and the resident growth it caused."""
    if trace:
        tracemalloc.start()
    try:
        with ResidentPeak() as resident:
            yield
    finally:
        peak = tracemalloc.get_traced_memory()[1] if trace else 0
        if trace:
            tracemalloc.stop()
    assert peak < MEMORY_BOUND, f"{peak / MB:.0f} MB traced"
    assert resident.growth < MEMORY_BOUND, f"{resident.growth / MB:.0f} MB resident"


def _hold(size: int, *, trace: bool) -> None:
    with bounded(trace=trace):
        held = b"y" * size
        assert len(held) == size


@pytest.mark.parametrize("trace", [True, False])
def test_the_memory_bound_fails_a_block_that_exceeds_it(trace: bool) -> None:
    """Even after an earlier allocation raised the process's peak: the bound measures this block only."""
    spent = b"x" * (MEMORY_BOUND + 20 * MB)
    del spent
    with pytest.raises(AssertionError, match="MB traced" if trace else "MB resident"):
        _hold(MEMORY_BOUND + 20 * MB, trace=trace)
    _hold(MB, trace=trace)


def upload(operator: Operator, staff, case: Case, data: bytes, filename: str, lock: int) -> CatalogueVersion:
    with bounded(trace=case.bomb and isinstance(case.expect, Refused)):
        return catalogue.import_workbook(operator, staff, data, filename, expected_lock=lock, max_rows=ROW_LIMIT)


def refusal(data: bytes, filename: str) -> UploadRefused:
    with pytest.raises(UploadRefused) as refused:
        refuse_if_empty(read_workbook(data, filename, max_rows=ROW_LIMIT, limits=GuardLimits()))
    return refused.value


def in_chinese(app: Flask, message: str, params: dict[str, object]) -> str:
    with app.test_request_context():
        translated = gettext(message)
    assert translated != message, f"no Chinese for {message!r}"
    return translated.format(**params)


def matches(finding: Finding, at: At) -> bool:
    location = finding.location
    return (
        location is not None
        and finding.rule == at.rule
        and (location.sheet, location.cell) == (at.sheet, at.cell)
        and (at.field is None or location.field == at.field)
        and (at.row is None or location.row == at.row)
        and all(finding.params.get(name) == value for name, value in at.says.items())
    )


def located(report: Report) -> list[tuple[object, ...]]:
    """The report's findings as (rule, sheet, row, column, field), for a failure message."""
    return [(f.rule, *(vars(f.location).values() if f.location else ())) for f in report.findings]


def test_the_corpus_holds_at_least_forty_distinct_cases_of_each_kind_of_fault() -> None:
    assert len(CASES) >= 40
    assert len({case.id for case in CASES}) == len(CASES)
    assert {type(case.expect) for case in CASES} == {Refused, Read}
    assert 8 <= len(WEB) <= 14
    assert all(at.cell or at.row or at.rule.startswith("missing-") for case in READ for at in case.expect.findings)


@pytest.mark.parametrize("case", REFUSED, ids=_id)
def test_a_refused_upload_says_in_chinese_what_to_do_and_leaves_the_draft_byte_for_byte(
    case: Case, built, app: Flask, operator: Operator, staff, existing_draft: CatalogueVersion
) -> None:
    data, filename = built(case)
    before = stored(operator)

    with pytest.raises(InvalidInput) as refused:
        upload(operator, staff, case, data, filename, existing_draft.lock_version)

    cause = refused.value.__cause__
    assert isinstance(cause, UploadRefused)
    assert cause.code == case.expect.code
    assert "上传" in in_chinese(app, refused.value.message, refused.value.params)  # says what to do: upload again
    assert stored(operator) == before


@pytest.mark.parametrize("case", REFUSED, ids=_id)
def test_a_hostile_file_is_refused_by_the_guard_before_any_parser_or_else_by_the_reader(case: Case, built) -> None:
    data, filename = built(case)
    if case.expect.by_guard:
        with bounded(trace=True), pytest.raises(UploadRefused) as refused:
            inspect_upload(data, filename, GuardLimits())
        assert refused.value.code == case.expect.code
    else:
        inspect_upload(data, filename, GuardLimits())
        assert refusal(data, filename).code == case.expect.code


@pytest.mark.parametrize("case", READ, ids=_id)
def test_an_accepted_upload_becomes_the_draft_with_each_fault_located_at_its_cell(
    case: Case, built, operator: Operator, staff, existing_draft: CatalogueVersion
) -> None:
    data, filename = built(case)
    lock = existing_draft.lock_version
    expect: Read = case.expect

    upload(operator, staff, case, data, filename, lock)

    _db.session.expire_all()
    version = catalogue.working_version(operator)
    assert (version.id, version.source, version.upload_filename) == (existing_draft.id, "upload", filename)
    assert version.lock_version > lock
    report = catalogue.report_of(version)
    for at in expect.findings:
        assert any(matches(f, at) for f in report.findings), (at, located(report))
    for cell in expect.clean:
        errors = [f for f in report.errors if f.location and (f.location.sheet, f.location.cell) == (DATA_SHEET, cell)]
        assert errors == []
    lines = version.lines
    for field, values in expect.stored.items():
        assert tuple(getattr(line, field) for line in lines) == values
    if expect.amounts is not None:
        assert tuple(line.amount for line in lines) == expect.amounts
    assert [line.source_row for line in lines] == list(range(ROW, ROW + expect.count))


def test_formula_text_is_stored_as_written_and_leaves_again_escaped(
    built, operator: Operator, staff, existing_draft: CatalogueVersion
) -> None:
    case = next(c for c in CASES if c.id == "formula text stored as a string")
    data, filename = built(case)
    version = catalogue.import_workbook(operator, staff, data, filename, expected_lock=existing_draft.lock_version)

    exported = catalogue.version_workbook(version, "zh")

    cells = [c for row in openpyxl.load_workbook(io.BytesIO(exported))[DATA_SHEET].iter_rows() for c in row]
    assert all(c.data_type != "f" for c in cells)
    assert {"'=1+1", '\'=HYPERLINK("http://evil.example","点击")'} <= {c.value for c in cells}
    names = [line.name for line in read_workbook(exported, "draft.xlsx").catalogue.lines]
    assert names == ["=1+1"]


@pytest.fixture
def signed_in(client: FlaskClient, login_as, staff) -> FlaskClient:
    return login_as(staff)


def post_upload(client: FlaskClient, data: bytes, filename: str, lock: int):
    """Open the upload page for its CSRF token, then send the file as a browser does, over the draft at `lock`.

    The body is encoded in memory: the test client spools a large one to a temporary file it never closes.
    """
    token = csrf_from(client.get("/catalogue/upload").get_data(as_text=True))
    file = FileStorage(io.BytesIO(data), filename, content_type=XLSX)
    boundary, body = encode_multipart({"csrf_token": token, "lock": str(lock), "mode": "replace", "file": file})
    return client.post("/catalogue/upload", data=body, content_type=f'multipart/form-data; boundary="{boundary}"')


@pytest.mark.parametrize("case", [c for c in WEB if isinstance(c.expect, Refused)], ids=_id)
def test_on_the_upload_page_a_refusal_is_shown_in_chinese_and_the_draft_is_kept(
    case: Case, built, app: Flask, signed_in: FlaskClient, operator: Operator, existing_draft: CatalogueVersion
) -> None:
    data, filename = built(case)
    before = stored(operator)

    response = post_upload(signed_in, data, filename, existing_draft.lock_version)

    assert response.status_code == case.expect.status
    if response.status_code == 413:  # the request cap: the file never reaches the guard
        expected = in_chinese(app, "The file is too large", {})
    else:
        refused = refusal(data, filename)
        expected = in_chinese(app, refused.message, refused.params)
    assert str(escape(expected)) in response.get_data(as_text=True)
    assert stored(operator) == before


@pytest.mark.parametrize("case", [c for c in WEB if isinstance(c.expect, Read)], ids=_id)
def test_on_the_upload_page_a_read_workbook_shows_its_findings_cells_and_its_name_escaped(
    case: Case, built, app: Flask, signed_in: FlaskClient, operator: Operator, existing_draft: CatalogueVersion
) -> None:
    app.config["UPLOAD_MAX_ROWS"] = ROW_LIMIT
    data, filename = built(case)

    response = post_upload(signed_in, data, filename, existing_draft.lock_version)

    assert response.status_code == 302
    page = signed_in.get(response.headers["Location"]).get_data(as_text=True)
    for at in case.expect.findings:
        if at.cell:
            assert f"{at.sheet}!{at.cell}" in page
    _db.session.expire_all()
    version = catalogue.working_version(operator)
    assert version.source == "upload"
    assert "/" not in version.upload_filename  # only the name is kept, never a path
    assert str(escape(version.upload_filename)) in page  # in the notice that the file was read
    assert SCRIPT not in page

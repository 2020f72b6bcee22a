"""The world the access tests run in: operator A with a published edition, complaints and (by stage) a draft or a
submitted change; operator B beside it; one account per role; and the forms an allowed user would send.

Every id a route takes is one of A's (or the government list's), so a refusal is a refusal of A's data.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import openpyxl
from flask import current_app
from sqlalchemy import select
from werkzeug.security import generate_password_hash

from portal import clock
from portal.admin import accounts as account_admin
from portal.auth import links
from portal.auth.models import LinkPurpose, Role, User
from portal.catalogue import services as catalogue
from portal.catalogue.models import CatalogueVersion
from portal.complaints import antibot
from portal.complaints import services as complaints
from portal.complaints.models import Complaint
from portal.extensions import db
from portal.govlist import services as govlist
from portal.govlist.loader import GOVLIST_COLUMNS
from portal.govlist.models import BundleComponentDef, FeeAlias, GovListItem
from portal.holding import services as holding
from portal.operators import identity
from portal.publishing import editions
from portal.validation.model import FeeLine, Header
from tests.factories import PASSWORD

ANONYMOUS, STAFF_A, STAFF_B, REVIEWER, ADMIN = ROLES = ("anonymous", "staff_a", "staff_b", "reviewer", "admin")
PUBLISHED, DRAFT, SUBMITTED = STAGES = ("published", "draft", "submitted")

MARKER = "甲方未公开测试费"  # the name of a line only A's unpublished version has: no one else may ever read it
TODAY = clock.today()
CHARGED = TODAY - timedelta(days=10)
PHONE = "13800138000"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(64)
HARBOUR_DUES = "HWF-FT-GEN-20-IM-GZ"
SUM = re.compile(r"(\d+) \+ (\d+)")

PUBLISHED_LINES = (
    FeeLine(name="文件费", service_content="制作、签发单证", standard="400", unit="元/票", pricing_class="市场调节价"),
    FeeLine(name="铅封费", service_content="提供并施加铅封", standard="20", unit="元/个", pricing_class="市场调节价"),
)
UNPUBLISHED_LINE = FeeLine(
    name=MARKER, service_content="仅用于访问控制测试", standard="60", unit="元/票", pricing_class="市场调节价"
)


def cheap_password_hash(password: str, method: str = "", salt_length: int = 16) -> str:
    """One PBKDF2 round instead of scrypt: each test makes four accounts, and the hashing is not what is tested."""
    return generate_password_hash(password, method="pbkdf2:sha256:1", salt_length=salt_length)


@dataclass(frozen=True)
class World:
    """Ids only (never ORM objects), so each request loads fresh rows."""

    stage: str
    operator_a: int
    operator_b: int
    credit_code: str  # A's
    edition: str  # A's published edition code
    published: int  # its version id
    version: int | None  # A's unpublished version (a draft or a submitted change), None at the published stage
    marker_line: int | None  # the line only that version has
    deleted_line: int | None  # a published line the change deletes (a "D" notice)
    complaint: int  # a new complaint about A
    asked: int  # a complaint about A the bureau has asked A to answer
    users: dict[str, int]
    emails: dict[str, str]
    bundle: int
    component: int
    alias: int
    reviewer_user: int  # the reviewer's account: the one administrators change in the matrix
    invited_user: int  # an invited reviewer who has not chosen a password yet
    link_token: str  # the invitation link's token
    identity_request: int | None  # A's pending name change (at the submitted stage)
    intake_key: str  # an official list upload held for the administrator, waiting to be applied
    area: str = "NANSHA"
    language: str = "en"

    def user(self, role: str) -> User:
        return db.session.get(User, self.users[role])

    def unpublished(self) -> CatalogueVersion:
        assert self.version is not None, f"the {self.stage} stage has no unpublished version"
        return db.session.get(CatalogueVersion, self.version)


def _header(operator, effective: date) -> Header:
    return Header(
        operator_name=operator.name_zh,
        credit_code=operator.credit_code,
        port_area="南沙港区",
        complaint_phone="020-12345678",
        effective_date=effective.isoformat(),
    )


def _complaint_about(operator_id: int, description: str):
    filing = complaints.Filing(
        operator_id=operator_id,
        charged_on=CHARGED,
        fee_line_id=None,
        fee_name="文件费",
        amount=Decimal("500"),
        currency="CNY",
        quantity=None,
        unit="",
        description=description,
        contact_name="广州某货代有限公司",
        contact_phone=PHONE,
        contact_email="",
        invoice=PNG,
        remote_addr="192.0.2.1",
    )
    return complaints.file_complaint(filing)


def build(app, stage: str, make_operator, make_user) -> World:
    """Operator A and B, an account per role, A's edition and complaints, and A's version for the `stage`."""
    govlist.load_feelists(app.config["FEELISTS_DIR"])
    a = make_operator("广州甲示范码头有限公司")
    b = make_operator("广州乙示范码头有限公司")
    accounts = {
        STAFF_A: make_user(Role.OPERATOR, operator=a),
        STAFF_B: make_user(Role.OPERATOR, operator=b),
        REVIEWER: make_user(Role.REVIEWER),
        ADMIN: make_user(Role.ADMIN),
    }
    first = catalogue.replace_contents(a, _header(a, TODAY - timedelta(days=60)), PUBLISHED_LINES, accounts[STAFF_A])
    editions.publish(first, None)
    new = _complaint_about(a.id, "发票金额高于公示价格")
    asked = _complaint_about(a.id, "收取了未公示的费用")
    complaints.ask_operator(asked, "请说明收费依据", accounts[REVIEWER])

    invited = account_admin.invite("invited@example.test", "受邀审核员", Role.REVIEWER, None, accounts[ADMIN])
    token = links.issue(invited, LinkPurpose.INVITE, None)
    db.session.commit()
    official = official_list_csv()
    intake_key = holding.hold(
        "govlist-intake",
        official,
        "附件1.csv",
        owner_id=accounts[ADMIN].id,
        meta={"document": "测试通知", "document_date": "2026-01-01", "effective": TODAY.isoformat(), "page": "3"},
    ).key
    db.session.commit()
    identity_request = None
    if stage == SUBMITTED:
        identity_request = identity.request_change(
            a, accounts[STAFF_A], name_zh="广州甲示范码头集团有限公司", credit_code=a.credit_code, reason="更名"
        ).id

    version = marker = deleted = None
    if stage in (DRAFT, SUBMITTED):
        draft = catalogue.start_change(a, accounts[STAFF_A])
        seal = next(line for line in draft.lines if line.name == "铅封费")
        catalogue.delete_line(draft, seal.id, accounts[STAFF_A], expected_lock=None)
        marker = catalogue.add_line(draft, accounts[STAFF_A], UNPUBLISHED_LINE, expected_lock=None).id
        catalogue.save_header(draft, accounts[STAFF_A], _header(a, TODAY + timedelta(days=30)), expected_lock=None)
        deleted = next(line.id for line in draft.lines if line.name == "铅封费")
        version = draft.id
        if stage == SUBMITTED:
            explanations = {key: "测试说明" for key in catalogue.errors_to_explain(draft)}
            catalogue.submit(draft, accounts[STAFF_A], True, explanations)

    return World(
        stage=stage,
        operator_a=a.id,
        operator_b=b.id,
        credit_code=a.credit_code,
        edition=first.edition_code,
        published=first.id,
        version=version,
        marker_line=marker,
        deleted_line=deleted,
        complaint=new.id,
        asked=asked.id,
        users={role: user.id for role, user in accounts.items()},
        emails={role: user.email for role, user in accounts.items()},
        bundle=db.session.scalar(select(BundleComponentDef.bundle_id).order_by(BundleComponentDef.id)),
        component=db.session.scalar(select(BundleComponentDef.id).order_by(BundleComponentDef.id)),
        alias=db.session.scalar(select(FeeAlias.id).order_by(FeeAlias.id)),
        reviewer_user=accounts[REVIEWER].id,
        invited_user=invited.id,
        link_token=token,
        identity_request=identity_request,
        intake_key=intake_key,
    )


def official_list_csv() -> bytes:
    """The government list as the bureau publishes it (Attachment 1), with one row: harbour dues at its rate."""
    row = db.session.scalar(select(GovListItem).where(GovListItem.code == HARBOUR_DUES))
    lines = [
        "序号,收费项目,适用条件,收费标准,计费单位,收费依据,页码",
        f"1,{row.name_zh},外贸进口 20英尺 普通货物,{row.rate},{row.unit},{row.basis[:20]},3",
    ]
    return ("\n".join(lines) + "\n").encode("utf-8")


# ---- The forms an allowed user sends (the CSRF token is added by the test) ------------------------------------------


def no_fields(world: World) -> dict[str, Any]:
    """A button: the CSRF token is all it sends. (Every form builder takes the world, used or not.)"""
    return {}


def _lock(world: World) -> str:
    return str(world.unpublished().lock_version)


def _line_fields(name: str, standard: str) -> dict[str, str]:
    return {
        "name": name,
        "trade": "",
        "container_size": "",
        "laden": "",
        "cargo": "",
        "other_conditions": "",
        "service_content": "测试服务内容",
        "standard": standard,
        "unit": "元/票",
        "unit_other": "",
        "currency": "CNY",
        "pricing_class": "市场调节价",
        "basis": "",
        "pass_through": "否",
        "remarks": "",
        "effective_date": "",
    }


def header_form(world: World) -> dict[str, Any]:
    header = catalogue.to_header(world.unpublished())
    fields = ("operator_name", "credit_code", "port_area", "complaint_phone", "effective_date", "updated_date")
    return {**{name: getattr(header, name) for name in fields}, "complaint_phone": "020-87654321", "lock": _lock(world)}


def add_line_form(world: World) -> dict[str, Any]:
    return {**_line_fields("测试新增费", "80"), "lock": _lock(world)}


def edit_line_form(world: World) -> dict[str, Any]:
    return {**_line_fields(MARKER, "75"), "lock": _lock(world)}


def lock_form(world: World) -> dict[str, Any]:
    return {"lock": _lock(world)}


def submit_form(world: World) -> dict[str, Any]:
    data: dict[str, Any] = {"attestation": "y", "lock": _lock(world)}
    for i, key in enumerate(catalogue.errors_to_explain(world.unpublished())):
        data[f"explanations-{i}-finding_id"] = key
        data[f"explanations-{i}-text"] = "测试说明"
    return data


def upload_form(world: World) -> dict[str, Any]:
    book = catalogue.version_workbook(world.unpublished(), "zh")
    return {"file": (io.BytesIO(book), "清单.xlsx"), "mode": "replace", "lock": _lock(world)}


def check_form(world: World) -> dict[str, Any]:
    book = catalogue.version_workbook(world.unpublished(), "zh")
    return {"file": (io.BytesIO(book), "清单.xlsx")}


def profile_form(world: World) -> dict[str, Any]:
    return {
        "name_zh": "广州甲示范码头有限公司",
        "name_en": "Guangzhou Demo Terminal A",
        "address": "广州市南沙区测试路1号",
        "website": "",
        "complaint_phones": "020-87654321",
        "port_areas": "南沙港区",
    }


def answer_form(world: World) -> dict[str, Any]:
    return {"message": "收费依据见公示清单第1行"}


def approve_form(world: World) -> dict[str, Any]:
    return {"approve-lock": _lock(world), "approve-comment": "同意"}


def request_changes_form(world: World) -> dict[str, Any]:
    return {"changes-lock": _lock(world), "changes-comment": "请补充说明"}


def reject_form(world: World) -> dict[str, Any]:
    return {"reject-lock": _lock(world), "reject-reason": "不符合要求"}


def assign_form(world: World) -> dict[str, Any]:
    return {"assignee_id": str(world.users[REVIEWER])}


def ask_form(world: World) -> dict[str, Any]:
    return {"message": "请说明收费依据"}


def decide_form(world: World) -> dict[str, Any]:
    return {"decision": "substantiated", "decision_text": "投诉属实", "outcome_summary": "经核实，收费高于公示价格。"}


def _new_row() -> dict[str, str]:
    row = db.session.scalar(select(GovListItem).where(GovListItem.code == HARBOUR_DUES))
    values = govlist.item_values(row)
    values.update(code=f"{HARBOUR_DUES}2099", rate="15.00", effective_from="2099-01-01", effective_until="")
    return values


def item_form(world: World) -> dict[str, Any]:
    values = _new_row()
    fields: dict[str, Any] = {k: v for k, v in values.items() if k not in ("pass_through", "verified")}
    fields.update({k: "y" for k in ("pass_through", "verified") if values[k] == "true"})
    return fields


def import_form(world: World) -> dict[str, Any]:
    values = _new_row()
    book = openpyxl.Workbook()
    book.active.append(list(GOVLIST_COLUMNS))
    book.active.append([values[c] for c in GOVLIST_COLUMNS])
    stream = io.BytesIO()
    book.save(stream)
    return {"file": (io.BytesIO(stream.getvalue()), "政府清单.xlsx")}


def component_form(world: World) -> dict[str, Any]:
    return {
        "name_zh": "测试组成部分",
        "name_en": "Test component",
        "aliases": "",
        "basis": "测试依据",
        "source": "测试来源",
        "effective_from": "2099-01-01",
    }


def alias_form(world: World) -> dict[str, Any]:
    return {"alias": "测试港务费", "canonical": "货物港务费", "source": "测试"}


def login_form(world: World) -> dict[str, Any]:
    return {"email": world.emails[STAFF_A], "password": PASSWORD}


def status_form(world: World) -> dict[str, Any]:
    return {"reference": db.session.get(Complaint, world.complaint).reference, "contact": PHONE}


def complaint_form(world: World) -> dict[str, Any]:
    """Step two of the public complaint form, with a fresh anti-bot challenge answered."""
    challenge = antibot.new_challenge(current_app.config["SECRET_KEY"])
    a, b = map(int, SUM.fullmatch(challenge.question).groups())
    return {
        "operator_id": str(world.operator_a),
        "charged_on": CHARGED.isoformat(),
        "token": challenge.token,
        "answer": str(a + b),
        "website": "",
        "fee_line": "other",
        "other_name": "测试未公示费",
        "amount": "300",
        "currency": "CNY",
        "quantity": "",
        "unit": "",
        "description": "收取了未公示的费用",
        "contact_name": "广州某货代有限公司",
        "contact_phone": PHONE,
        "contact_email": "",
        "invoice": (io.BytesIO(PNG), "invoice.png"),
    }


def invite_form(world: World) -> dict[str, Any]:
    return {
        "email": "new.staff@example.test",
        "name": "新员工",
        "role": "operator",
        "operator_id": str(world.operator_a),
    }


def role_form(world: World) -> dict[str, Any]:
    prefix = f"u{world.reviewer_user}"
    return {f"{prefix}-role": "operator", f"{prefix}-operator_id": str(world.operator_a)}


def register_operator_form(world: World) -> dict[str, Any]:
    from tests.factories import credit_code

    return {
        "credit_code": credit_code(990001),
        "name_zh": "广州新登记物流有限公司",
        "name_en": "",
        "kind": "forwarder",
        "address": "",
        "complaint_phones": "020-11112222",
        "port_areas": "南沙港区",
    }


def merge_form(world: World) -> dict[str, Any]:
    return {"duplicate": str(world.operator_b), "survivor": str(world.operator_a)}


def note_form(world: World) -> dict[str, Any]:
    return {"note": "材料不全"}


def identity_form(world: World) -> dict[str, Any]:
    return {"name_zh": "广州新名示范码头有限公司", "credit_code": world.credit_code, "reason": "营业执照变更"}


def set_password_form(world: World) -> dict[str, Any]:
    return {"password": "a-long-password", "confirm": "a-long-password"}


def intake_form(world: World) -> dict[str, Any]:
    return {
        "file": (io.BytesIO(official_list_csv()), "附件1.csv"),
        "document": "穗发改〔2026〕1号",
        "document_date": "2026-01-01",
        "effective": TODAY.isoformat(),
        "page": "2",
    }


def invoice_form(world: World) -> dict[str, Any]:
    """One charge typed into the invoice check: operator A by credit code, a fee of its list (nothing is stored)."""
    return {
        "operator-0": world.credit_code,
        "charged_on-0": CHARGED.isoformat(),
        "fee_name-0": "换单费",
        "quantity-0": "1",
        "amount-0": "100",
    }

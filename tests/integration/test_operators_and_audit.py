"""Operators' register and profile, and the audit trail and revision counters every change leaves."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from sqlalchemy import select

from portal.audit import revisions
from portal.audit.models import AuditEntry
from portal.audit.services import record
from portal.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from portal.extensions import db as _db
from portal.operators import services as operators
from portal.operators.models import OperatorKind
from tests.factories import credit_code

STAFF = SimpleNamespace(id=None, email="staff@example.test", operator_id=None, is_bureau=True)


def _entries() -> list[tuple[str, str | None, dict | None, dict | None]]:
    rows = _db.session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
    return [(e.action, e.actor_label, e.before, e.after) for e in rows]


def _register(n: int, **changes):
    values = {
        "credit_code": credit_code(n),
        "name_zh": " 广州测试码头有限公司 ",
        "kind": OperatorKind.TERMINAL,
        "port_area_names": ["南沙港区", " 南沙港区 ", "黄埔港区"],
        "complaint_phones": ["020-12345678", " "],
    }
    return operators.register_operator(**{**values, **changes})


def test_registering_trims_and_dedups_what_was_typed_audits_it_and_moves_the_public_counter(db) -> None:
    before = revisions.current(revisions.PUBLIC_REVISION)
    operator = _register(700001, credit_code=credit_code(700001).lower() + " ")
    assert operator.credit_code == credit_code(700001)
    assert operator.name_zh == "广州测试码头有限公司"
    assert operator.name_en is None
    assert [a.name_zh for a in operator.port_areas] == ["南沙港区", "黄埔港区"]
    assert operator.complaint_phones == ["020-12345678"]
    assert revisions.current(revisions.PUBLIC_REVISION) == before + 1
    assert _entries() == [
        (
            "operator.create",
            "system",
            None,
            {
                "name_zh": "广州测试码头有限公司",
                "name_en": None,
                "kind": "terminal",
                "address": "",
                "website": "",
                "complaint_phones": ["020-12345678"],
                "port_areas": ["南沙港区", "黄埔港区"],
            },
        )
    ]
    assert operators.by_credit_code(f" {credit_code(700001).lower()} ") is operator
    assert operators.get_operator(operator.id) is operator


@pytest.mark.parametrize(
    ("changes", "error", "param"),
    [
        ({"credit_code": "91440101MA5ABCDE10"}, InvalidInput, {"code": "91440101MA5ABCDE10"}),
        ({"port_area_names": ["南沙港区", "火星港区"]}, InvalidInput, {"names": "火星港区"}),
    ],
)
def test_a_bad_credit_code_or_an_unknown_port_area_registers_nothing(db, changes, error, param) -> None:
    with pytest.raises(error) as raised:
        _register(700002, **changes)
    assert raised.value.params == param
    _db.session.rollback()
    assert operators.all_operators() == []
    assert _entries() == []


def test_a_credit_code_is_registered_once(db) -> None:
    _register(700003)
    with pytest.raises(Conflict) as raised:
        _register(700003, name_zh="另一家公司")
    assert raised.value.params == {"code": credit_code(700003)}
    assert [o.name_zh for o in operators.all_operators()] == ["广州测试码头有限公司"]


def test_an_unknown_operator_is_not_found(db) -> None:
    with pytest.raises(NotFound):
        operators.get_operator(999)
    with pytest.raises(NotFound):
        operators.by_credit_code(credit_code(700099))


def test_an_operator_changes_its_own_profile_and_the_audit_keeps_before_and_after(db) -> None:
    operator = _register(700004)
    own = SimpleNamespace(id=None, email="own@example.test", operator_id=operator.id, is_bureau=False)
    operators.update_profile(
        operator, own, name_en=" Test Terminal ", website=" https://t.example ", port_areas=["黄埔港区"]
    )
    action, actor, before, after = _entries()[-1]
    assert (action, actor) == ("operator.update", "own@example.test")
    assert (before["name_en"], before["website"], before["port_areas"]) == (None, "", ["南沙港区", "黄埔港区"])
    assert (after["name_en"], after["website"], after["port_areas"]) == (
        "Test Terminal",
        "https://t.example",
        ["黄埔港区"],
    )


def test_a_profile_saved_unchanged_leaves_no_audit_entry(db) -> None:
    operator = _register(700005)
    operators.update_profile(operator, STAFF, name_zh="广州测试码头有限公司", complaint_phones=["020-12345678"])
    assert [action for action, *_ in _entries()] == ["operator.create"]


def test_another_operators_staff_may_not_change_the_profile_nor_anyone_change_other_fields(db) -> None:
    operator = _register(700006)
    other = SimpleNamespace(id=None, email="x@example.test", operator_id=operator.id + 1, is_bureau=False)
    with pytest.raises(PermissionDenied):
        operators.update_profile(operator, other, name_zh="被改名")
    with pytest.raises(InvalidInput) as raised:
        operators.update_profile(operator, STAFF, credit_code=credit_code(700007), kind="other")
    assert raised.value.params == {"fields": "credit_code, kind"}
    _db.session.rollback()
    assert operators.get_operator(operator.id).name_zh == "广州测试码头有限公司"


def test_revision_counters_start_at_zero_and_move_one_by_one(db) -> None:
    assert revisions.current("zz-topic") == 0
    revisions.bump("zz-topic")
    revisions.bump("zz-topic")
    revisions.bump("zz-other")
    assert revisions.current("zz-topic") == 2
    assert revisions.current_many(("zz-other", "zz-none", "zz-topic")) == (1, 0, 2)


def test_an_audit_entry_names_its_actor_or_the_system(db) -> None:
    operator = _register(700008)
    entry = record(STAFF, "test.action", "operator", operator.id, operator_id=operator.id, before={"a": 1})
    _db.session.flush()
    assert (entry.actor_label, entry.subject_id, entry.before, entry.after) == (
        "staff@example.test",
        str(operator.id),
        {"a": 1},
        None,
    )
    assert entry.created_at is not None

"""Models round-trip on both backends: exact money, JSON columns, constraints, optimistic locking."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from portal.audit.models import AuditEntry
from portal.auth.models import Role, User
from portal.catalogue import services as catalogue
from portal.catalogue.models import CatalogueVersion, FeeLineRecord
from portal.govlist.models import GovListItem


def test_money_round_trips_exactly_on_every_backend(db, make_operator) -> None:
    operator = make_operator()
    version = catalogue.new_version(operator, None, None)
    amounts = [Decimal("0.3"), Decimal("17.00"), Decimal("1234567.8912"), Decimal("0.0001"), Decimal("-5")]
    for i, amount in enumerate(amounts):
        db.session.add(FeeLineRecord(version=version, position=i, name=f"费{i}", amount=amount))
    db.session.commit()
    db.session.expire_all()
    stored = db.session.scalars(select(FeeLineRecord.amount).order_by(FeeLineRecord.position)).all()
    assert stored == amounts
    assert all(isinstance(a, Decimal) for a in stored)
    assert [str(a) for a in stored] == ["0.3000", "17.0000", "1234567.8912", "0.0001", "-5.0000"]  # same on both


def test_money_columns_refuse_floats(db, make_operator) -> None:
    operator = make_operator()
    version = catalogue.new_version(operator, None, None)
    db.session.add(FeeLineRecord(version=version, position=1, name="费", amount=0.1))
    with pytest.raises(Exception, match="Decimal"):
        db.session.commit()
    db.session.rollback()


def test_money_compares_in_sql_as_numbers(db) -> None:
    for code, rate in (("A", "9.5"), ("B", "17.00"), ("C", "100")):
        db.session.add(
            GovListItem(
                code=code,
                name_zh=code,
                name_en=code,
                pricing_class="政府定价",
                rate=Decimal(rate),
                unit="元/箱",
                basis="b",
                source="s",
            )
        )
    db.session.commit()
    above = db.session.scalars(
        select(GovListItem.code).where(GovListItem.rate > Decimal("10")).order_by(GovListItem.rate)
    ).all()
    assert above == ["B", "C"]


def test_operator_profile_keeps_chinese_text_phones_and_port_areas(db, make_operator) -> None:
    operator = make_operator(
        "广州南沙示范码头有限公司",
        complaint_phones=["020-3912 3456", "12345"],
        port_area_names=["南沙港区", "黄埔港区"],
    )
    db.session.expire_all()
    assert operator.name_zh == "广州南沙示范码头有限公司"
    assert operator.complaint_phones == ["020-3912 3456", "12345"]
    assert [a.name_zh for a in operator.port_areas] == ["南沙港区", "黄埔港区"]


def test_an_operator_account_must_name_its_operator(db) -> None:
    user = User(email="x@example.test", name="x", password_hash="h", role=Role.OPERATOR, operator_id=None)
    db.session.add(user)
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


@pytest.mark.production_password_hash
def test_passwords_are_stored_hashed(db, make_user, make_operator) -> None:
    user = make_user(Role.OPERATOR, operator=make_operator(), password="s3cret-password")
    assert "s3cret-password" not in user.password_hash
    assert user.check_password("s3cret-password")
    assert not user.check_password("wrong-password")


def test_a_stale_save_of_a_version_is_refused(app, db, make_operator) -> None:
    operator = make_operator()
    version = catalogue.new_version(operator, None, None)
    db.session.commit()
    lock = version.lock_version
    # Another worker saves first: simulate with a direct UPDATE that bumps the lock.
    db.session.execute(
        CatalogueVersion.__table__.update().where(CatalogueVersion.id == version.id).values(lock_version=lock + 1)
    )
    version.port_area = "黄埔港区"
    with pytest.raises(StaleDataError):
        db.session.commit()
    db.session.rollback()


def test_creating_a_user_writes_its_audit_row_in_the_same_commit(db, make_user) -> None:
    user = make_user(Role.REVIEWER)
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "user.create"))
    assert entry is not None
    assert entry.subject_id == str(user.id)
    assert entry.after == {"email": user.email, "role": "reviewer"}

"""User accounts with one role each; operator staff are bound to exactly one operator."""

from __future__ import annotations

import enum
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from portal import clock
from portal.extensions import db
from portal.operators.models import Operator


class Role(enum.StrEnum):
    OPERATOR = "operator"  # operator staff: their own operator's profile and catalogue
    REVIEWER = "reviewer"  # bureau staff: review, complaints, government list
    ADMIN = "admin"  # bureau administrator: everything a reviewer does, plus accounts


BUREAU_ROLES = frozenset({Role.REVIEWER, Role.ADMIN})  # bureau staff: the one definition (User.is_bureau)


class User(UserMixin, db.Model):
    __table_args__ = (
        CheckConstraint(
            "(role = 'operator' AND operator_id IS NOT NULL) OR (role <> 'operator' AND operator_id IS NULL)",
            name="operator_binding",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    password_hash: Mapped[str] = mapped_column(String(256))
    role: Mapped[Role] = mapped_column(
        db.Enum(Role, native_enum=False, length=16, values_callable=lambda e: [m.value for m in e])
    )
    operator_id: Mapped[int | None] = mapped_column(ForeignKey("operator.id"))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=clock.utcnow)
    last_login_at: Mapped[datetime | None]
    # Raised at sign-out: a session carries the generation it was issued in (get_id), and the loader refuses any
    # other, so a copied cookie stops working on the server the moment its user signs out.
    session_version: Mapped[int] = mapped_column(default=0, server_default="0")

    operator: Mapped[Operator | None] = relationship(lazy="joined")

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive accounts, and staff of a deactivated operator
        return self.active and (self.operator is None or self.operator.active)

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    @property
    def is_bureau(self) -> bool:
        return self.role in BUREAU_ROLES

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    def __repr__(self) -> str:
        return f"<User {self.email} {self.role}>"


class LinkPurpose(enum.StrEnum):
    INVITE = "invite"  # a new account: the link sets the first password
    RESET = "reset"  # an administrator reset the password: the link sets a new one


class AccountLink(db.Model):
    """A one-time link sent by mail: its signed token names this row; it works once, before `expires_at`."""

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    purpose: Mapped[LinkPurpose] = mapped_column(
        db.Enum(LinkPurpose, native_enum=False, length=16, values_callable=lambda e: [m.value for m in e])
    )
    nonce: Mapped[str] = mapped_column(String(64), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(default=clock.utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]

    user: Mapped[User] = relationship(foreign_keys=[user_id])

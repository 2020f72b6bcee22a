"""Operator use cases: register, update the profile (own operator only), list for the public."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import select

from portal.audit import revisions
from portal.audit.revisions import PUBLIC_REVISION
from portal.audit.services import Actor, is_bureau_staff, record
from portal.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from portal.extensions import db
from portal.operators.models import IdentityChangeRequest, Operator, OperatorKind, PortArea, RequestStatus
from portal.validation.credit_code import is_valid as credit_code_is_valid
from portal.validation.findings import N_

PROFILE_FIELDS = ("name_zh", "name_en", "address", "website", "complaint_phones", "port_areas")  # name_zh: bureau only
IDENTITY_BY_REQUEST = N_(
    "The legal name and the unified social credit code can only be changed through a request that the bureau approves."
)


def port_areas() -> Sequence[PortArea]:
    return db.session.scalars(select(PortArea).order_by(PortArea.position)).all()


def port_areas_named(names: Iterable[str]) -> list[PortArea]:
    wanted = list(dict.fromkeys(n.strip() for n in names if n.strip()))
    found = {a.name_zh: a for a in db.session.scalars(select(PortArea).where(PortArea.name_zh.in_(wanted)))}
    missing = [n for n in wanted if n not in found]
    if missing:
        raise InvalidInput("Unknown port area: {names}.", names="、".join(missing))
    return [found[n] for n in wanted]


def get_operator(operator_id: int) -> Operator:
    operator = db.session.get(Operator, operator_id)
    if operator is None:
        raise NotFound("No such operator.")
    return operator


def by_credit_code(code: str) -> Operator:
    operator = db.session.scalar(select(Operator).where(Operator.credit_code == code.strip().upper()))
    if operator is None:
        raise NotFound("No such operator.")
    return operator


def by_former_credit_code(code: str) -> Operator | None:
    """The operator that held `code` before an approved change of credit code (posting sheets printed before the
    change carry it in their QR code), or None."""
    return db.session.scalar(
        select(Operator)
        .join(IdentityChangeRequest, IdentityChangeRequest.operator_id == Operator.id)
        .where(
            IdentityChangeRequest.status == RequestStatus.APPROVED,
            IdentityChangeRequest.old_credit_code == code.strip().upper(),
            IdentityChangeRequest.new_credit_code != IdentityChangeRequest.old_credit_code,
        )
        .order_by(IdentityChangeRequest.id.desc())
        .limit(1)
    )


def all_operators() -> Sequence[Operator]:
    return db.session.scalars(select(Operator).order_by(Operator.name_zh)).all()


def snapshot(operator: Operator) -> dict[str, object]:
    return {
        "name_zh": operator.name_zh,
        "name_en": operator.name_en,
        "kind": operator.kind.value,
        "address": operator.address,
        "website": operator.website,
        "complaint_phones": list(operator.complaint_phones),
        "port_areas": [a.name_zh for a in operator.port_areas],
    }


def register_operator(
    *,
    credit_code: str,
    name_zh: str,
    kind: OperatorKind,
    port_area_names: Iterable[str],
    name_en: str | None = None,
    address: str = "",
    website: str = "",
    complaint_phones: Iterable[str] = (),
    actor: Actor | None = None,
) -> Operator:
    """Create an operator (bureau staff or seeding); the credit code must carry a valid check character."""
    code = credit_code.strip().upper()
    if not credit_code_is_valid(code):
        raise InvalidInput("{code} is not a valid unified social credit code.", code=code)
    if db.session.scalar(select(Operator.id).where(Operator.credit_code == code)) is not None:
        raise Conflict("An operator with the credit code {code} is already registered.", code=code)
    operator = Operator(
        credit_code=code,
        name_zh=name_zh.strip(),
        name_en=(name_en or "").strip() or None,
        kind=kind,
        address=address.strip(),
        website=website.strip(),
        complaint_phones=[p.strip() for p in complaint_phones if p.strip()],
        port_areas=port_areas_named(port_area_names),
    )
    db.session.add(operator)
    db.session.flush()
    record(actor, "operator.create", "operator", operator.id, operator_id=operator.id, after=snapshot(operator))
    revisions.bump(PUBLIC_REVISION)
    db.session.commit()
    return operator


def update_profile(operator: Operator, actor: Actor, **changes: object) -> Operator:
    """Change the profile fields an operator keeps itself; staff of another operator are refused."""
    if getattr(actor, "operator_id", None) != operator.id and not is_bureau_staff(actor):
        raise PermissionDenied("You may only change your own operator's profile.")
    if "name_zh" in changes and not is_bureau_staff(actor):
        # The legal name (like the credit code) is the operator's identity: its staff request a change and the
        # bureau approves it; a profile save can never rename the firm.
        raise PermissionDenied(IDENTITY_BY_REQUEST)
    unknown = set(changes) - set(PROFILE_FIELDS)
    if unknown:
        raise InvalidInput("These fields cannot be changed here: {fields}.", fields=", ".join(sorted(unknown)))
    before = snapshot(operator)
    for name, value in changes.items():
        if name == "port_areas":
            operator.port_areas = port_areas_named(value)  # type: ignore[arg-type]
        elif name == "complaint_phones":
            operator.complaint_phones = [p.strip() for p in value if p.strip()]  # type: ignore[union-attr]
        elif name == "name_en":
            operator.name_en = (str(value or "")).strip() or None
        else:
            setattr(operator, name, str(value).strip())
    after = snapshot(operator)
    if after != before:
        record(actor, "operator.update", "operator", operator.id, operator_id=operator.id, before=before, after=after)
    revisions.bump(PUBLIC_REVISION)
    db.session.commit()
    return operator

"""Forms of the administrators' area (shape only; the services judge the content)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    EmailField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional, Regexp

from portal.auth.models import Role
from portal.operators.forms import PHONE_LIST_HELP, PhoneListMixin
from portal.operators.models import OperatorKind
from portal.web.words import LABELS

ROLE_LABELS = {role: LABELS["role"][role.value] for role in Role}
KIND_LABELS = {
    OperatorKind.TERMINAL: _l("Terminal"),
    OperatorKind.SHIPPING_LINE: _l("Shipping line"),
    OperatorKind.SHIPPING_AGENT: _l("Shipping agent"),
    OperatorKind.FORWARDER: _l("Freight forwarder"),
    OperatorKind.CUSTOMS_BROKER: _l("Customs broker"),
    OperatorKind.WAREHOUSE: _l("Warehouse / yard"),
    OperatorKind.TALLY: _l("Tally"),
    OperatorKind.INSPECTION: _l("Inspection / fumigation"),
    OperatorKind.OTHER: _l("Other"),
}
NO_OPERATOR = ""
EMAIL = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"


class ButtonForm(FlaskForm):
    """A button: the CSRF token only."""


def _role() -> SelectField:
    return SelectField(_l("Role"), choices=[SelectChoice(r.value, label) for r, label in ROLE_LABELS.items()])


def _operator() -> SelectField:
    return SelectField(_l("Operator (staff only)"), choices=[])


class InviteForm(FlaskForm):
    email = EmailField(
        _l("E-mail"), validators=[DataRequired(), Regexp(EMAIL, message=_l("Not an e-mail address.")), Length(max=254)]
    )
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=100)])
    role = _role()
    operator_id = _operator()
    submit = SubmitField(_l("Send the invitation"))


class RoleForm(FlaskForm):
    role = _role()
    operator_id = _operator()
    submit = SubmitField(_l("Change the role"))


class RegisterOperatorForm(PhoneListMixin, FlaskForm):
    credit_code = StringField(_l("Unified social credit code"), validators=[DataRequired(), Length(min=18, max=18)])
    name_zh = StringField(_l("Legal name (Chinese)"), validators=[DataRequired(), Length(max=200)])
    name_en = StringField(_l("Name (English)"), validators=[Optional(), Length(max=200)])
    kind = SelectField(
        _l("Kind of business"), choices=[SelectChoice(k.value, label) for k, label in KIND_LABELS.items()]
    )
    address = StringField(_l("Address"), validators=[Optional(), Length(max=300)])
    complaint_phones = TextAreaField(
        _l("Complaint phones (one per line)"), validators=[DataRequired(), Length(max=500)], description=PHONE_LIST_HELP
    )
    port_areas = SelectMultipleField(_l("Port areas"), validators=[DataRequired()])
    submit = SubmitField(_l("Register the operator"))


class MergeForm(FlaskForm):
    duplicate = SelectField(_l("Duplicate (merged away)"), choices=[])
    survivor = SelectField(_l("Survivor (kept)"), choices=[])
    submit = SubmitField(_l("Merge"))


class DecisionForm(FlaskForm):
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=2000)])


class AuditFilterForm(FlaskForm):
    class Meta:
        csrf = False  # a search (GET): nothing changes

    actor = StringField(_l("Actor (e-mail)"), validators=[Optional(), Length(max=254)])
    operator = SelectField(_l("Operator"), choices=[], validate_choice=False)
    action = SelectField(_l("Action"), choices=[], validate_choice=False)
    since = DateField(_l("From"), validators=[Optional()])
    until = DateField(_l("To"), validators=[Optional()])

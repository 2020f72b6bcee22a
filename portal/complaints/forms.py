"""Complaint forms: filing in two steps, following with reference and contact, handling by bureau and operator."""

from __future__ import annotations

import re
from decimal import Decimal

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import DateField, Field, HiddenField, SelectChoice, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, Regexp, ValidationError

from portal import clock
from portal.validation.money import parse_amount

OTHER = "other"  # the fee-line choice for "a fee that is not on the list"
PHONE = re.compile(r"^[0-9+()\- 转]{5,40}$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
CURRENCIES = [SelectChoice("CNY", "CNY 人民币"), SelectChoice("USD", "USD 美元")]
DECISIONS = [
    SelectChoice("", "—"),
    SelectChoice("substantiated", _l("Substantiated")),
    SelectChoice("not_substantiated", _l("Not substantiated")),
    SelectChoice("referred", _l("Referred to another authority")),
]
TEXT = 4000
MAX_AMOUNT = Decimal("100000000")  # a charge above 100 million is a typing error


def _positive_amount(limit: Decimal):
    def validate(form: FlaskForm, field: Field) -> None:
        text = (field.data or "").strip()
        if not text:
            return
        try:
            value = parse_amount(text)
        except ValueError:
            raise ValidationError(gettext("Enter an amount such as 1,800 or 1800.00.")) from None
        if not Decimal(0) < value <= limit:
            raise ValidationError(gettext("Enter an amount above zero."))

    return validate


class StartForm(FlaskForm):
    """Step 1 (a GET form): who charged, and on what day; the next step lists that day's fee lines."""

    class Meta:
        csrf = False  # it only chooses what the next page shows

    operator_id = SelectField(_l("Operator that charged you"), coerce=str, validators=[DataRequired()])
    charged_on = DateField(_l("Date charged"), validators=[DataRequired()])

    def validate_charged_on(self, field: DateField) -> None:
        if field.data and field.data > clock.today():
            raise ValidationError(gettext("The date charged cannot be in the future."))


class ComplaintForm(FlaskForm):
    """Step 2: the fee charged, the amount, the invoice and a way to reach the complainant."""

    operator_id = HiddenField(validators=[DataRequired(), Regexp(r"^\d{1,9}$")])
    charged_on = HiddenField(validators=[DataRequired(), Regexp(r"^\d{4}-\d{2}-\d{2}$")])
    fee_line = SelectField(_l("Fee charged"), coerce=str, validators=[DataRequired()])
    other_name = StringField(_l("Name of the fee that is not on the list"), validators=[Optional(), Length(max=200)])
    amount = StringField(
        _l("Amount charged"), validators=[DataRequired(), Length(max=32), _positive_amount(MAX_AMOUNT)]
    )
    currency = SelectField(_l("Currency"), choices=CURRENCIES, default="CNY")
    quantity = StringField(
        _l("Quantity charged for (containers, bills ...)"),
        validators=[Optional(), Length(max=16), _positive_amount(Decimal(1_000_000))],
    )
    unit = StringField(_l("Unit (optional)"), validators=[Optional(), Length(max=32)])
    invoice = FileField(_l("Invoice (PDF, JPEG or PNG, up to 5 MB)"))
    held_invoice = HiddenField()  # the invoice already sent, kept while the form is asked again
    description = TextAreaField(_l("What happened"), validators=[DataRequired(), Length(max=TEXT)])
    contact_name = StringField(_l("Your name or company"), validators=[DataRequired(), Length(max=100)])
    contact_phone = StringField(_l("Phone"), validators=[Optional(), Regexp(PHONE, message=_l("Not a phone number."))])
    contact_email = StringField(
        _l("E-mail"), validators=[Optional(), Length(max=254), Regexp(EMAIL, message=_l("Not an e-mail address."))]
    )
    website = StringField()  # the honeypot: hidden from people, left empty by them
    token = HiddenField()
    answer = StringField(_l("Anti-robot check"), validators=[DataRequired(), Length(max=8)])
    submit = SubmitField(_l("File the complaint"))

    def validate_other_name(self, field: StringField) -> None:
        if self.fee_line.data == OTHER and not (field.data or "").strip():
            raise ValidationError(gettext("Name the fee you were charged."))

    def validate_contact_phone(self, field: StringField) -> None:
        if not (field.data or "").strip() and not (self.contact_email.data or "").strip():
            raise ValidationError(gettext("Give a phone number or an e-mail address, to follow the complaint."))

    def amount_value(self) -> Decimal:
        return parse_amount(self.amount.data)

    def quantity_value(self) -> Decimal | None:
        text = (self.quantity.data or "").strip()
        return parse_amount(text) if text else None


class StatusForm(FlaskForm):
    reference = StringField(_l("Reference number"), validators=[DataRequired(), Length(max=20)])
    contact = StringField(_l("The phone or e-mail you gave"), validators=[DataRequired(), Length(max=254)])
    submit = SubmitField(_l("Show the status"))


class AssignForm(FlaskForm):
    assignee_id = SelectField(_l("Reviewer"), coerce=str, validators=[DataRequired()])
    submit = SubmitField(_l("Assign"))


class AskForm(FlaskForm):
    message = TextAreaField(_l("Question to the operator"), validators=[DataRequired(), Length(max=TEXT)])
    submit = SubmitField(_l("Ask the operator to respond"))


class DecideForm(FlaskForm):
    decision = SelectField(_l("Decision"), choices=DECISIONS, validators=[DataRequired()])
    decision_text = TextAreaField(
        _l("Decision, as the complainant will read it"), validators=[DataRequired(), Length(max=TEXT)]
    )
    outcome_summary = TextAreaField(
        _l("Published outcome (anonymised: no names, contacts or invoice details)"),
        validators=[DataRequired(), Length(max=TEXT)],
    )
    submit = SubmitField(_l("Record the decision"))


class AnswerForm(FlaskForm):
    message = TextAreaField(_l("Your response"), validators=[DataRequired(), Length(max=TEXT)])
    submit = SubmitField(_l("Send the response"))

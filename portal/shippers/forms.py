"""Shippers' query forms (GET, no sign-in, no CSRF token: they change nothing); shape only, choices set by routes."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import DateField, SelectChoice, SelectField, SelectMultipleField, StringField
from wtforms.validators import InputRequired, Length, Optional

from portal.pricing.estimate import CARGO, LADEN, SIZES, TRADES, Shipment
from portal.validation.model import Conditions
from portal.web import words
from portal.web.bounds import BoundedIntegerField

ANY = SelectChoice("", "—")
FILTER_TRADES = ("外贸进口", "外贸出口", "外贸", "内贸", "中转")
MAX_BOXES = 9999
MAX_DAYS = 365


def _size(size: str) -> SelectChoice:
    return SelectChoice(size, words.SIZES.get(size, f"{size}'"))


def _word(kind: str):
    """A choice per stored word, labelled in the visitor's language (外贸进口 / Foreign trade, import)."""

    def choice(value: str) -> SelectChoice:
        return SelectChoice(value, words.LABELS[kind].get(value, value))

    return choice


class CompareForm(FlaskForm):
    class Meta:
        csrf = False

    service = StringField(_l("Service"), validators=[Optional(), Length(max=100)])
    port = SelectField(_l("Port area"), validators=[Optional()])
    as_of = DateField(_l("As of"), validators=[Optional()])
    trade = SelectField(_l("Trade"), choices=[ANY, *map(_word("trade"), FILTER_TRADES)], validators=[Optional()])
    size = SelectField(_l("Container size"), choices=[ANY, *map(_size, SIZES)], validators=[Optional()])
    laden = SelectField(_l("Laden or empty"), choices=[ANY, *map(_word("laden"), LADEN)], validators=[Optional()])
    cargo = SelectField(_l("Cargo"), choices=[ANY, *map(_word("cargo"), CARGO)], validators=[Optional()])

    def filters(self) -> Conditions:
        """The filters chosen; a blank one means any."""
        return Conditions(
            trade=self.trade.data or None,
            container_size=self.size.data or None,
            laden=self.laden.data or None,
            cargo=self.cargo.data or None,
        )


class EstimateForm(FlaskForm):
    class Meta:
        csrf = False

    port = SelectField(_l("Port area"), validators=[InputRequired()])
    operator = SelectMultipleField(_l("Operators"), coerce=int, validate_choice=False)
    trade = SelectField(_l("Trade"), choices=[*map(_word("trade"), TRADES)], default=TRADES[0])
    size = SelectField(_l("Container size"), choices=[_size(s) for s in SIZES], default="40")
    count = BoundedIntegerField(_l("Number of containers"), default=1, minimum=1, maximum=MAX_BOXES)
    laden = SelectField(_l("Laden or empty"), choices=[*map(_word("laden"), LADEN)], default=LADEN[0])
    cargo = SelectField(_l("Cargo"), choices=[*map(_word("cargo"), CARGO)], default=CARGO[0])
    service = SelectMultipleField(_l("Optional services"), validate_choice=False)
    days = BoundedIntegerField(_l("Days in port"), default=0, validators=[Optional()], minimum=0, maximum=MAX_DAYS)
    as_of = DateField(_l("As of"), validators=[Optional()])

    def shipment(self) -> Shipment:
        return Shipment(
            trade=self.trade.data,
            container_size=self.size.data,
            count=self.count.data,
            laden=self.laden.data,
            cargo=self.cargo.data,
            services=frozenset(self.service.data or ()),
            days=self.days.data or 0,
        )


class InvoiceForm(FlaskForm):
    """The invoice check (POST, with a CSRF token): an uploaded file, or the charges typed into rows of the page."""

    invoice = FileField(_l("Invoice charges as a spreadsheet (.xlsx or .csv)"))

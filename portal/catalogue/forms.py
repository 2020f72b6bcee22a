"""Catalogue forms in the prescribed format: header, fee line, upload, submission; shape only, the validator judges."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional, Regexp

from portal.catalogue import mapping
from portal.validation import vocabulary
from portal.validation.conditions import parse_conditions
from portal.validation.dates import parse_date
from portal.validation.model import FeeLine, Header
from portal.workbook import layout
from portal.workbook.layout import UNITS

NONE = SelectChoice("", "—")
TRADES = [NONE, *map(SelectChoice, ("外贸进口", "外贸出口", "外贸", "内贸", "中转"))]
SIZES = [NONE, *(SelectChoice(s, f"{s}英尺") for s in ("20", "40", "45"))]
LADEN = [NONE, *map(SelectChoice, ("重箱", "空箱"))]
CARGO = [NONE, *map(SelectChoice, ("普通货物", "危险货物", "冷藏"))]
OTHER_UNIT = "other"
LINE_FINDING_FIELDS = frozenset(mapping.WRITTEN_FIELDS)  # FeeLine fields the line form shows findings beside
CURRENCIES = [SelectChoice(term.key, f"{term.key} {term.zh}") for term in vocabulary.CURRENCIES]
PRICING_CLASSES = [NONE, *map(SelectChoice, layout.PRICING_CLASSES)]
PASS_THROUGH = [*map(SelectChoice, (vocabulary.NO, vocabulary.YES))]
TEXT = 2000  # longest text area accepted; the database keeps service content and remarks in full


HEADER_FIELDS = vocabulary.HEADER_FIELD_KEYS


def as_date(text: str | None) -> date | None:
    """A stored date as the date input shows it; None when the text names no date."""
    try:
        return parse_date(text) if text else None
    except ValueError:
        return None


def date_text(value: date | None, written: str = "") -> str:
    """What a date input saves: the ISO date; a stored text that names no date is kept as written (the check
    reports it) while the user leaves the input empty, so nothing written is lost by saving the form."""
    if value is not None:
        return value.isoformat()
    return written if written and as_date(written) is None else ""


def choices_with(choices: list[SelectChoice], value: str) -> list[SelectChoice]:
    """`choices`, plus `value` when it is written but not among them (so saving the form keeps it)."""
    return choices if not value or value in {c.value for c in choices} else [*choices, SelectChoice(value)]


class Locked:
    """A form saved from a version the user saw: `lock` carries that version's lock_version."""

    lock = HiddenField(validators=[DataRequired(), Regexp(r"^\d{1,9}$")])

    def expected_lock(self) -> int | None:
        data = self.lock.data  # type: ignore[attr-defined]
        return int(data) if data and str(data).isdigit() else None


class ActionForm(FlaskForm):
    """A button that starts or withdraws a version: the CSRF token only."""


class LockForm(Locked, FlaskForm):
    """A button that changes a draft (delete a line, restore it): CSRF token and lock only."""


READ_ONLY = {"readonly": True}


class HeaderForm(Locked, FlaskForm):
    # Who publishes comes from the operator's record (shown, not editable; the service ignores what is sent).
    operator_name = StringField(_l("Operator"), validators=[Length(max=200)], render_kw={"readonly": True})
    credit_code = StringField(
        _l("Unified social credit code"), validators=[Length(max=32)], render_kw={"readonly": True}
    )
    port_area = SelectField(_l("Port area"), choices=[NONE], validate_choice=False)
    complaint_phone = StringField(_l("Complaint phone"), validators=[Length(max=200)])
    effective_date = DateField(_l("Effective date"), validators=[Optional()])
    updated_date = DateField(_l("Updated"), validators=[Optional()])
    submit = SubmitField(_l("Save the header"))

    DATES = ("effective_date", "updated_date")

    @classmethod
    def of(cls, header: Header, lock: int, port_areas: Sequence[str]) -> HeaderForm:
        data = {name: getattr(header, name) for name in HEADER_FIELDS} | {"lock": str(lock)}
        data |= {name: as_date(getattr(header, name)) for name in cls.DATES}
        form = cls(data=data)
        form.offer(port_areas, header)
        return form

    def offer(self, port_areas: Sequence[str], written: Header) -> None:
        """The port areas to choose from, and the one written (an upload's text) if it is not among them."""
        self.port_area.choices = choices_with([NONE, *map(SelectChoice, port_areas)], written.port_area)

    def header(self, written: Header) -> Header:
        values = {name: (getattr(self, name).data or "").strip() for name in HEADER_FIELDS if name not in self.DATES}
        dates = {name: date_text(getattr(self, name).data, getattr(written, name)) for name in self.DATES}
        return Header(**values, **dates)


class LineForm(Locked, FlaskForm):
    name = StringField(_l("Fee item"), validators=[Length(max=200)])
    trade = SelectField(_l("Trade"), choices=TRADES, default="")
    container_size = SelectField(_l("Container size"), choices=SIZES, default="")
    laden = SelectField(_l("Laden or empty"), choices=LADEN, default="")
    cargo = SelectField(_l("Cargo"), choices=CARGO, default="")
    other_conditions = StringField(_l("Other conditions"), validators=[Length(max=200)])
    service_content = TextAreaField(_l("Service content"), validators=[Length(max=TEXT)])
    standard = StringField(_l("Standard"), validators=[Length(max=500)])
    unit = SelectField(_l("Unit"), choices=[*map(SelectChoice, UNITS), SelectChoice(OTHER_UNIT, _l("Other unit"))])
    unit_other = StringField(_l("Other unit"), validators=[Length(max=32)])
    currency = SelectField(_l("Currency"), choices=CURRENCIES, validate_choice=False)
    pricing_class = SelectField(_l("Pricing class"), choices=PRICING_CLASSES, validate_choice=False)
    basis = StringField(_l("Legal basis"), validators=[Length(max=500)])
    pass_through = SelectField(_l("Pass-through"), choices=PASS_THROUGH, validate_choice=False)
    remarks = TextAreaField(_l("Remarks"), validators=[Length(max=TEXT)])
    effective_date = DateField(_l("Effective date"), validators=[Optional()])
    submit = SubmitField(_l("Save the line"))

    CONDITION_FIELDS = ("trade", "container_size", "laden", "cargo", "other_conditions")

    @classmethod
    def of(cls, line: Mapping[str, str], lock: int) -> LineForm:
        """A form showing a stored line (its prescribed columns as text); values outside the lists stay selectable."""
        conditions = parse_conditions(line["conditions"])
        unit = line["unit"] if line["unit"] in UNITS or not line["unit"] else OTHER_UNIT
        data = {
            **{k: line[k] for k in ("name", "service_content", "standard", "basis", "remarks")},
            "effective_date": as_date(line["effective_date"]),
            "trade": conditions.trade or "",
            "container_size": conditions.container_size or "",
            "laden": conditions.laden or "",
            "cargo": conditions.cargo or "",
            "other_conditions": " ".join(p for p in (conditions.inspection, conditions.other) if p),
            "unit": unit,
            "unit_other": line["unit"] if unit == OTHER_UNIT else "",
            "currency": line["currency"],  # blank stays blank (it reads as CNY), never rewritten
            "pricing_class": line["pricing_class"],
            "pass_through": line["pass_through"],
            "lock": str(lock),
        }
        form = cls(data=data)
        form.keep_written(line)
        return form

    def keep_written(self, line: Mapping[str, str]) -> None:
        """Offer values written outside the lists (an uploaded 人民币, a misspelt class) so saving keeps them."""
        for name in ("currency", "pricing_class", "pass_through"):
            field = getattr(self, name)
            value = line.get(name, "")
            if value not in {choice.value for choice in field.choices}:
                field.choices = [*field.choices, SelectChoice(value)] if value else [NONE, *field.choices]

    def conditions(self, written: str = "") -> str:
        """The 适用条件 text, e.g. "外贸进口 20英尺 重箱 普通货物"; `written` is kept when it means the same."""
        size = self.container_size.data
        parts = (self.trade.data, f"{size}英尺" if size else "", self.laden.data, self.cargo.data)
        composed = " ".join(p for p in (*parts, (self.other_conditions.data or "").strip()) if p)
        return written if written and parse_conditions(written) == parse_conditions(composed) else composed

    def fee_line(self, written_conditions: str = "", written_date: str = "") -> FeeLine:
        unit = self.unit_other.data if self.unit.data == OTHER_UNIT else self.unit.data
        return FeeLine(
            name=(self.name.data or "").strip(),
            conditions=self.conditions(written_conditions),
            service_content=(self.service_content.data or "").strip(),
            standard=(self.standard.data or "").strip(),
            unit=(unit or "").strip(),
            currency=self.currency.data or "",
            pricing_class=self.pricing_class.data or "",
            basis=(self.basis.data or "").strip(),
            pass_through=self.pass_through.data or "",
            remarks=(self.remarks.data or "").strip(),
            effective_date=date_text(self.effective_date.data, written_date),
        )


class UploadForm(Locked, FlaskForm):
    file = FileField(_l("Workbook (.xlsx)"), validators=[FileRequired(_l("Choose the workbook to upload."))])
    mode = RadioField(
        _l("What the upload does"),
        choices=[
            SelectChoice("replace", _l("Replace the draft: its lines become the workbook's")),
            SelectChoice(
                "merge",
                _l("Merge into the draft: lines with the same fee item and conditions are replaced, others added"),
            ),
        ],
        default="replace",
    )
    lock = HiddenField(validators=[Optional(), Regexp(r"^\d{1,9}$")])  # empty while there is no draft yet
    submit = SubmitField(_l("Upload and check"))


class ExplanationForm(Form):
    finding_id = HiddenField()
    text = TextAreaField(_l("Explanation for the reviewer"), validators=[Length(max=TEXT)])


class SubmitForm(Locked, FlaskForm):
    explanations = FieldList(FormField(ExplanationForm))
    attestation = BooleanField(_l("We confirm this fee list is true, accurate and complete."))
    submit = SubmitField(_l("Submit for review"))

    def explanation_texts(self) -> dict[str, str]:
        return {entry.finding_id.data: entry.text.data or "" for entry in self.explanations}

    def set_explanations(self, ids: list[str], texts: Mapping[str, str]) -> None:
        """One entry per error to explain, in order, each with the text given so far."""
        while self.explanations.entries:
            self.explanations.pop_entry()
        for finding_id in ids:
            self.explanations.append_entry({"finding_id": finding_id, "text": texts.get(finding_id, "")})

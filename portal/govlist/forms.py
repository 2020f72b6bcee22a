"""Government-list maintenance forms: a dated row, an Excel import, a bundle component, an alias; shape only.

The rows themselves are judged by the feelists loader (the same checks as the shipped CSV files).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, DateField, SelectChoice, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, Regexp

from portal.govlist.loader import CARGO, CONTAINER_SIZES, GOVLIST_COLUMNS, HISTORICAL, LADEN, SEPARATOR, TRADES, Trust
from portal.validation.model import BundleComponent, GovStatus, PricingClass, RateKind
from portal.web.i18n import term
from portal.web.words import LABELS, plain

ANY = SelectChoice("", _l("any"))
TEXT = 4000
CODE = r"^[A-Z0-9]+(-[A-Z0-9]+)*$"
DECIMAL = r"^[0-9]+(\.[0-9]{1,4})?$"
STATUS_LABELS = {
    GovStatus.IN_FORCE: _l("In force"),
    GovStatus.ABOLISHED: _l("Abolished"),
    GovStatus.FOLDED: _l("Only inside a bundle"),
}
DATE_FIELDS = ("effective_from", "effective_until")
FLAG_FIELDS = ("pass_through", "verified")
TRUE = "true"  # booleans as govlist.csv writes them
PROPOSED = ("name_zh", "rate", "unit", "basis", "source")  # what an official notice's row says (ItemForm.proposed)


def _conditions(kind: str, values: tuple[str, ...]) -> list[SelectChoice]:
    """Any, then each value of a condition, labelled in the reader's language (外贸进口 / Foreign trade, import)."""
    return [ANY, *(SelectChoice(value, LazyString(plain, kind, value)) for value in values)]


class ActionForm(FlaskForm):
    """A button that removes a component or an alias: the CSRF token only."""


class ItemForm(FlaskForm):
    """A new dated row of the government list, in govlist.csv's columns."""

    code = StringField(
        _l("Code"),
        validators=[DataRequired(), Length(max=64), Regexp(CODE, message=_l("Capital letters and digits joined by -"))],
    )
    name_zh = StringField(_l("Name (Chinese)"), validators=[DataRequired(), Length(max=100)])
    name_en = StringField(_l("Name (English)"), validators=[DataRequired(), Length(max=200)])
    aliases = StringField(_l("Other names, separated by |"), validators=[Length(max=500)])
    pricing_class = SelectField(
        _l("Pricing class"), choices=[SelectChoice(c.value, LazyString(term, "pricing_class", c)) for c in PricingClass]
    )
    trade = SelectField(_l("Trade"), choices=_conditions("trade", TRADES), default="")
    container_size = SelectField(
        _l("Container size"), choices=_conditions("container_size", CONTAINER_SIZES), default=""
    )
    laden = SelectField(_l("Laden or empty"), choices=_conditions("laden", LADEN), default="")
    cargo = SelectField(_l("Cargo"), choices=_conditions("cargo", CARGO), default="")
    rate = StringField(
        _l("Rate"), validators=[Optional(), Regexp(DECIMAL, message=_l("An amount such as 13.60 (at most 4 places)"))]
    )
    rate_kind = SelectField(
        _l("Rate kind"),
        choices=[
            SelectChoice("", "—"),
            SelectChoice(RateKind.FIXED.value, _l("Fixed: charge exactly this")),
            SelectChoice(RateKind.CAP.value, _l("Cap: charge at most this")),
        ],
        default="",
    )
    unit = StringField(_l("Unit"), validators=[Length(max=32)])
    currency = StringField(_l("Currency"), default="CNY", validators=[Length(max=3)])
    service_content = TextAreaField(_l("Service content"), validators=[Length(max=TEXT)])
    basis = TextAreaField(_l("Legal basis"), validators=[DataRequired(), Length(max=TEXT)])
    source = TextAreaField(_l("Source"), validators=[DataRequired(), Length(max=TEXT)])
    effective_from = DateField(_l("Effective from"), validators=[DataRequired()])
    effective_until = DateField(_l("Effective until"), validators=[Optional()])
    status = SelectField(_l("Status"), choices=[SelectChoice(s.value, label) for s, label in STATUS_LABELS.items()])
    folded_into = StringField(_l("Bundle it is folded into"), validators=[Length(max=32)])
    pass_through = BooleanField(_l("Collected on the authority's behalf (pass-through)"))
    verified = BooleanField(_l("Verified against the issuing body's text"))
    trust = SelectField(_l("Evidence"), choices=[SelectChoice(t.value, LABELS["trust"][t.value]) for t in Trust])
    note = TextAreaField(_l("Note"), validators=[Length(max=TEXT)])
    submit = SubmitField(_l("Add the row"))

    @classmethod
    def following(cls, values: Mapping[str, str], today: date) -> ItemForm:
        """A blank form for the row that follows a stored one: its values, a new code, no dates, not verified."""
        data: dict[str, object] = {k: v for k, v in values.items() if k not in DATE_FIELDS + FLAG_FIELDS}
        data.update({flag: values[flag] == TRUE for flag in FLAG_FIELDS})
        data.update(
            code=f"{values['code']}-{today:%Y%m%d}"[:64],
            trust=values["trust"].removesuffix(SEPARATOR + HISTORICAL),
            verified=False,
        )
        return cls(formdata=None, data=data)

    @classmethod
    def proposed(cls, args: Mapping[str, str]) -> ItemForm:
        """A blank form filled in from an official notice's row the intake matched to nothing (`?name_zh=...`):
        the words of the notice as given, evidence READ-OFFICIAL, never ticked verified (the bureau checks first)."""
        data: dict[str, object] = {key: args[key][:TEXT] for key in PROPOSED if args.get(key)}
        try:
            data["effective_from"] = date.fromisoformat(args.get("effective_from", ""))
        except ValueError:
            pass
        return cls(formdata=None, data={**data, "trust": Trust.READ_OFFICIAL.value, "verified": False})

    def values(self) -> dict[str, str]:
        """The row as govlist.csv's text, which the loader reads."""
        text: dict[str, str] = {}
        for column in GOVLIST_COLUMNS:
            data = getattr(self, column).data
            if column in FLAG_FIELDS:
                text[column] = TRUE if data else "false"
            elif column in DATE_FIELDS:
                text[column] = data.isoformat() if data else ""
            else:
                text[column] = (data or "").strip()
        return text


class ImportForm(FlaskForm):
    file = FileField(_l("Workbook (.xlsx)"), validators=[FileRequired(_l("Choose the workbook to upload."))])
    submit = SubmitField(_l("Import the rows"))


class ComponentForm(FlaskForm):
    """A service a bundle must include from a date."""

    name_zh = StringField(_l("Name (Chinese)"), validators=[DataRequired(), Length(max=100)])
    name_en = StringField(_l("Name (English)"), validators=[DataRequired(), Length(max=200)])
    aliases = StringField(_l("Other names, separated by |"), validators=[Length(max=500)])
    basis = TextAreaField(_l("Legal basis"), validators=[DataRequired(), Length(max=TEXT)])
    source = TextAreaField(_l("Source"), validators=[DataRequired(), Length(max=TEXT)])
    effective_from = DateField(_l("Mandatory from"), validators=[Optional()])
    submit = SubmitField(_l("Add the component"))

    def component(self) -> BundleComponent:
        names = tuple(dict.fromkeys(n.strip() for n in (self.aliases.data or "").split(SEPARATOR) if n.strip()))
        return BundleComponent(
            name_zh=self.name_zh.data.strip(),
            name_en=self.name_en.data.strip(),
            basis=self.basis.data.strip(),
            source=self.source.data.strip(),
            effective_from=self.effective_from.data,
            aliases=names,
        )


class AliasForm(FlaskForm):
    alias = StringField(_l("Other name"), validators=[DataRequired(), Length(max=100)])
    canonical = StringField(_l("The fee it stands for"), validators=[DataRequired(), Length(max=100)])
    source = StringField(_l("Source"), validators=[Length(max=500)])
    submit = SubmitField(_l("Add the alias"))


class IntakeForm(FlaskForm):
    """The bureau's official list as it publishes it, and the notice it comes from."""

    file = FileField(
        _l("The official list (.xlsx or .csv)"), validators=[FileRequired(_l("Choose the file to upload."))]
    )
    document = StringField(
        _l("Source document (e.g. the notice's number and title)"), validators=[DataRequired(), Length(max=300)]
    )
    document_date = DateField(_l("Date of the document"), validators=[DataRequired()])
    effective = DateField(_l("The rates take effect on"), validators=[DataRequired()])
    page = StringField(_l("Page (when the sheet has no 页码 column)"), validators=[Optional(), Length(max=16)])
    submit = SubmitField(_l("Show what would change"))


class IntakeDecisionForm(FlaskForm):
    """Apply or cancel a held intake: the CSRF token only."""

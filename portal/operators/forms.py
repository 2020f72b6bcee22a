"""Operator profile forms (shape only; the services check ownership, port areas and credit codes)."""

import re

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectMultipleField, StringField, SubmitField, TextAreaField, URLField
from wtforms.validators import URL, DataRequired, Length, Optional, ValidationError

PHONE = re.compile(r"^[0-9+()\- 转]{5,40}$")
PHONE_LIST_HELP = _l("One phone number per line.")


class PhoneListMixin:
    """`complaint_phones` as a text area, one number per line."""

    def phone_list(self) -> list[str]:
        return [p.strip() for p in (self.complaint_phones.data or "").splitlines() if p.strip()]

    def validate_complaint_phones(self, field: TextAreaField) -> None:
        bad = [p for p in self.phone_list() if not PHONE.match(p)]
        if bad:
            raise ValidationError(gettext("Not a phone number: %(numbers)s", numbers="、".join(bad)))


class ProfileForm(PhoneListMixin, FlaskForm):
    """What an operator keeps itself; the legal name and credit code change only by a request (IdentityRequestForm)."""

    name_en = StringField(_l("Name (English)"), validators=[Optional(), Length(max=200)])
    address = StringField(_l("Address"), validators=[Optional(), Length(max=300)])
    website = URLField(_l("Website"), validators=[Optional(), URL(), Length(max=300)])
    complaint_phones = TextAreaField(
        _l("Complaint phones (one per line)"), validators=[DataRequired(), Length(max=500)], description=PHONE_LIST_HELP
    )
    port_areas = SelectMultipleField(_l("Port areas"), validators=[DataRequired()])
    submit = SubmitField(_l("Save profile"))


class IdentityRequestForm(FlaskForm):
    """A request to change the legal name or the credit code: the bureau decides."""

    name_zh = StringField(_l("New legal name (Chinese)"), validators=[DataRequired(), Length(max=200)])
    credit_code = StringField(_l("New unified social credit code"), validators=[DataRequired(), Length(min=18, max=18)])
    reason = TextAreaField(
        _l("Reason (e.g. the business licence change)"), validators=[DataRequired(), Length(max=2000)]
    )
    submit = SubmitField(_l("Send the request to the bureau"))

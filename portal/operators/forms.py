"""Operator profile form (shape only; the service checks ownership and port areas)."""

import re

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectMultipleField, StringField, SubmitField, TextAreaField, URLField
from wtforms.validators import URL, DataRequired, Length, Optional, ValidationError

PHONE = re.compile(r"^[0-9+()\- 转]{5,40}$")


class ProfileForm(FlaskForm):
    name_en = StringField(_l("Name (English)"), validators=[Optional(), Length(max=200)])
    address = StringField(_l("Address"), validators=[Optional(), Length(max=300)])
    website = URLField(_l("Website"), validators=[Optional(), URL(), Length(max=300)])
    complaint_phones = TextAreaField(
        _l("Complaint phones (one per line)"), validators=[DataRequired(), Length(max=500)]
    )
    port_areas = SelectMultipleField(_l("Port areas"), validators=[DataRequired()])
    submit = SubmitField(_l("Save profile"))

    def phone_list(self) -> list[str]:
        return [p.strip() for p in (self.complaint_phones.data or "").splitlines() if p.strip()]

    def validate_complaint_phones(self, field: TextAreaField) -> None:
        bad = [p for p in self.phone_list() if not PHONE.match(p)]
        if bad:
            raise ValidationError(gettext("Not a phone number: %(numbers)s", numbers="、".join(bad)))

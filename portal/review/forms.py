"""Review decision forms: approve, request changes (a general comment and one per diff line), reject; shape only."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import FieldList, Form, FormField, HiddenField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, Regexp

COMMENT = 4000  # longest comment accepted


class Decided(FlaskForm):
    """A decision made on the version the reviewer saw: `lock` carries that version's lock_version."""

    KIND = ""  # the form's prefix on the page: its fields are named "<KIND>-comment" ...

    lock = HiddenField(validators=[DataRequired(), Regexp(r"^\d{1,9}$")])

    @classmethod
    def posted(cls) -> Decided:
        """The form as the request sent it."""
        return cls(prefix=cls.KIND)

    def expected_lock(self) -> int | None:
        data = self.lock.data
        return int(data) if data and str(data).isdigit() else None

    def decision(self) -> dict[str, Any]:
        """What the form says, as the keyword arguments of its decision in review.services."""
        return {"expected_lock": self.expected_lock()}


class ApproveForm(Decided):
    KIND = "approve"
    comment = TextAreaField(_l("Comment for the operator (optional)"), validators=[Optional(), Length(max=COMMENT)])
    submit = SubmitField(_l("Approve and publish"))

    def decision(self) -> dict[str, Any]:
        return {**super().decision(), "comment": self.comment.data or ""}


class LineCommentForm(Form):
    key = HiddenField(validators=[DataRequired(), Length(max=32)])
    text = TextAreaField(_l("Comment on this line"), validators=[Optional(), Length(max=COMMENT)])


class RequestChangesForm(Decided):
    KIND = "changes"
    comment = TextAreaField(_l("General comment"), validators=[Optional(), Length(max=COMMENT)])
    lines = FieldList(FormField(LineCommentForm), max_entries=20_000)
    submit = SubmitField(_l("Request changes"))

    def line_comments(self) -> dict[str, str]:
        return {entry.key.data: entry.text.data or "" for entry in self.lines if entry.key.data}

    def decision(self) -> dict[str, Any]:
        return {**super().decision(), "comment": self.comment.data or "", "line_comments": self.line_comments()}


class RejectForm(Decided):
    KIND = "reject"
    reason = TextAreaField(
        _l("Reason for the rejection"), validators=[DataRequired(_l("Give the reason.")), Length(max=COMMENT)]
    )
    submit = SubmitField(_l("Reject"))

    def decision(self) -> dict[str, Any]:
        return {**super().decision(), "reason": self.reason.data or ""}


def decision_forms(lock: int, keys: Iterable[str], posted: Decided | None = None) -> dict[str, Decided]:
    """The three forms of the review page, each with its own prefix so their fields never clash.

    `posted` (a form sent back with errors) replaces the blank form of its kind.
    """
    forms: dict[str, Decided] = {
        ApproveForm.KIND: ApproveForm(formdata=None, prefix=ApproveForm.KIND, data={"lock": str(lock)}),
        RequestChangesForm.KIND: RequestChangesForm(
            formdata=None,
            prefix=RequestChangesForm.KIND,
            data={"lock": str(lock), "lines": [{"key": key} for key in keys]},
        ),
        RejectForm.KIND: RejectForm(formdata=None, prefix=RejectForm.KIND, data={"lock": str(lock)}),
    }
    if posted is not None:
        forms[posted.KIND] = posted
    return forms

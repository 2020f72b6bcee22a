"""The audit log in words: each action, subject and recorded field named in the reader's language, and each recorded
value shown as a person reads it. The log itself keeps the codes (they are what the CSV export and filters carry);
only what a page shows goes through here. A code with no words here is shown as written (a test lists them all)."""

from __future__ import annotations

from collections.abc import Mapping

from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from portal.validation import vocabulary
from portal.web.i18n import current_locale
from portal.web.words import LABELS

ACTIONS = {
    "catalogue.demo": _l("Demo fee list loaded"),
    "catalogue.upload": _l("Fee list uploaded"),
    "catalogue.form": _l("Fee list entered on the web"),
    "catalogue.draft": _l("Draft started"),
    "catalogue.header": _l("List details changed"),
    "catalogue.line.add": _l("Fee line added"),
    "catalogue.line.update": _l("Fee line changed"),
    "catalogue.line.delete": _l("Fee line deleted"),
    "catalogue.line.restore": _l("Fee line restored"),
    "catalogue.submit": _l("Submitted for review"),
    "catalogue.withdraw": _l("Submission withdrawn"),
    "catalogue.publish": _l("Edition published"),
    "catalogue.reject": _l("Submission rejected"),
    "catalogue.changes_requested": _l("Changes requested"),
    "review.approved": _l("Submission approved"),
    "review.changes_requested": _l("Changes requested"),
    "review.rejected": _l("Submission rejected"),
    "review.revalidate": _l("Editions checked again against the government list"),
    "complaint.file": _l("Complaint filed"),
    "complaint.assign": _l("Complaint assigned"),
    "complaint.ask_operator": _l("Operator asked to explain"),
    "complaint.answer": _l("Operator answered"),
    "complaint.decide": _l("Complaint decided"),
    "govlist.load": _l("Government list loaded from its files"),
    "govlist.import": _l("Government-list rows imported"),
    "govlist.intake": _l("Official list taken in"),
    "govlist.item.create": _l("Government-list row added"),
    "govlist.item.update": _l("Government-list row changed"),
    "govlist.item.close": _l("Government-list row ended"),
    "govlist.item.verify": _l("Government-list rate verified"),
    "govlist.alias.add": _l("Other name added"),
    "govlist.alias.remove": _l("Other name removed"),
    "govlist.bundle.component.add": _l("Service added to a bundle"),
    "govlist.bundle.component.remove": _l("Service removed from a bundle"),
    "operator.create": _l("Operator registered"),
    "operator.update": _l("Operator profile changed"),
    "operator.activate": _l("Operator reactivated"),
    "operator.deactivate": _l("Operator deactivated"),
    "operator.merge": _l("Operators merged"),
    "operator.identity_request": _l("Change of name or credit code requested"),
    "operator.identity_approve": _l("Change of name or credit code approved"),
    "operator.identity_reject": _l("Change of name or credit code rejected"),
    "user.create": _l("Account created"),
    "user.invite": _l("Account invited"),
    "user.invite_accepted": _l("Invitation accepted"),
    "user.reset_accepted": _l("Password set from a reset link"),
    "user.reset_password": _l("Password reset sent"),
    "user.role": _l("Role changed"),
    "user.activate": _l("Account reactivated"),
    "user.deactivate": _l("Account deactivated"),
    "user.login": _l("Signed in"),
    "user.logout": _l("Signed out"),
}

SUBJECTS = {
    "catalogue": _l("Fee list"),
    "catalogue_version": _l("Edition"),
    "fee_line": _l("Fee line"),
    "complaint": _l("Complaint"),
    "gov_item": _l("Government-list row"),
    "bundle": _l("Bundle"),
    "alias": _l("Other name"),
    "feelists": _l("Government list"),
    "operator": _l("Operator"),
    "identity_request": _l("Change request"),
    "user": _l("Account"),
}

# Recorded fields that are not fields of the disclosure format (those are named by the vocabulary).
FIELDS = {
    "_context": _l("Context"),
    "added": _l("Added"),
    "updated": _l("Changed"),
    "unchanged": _l("Unchanged"),
    "superseded": _l("Replaced"),
    "address": _l("Address"),
    "aliases": _l("Other names"),
    "bundles": _l("Bundles"),
    "code": _l("Code"),
    "complaint_phones": _l("Complaint phones"),
    "port_areas": _l("Port areas"),
    "edition": _l("Edition"),
    "email": _l("E-mail"),
    "errors": _l("Errors"),
    "warnings": _l("Warnings"),
    "effective_from": _l("Effective from"),
    "effective_until": _l("Effective until"),
    "folded_into": _l("Bundle it is folded into"),
    "kind": _l("Operator kind"),
    "lines": _l("Lines"),
    "name_zh": _l("Name (Chinese)"),
    "name_en": _l("Name (English)"),
    "note": _l("Note"),
    "rate": _l("Rate"),
    "rate_kind": _l("Rate kind"),
    "role": _l("Role"),
    "source": _l("Source"),
    "status": _l("Status"),
    "trust": _l("Evidence"),
    "verified": _l("Verified"),
    "website": _l("Website"),
    "trade": _l("Trade"),
    "laden": _l("Laden or empty"),
    "cargo": _l("Cargo"),
    "container_size": _l("Container size"),
    "basis": _l("Legal basis"),
    "verified_document": _l("Source document"),
    "verified_document_date": _l("Date of the document"),
    "verified_page": _l("Page"),
    "reason": _l("Reason"),
    "decision": _l("Decision"),
}


def action(code: str) -> str:
    label = ACTIONS.get(code)
    return str(label) if label is not None else code


def subject(kind: str) -> str:
    label = SUBJECTS.get(kind)
    return str(label) if label is not None else kind


def field(key: str) -> str:
    label = FIELDS.get(key)
    if label is not None:
        return str(label)
    term = vocabulary.field_term(key)
    return term.label(current_locale()) if term is not None else key


def value(key: str, recorded: object) -> str:
    """A recorded value as a person reads it: yes/no, words for codes, lists joined, counts of nested records."""
    if recorded is None or recorded == "":
        return "—"
    if isinstance(recorded, bool):
        return vocabulary.label("yes_no", recorded, current_locale())
    if isinstance(recorded, list | tuple):
        return "、".join(value(key, item) for item in recorded) or "—"
    if isinstance(recorded, Mapping):
        return "；".join(f"{field(str(k))}：{value(str(k), v)}" for k, v in recorded.items()) or "—"
    text = str(recorded)
    if key == "kind":
        return vocabulary.label("operator_kind", text, current_locale())
    if key in LABELS and text in LABELS[key]:
        return str(LABELS[key][text])
    if key in vocabulary.VOCABULARY:
        return vocabulary.label(key, text, current_locale())
    return text


def described(record: Mapping[str, object] | None) -> list[tuple[str, str]]:
    """(field, value) pairs of a recorded before/after, in the reader's language."""
    if not record:
        return []
    if not isinstance(record, Mapping):
        return [(gettext("Value"), value("", record))]
    return [(field(str(key)), value(str(key), recorded)) for key, recorded in record.items()]

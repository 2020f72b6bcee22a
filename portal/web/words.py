"""Plain words for stored values: every enumeration, condition, status and rule shown in the visitor's language.

Pages never show a stored code (in_force, fixed, BAOGAN, OFF_LIST ...): they call `plain(kind, value)` (a template
global) or the helpers below. The disclosure format's enumerations (pricing classes, currencies, yes/no, operator
kinds ...) come from the one vocabulary (portal.validation.vocabulary); the words only shippers' pages need
(conditions, a government row's source, an invoice finding) are here. Labels are msgids translated at render time;
a value this module does not know is shown as written when it is the operator's own text (a Chinese word), and as
"—" when it looks like a code.
"""

from __future__ import annotations

import re
from datetime import date

from flask import Flask
from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from portal.validation import vocabulary
from portal.validation.model import Conditions, within
from portal.web.i18n import current_locale

_CODE = re.compile(r"^[A-Za-z0-9_|.\-]+$")

LABELS: dict[str, dict[str, object]] = {
    "trade": {
        "外贸进口": _l("Foreign trade, import"),
        "外贸出口": _l("Foreign trade, export"),
        "外贸": _l("Foreign trade"),
        "内贸": _l("Domestic trade"),
        "中转": _l("Transhipment"),
    },
    "laden": {"重箱": _l("Laden"), "空箱": _l("Empty")},
    "cargo": {"普通货物": _l("General cargo"), "危险货物": _l("Dangerous goods"), "冷藏": _l("Refrigerated")},
    "inspection": {"查验无问题": _l("Inspection found no problem"), "查验有问题": _l("Inspection found a problem")},
    "rate_kind": {"fixed": _l("Fixed rate"), "cap": _l("At most")},
    "trust": {
        "READ-OFFICIAL": _l("Read in the official text"),
        "READ-MIRROR": _l("Read in a copy of the official text"),
        "READ-SECONDARY": _l("Read in a secondary source"),
        "HISTORICAL": _l("Historical rate"),
        "DERIVED": _l("Worked out from other figures"),
        "ASSUMED": _l("Assumed: not yet read in any source"),
    },
    "role": {"operator": _l("Operator staff"), "reviewer": _l("Reviewer"), "admin": _l("Administrator")},
    "invoice_mark": {
        "listed": _l("On the list, within the posted standard"),
        "unpriced": _l("On the list; its standard is not a figure to compare with"),
        "not_listed": _l("Not on the operator's list"),
        "above": _l("Above the posted standard"),
        "bundled": _l("Part of a bundled service, charged again"),
        "unknown_operator": _l("Operator not found: write its full name or credit code"),
        "no_list": _l("The operator had no list in force that day"),
    },
}
SIZES = {"20": _l("20-foot"), "40": _l("40-foot"), "45": _l("45-foot")}

# A government-list row's status on a day, from its dates and its stored status.
IN_FORCE = _l("In force")
ABOLISHED = _l("Abolished")
PENDING = _l("Not yet in force")
ENDED = _l("No longer in force")


def plain(kind: str, value: object) -> str:
    """The label of `value` in `kind`'s enumeration, in the current language ("—" for nothing or an unknown code)."""
    if value is None or value == "":
        return "—"
    if kind in vocabulary.VOCABULARY:  # the disclosure format's own enumerations: one vocabulary for all
        return vocabulary.label(kind, value, current_locale()) or "—"
    if kind == "container_size":
        label = SIZES.get(str(value))
        return str(label) if label is not None else "—"
    label = LABELS.get(kind, {}).get(value)
    if label is not None:
        return str(label)
    text = str(value)
    return "—" if _CODE.match(text) else text


def trust(value: str) -> str:
    """READ-MIRROR|HISTORICAL -> "Read in a copy of the official text; historical rate"."""
    parts = [plain("trust", part.strip()) for part in (value or "").split("|") if part.strip()]
    return gettext("; ").join(p for p in parts if p != "—")


_REFERENCE = re.compile(r"《[^》]{1,60}》|[\u4e00-\u9fff]{1,12}〔\d{4}〕\d{1,4}号")
_LATIN_WORDS = re.compile(r"[A-Za-z]{3,}")


def legal_references(text: str) -> str:
    """The documents a basis cites (《港口收费计费办法》, 交水规〔2019〕2号 ...), without the notes around them; a basis
    written in plain Chinese is kept whole. Names of documents read the same in both languages."""
    if not text:
        return "—"
    if not _LATIN_WORDS.search(text):
        return text
    found = list(dict.fromkeys(_REFERENCE.findall(text)))
    return "；".join(found) if found else "—"


def note(text: str) -> str:
    """A government row's English note with its source grades in words (DERIVED: -> Worked out from other figures:)."""
    for code, label in LABELS["trust"].items():
        text = re.sub(rf"(?<![A-Za-z\-]){re.escape(code)}(?![A-Za-z\-])", str(label), text)
    return text


def conditions(c: Conditions) -> str:
    """Parsed conditions in words (外贸进口 40英尺 重箱 in Chinese; Foreign trade, import · 40-foot ... in English)."""
    parts = [
        plain("trade", c.trade) if c.trade else "",
        plain("container_size", c.container_size) if c.container_size else "",
        plain("laden", c.laden) if c.laden else "",
        plain("cargo", c.cargo) if c.cargo else "",
        plain("inspection", c.inspection) if c.inspection else "",
        c.other,
    ]
    words = [p for p in parts if p]
    return " · ".join(words) if words else gettext("Any conditions")


def row_status(status: str, start: date | None, end: date | None, on: date) -> str:
    """执行中, 已废止, 待生效 or 已停止执行, from the row's dates on `on` (not from its stored status alone)."""
    if start is not None and on < start:
        return str(PENDING)
    if not within(on, start, end):
        return str(ENDED)
    if str(status) == "abolished":
        return str(ABOLISHED)
    return str(IN_FORCE)


def groupby_order(items, attribute: str) -> list[tuple[object, list]]:
    """Consecutive items sharing `attribute`, in the order given (Jinja's groupby sorts; this keeps the order)."""
    groups: list[tuple[object, list]] = []
    for item in items:
        key = getattr(item, attribute)
        if groups and groups[-1][0] == key:
            groups[-1][1].append(item)
        else:
            groups.append((key, [item]))
    return groups


def init_app(app: Flask) -> None:
    app.add_template_filter(groupby_order)
    app.jinja_env.globals.update(
        plain=plain,
        plain_trust=trust,
        plain_conditions=conditions,
        row_status=row_status,
        legal_references=legal_references,
        plain_note=note,
    )

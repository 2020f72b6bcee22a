"""The Chinese catalogue is complete: every msgid the code and templates use has a real translation."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
ZH = ROOT / "portal/translations/zh_Hans_CN/LC_MESSAGES/messages.po"
PLACEHOLDER = re.compile(r"\{(\w+)\}|%\((\w+)\)s")


def catalogue():
    with ZH.open("rb") as f:
        return read_po(f)


def used_msgids() -> set[str]:
    method_map = [("portal/**.py", "python"), ("templates/**.html", "jinja2")]
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None, "N_": None}
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map=method_map, keywords=keywords, options_map={"templates/**.html": {}}
    ):
        found.add(message[0] if isinstance(message, tuple) else message)
    return found


def test_every_used_message_has_a_chinese_translation() -> None:
    translated = {
        (m.id[0] if isinstance(m.id, tuple) else m.id): m.string
        for m in catalogue()
        if m.id and not m.fuzzy and (all(m.string) if isinstance(m.string, tuple) else m.string)
    }
    missing = sorted(m for m in used_msgids() if m not in translated)
    assert missing == [], f"{len(missing)} msgids lack Chinese (run make translations-update): {missing[:10]}"


def test_no_chinese_translation_is_fuzzy_or_drops_a_placeholder() -> None:
    for message in catalogue():
        if not message.id or isinstance(message.id, tuple) or not message.string:
            continue  # missing translations are the test above's concern
        assert not message.fuzzy, message.id
        assert set(PLACEHOLDER.findall(message.id)) == set(PLACEHOLDER.findall(message.string)), message.id

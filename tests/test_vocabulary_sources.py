"""The portal's models, workbook layout, posting sheet, exports and templates take their words from the vocabulary."""

from __future__ import annotations

import re
from pathlib import Path

from portal.catalogue import mapping
from portal.catalogue.models import VersionStatus
from portal.operators.models import OperatorKind
from portal.publishing import exports, pdf
from portal.validation import vocabulary
from portal.workbook import layout

ROOT = Path(__file__).resolve().parent.parent


def test_model_enumerations_and_the_vocabulary_list_the_same_codes() -> None:
    assert [t.key for t in vocabulary.OPERATOR_KINDS] == list(OperatorKind)
    assert [t.key for t in vocabulary.VERSION_STATUSES] == list(VersionStatus)


def test_the_workbook_layout_posting_sheet_and_mapping_use_the_vocabularys_fields() -> None:
    assert tuple(c.key for c in layout.COLUMNS) == vocabulary.LINE_FIELD_KEYS
    assert tuple(f.attr for f in layout.HEADER_FIELDS) == vocabulary.HEADER_FIELD_KEYS
    assert [(c.zh, c.en) for c in layout.COLUMNS] == [(t.zh, t.en) for t in vocabulary.LINE_FIELDS]
    assert [(f.zh, f.en) for f in layout.HEADER_FIELDS] == [(t.zh, t.en) for t in vocabulary.HEADER_FIELDS]
    assert [(zh, en) for zh, en, _w in pdf.COLUMNS] == [
        (vocabulary.LINE_FIELD[k].zh, vocabulary.LINE_FIELD[k].en) for k in vocabulary.PRINTED_FIELDS
    ]
    assert (mapping.LINE_FIELDS, mapping.HEADER_FIELDS) == (vocabulary.LINE_FIELD_KEYS, vocabulary.HEADER_FIELD_KEYS)
    assert exports.headings("en")[1:3] == ["Operator", "Unified social credit code"]


def test_no_module_or_template_writes_the_field_list_or_the_change_mark_d_itself() -> None:
    """The duplicates the vocabulary replaced: a literal header field list, a bare "D", yes/no word sets."""
    header_list = re.compile(r"\(\s*\"operator_name\",\s*\"credit_code\",\s*\"port_area\"")
    bare_d = re.compile(r"""(==|!=|=)\s*["']D["']""")
    yes_set = re.compile(r"""\{\s*["']是["'],\s*["']Y["']""")
    offenders = []
    for path in [*ROOT.glob("portal/**/*.py"), *ROOT.glob("templates/**/*.html")]:
        if path.name == "vocabulary.py":
            continue
        text = path.read_text(encoding="utf-8")
        offenders += [
            f"{path.relative_to(ROOT)}: {p.pattern}" for p in (header_list, bare_d, yes_set) if p.search(text)
        ]
    assert offenders == []

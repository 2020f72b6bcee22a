"""The audit log in words: every action the portal records has a name in both languages, and the log page shows
names and values, not codes or JSON, in the Chinese interface."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from flask_babel import force_locale

from portal.auth.models import LinkPurpose, Role
from portal.review.models import Decision
from portal.web import audit_words

ROOT = Path(__file__).resolve().parents[2]
# What the f-string actions are filled with: every value each placeholder can take.
PLACEHOLDERS = {
    "source": ("form", "upload", "demo"),
    "decision.value": tuple(d.value for d in Decision),
    "link.purpose.value": tuple(p.value for p in LinkPurpose),
    "subject_type": ("user", "operator"),  # audit.record_activation
    "'activate' if active else 'deactivate'": ("activate", "deactivate"),
}


def _fillable(node: ast.JoinedStr) -> bool:
    return all(
        isinstance(part, ast.Constant) or ast.unparse(part.value) in PLACEHOLDERS  # type: ignore[attr-defined]
        for part in node.values
    )


def _expand(node: ast.expr) -> list[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    assert isinstance(node, ast.JoinedStr), ast.dump(node)
    texts = [""]
    for part in node.values:
        if isinstance(part, ast.Constant):
            texts = [t + part.value for t in texts]
        else:
            values = PLACEHOLDERS[ast.unparse(part.value)]
            texts = [t + v for t in texts for v in values]
    return texts


PREFIX = r"(catalogue|complaint|review|user|operator|govlist)\."
ACTION = re.compile(PREFIX + r"[a-z_]+(\.[a-z_]+)*")


def recorded_actions(endpoints: set[str]) -> set[str]:
    """Every action code written in portal/: each string (or f-string, filled in) shaped like one that is not a
    view's endpoint name (url_for's "catalogue.draft" is both), wherever it stands (a call, a default, a branch)."""
    found: set[str] = set()
    for path in (ROOT / "portal").rglob("*.py"):
        if path.name == "audit_words.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        inside_fstrings = {id(v) for n in ast.walk(tree) if isinstance(n, ast.JoinedStr) for v in n.values}
        for node in ast.walk(tree):
            if isinstance(node, ast.JoinedStr) and _fillable(node):
                found |= {text for text in _expand(node) if ACTION.fullmatch(text)}
            elif isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in inside_fstrings:
                if ACTION.fullmatch(node.value):
                    found.add(node.value)
    foreign_keys = {text for text in found if text.endswith(".id")}  # ForeignKey("operator.id")
    return found - endpoints - foreign_keys - {"govlist.csv", "govlist.xlsx"}  # and file names


@pytest.fixture
def endpoints(app) -> set[str]:
    return {rule.endpoint for rule in app.url_map.iter_rules()}


def test_the_scan_finds_the_actions_it_is_meant_to_find(endpoints) -> None:
    actions = recorded_actions(endpoints)
    assert {
        "catalogue.publish",
        "user.invite_accepted",
        "review.approved",
        "catalogue.demo",
        "complaint.assign",
    } <= actions
    assert {"user.invite", "operator.activate", "user.create"} <= actions  # keyword, f-string, default
    assert len(actions) >= 40


def test_every_recorded_action_has_words(endpoints) -> None:
    unnamed = sorted(a for a in recorded_actions(endpoints) if a not in audit_words.ACTIONS)
    assert unnamed == []


@pytest.mark.parametrize("locale", ["zh_Hans_CN", "en"])
def test_values_are_shown_as_words(app, locale) -> None:
    with app.test_request_context(), force_locale(locale):
        shown = dict(
            audit_words.described(
                {"kind": "customs_broker", "verified": True, "port_areas": ["南沙港区"], "role": "reviewer"}
            )
        )
    if locale == "en":
        assert shown == {
            "Operator kind": "Customs broker",
            "Verified": "Yes",
            "Port areas": "南沙港区",
            "Role": "Reviewer",
        }
    else:
        assert shown == {"经营者类型": "报关企业", "已核实": "是", "港区": "南沙港区", "角色": "承办人"}


def test_the_chinese_audit_log_shows_names_not_codes(client, login_as, make_user, make_operator) -> None:
    make_operator("广州审计示范码头有限公司")
    login_as(make_user(Role.ADMIN))
    page = client.get("/admin/audit").get_data(as_text=True)
    table = page.split('id="audit"')[1]
    assert "登记经营者" in table
    assert "operator.create" not in table
    for code in ('"name_zh"', "customs_broker", "terminal"):
        assert code not in table

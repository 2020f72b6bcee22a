"""Each file of the real-producer corpus, through `flask validate` and through the upload page: the same result,
and the one manifest.py says (its lines and findings, or its refusal)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from flask import Flask

from portal import clock
from portal.catalogue import services as catalogue
from portal.catalogue.models import CatalogueVersion
from portal.extensions import db as _db
from portal.operators.models import Operator
from tests.hostile.test_corpus import post_upload

from .manifest import MANIFEST, Expect

FILES = Path(__file__).resolve().parent / "files"
CLI_KEYS = {"operator_name": "name"}  # flask validate --json names the operator's name "name"
OPERATOR_FIELDS = ("operator_name", "credit_code")  # filled from the operator's record on upload


def test_every_file_has_its_expectation_and_every_expectation_its_file() -> None:
    assert sorted(p.name for p in FILES.iterdir()) == sorted(MANIFEST)


def _cli(runner, name: str) -> dict:
    result = runner.invoke(args=["validate", str(FILES / name), "--json", "--as-of", clock.today().isoformat()])
    assert result.exit_code in (0, 1, 2), result.output
    return json.loads(result.output[result.output.index("{") :])


@pytest.mark.parametrize("name", sorted(MANIFEST))
def test_flask_validate_and_the_upload_page_agree_with_the_manifest(
    name: str, runner, app: Flask, signed_in, operator: Operator, existing_draft: CatalogueVersion
) -> None:
    expect: Expect = MANIFEST[name]
    data = (FILES / name).read_bytes()
    cli = _cli(runner, name)
    page = post_upload(signed_in, data, name, existing_draft.lock_version)
    _db.session.expire_all()
    version = catalogue.working_version(operator)
    if expect.refused:
        assert cli["error"]["code"] == expect.refused
        assert page.status_code == 400
        assert version.source != "upload"  # the draft stays as it was
        return
    assert "error" not in cli, cli
    assert page.status_code in (200, 302), page.get_data(as_text=True)[:500]
    assert (version.source, version.upload_filename) == ("upload", name)
    lines = tuple((r.name, r.conditions, r.standard) for r in version.lines)
    assert lines == expect.lines
    if expect.currencies:
        assert tuple(r.currency for r in version.lines) == expect.currencies
    stored = catalogue.report_of(version).findings
    on_page = {(f.rule, f.location.cell if f.location else None) for f in stored}
    in_cli = {(f["rule"], f["cell"]) for f in cli["findings"]}
    assert on_page == in_cli == set(expect.findings)
    # The same cell and field on both paths (a line unfolded from a sub-column is located at its own price cell),
    # but for who publishes: the upload takes the operator's name and code from its record, `flask validate` cannot.
    located = {(f.rule, f.location.cell, f.location.field, f.severity.value) for f in stored if f.location}
    said = {(f["rule"], f["cell"], f["field"], f["severity"]) for f in cli["findings"]}
    assert located == {f for f in said if not (f[0] == "missing-field" and f[2] in OPERATOR_FIELDS)}
    assert cli["summary"]["lines"] == len(expect.lines)
    header = catalogue.to_header(version)
    for attr, value in expect.header.items():
        assert cli["operator"][CLI_KEYS.get(attr, attr)] == getattr(header, attr) == value
    if expect.hidden_note:
        (hidden,) = [f for f in stored if f.location and f.location.cell == expect.hidden_note]
        assert "hidden" in hidden.render()
        (said,) = [f for f in cli["findings"] if f["cell"] == expect.hidden_note]
        assert "隐藏" in said["message_zh"]

"""The demo catalogues trigger exactly the faults they declare, judged against the shipped government list."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from portal.demo import catalogue_input
from portal.govlist.loader import load_reference
from portal.validation.credit_code import is_valid
from portal.validation.engine import validate

ROOT = Path(__file__).resolve().parent.parent.parent
ENTRIES = json.loads((ROOT / "demo/operators.json").read_text(encoding="utf-8"))
AS_OF = date(2026, 11, 23)  # the day the demo set was written for


@pytest.fixture(scope="module")
def reference():
    return load_reference(ROOT / "feelists")


def test_the_demo_set_is_large_and_mixed_enough() -> None:
    assert len(ENTRIES) >= 12
    assert len({e["kind"] for e in ENTRIES}) >= 6
    assert {a for e in ENTRIES for a in e["port_areas"]} >= {"南沙港区", "黄埔港区", "新沙港区"}
    assert all(is_valid(e["credit_code"]) for e in ENTRIES)
    assert all("示范" in e["name_zh"] for e in ENTRIES)


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e["name_zh"])
def test_each_demo_catalogue_triggers_exactly_the_faults_it_declares(entry, reference) -> None:
    found = {f.rule for f in validate(catalogue_input(entry["catalogue"]), reference, AS_OF).findings}
    assert found == set(entry["expected_findings"])


def test_the_faulty_demo_catalogues_cover_every_rule_and_half_are_clean() -> None:
    from portal.validation.engine import RULES

    declared = [set(e["expected_findings"]) for e in ENTRIES]
    assert set().union(*declared) == {code for code, _ in RULES}
    assert sum(not d for d in declared) >= len(ENTRIES) // 2

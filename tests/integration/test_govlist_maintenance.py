"""Maintaining the government list on the real database: dated rows with history, Excel import, bundles, aliases,
and the re-validation of every edition in force that each change sets off."""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from decimal import Decimal

import openpyxl
import pytest
from sqlalchemy import select

from portal import clock, demo
from portal.audit.models import AuditEntry
from portal.auth.models import Role
from portal.errors import InvalidInput, PermissionDenied
from portal.govlist import services as govlist
from portal.govlist.loader import GOVLIST_COLUMNS
from portal.govlist.models import GovListItem
from portal.operators.models import Operator
from portal.review import services as review
from portal.validation.model import BundleComponent

HARBOUR_DUES = "HWF-FT-GEN-20-IM-GZ"  # 货物港务费, foreign trade import, 20ft, general cargo: 17.00 元/箱
NANSHA = "广州南沙示范集装箱码头有限公司"  # a demo terminal whose published list charges it at 17.00


@pytest.fixture
def loaded(app):
    govlist.load_feelists(app.config["FEELISTS_DIR"])


@pytest.fixture
def admin(loaded, make_user):
    return make_user(Role.ADMIN)


@pytest.fixture
def row(db):
    def get(code: str) -> GovListItem:
        return db.session.scalar(select(GovListItem).where(GovListItem.code == code))

    return get


@pytest.fixture
def following(row) -> Callable[..., dict[str, str]]:
    """govlist.csv text for a row following HARBOUR_DUES from `start`, with other values changed."""

    def make(start: date, code: str = "HWF-FT-GEN-20-IM-GZ2026", **changed: str) -> dict[str, str]:
        values = govlist.item_values(row(HARBOUR_DUES))
        values.update(code=code, effective_from=start.isoformat(), effective_until="", **changed)
        return values

    return make


def workbook(rows: Sequence[Sequence[object]], header: Sequence[str] = GOVLIST_COLUMNS) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(list(header))
    for values in rows:
        sheet.append(list(values))
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()


def test_a_new_dated_row_ends_the_row_it_follows_the_day_before(admin, following, row) -> None:
    changes = govlist.add_item(following(date(2026, 12, 1), rate="15.00"), admin)
    assert changes.added == ["HWF-FT-GEN-20-IM-GZ2026"]
    assert changes.closed == [HARBOUR_DUES]
    old, new = row(HARBOUR_DUES), row("HWF-FT-GEN-20-IM-GZ2026")
    assert old.effective_until == date(2026, 11, 30)
    assert old.rate == Decimal("17.00")  # the published rate is never edited
    assert (new.rate, new.effective_from, new.effective_until) == (Decimal("15.00"), date(2026, 12, 1), None)


def test_the_history_keeps_every_dated_row_of_an_item(admin, following) -> None:
    govlist.add_item(following(date(2026, 12, 1), rate="15.00"), admin)
    (dues,) = [group for group in govlist.history() if group.name_zh == "货物港务费"]
    same = [r.code for r in dues.rows if (r.trade, r.container_size, r.cargo) == ("外贸进口", "20", "普通货物")]
    assert same == ["HWF-FT-GEN-20-IM-GZ2020", HARBOUR_DUES, "HWF-FT-GEN-20-IM-GZ2026"]
    in_force = {r.code for r in govlist.items_in_force(date(2026, 11, 30))}
    assert HARBOUR_DUES in in_force
    assert "HWF-FT-GEN-20-IM-GZ2026" not in in_force
    assert "HWF-FT-GEN-20-IM-GZ2026" in {r.code for r in govlist.items_in_force(date(2026, 12, 1))}


def test_a_change_is_audited_row_by_row(admin, following, db) -> None:
    govlist.add_item(following(date(2026, 12, 1), rate="15.00"), admin)
    entries = db.session.scalars(select(AuditEntry).where(AuditEntry.actor_id == admin.id)).all()
    assert {(e.action, e.subject_id) for e in entries} >= {
        ("govlist.item.close", HARBOUR_DUES),
        ("govlist.item.create", "HWF-FT-GEN-20-IM-GZ2026"),
    }
    closed = next(e for e in entries if e.action == "govlist.item.close")
    assert (closed.before, closed.after) == ({"effective_until": ""}, {"effective_until": "2026-11-30"})
    assert [e.action for e in govlist.recent_changes(2)] == ["govlist.item.create", "govlist.item.close"]


@pytest.mark.parametrize(
    ("start", "changed", "column"),
    [
        (date(2020, 7, 1), {}, None),  # not after the row it follows
        (date(2026, 12, 1), {"rate_kind": ""}, "rate_kind"),  # the loader's rule: a rate says fixed or cap
        (date(2026, 12, 1), {"code": "hwf lower"}, "code"),
        (date(2026, 12, 1), {"code": HARBOUR_DUES}, None),  # an existing code with another rate
    ],
)
def test_a_row_the_list_cannot_take_is_refused_and_nothing_changes(
    admin, following, row, start, changed, column
) -> None:
    values = following(start, **{"rate": "15.00", **changed})
    with pytest.raises(InvalidInput) as refused:
        govlist.add_item(values, admin)
    if column:
        assert refused.value.params["column"] == column
    assert row(HARBOUR_DUES).effective_until is None
    assert row(HARBOUR_DUES).rate == Decimal("17.00")


def test_only_an_administrator_changes_the_list(loaded, make_user, following, row) -> None:
    with pytest.raises(PermissionDenied):
        govlist.add_item(following(date(2026, 12, 1)), make_user(Role.REVIEWER))
    assert row("HWF-FT-GEN-20-IM-GZ2026") is None


def test_an_excel_import_adds_new_rows_each_ending_the_open_row_it_follows(admin, following, row) -> None:
    new = following(date(2027, 1, 1), rate="16.00")
    changes = govlist.import_items(workbook([[new[c] for c in GOVLIST_COLUMNS]]), "港务费调整.xlsx", admin)
    assert (changes.added, changes.closed) == (["HWF-FT-GEN-20-IM-GZ2026"], [HARBOUR_DUES])
    assert row("HWF-FT-GEN-20-IM-GZ2026").rate == Decimal("16.00")
    assert row(HARBOUR_DUES).effective_until == date(2026, 12, 31)
    assert govlist.recent_changes(1)[0].action == "govlist.import"


def test_an_import_may_repeat_known_rows_and_end_an_open_one(admin, following, row) -> None:
    security = govlist.item_values(row("PFS-FT-20-GZ"))
    ended = {**govlist.item_values(row(HARBOUR_DUES)), "effective_until": "2026-12-31"}
    new = following(date(2027, 1, 1), rate="16.00")
    data = workbook(
        [[v[c] for c in GOVLIST_COLUMNS] for v in (security, ended, new)][:2] + [[], [new[c] for c in GOVLIST_COLUMNS]]
    )
    changes = govlist.import_items(data, "全表.xlsx", admin)
    assert changes.unchanged == ["PFS-FT-20-GZ"]
    assert changes.closed == [HARBOUR_DUES]
    assert changes.added == ["HWF-FT-GEN-20-IM-GZ2026"]
    assert row(HARBOUR_DUES).effective_until == date(2026, 12, 31)


def test_an_import_never_reopens_or_edits_a_known_row(admin, row) -> None:
    ended = {**govlist.item_values(row("HWF-FT-GEN-20-IM-GZ2020")), "effective_until": "2020-12-31"}
    with pytest.raises(InvalidInput) as refused:
        govlist.import_items(workbook([[ended[c] for c in GOVLIST_COLUMNS]]), "edit.xlsx", admin)
    assert refused.value.params["code"] == "HWF-FT-GEN-20-IM-GZ2020"
    assert row("HWF-FT-GEN-20-IM-GZ2020").effective_until == date(2020, 6, 30)


def test_an_import_reads_excel_numbers_dates_and_booleans_as_the_csv_writes_them(admin, following, row) -> None:
    new = following(date(2027, 1, 1))
    cells: list[object] = [new[c] for c in GOVLIST_COLUMNS]
    typed = {"rate": 16.5, "container_size": 20, "effective_from": date(2027, 1, 1), "pass_through": True}
    for column, value in typed.items():
        cells[GOVLIST_COLUMNS.index(column)] = value
    cells[GOVLIST_COLUMNS.index("verified")] = False
    govlist.import_items(workbook([cells]), "typed.xlsx", admin)
    added = row("HWF-FT-GEN-20-IM-GZ2026")
    assert (added.rate, added.container_size, added.effective_from, added.pass_through) == (
        Decimal("16.5"),
        "20",
        date(2027, 1, 1),
        True,
    )


def test_an_import_with_a_bad_row_names_the_row_and_imports_nothing(admin, following, row) -> None:
    good = following(date(2027, 1, 1), code="HWF-FT-GEN-20-IM-GZ2027")
    bad = following(date(2027, 2, 1), code="HWF-FT-GEN-20-IM-GZ2027B", rate="abc")
    data = workbook([[good[c] for c in GOVLIST_COLUMNS], [bad[c] for c in GOVLIST_COLUMNS]])
    with pytest.raises(InvalidInput) as refused:
        govlist.import_items(data, "bad.xlsx", admin)
    assert (refused.value.params["row"], refused.value.params["column"]) == (3, "rate")
    assert row("HWF-FT-GEN-20-IM-GZ2027") is None
    assert row(HARBOUR_DUES).effective_until is None


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"code,name_zh\nX,Y\n", "text file"),
        (workbook([["=1+1"]], header=["code"]), "formulas"),
        (workbook([], header=["code", "name_zh"]), "is missing from the header"),
    ],
)
def test_an_upload_that_is_not_a_plain_govlist_workbook_is_refused(admin, data, message) -> None:
    with pytest.raises(InvalidInput) as refused:
        govlist.import_items(data, "list.xlsx", admin)
    assert message in str(refused.value)


def test_a_bundle_component_is_added_and_removed_with_audit_rows(admin, db) -> None:
    (bundle,) = [b for b in govlist.bundles_in_force(date(2026, 11, 23)) if b.code == "BAOGAN"]
    component = BundleComponent(name_zh="理货", name_en="Tallying", basis="测试依据", source="测试来源")
    added = govlist.add_component(bundle, component, admin)
    names = {c.name_zh for b in govlist.reference().bundles for c in b.components}
    assert "理货" in names
    with pytest.raises(InvalidInput):
        govlist.add_component(bundle, component, admin)
    govlist.remove_component(added.id, admin)
    assert "理货" not in {c.name_zh for b in govlist.reference().bundles for c in b.components}
    actions = [e.action for e in govlist.recent_changes(2)]
    assert actions == ["govlist.bundle.component.remove", "govlist.bundle.component.add"]


@pytest.mark.parametrize(
    ("alias", "canonical", "refusal"),
    [
        ("港务费", "货物港务费", None),
        ("DOC", "单证费", "already stands for"),
        ("货物港务费", "港口费", "official name"),
        ("文 件 费", "铅封费", "already stands for"),  # the same alias once normalised
        ("单证", "文件费", "itself an alias"),
    ],
)
def test_an_alias_must_be_new_and_name_a_fee_that_is_not_an_alias(admin, alias, canonical, refusal) -> None:
    if refusal is None:
        entry = govlist.add_alias(alias, canonical, "测试", admin)
        assert govlist.reference().aliases["港务费"] == "货物港务费"
        govlist.remove_alias(entry.id, admin)
        assert "港务费" not in govlist.reference().aliases
    else:
        with pytest.raises(InvalidInput) as refused:
            govlist.add_alias(alias, canonical, "测试", admin)
        assert refusal in str(refused.value)


@pytest.fixture
def demo_data(app, loaded):
    demo.seed(app.config["DEMO_DIR"])


def test_editions_in_force_comply_before_any_change(demo_data) -> None:
    run = review.revalidate_editions(None, "baseline")
    assert run.editions == 7
    assert run.non_compliant == 0


def test_a_rate_change_flags_the_edition_that_still_charges_the_old_rate(demo_data, admin, following, db) -> None:
    today = clock.today()
    govlist.add_item(following(today, rate="15.00", verified="true", trust="READ-OFFICIAL"), admin)
    run = review.revalidation_run()
    assert run is not None
    assert run.reason == "add HWF-FT-GEN-20-IM-GZ2026"
    assert run.actor_id == admin.id
    failing = {result.operator.name_zh: result for result in run.results if result.errors}
    assert list(failing) == [NANSHA]
    result = failing[NANSHA]
    assert result.newly_non_compliant
    assert {f["rule"] for f in result.findings} == {"rate-deviation"}
    assert {f["params"]["actual"] for f in result.findings} == {"17.00"}
    nansha = db.session.scalar(select(Operator).where(Operator.name_zh == NANSHA))
    assert result.edition_code == f"{nansha.credit_code}-001"


def test_an_unverified_rate_change_only_warns_the_edition_that_still_charges_the_old_rate(
    demo_data, admin, following
) -> None:
    govlist.add_item(following(clock.today(), rate="15.00", verified="false"), admin)
    run = review.revalidation_run()
    assert run.non_compliant == 0  # the same change, verified, makes the Nansha edition non-compliant (above)


def test_a_change_taking_effect_later_leaves_todays_editions_compliant(demo_data, admin, following) -> None:
    govlist.add_item(following(clock.today() + timedelta(days=30), rate="15.00"), admin)
    assert review.revalidation_run().non_compliant == 0

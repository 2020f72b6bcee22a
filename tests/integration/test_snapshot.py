"""Editions in force: per operator the latest published edition whose date has come; scheduled ones wait."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from portal.catalogue import services as catalogue
from portal.publishing import editions, snapshot
from portal.validation.model import FeeLine, Header


def _publish(operator, effective: str, amount: str, *, extra: FeeLine | None = None):
    header = Header(
        operator_name=operator.name_zh,
        credit_code=operator.credit_code,
        port_area="南沙港区",
        complaint_phone="020-12345678",
        effective_date=effective,
    )
    line = FeeLine(name="文件费", service_content="制作单证", standard=amount, unit="元/票", pricing_class="市场调节价")
    lines = [line] if extra is None else [line, extra]
    version = catalogue.replace_contents(operator, header, lines, None, as_of=date(2026, 1, 1))
    return editions.publish(version, None)


def test_the_edition_in_force_is_the_latest_whose_date_has_come(db, make_operator) -> None:
    operator = make_operator()
    _publish(operator, "2026-01-01", "400")
    _publish(operator, "2026-07-01", "450")
    assert [e.lines[0].standard for e in snapshot.in_force(date(2026, 3, 1))] == ["400"]
    assert [e.lines[0].standard for e in snapshot.in_force(date(2026, 7, 1))] == ["450"]
    assert snapshot.in_force(date(2025, 12, 31)) == []


def test_a_scheduled_edition_is_announced_before_it_applies(db, make_operator) -> None:
    operator = make_operator()
    _publish(operator, "2026-01-01", "400")
    future = _publish(operator, "2030-01-01", "500")
    assert [e.edition_code for e in snapshot.scheduled(date(2026, 6, 1))] == [future.edition_code]
    assert [e.number for e in snapshot.history(operator.id)] == [2, 1]


def test_filters_by_port_area_kind_and_operator(db, make_operator) -> None:
    nansha = make_operator(port_area_names=["南沙港区"])
    huangpu = make_operator(port_area_names=["黄埔港区"])
    _publish(nansha, "2026-01-01", "400")
    _publish(huangpu, "2026-01-01", "420")
    day = date(2026, 2, 1)
    assert [e.operator_id for e in snapshot.in_force(day, port_area="黄埔港区")] == [huangpu.id]
    assert [e.operator_id for e in snapshot.in_force(day, operator_ids=[nansha.id])] == [nansha.id]
    assert snapshot.in_force(day, kind="forwarder") == []


def test_an_edition_keeps_exact_amounts_and_separates_deleted_lines(db, make_operator) -> None:
    operator = make_operator()
    deleted = FeeLine(
        name="电放费", service_content="电放", standard="300", unit="元/票", pricing_class="市场调节价", change_mark="D"
    )
    edition = snapshot.by_code(_publish(operator, "2026-01-01", "￥1,200.50", extra=deleted).edition_code)
    assert edition.lines[0].amount == Decimal("1200.5")
    assert [line.name for line in edition.removed] == ["电放费"]
    assert [line.name for line in edition.lines] == ["文件费"]

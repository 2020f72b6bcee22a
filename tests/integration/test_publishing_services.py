"""Posting sheets and exports from the database: what they hold, where they are cached, when they are rebuilt."""

from __future__ import annotations

import csv
import io
import os
import subprocess
from datetime import date, timedelta

import pytest
from openpyxl import load_workbook

from portal.catalogue import services as catalogue
from portal.errors import InvalidInput, NotFound
from portal.publishing import editions, services, snapshot
from portal.validation.model import FeeLine, Header

DAY = date(2026, 2, 1)


@pytest.fixture
def publish(db):
    """Publish a list for `operator` through the catalogue's own use cases; returns the edition code."""

    def publish(operator, *names: str, effective: str = "2026-01-01", port_area: str = "南沙港区") -> str:
        header = Header(
            operator_name=operator.name_zh,
            credit_code=operator.credit_code,
            port_area=port_area,
            complaint_phone="020-12345678",
            effective_date=effective,
        )
        lines = [
            FeeLine(name=name, service_content="制作单证", standard="400", unit="元/票", pricing_class="市场调节价")
            for name in names or ("文件费",)
        ]
        version = catalogue.replace_contents(operator, header, lines, None, as_of=date(2026, 1, 1))
        return editions.publish(version, None).edition_code

    return publish


def pdf_text(path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True).stdout


def test_the_index_of_editions_in_force_is_ordered_by_operator_and_filtered_by_area(make_operator, publish) -> None:
    nansha = make_operator("B港务有限公司", port_area_names=["南沙港区"])
    huangpu = make_operator("A港务有限公司", port_area_names=["黄埔港区"])
    first, second = publish(nansha), publish(huangpu)
    assert [code for _id, code in snapshot.in_force_index(DAY)] == [second, first]
    assert [code for _id, code in snapshot.in_force_index(DAY, port_area="黄埔港区")] == [second]
    ids = [version_id for version_id, _code in snapshot.in_force_index(DAY)]
    assert [e.edition_code for e in snapshot.editions(ids)] == [second, first]


def test_a_posting_sheet_is_built_once_under_its_edition_code(app, make_operator, publish) -> None:
    code = publish(make_operator("南沙示范码头有限公司"), "文件费", "铅封费")
    path = services.posting_sheet_path(code)
    assert path.parent == app.config["EXPORTS_DIR"] / "editions"
    assert path.name.startswith(code)
    text = pdf_text(path)
    assert "南沙示范码头有限公司" in text
    assert "铅封费" in text
    assert code in text
    assert "12345" in text
    os.utime(path, ns=(1, 1))
    assert services.posting_sheet_path(code) == path
    assert path.stat().st_mtime_ns == 1, "the cached sheet was rebuilt"


@pytest.mark.parametrize("code", ["91440101000000000X-999", "../../etc/passwd", "", "a" * 60])
def test_an_unknown_edition_is_not_found(db, code) -> None:
    with pytest.raises(NotFound):
        services.posting_sheet_path(code)


def test_the_live_url_is_the_operators_public_page_or_the_home_page(app) -> None:
    base = app.config["PUBLIC_BASE_URL"].rstrip("/")
    if "public.operator" in app.view_functions:
        expected = base + "/operators/91440101000000001X"
    else:
        expected = base + "/"
    assert services.live_url("91440101000000001X") == expected


def test_the_same_editions_give_the_same_file_which_is_not_rebuilt(make_operator, publish) -> None:
    publish(make_operator())
    path = services.consolidated_path("xlsx", DAY, "zh")
    os.utime(path, ns=(1, 1))
    assert services.consolidated_path("xlsx", DAY, "zh") == path
    assert path.stat().st_mtime_ns == 1, "the cached export was rebuilt"


def test_a_new_edition_makes_a_new_key(make_operator, publish) -> None:
    operator = make_operator()
    publish(operator, "文件费", effective="2026-01-01")
    before = services.consolidated_path("csv", DAY, "zh")
    publish(operator, "文件费", "换单费", effective="2026-01-15")
    after = services.consolidated_path("csv", DAY, "zh")
    assert after != before
    assert before.exists()  # the old file still answers for what it holds
    assert "换单费" in after.read_text(encoding="utf-8-sig")
    assert "换单费" not in before.read_text(encoding="utf-8-sig")


def test_a_scheduled_edition_is_not_in_the_export_before_its_date(make_operator, publish) -> None:
    operator = make_operator()
    publish(operator, "文件费", effective="2026-01-01")
    publish(operator, "换单费", effective="2026-06-01")
    assert "换单费" not in services.consolidated_path("csv", DAY, "zh").read_text(encoding="utf-8-sig")
    assert "换单费" in services.consolidated_path("csv", date(2026, 6, 1), "zh").read_text(encoding="utf-8-sig")


def test_each_edition_set_language_and_format_has_its_own_file(make_operator, publish) -> None:
    publish(make_operator(), effective="2026-01-01")
    publish(make_operator(), effective="2026-03-01")
    paths = {
        services.consolidated_path(fmt, day, lang)
        for fmt in ("xlsx", "csv")
        for day in (DAY, date(2026, 3, 1))  # two sets: one operator, then two
        for lang in ("zh", "en")
    }
    assert len(paths) == 8


def test_dates_with_the_same_editions_share_one_file(app, make_operator, publish) -> None:
    publish(make_operator(), effective="2026-01-01")
    days = [date(2026, 1, 1) + timedelta(days=n * 7) for n in range(20)]
    paths = {services.consolidated_path("csv", day, "zh") for day in days}
    assert len(paths) == 1
    assert len(list((app.config["EXPORTS_DIR"] / "catalogue").iterdir())) == 1


def test_the_consolidated_xlsx_holds_every_line_in_force(make_operator, publish) -> None:
    first = publish(make_operator("A码头有限公司"), "文件费", "铅封费")
    second = publish(make_operator("B货代有限公司"), "换单费")
    book = load_workbook(services.consolidated_path("xlsx", DAY, "zh"), read_only=True)
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    book.close()
    assert [(row[0], row[1], row[8]) for row in rows[1:]] == [
        (first, "A码头有限公司", "文件费"),
        (first, "A码头有限公司", "铅封费"),
        (second, "B货代有限公司", "换单费"),
    ]


def test_an_export_loaded_in_batches_keeps_every_edition_in_order(monkeypatch, make_operator, publish) -> None:
    codes = [publish(make_operator(f"码头{n}有限公司")) for n in range(5)]
    monkeypatch.setattr(services, "BATCH", 2)
    text = services.consolidated_path("csv", DAY, "zh").read_text(encoding="utf-8-sig")
    assert [row[0] for row in csv.reader(io.StringIO(text))][1:] == codes


@pytest.mark.parametrize(("fmt", "lang"), [("pdf", "zh"), ("xls", "zh"), ("csv", "fr")])
def test_an_unknown_format_or_language_is_refused(db, fmt, lang) -> None:
    with pytest.raises(InvalidInput):
        services.consolidated_path(fmt, DAY, lang)


def test_a_port_area_pdf_has_a_section_per_operator_of_that_area(make_operator, publish) -> None:
    publish(make_operator("南沙甲码头有限公司", port_area_names=["南沙港区"]), "文件费")
    publish(make_operator("南沙乙仓储有限公司", port_area_names=["南沙港区"]), "堆存费")
    publish(make_operator("黄埔丙码头有限公司", port_area_names=["黄埔港区"]), "铅封费", port_area="黄埔港区")
    path = services.port_area_pdf_path("NANSHA", DAY)
    text = pdf_text(path)
    assert "南沙甲码头有限公司" in text
    assert "堆存费" in text
    assert "黄埔丙码头有限公司" not in text
    assert services.port_area_pdf_path("nansha", DAY) == path


def test_an_unknown_port_area_is_not_found(db) -> None:
    with pytest.raises(NotFound):
        services.port_area_pdf_path("ATLANTIS", DAY)


def test_no_temporary_file_is_left_behind(app, make_operator, publish) -> None:
    publish(make_operator())
    services.consolidated_path("xlsx", DAY, "zh")
    services.port_area_pdf_path("NANSHA", DAY)
    leftovers = [p for p in app.config["EXPORTS_DIR"].rglob("*") if p.name.endswith(".tmp")]
    assert leftovers == []


def test_flask_export_builds_every_file_for_the_date(app, runner, make_operator, publish) -> None:
    code = publish(make_operator())
    result = runner.invoke(args=["export", "--as-of", DAY.isoformat()])
    assert result.exit_code == 0, result.output
    names = [p.name for p in app.config["EXPORTS_DIR"].rglob("*") if p.is_file()]
    assert any(name.startswith(code) for name in names)
    assert sum(name.startswith("NANSHA-") for name in names) == 1
    assert sum(name.endswith(".xlsx") for name in names) == 2  # zh and en
    assert sum(name.endswith(".csv") for name in names) == 2
    assert f"{len(names)} files" in result.output


def test_flask_export_builds_only_the_format_asked_for(app, runner, make_operator, publish) -> None:
    publish(make_operator())
    result = runner.invoke(args=["export", "--as-of", DAY.isoformat(), "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert sorted(p.suffix for p in app.config["EXPORTS_DIR"].rglob("*") if p.is_file()) == [".csv", ".csv"]


@pytest.mark.parametrize(("args", "lowered"), [([], [10]), (["--nice", "3"], [3]), (["--nice", "0"], [])])
def test_the_export_worker_yields_the_cpu_to_the_web_workers(runner, monkeypatch, args, lowered) -> None:
    asked: list[int] = []
    monkeypatch.setattr("portal.publishing.cli.os.nice", asked.append)  # not this test process's own priority
    result = runner.invoke(args=["export-worker", "--burst", *args])
    assert result.exit_code == 0, result.output
    assert asked == lowered
    assert "export jobs run in this process" in result.output

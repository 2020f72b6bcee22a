"""An operator's public page: profile and phones, the edition in force on a date, announced changes, change log."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import delete, select

from portal import clock
from portal.catalogue import services as catalogue
from portal.catalogue.models import CatalogueVersion, FeeLineRecord
from portal.govlist.services import load_feelists
from portal.publishing import editions
from portal.validation.model import FeeLine, Header

FAR = "2099-01-01"  # a scheduled edition's date: still ahead whenever the suite runs


def fee(name: str, standard: str = "100", **fields: str) -> FeeLine:
    fields.setdefault("service_content", "按票提供服务")
    fields.setdefault("unit", "元/票")
    fields.setdefault("pricing_class", "市场调节价")
    return FeeLine(name=name, standard=standard, **fields)


@pytest.fixture
def publish(db):
    """Publish `lines` as the operator's next edition, in force from `effective`."""

    def publish(operator, *lines: FeeLine, effective: str = "2026-01-01"):
        header = Header(
            operator_name=operator.name_zh,
            credit_code=operator.credit_code,
            port_area="南沙港区",
            complaint_phone="020-87654321",
            effective_date=effective,
        )
        version = catalogue.replace_contents(operator, header, list(lines), None, as_of=date(2026, 1, 1))
        return editions.publish(version, None, now=date(2026, 1, 1))

    return publish


@pytest.fixture
def operator(app, make_operator):
    load_feelists(app.config["FEELISTS_DIR"])
    return make_operator(
        "南沙示范码头有限公司",
        name_en="Nansha Demo Terminal",
        complaint_phones=["020-39001001"],
        address="广州市南沙区示范路1号",
        website="https://terminal.example.cn",
    )


@pytest.fixture
def first(operator, publish):
    return publish(
        operator,
        fee("换单费", "300", basis="", remarks="按提单计"),
        fee("铅封费", "50"),
        fee(
            "货物港务费",
            "32",
            conditions="外贸 20英尺 重箱",
            unit="元/箱",
            pricing_class="政府定价",
            pass_through="是",
        ),
    )


def page_of(client, operator, **args: str) -> str:
    response = client.get(f"/operators/{operator.credit_code}", query_string=args)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def section(page: str, element_id: str) -> str:
    """The element with this id, up to the end of its section or article."""
    start = page.index(f'id="{element_id}"')
    ends = [i for i in (page.find("</section>", start), page.find("</article>", start)) if i != -1]
    return page[start : min(ends)]


def marks(html: str) -> list[tuple[str, str]]:
    """(mark, fee name) for each row of a changes table."""
    found = re.findall(r'badge--mark-(\w)">.*?<th scope="row" data-label="[^"]*">(.*?)</th>', html, re.S)
    return [(mark.upper(), name) for mark, name in found]


def test_the_page_shows_the_profile_with_complaint_phones_and_the_hotline(client, operator, first) -> None:
    profile = section(page_of(client, operator), "profile")
    assert operator.credit_code in profile
    assert "020-39001001" in profile
    assert "12345" in profile.split('id="complaint-phones"')[1]
    assert "广州市南沙区示范路1号" in profile
    assert '<a href="https://terminal.example.cn"' in profile


def test_the_page_shows_the_edition_in_force_with_its_lines_in_the_prescribed_columns(client, operator, first) -> None:
    page = page_of(client, operator, as_of="2026-06-01")
    edition = section(page, "in-force-title")
    assert first.edition_code in edition
    assert "2026-01-01" in edition
    assert "020-87654321" in edition
    rows = re.findall(r"<tr>(.*?)</tr>", edition.split('id="lines"')[1].split("<tbody>")[1], re.S)
    cells = [re.findall(r'data-label="[^"]*">(.*?)</t[dh]>', row, re.S) for row in rows]
    assert cells[0] == ["1", "换单费", "—", "按票提供服务", "300", "元/票", "CNY", "市场调节价", "—", "否", "按提单计"]
    assert cells[2][1:3] == ["货物港务费", "外贸 20英尺 重箱"]
    assert cells[2][9] == "是"


def test_before_the_first_edition_no_list_is_in_force(client, operator, first) -> None:
    edition = section(page_of(client, operator, as_of="2025-12-31"), "in-force-title")
    assert first.edition_code not in edition
    assert 'id="lines"' not in edition


def test_an_unknown_credit_code_is_not_found(client, operator) -> None:
    assert client.get("/operators/91440101000000000X").status_code == 404


def test_a_scheduled_change_is_announced_with_its_changed_lines(client, operator, first, publish) -> None:
    later = publish(operator, fee("换单费", "350"), fee("电放费", "200"), effective=FAR)
    page = page_of(client, operator, as_of="2026-06-01")
    banner = section(page, f"scheduled-{later.edition_code}")
    assert "2099-01-01" in banner
    assert marks(banner) == [("I", "换单费"), ("A", "电放费"), ("D", "铅封费"), ("D", "货物港务费")]
    assert first.edition_code in section(page, "in-force-title")


def test_on_its_date_the_scheduled_edition_is_in_force_and_no_longer_announced(
    client, operator, first, publish
) -> None:
    later = publish(operator, fee("换单费", "350"), effective=FAR)
    page = page_of(client, operator, as_of=FAR)
    assert 'id="scheduled-' not in page
    assert later.edition_code in section(page, "in-force-title")


def test_the_change_log_lists_every_edition_newest_first_with_its_marks(client, operator, first, publish) -> None:
    second = publish(operator, fee("换单费", "250"), fee("铅封费", "50", remarks="每个"), effective="2026-03-01")
    page = page_of(client, operator, as_of="2026-06-01")
    log = page.split('id="log-title"')[1]
    assert log.index(second.edition_code) < log.index(first.edition_code)
    assert marks(section(page, f"edition-{second.edition_code}")) == [
        ("R", "换单费"),
        ("C", "铅封费"),
        ("D", "货物港务费"),
    ]
    assert "badge--published" in section(page, f"edition-{second.edition_code}")
    first_entry = section(page, f"edition-{first.edition_code}")
    assert re.search(r"<p>[^<]*\b3\b[^<]*</p>", first_entry)  # "First edition: 3 fee lines."
    assert "badge--mark" not in first_entry


def test_an_edition_without_marks_is_compared_with_the_one_before(db, client, operator, first, publish) -> None:
    second = publish(operator, fee("换单费", "380"), fee("铅封费", "50"), effective="2026-03-01")
    version = db.session.scalar(select(CatalogueVersion).where(CatalogueVersion.edition_code == second.edition_code))
    notices = delete(FeeLineRecord).where(FeeLineRecord.version_id == version.id, FeeLineRecord.change_mark == "D")
    db.session.execute(notices)
    for line in version.lines:
        line.change_mark = ""
    db.session.commit()
    entry = section(page_of(client, operator), f"edition-{second.edition_code}")
    assert marks(entry) == [("I", "换单费"), ("D", "货物港务费")]
    assert first.edition_code in entry  # says what it was compared with


def test_an_edition_replaced_before_its_date_is_marked_and_not_announced(client, operator, first, publish) -> None:
    dropped = publish(operator, fee("换单费", "400"), effective=FAR)
    sooner = publish(operator, fee("换单费", "320"), effective="2098-01-01")
    page = page_of(client, operator, as_of="2026-06-01")
    assert f'id="scheduled-{dropped.edition_code}"' not in page
    assert f'id="scheduled-{sooner.edition_code}"' in page
    assert "badge--superseded" in section(page, f"edition-{dropped.edition_code}")


def test_operator_text_is_escaped_and_a_script_website_is_not_a_link(client, make_operator, publish) -> None:
    hostile = make_operator("<script>alert(1)</script>公司", website="javascript:alert(1)")
    publish(hostile, fee("<script>alert(2)</script>"))
    page = page_of(client, hostile)
    assert "<script>alert(" not in page
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in page
    assert 'href="javascript:' not in page


def test_the_page_announces_the_operators_atom_feed(client, operator, first) -> None:
    page = page_of(client, operator)
    head = page.split("</head>")[0]
    assert f'href="/feed.atom?operator={operator.credit_code}"' in head
    assert 'type="application/atom+xml"' in head


def test_each_edition_links_its_posting_sheet_when_downloads_exist(app, client, operator, first) -> None:
    link = f'href="/downloads/editions/{first.edition_code}.pdf"'
    assert (link in page_of(client, operator)) is ("downloads.edition_pdf" in app.view_functions)


def test_the_date_picker_keeps_the_chosen_date(client, operator, first) -> None:
    page = page_of(client, operator, as_of="2026-02-03")
    assert 'name="as_of" type="date" value="2026-02-03"' in page
    assert f'value="{clock.today().isoformat()}"' in page_of(client, operator)

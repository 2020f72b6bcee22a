"""Public pages: the home page lists operators, the government list says which rates are unverified."""

from __future__ import annotations

from portal.govlist.services import load_feelists


def test_the_home_page_lists_registered_operators_by_port_area(client, make_operator) -> None:
    make_operator("广州黄埔示范码头有限公司", port_area_names=["黄埔港区"])
    page = client.get("/").get_data(as_text=True)
    assert "黄埔港区" in page
    assert "广州黄埔示范码头有限公司" in page


def test_the_government_list_shows_rates_with_basis_and_flags_unverified_ones(app, client) -> None:
    load_feelists(app.config["FEELISTS_DIR"])
    page = client.get("/government-list?as_of=2026-11-23").get_data(as_text=True)
    assert "货物港务费" in page
    assert "17.00" in page
    assert "交水规〔2019〕2号" in page
    assert "badge--warning" in page  # not verified
    construction = page.split("港口建设费")[1].split("</tr>")[0]  # codes are not shown: the name finds the row
    assert "badge--error" in construction  # 港口建设费 shows as abolished from 2021-01-01


def test_the_government_list_as_of_an_earlier_date_shows_what_was_in_force_then(app, client) -> None:
    load_feelists(app.config["FEELISTS_DIR"])
    page = client.get("/government-list?as_of=2020-12-31").get_data(as_text=True)
    construction = page.split("港口建设费")[1].split("</tr>")[0]
    assert "badge--error" not in construction
    assert "badge--published" in construction


def test_a_malformed_as_of_date_is_refused_and_not_echoed_as_markup(app, client) -> None:
    load_feelists(app.config["FEELISTS_DIR"])
    response = client.get("/government-list?as_of=<script>")
    assert response.status_code == 400  # portal/web/as_of.py: one rule for pages, downloads and the API
    assert "<script>" not in response.get_data(as_text=True).split("</header>")[1]

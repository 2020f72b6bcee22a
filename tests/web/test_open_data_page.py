"""The open-data page: linked from the home page and every public footer; each download with size, date and
licence; a Frictionless Data Package describing the consolidated CSV with types."""

from __future__ import annotations

import csv
import io
from datetime import date

from portal.catalogue import services as catalogue
from portal.publishing import editions, export_queue, exports
from portal.validation.model import FeeLine, Header
from tests.conftest import get_built


def publish(operator) -> str:
    header = Header(
        operator_name=operator.name_zh,
        credit_code=operator.credit_code,
        port_area="南沙港区",
        complaint_phone="020-12345678",
        effective_date="2026-01-01",
    )
    lines = [
        FeeLine(name="文件费", service_content="制作单证", standard="400", unit="元/票", pricing_class="市场调节价")
    ]
    version = catalogue.replace_contents(operator, header, lines, None, as_of=date(2026, 1, 1))
    return editions.publish(version, None).edition_code


def test_the_home_page_and_every_public_footer_link_to_it(client) -> None:
    for path in ("/", "/fees", "/government-list"):
        assert 'href="/open-data"' in client.get(path).get_data(as_text=True), path


def test_each_download_shows_its_size_and_date_once_built(app, client, make_operator) -> None:
    publish(make_operator())
    before = client.get("/open-data").get_data(as_text=True)
    assert "正在准备" in before  # queued by the publication, not built yet
    export_queue.current().work()
    page = client.get("/open-data").get_data(as_text=True)
    assert "/downloads/catalogue.xlsx?lang=zh" in page
    assert "/downloads/catalogue.csv?lang=en" in page
    assert "生成于" in page
    assert "CC-BY-4.0" in page
    assert "/api/v1/openapi.json" in page
    assert "/datapackage.json" in page


def test_the_data_package_describes_the_csv_columns_with_types(app, client, make_operator) -> None:
    publish(make_operator())
    package = client.get("/open-data/datapackage.json").get_json()
    assert package["profile"] == "tabular-data-package"
    assert package["licenses"][0]["name"] == "CC-BY-4.0"
    resource = next(r for r in package["resources"] if r["name"] == "port-fee-catalogue-zh")
    fields = resource["schema"]["fields"]
    assert [f["name"] for f in fields] == exports.headings("zh")
    assert {f["name"]: f["type"] for f in fields}["执行日期"] == "date"
    body = get_built(client, "/downloads/catalogue.csv?lang=zh").get_data().decode("utf-8-sig")
    header = next(csv.reader(io.StringIO(body)))
    assert header == [f["name"] for f in fields]

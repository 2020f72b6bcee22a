"""Exports are built once, in the background: a request finds a file or queues its build (202), never builds it;
a publication queues the files of the set in force; files no edition set needs are removed."""

from __future__ import annotations

import secrets
from datetime import date

import pytest

from portal.catalogue import services as catalogue
from portal.publishing import edition_sets, editions, export_jobs, export_queue, services
from portal.validation.model import FeeLine, Header
from tests.conftest import get_built


def publish(operator, name: str, effective: str) -> str:
    header = Header(
        operator_name=operator.name_zh,
        credit_code=operator.credit_code,
        port_area="南沙港区",
        complaint_phone="020-12345678",
        effective_date=effective,
    )
    lines = [FeeLine(name=name, service_content="制作单证", standard="400", unit="元/票", pricing_class="市场调节价")]
    version = catalogue.replace_contents(operator, header, lines, None, as_of=date(2026, 1, 1))
    return editions.publish(version, None).edition_code


def files(app, folder: str) -> list[str]:
    root = app.config["EXPORTS_DIR"] / folder
    return sorted(p.name for p in root.iterdir()) if root.exists() else []


@pytest.mark.parametrize(
    "url", ["/downloads/catalogue.csv?as_of=2026-02-01", "/downloads/catalogue.xlsx", "/downloads/areas/NANSHA.pdf"]
)
def test_a_missing_file_is_queued_and_answered_202_with_retry_after(app, client, make_operator, url) -> None:
    publish(make_operator(port_area_names=["南沙港区"]), "文件费", "2026-01-01")
    export_queue.current().jobs.queue.clear()  # what the publication queued: this test is about the request
    export_queue.current().pending.clear()

    response = client.get(url)

    assert response.status_code == 202
    assert int(response.headers["Retry-After"]) > 0
    assert response.headers["Cache-Control"] == "no-store"
    assert "正在准备" in response.get_data(as_text=True)
    assert files(app, "catalogue") == []
    assert files(app, "areas") == []  # the request built nothing
    assert client.get(url).status_code == 202  # asked again before the worker ran: still one job
    assert export_queue.current().jobs.qsize() == 1
    assert get_built(client, url).status_code == 200


def test_twenty_dates_of_one_edition_set_make_one_job(app, client, make_operator) -> None:
    publish(make_operator(), "文件费", "2026-01-01")
    queue = export_queue.current()
    queue.work()  # what the publication queued
    for day in range(1, 21):
        client.get(f"/downloads/catalogue.csv?as_of=2026-03-{day:02d}&lang=zh").close()
    assert queue.jobs.qsize() == 0  # today's set was built after the publication; every March date maps to it
    assert len(files(app, "catalogue")) >= 1


def test_a_publication_queues_the_files_of_the_set_in_force(app, make_operator) -> None:
    publish(make_operator(port_area_names=["南沙港区"]), "文件费", "2026-01-01")
    export_queue.current().work()
    names = files(app, "catalogue")
    assert sorted(name.rsplit(".", 1)[1] for name in names) == ["csv", "csv", "xlsx", "xlsx"]
    assert len(files(app, "areas")) == 5  # one per port area


def test_files_no_edition_set_needs_are_removed(app, make_operator) -> None:
    operator = make_operator()
    publish(operator, "文件费", "2026-01-01")
    export_queue.current().work()
    stale = app.config["EXPORTS_DIR"] / "catalogue" / "catalogue-zh-0000000000000000.csv"
    stale.write_text("old")
    kept = set(files(app, "catalogue")) - {stale.name}
    export_jobs.refresh()
    assert not stale.exists()
    assert kept <= set(files(app, "catalogue"))


def test_a_date_maps_to_the_set_that_began_on_the_last_change_day(make_operator) -> None:
    publish(make_operator(), "文件费", "2026-01-01")
    publish(make_operator(), "换单费", "2026-03-01")
    assert edition_sets.since(date(2026, 2, 15)) == date(2026, 1, 1)
    assert edition_sets.since(date(2026, 3, 1)) == date(2026, 3, 1)
    assert edition_sets.since(date(2025, 12, 31)) == edition_sets.BEFORE_ANY
    assert len(edition_sets.in_force(date(2026, 2, 15)).editions()) == 1
    assert len(edition_sets.in_force(date(2026, 3, 2)).editions()) == 2
    before, after = (
        services.consolidated_path("csv", date(2026, 2, 1), "zh"),
        services.consolidated_path("csv", date(2026, 3, 2), "zh"),
    )
    assert before != after


def test_the_set_of_a_date_is_read_afresh_after_each_publication(make_operator) -> None:
    """The timeline is cached under the public revision: a publication, even for a later date, shows at once."""
    first, second = make_operator(), make_operator()
    publish(first, "文件费", "2026-01-01")
    publish(second, "换单费", "2026-01-01")
    january = edition_sets.in_force(date(2026, 5, 1))
    publish(first, "文件费", "2026-04-01")  # supersedes the first operator's January edition from April
    april = edition_sets.in_force(date(2026, 5, 1))
    assert (january.since, april.since) == (date(2026, 1, 1), date(2026, 4, 1))
    assert january.fingerprint != april.fingerprint
    assert len(april.editions()) == 2
    publish(second, "换单费", "2099-01-01")  # scheduled: today's set unchanged, the later one new
    assert edition_sets.in_force(date(2026, 5, 1)) == april
    assert edition_sets.since(date(2099, 6, 1)) == date(2099, 1, 1)
    assert [s.since for s in edition_sets.needed(date(2026, 5, 1))] == [
        edition_sets.BEFORE_ANY,
        date(2026, 1, 1),
        date(2026, 4, 1),
    ]


def test_on_redis_the_rq_worker_builds_what_a_request_queued_once(tmp_path, make_operator) -> None:
    redis = pytest.importorskip("redis")
    url = "redis://127.0.0.1:6379/4"  # the public helper's db (PROTOCOL.md)
    try:
        redis.Redis.from_url(url, socket_connect_timeout=0.5).ping()
    except redis.RedisError:
        pytest.skip("Redis does not answer on 127.0.0.1:6379")
    from flask import current_app

    publish(make_operator(), "文件费", "2026-01-01")
    app = current_app._get_current_object()
    name = f"test-exports-{secrets.token_hex(6)}"
    queue = export_queue.RQQueue(url, name)
    app.extensions[export_queue.EXTENSION] = queue
    try:
        client = app.test_client()
        assert client.get("/downloads/catalogue.csv?as_of=2026-02-01&lang=zh").status_code == 202
        assert client.get("/downloads/catalogue.csv?as_of=2026-02-02&lang=zh").status_code == 202  # same set
        assert queue.queue.count == 1
        worked = app.test_cli_runner().invoke(args=["export-worker", "--burst", "--nice", "0"])
        assert worked.exit_code == 0, worked.output
        assert f"export worker on {name} (burst)" in worked.output  # the queue configured, not the default's name
        response = client.get("/downloads/catalogue.csv?as_of=2026-02-01&lang=zh")
        assert response.status_code == 200
        assert "文件费" in response.get_data(as_text=True)
        response.close()
    finally:
        queue.queue.empty()
        queue.queue.delete(delete_jobs=True)

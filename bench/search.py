"""Public fee search at national scale: the HTML page and the JSON API under gunicorn, against a trivial endpoint.

    python -m bench.search --database-url sqlite:///bench/data/national.sqlite3
    python -m bench.search --database-url postgresql+psycopg://postgres@127.0.0.1:5432/portal_bench
    python -m bench.search --smoke          # builds a small dataset first, as CI does

The database comes from `bench.make_data`. One gunicorn (2 sync workers) serves four runs of wrk, one after the
other, each holding `--clients` connections: /healthz (the floor: the same app and server doing nothing), the
search page, the API, and /healthz again (the ratios are to the mean floor). The searches cycle through realistic
queries (fee names, aliases, two-character words, port area and kind filters, later pages), after one visit of each
URL (the pages then come from the cache the workers share: Redis when it answers; wrk counts any answer computed,
`X-Cache: miss`). Before that each query runs once uncached in-process, to show what a page costs the database, and
the plan of each is checked for a scan of fee_line. Last, each worker's memory (RSS).
"""

from __future__ import annotations

import tempfile
import time
import urllib.request
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import urlencode

import redis
from sqlalchemy import text
from sqlalchemy.engine import make_url
from tqdm import tqdm

from bench import make_data
from bench.common import Figure, arguments, percentile, report
from bench.harness import UNLIMITED, gunicorn, hammer, request_path, worker_rss
from portal import clock, create_app
from portal.extensions import db
from portal.operators.models import Operator
from portal.public import search

ROOT = Path(__file__).resolve().parent.parent
WORDS = ("码头操作费", "THC", "文件费", "DOC", "港务", "报关", "冷藏", "仓储", "熏蒸", "拖车", "理货", "订舱", "电放")
FILTERS = ({}, {"port": "NANSHA"}, {"kind": "forwarder"}, {"port": "HUANGPU", "kind": "terminal"})
P95_TARGET_MS = 50.0
BENCH_REDIS = "redis://127.0.0.1:6379/15"
THROUGHPUT_TARGET = 0.5


def queries() -> list[dict[str, str]]:
    """Search parameters: every word with every filter, the first page and a later one; and browsing by filter."""
    found = [{"q": word, **extra, **page} for word in WORDS for extra in FILTERS for page in ({}, {"page": "3"})]
    return found + [dict(extra) for extra in FILTERS[1:]]


def paths(prefix: str, params: Sequence[dict[str, str]]) -> list[str]:
    return [f"{prefix}?{urlencode(p)}" if p else prefix for p in params]


def uncached(database_url: str, params: Sequence[dict[str, str]]) -> tuple[list[float], list[str]]:
    """Each query's page computed in-process without the cache (ms), and the queries whose plan scans fee_line."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url})
    timings, scans = [], []
    with app.app_context():
        on = clock.today()
        for p in params:
            filters = search.Filters(q=p.get("q", ""), port=p.get("port", ""), kind=p.get("kind", ""))
            start = time.perf_counter()
            search._page_json(on, filters, int(p.get("page", "1")), search.PER_PAGE, None)
            timings.append((time.perf_counter() - start) * 1000)
            if scans_fee_line(search.matching_lines(on, filters, None, Operator.credit_code).limit(50)):
                scans.append(str(p))
        db.engine.dispose()
    return timings, scans


def scans_fee_line(query) -> bool:
    """Whether the database would read all of fee_line for `query` (a sequential scan, not an index search)."""
    sql = str(query.compile(db.engine, compile_kwargs={"literal_binds": True}))
    if db.engine.dialect.name == "sqlite":
        plan = [row[-1] for row in db.session.execute(text("EXPLAIN QUERY PLAN " + sql))]
        return any(step.startswith("SCAN fee_line") for step in plan)
    plan = [row[0] for row in db.session.execute(text("EXPLAIN " + sql))]
    return any("Seq Scan on fee_line" in step for step in plan)


def warm_up(base_url: str, urls: Sequence[str]) -> None:
    """Visit every URL once, as earlier visitors would have: the workers' shared cache then holds its page."""
    for url in tqdm(urls, desc="warm-up", unit="page"):
        with urllib.request.urlopen(base_url + request_path(url)) as response:  # noqa: S310 - loopback
            response.read()


def shared_cache(requested: str | None) -> str:
    """The cache the workers share: as requested, else Redis's benchmark database (emptied) if it answers, else
    each worker's own memory."""
    if requested:
        return requested
    try:
        redis.Redis.from_url(BENCH_REDIS, socket_connect_timeout=0.5).flushdb()
    except redis.RedisError:
        return "memory://"
    return BENCH_REDIS


def run(database_url: str, clients: int, duration: float, cache_url: str) -> list[Figure]:
    params = queries()
    timings, scans = uncached(database_url, params)
    figures = [
        Figure("queries", len(params), "", ""),
        Figure("uncached page, in-process p50", percentile(timings, 50), "ms"),
        Figure(
            "uncached page, in-process p95",
            percentile(timings, 95),
            "ms",
            f"<= {P95_TARGET_MS:.0f}",
            percentile(timings, 95) <= P95_TARGET_MS,
        ),
        Figure("queries scanning fee_line", len(scans), "", "0", not scans),
    ]
    html = paths("/fees", params)
    api = paths("/api/v1/fees", params)
    with tempfile.TemporaryDirectory(prefix="bench-search-") as exports:
        env = {"PORTAL_CACHE_URL": cache_url, **UNLIMITED}
        with gunicorn(database_url, workers=2, env=env, exports_dir=Path(exports)) as server:
            warm_up(server, html + api)
            # The floor is measured before and after the searches and averaged: on a shared machine the load moves
            # within a run, and one floor taken at the start would judge the later run against another machine.
            before = hammer(server, ["/healthz"], connections=clients, duration=duration)
            results = {
                label: hammer(server, urls, connections=clients, duration=duration)
                for label, urls in (("search page", html), ("search API", api))
            }
            after = hammer(server, ["/healthz"], connections=clients, duration=duration)
            floor_rps = (before.rps + after.rps) / 2
            figures += [
                Figure("trivial endpoint: requests/s, before", before.rps, "req/s"),
                Figure("trivial endpoint: requests/s, after", after.rps, "req/s"),
                Figure("trivial endpoint: p95, before", before.p95_ms, "ms"),
                Figure("trivial endpoint: p95, after", after.p95_ms, "ms"),
            ]
            for label, result in results.items():
                figures += [
                    Figure(f"{label}: requests/s", result.rps, "req/s"),
                    Figure(f"{label}: p50", result.p50_ms, "ms"),
                    Figure(
                        f"{label}: p95", result.p95_ms, "ms", f"<= {P95_TARGET_MS:.0f}", result.p95_ms <= P95_TARGET_MS
                    ),
                    Figure(f"{label}: p99", result.p99_ms, "ms"),
                    Figure(
                        f"{label}: throughput / trivial (mean)",
                        result.rps / floor_rps,
                        "x",
                        f">= {THROUGHPUT_TARGET}",
                        result.rps / floor_rps >= THROUGHPUT_TARGET,
                    ),
                    Figure(f"{label}: non-2xx responses", result.non_2xx, "", "0", result.non_2xx == 0),
                    Figure(
                        f"{label}: answers computed (cache misses)",
                        result.cache_misses,
                        "",
                        "0",
                        result.cache_misses == 0,
                    ),
                ]
            for n, rss in enumerate(sorted(worker_rss(server.pid).values()), 1):
                figures.append(Figure(f"worker {n} RSS after the runs", rss / 2**20, "MB"))
    return figures


def main(argv: Sequence[str] | None = None) -> None:
    args = arguments(
        __doc__.splitlines()[0],
        argv,
        database_url={"default": f"sqlite:///{ROOT / 'bench' / 'data' / 'national.sqlite3'}"},
        clients={"type": int, "default": 32},
        duration={"type": float, "default": 20.0},
        cache_url={"default": None, "help": f"where the workers share search pages (default {BENCH_REDIS}, emptied)"},
    )
    with tempfile.TemporaryDirectory(prefix="bench-search-data-") as folder:
        database_url, clients, duration = args.database_url, args.clients, args.duration
        if args.smoke:
            database_url = f"sqlite:///{Path(folder) / 'smoke.sqlite3'}"
            make_data.build(database_url, operators=200, lines=10_000)
            clients, duration = 4, 2.0
        backend = make_url(database_url).get_backend_name()
        cache_url = shared_cache(args.cache_url)
        title = f"public search on {backend}, {clients} clients, cache {cache_url}"
        report(title, run(database_url, clients, duration, cache_url))


if __name__ == "__main__":
    main()

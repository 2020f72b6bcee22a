"""Load (issue #8): the public pages under wrk while operator staff upload, save and submit and reviewers approve.

    python -m bench.load [--smoke] [--database-url postgresql+psycopg://.../portal_bench_load] [--workers 4]

Everything goes over HTTP to gunicorn, as in production: staff sign in through the real forms (CSRF tokens, cookies),
download their draft, edit it in openpyxl, upload it, add a line and submit; two reviewers race to approve from the
queue. A ledger keeps every submission and approval the portal accepted; at the end each is looked up in the
database. Exits 1 on any 5xx, any dropped connection, any lost submission or approval, or a scenario that stalled.
"""

from __future__ import annotations

import io
import json
import re
import secrets
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import openpyxl
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from bench.browser import Browser, Page, Tally, UnexpectedResponse
from bench.common import Figure, arguments, percentile, recreate_database, report, run_commands
from bench.harness import ROOT, UNLIMITED, LoadResult, gunicorn, hammer, worker_rss
from portal import create_app
from portal.catalogue.mapping import live_records
from portal.catalogue.models import CatalogueVersion, VersionStatus
from portal.demo import DEMO_PASSWORD
from portal.extensions import db
from portal.review.models import Decision, ReviewDecision
from portal.workbook import layout
from portal.workbook.reader import read_workbook


@dataclass(frozen=True)
class Scale:
    connections: int  # wrk's connections on the public pages
    seconds: int
    staff: int  # operator staff working at once, one operator each
    workers: int  # gunicorn sync workers


# 4 workers, 2 per core here: one blocked on the database or reading an upload still leaves the CPU busy.
# The smoke run starts 2, which boot faster on a busy CI machine.
FULL = Scale(connections=64, seconds=60, staff=8, workers=4)
SMOKE = Scale(connections=8, seconds=5, staff=2, workers=2)
REVIEWERS = ("reviewer@demo.gz.example", "admin@demo.gz.example")
POLL = 0.25  # seconds between looks at the dashboard or the queue
GRACE = 60.0  # seconds the reviewers have, after the load, to decide what is still waiting
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOWNLOAD = re.compile(r'href="/catalogue/(\d+)\.xlsx"')
QUEUED = re.compile(r'href="/review/(\d+)"')
LOGGED_ERROR = re.compile(r"\[(ERROR|CRITICAL)\]| (ERROR|CRITICAL) in ")  # gunicorn's and Flask's log formats
LINE = {  # the line each staff member adds: reefer power, a market-priced service
    "name": "冷藏箱电费",
    "container_size": "45",
    "laden": "重箱",
    "cargo": "冷藏",
    "service_content": "冷藏箱在港期间插电制冷及温度监控",
    "standard": "260",
    "unit": "元/箱·天",
    "currency": "CNY",
    "pricing_class": "市场调节价",
    "pass_through": "否",
}
EXPLANATION = "负载测试：本项由负载测试提交，请审核员知悉。"


def public_paths() -> list[str]:
    """What shippers and the public read: home, searches, operator pages, compare, estimate, the API and the feed."""
    codes = [entry["credit_code"] for entry in json.loads((ROOT / "demo" / "operators.json").read_text("utf-8"))]
    searches = ["文件费", "单证费", "DOC", "换单", "港务", "码头作业费", "包干费", "冷藏"]
    return [
        "/",
        *(f"/fees?q={q}" for q in searches),
        "/fees?q=包干费&port=南沙港区",
        "/fees?kind=terminal",
        *(f"/operators/{code}" for code in codes[:6]),
        "/compare?service=港口作业包干费&port=南沙港区&size=40",
        "/compare?service=文件费&port=黄埔港区",
        "/estimate?port=南沙港区&trade=外贸进口&size=40&count=2&laden=重箱&cargo=普通货物&days=6&service=trucking",
        "/estimate?port=黄埔港区&trade=外贸出口&size=20&count=1&laden=重箱&cargo=普通货物&days=0",
        "/api/v1/fees?q=文件费",
        "/api/v1/fees?port=南沙港区&per_page=50",
        "/api/v1/operators",
        f"/api/v1/operators/{codes[0]}/catalogue",
        "/feed.atom",
        "/government-list",
    ]


@dataclass(frozen=True)
class Submission:
    staff: str
    version_id: int
    lines: int  # live lines the version must hold
    remarks: tuple[str, ...]  # remarks written by the upload and the line form, each in one line


class Ledger:
    """What the portal accepted, as the clients saw it, and what went wrong on their side."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.submissions: dict[int, Submission] = {}
        self.approvals: dict[int, list[str]] = {}
        self.refused = 0  # approvals refused because the other reviewer had decided first
        self.failures: list[str] = []

    def submitted(self, submission: Submission) -> None:
        with self._lock:
            self.submissions[submission.version_id] = submission

    def approved(self, version_id: int, reviewer: str) -> None:
        with self._lock:
            self.approvals.setdefault(version_id, []).append(reviewer)

    def refusal(self) -> None:
        with self._lock:
            self.refused += 1

    def failed(self, who: str, error: Exception) -> None:
        with self._lock:
            self.failures.append(f"{who}: {error}")

    def pending(self) -> set[int]:
        with self._lock:
            return set(self.submissions) - set(self.approvals)


def prepare_database(database_url: str | None, folder: Path, exports: Path) -> str:
    """A fresh database (SQLite in `folder`, or the PostgreSQL database named, dropped and created) with the
    schema, the government list and the demo data, made by the commands an operator of the portal runs."""
    if database_url is None:
        url = f"sqlite:///{folder / 'portal.sqlite3'}"
    else:
        if make_url(database_url).get_backend_name() != "postgresql":
            raise SystemExit("--database-url takes a PostgreSQL URL (the default is a fresh SQLite file)")
        recreate_database(database_url)
        url = database_url
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "EXPORTS_DIR": exports, "SECRET_KEY": secrets.token_hex(16)})
    run_commands(app, "init-db", "load-govlist", "seed-demo")
    with app.app_context():
        db.engine.dispose()
    return url


def _edited(workbook: bytes, remarks: str) -> tuple[bytes, int]:
    """The downloaded draft with the first line's remarks replaced, and the number of lines the portal reads in it."""
    book = openpyxl.load_workbook(io.BytesIO(workbook))
    sheet = book[layout.DATA_SHEET]
    columns = {
        spec.key: cell.column
        for cell in sheet[layout.TABLE_HEADER_ROW]
        if cell.value and (spec := layout.match_column(str(cell.value))) is not None
    }
    sheet.cell(layout.FIRST_DATA_ROW, columns["remarks"]).value = remarks
    out = io.BytesIO()
    book.save(out)
    data = out.getvalue()
    return data, len(read_workbook(data, "draft.xlsx").catalogue.lines)


def _submit_a_change(browser: Browser, dashboard: Page, staff: str, label: str) -> Submission:
    """Open a draft (a change of the published list, or the draft open), upload it edited, add a line, submit."""
    for action in ("/catalogue/change", "/catalogue/draft/start"):
        if dashboard.has_form(action):
            browser.submit(dashboard, action)
            break
    found = DOWNLOAD.search(browser.get("/catalogue/draft").text)
    if found is None:
        raise RuntimeError(f"{staff}: the draft page links no workbook")
    version_id = int(found.group(1))
    uploaded, lines = _edited(browser.get(f"/catalogue/{version_id}.xlsx").body, f"{label} 上传")
    upload = browser.get("/catalogue/upload")
    files = {"file": (f"{label}.xlsx", uploaded, XLSX)}
    browser.submit(upload, "/catalogue/upload", {"mode": "replace"}, files=files)
    line = {**LINE, "other_conditions": label, "remarks": f"{label} 新增"}
    browser.submit(browser.get("/catalogue/draft/lines/new"), "/catalogue/draft/lines/new", line)
    page = browser.get("/catalogue/submit")
    explained = {name: EXPLANATION for name, _ in page.form("/catalogue/submit") if name.endswith("-text")}
    done = browser.submit(page, "/catalogue/submit", {**explained, "attestation": "y"})
    if done.location != "/catalogue/":
        raise UnexpectedResponse("POST", "/catalogue/submit", done, "a redirect to the dashboard")
    return Submission(staff, version_id, lines + 1, (f"{label} 上传", f"{label} 新增"))


def staff_member(base: str, email: str, ledger: Ledger, tally: Tally, stop: threading.Event) -> None:
    """Submit changes until `stop`, each once the previous one is decided (an operator has one awaiting review)."""
    browser = Browser(base, tally)
    cycle = 0
    try:
        browser.sign_in(email, DEMO_PASSWORD)
        while not stop.is_set():
            dashboard = browser.get("/catalogue/")
            if dashboard.has_form("/catalogue/withdraw"):  # awaiting review
                stop.wait(POLL)
                continue
            cycle += 1
            ledger.submitted(_submit_a_change(browser, dashboard, email, f"负载{email.split('@')[0]}-{cycle}"))
    except Exception as error:  # every failure is reported and fails the run
        ledger.failed(email, error)


def reviewer(base: str, email: str, ledger: Ledger, tally: Tally, finished: threading.Event, newest: bool) -> None:
    """Approve what the queue shows until `finished`; `newest` takes the queue from its end, so the two reviewers
    meet in the middle and sometimes decide the same version at once."""
    browser = Browser(base, tally)
    try:
        browser.sign_in(email, DEMO_PASSWORD)
        while not finished.is_set():
            ids = [int(i) for i in dict.fromkeys(QUEUED.findall(browser.get("/review/").text))]
            if not ids:
                finished.wait(POLL)
                continue
            for version_id in reversed(ids) if newest else ids:
                page = browser.get(f"/review/{version_id}")
                action = f"/review/{version_id}/approve"
                if not page.has_form(action):
                    continue
                answer = browser.submit(page, action, {"approve-comment": "负载测试批准"})
                if answer.location == "/review/":
                    ledger.approved(version_id, email)
                elif answer.location == f"/review/{version_id}":
                    ledger.refusal()
                else:
                    raise UnexpectedResponse("POST", action, answer, "a redirect to the queue or the submission")
    except Exception as error:  # every failure is reported and fails the run
        ledger.failed(email, error)


def verify(url: str, exports: Path, ledger: Ledger) -> list[str]:
    """What the ledger says the portal accepted, looked up in the database: each problem found, in words."""
    problems = []
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "EXPORTS_DIR": exports, "SECRET_KEY": secrets.token_hex(16)})
    with app.app_context():
        for version_id, sent in sorted(ledger.submissions.items()):
            version = db.session.get(CatalogueVersion, version_id)
            if version is None or version.status is VersionStatus.DRAFT:
                problems.append(f"submission {version_id} ({sent.staff}) is lost: {version and version.status}")
                continue
            remarks = [line.remarks for line in live_records(version)]
            missing = [r for r in sent.remarks if r not in remarks]
            if len(remarks) != sent.lines or missing:
                problems.append(f"submission {version_id} holds {len(remarks)} of {sent.lines} lines, lacks {missing}")
        for version_id, reviewers in sorted(ledger.approvals.items()):
            version = db.session.get(CatalogueVersion, version_id)
            published = {VersionStatus.PUBLISHED, VersionStatus.SUPERSEDED}
            if version is None or version.status not in published or not version.edition_code:
                problems.append(f"approval of {version_id} by {reviewers} is not published")
            decisions = db.session.scalar(
                select(func.count(ReviewDecision.id)).where(
                    ReviewDecision.version_id == version_id, ReviewDecision.decision == Decision.APPROVED
                )
            )
            if len(reviewers) != 1 or decisions != 1:
                problems.append(f"version {version_id}: {len(reviewers)} approvals accepted, {decisions} recorded")
        problems += [f"submission {v} was never decided" for v in sorted(ledger.pending())]
        db.engine.dispose()
    return problems


def _threads(target: Callable[..., None], calls: Sequence[tuple]) -> list[threading.Thread]:
    threads = [threading.Thread(target=target, args=args, daemon=True) for args in calls]
    for thread in threads:
        thread.start()
    return threads


@dataclass(frozen=True)
class Outcome:
    """One run, as the report shows it."""

    public: LoadResult
    tally: Tally
    ledger: Ledger
    lost: list[str]  # what the ledger holds that the database does not
    logged: list[str]  # error lines in gunicorn's log (Flask logs every unhandled exception there)
    rss: dict[int, int]


def run(url: str, exports: Path, scale: Scale) -> Outcome:
    """Serve `url`, load it, let the reviewers decide what is waiting, then check the ledger against the database."""
    ledger, tally = Ledger(), Tally()
    # wrk stands for many shippers but is one client to the limiter: counted, never refused (bench.harness.UNLIMITED)
    with gunicorn(url, workers=scale.workers, env=UNLIMITED, exports_dir=exports) as base:
        stop, finished = threading.Event(), threading.Event()
        staff = [(base, f"staff{n:02d}@demo.gz.example", ledger, tally, stop) for n in range(1, scale.staff + 1)]
        working = _threads(staff_member, staff)
        deciding = _threads(reviewer, [(base, e, ledger, tally, finished, n == 1) for n, e in enumerate(REVIEWERS)])
        public = hammer(base, public_paths(), connections=scale.connections, duration=scale.seconds)
        stop.set()
        for thread in working:
            thread.join()
        deadline = time.monotonic() + GRACE
        while ledger.pending() and time.monotonic() < deadline and any(t.is_alive() for t in deciding):
            time.sleep(POLL)
        finished.set()
        for thread in deciding:
            thread.join()
        rss = worker_rss(base.pid)
        logged = [line for line in base.log_text().splitlines() if LOGGED_ERROR.search(line)]
    return Outcome(public, tally, ledger, verify(url, exports, ledger), logged, rss)


def figures(outcome: Outcome) -> list[Figure]:
    public, tally, ledger = outcome.public, outcome.tally, outcome.ledger
    staff_5xx = tally.statuses.get("5xx", 0)
    approvals = sum(map(len, ledger.approvals.values()))
    return [
        Figure("public requests/s", public.rps, "req/s"),
        Figure("public latency p50", public.p50_ms, "ms"),
        Figure("public latency p95", public.p95_ms, "ms"),
        Figure("public latency p99", public.p99_ms, "ms"),
        Figure("public requests", public.requests, "req"),
        Figure("public responses 5xx", public.server_errors, "resp", "= 0", public.server_errors == 0),
        Figure("public responses other than 2xx", public.non_2xx, "resp", "= 0", public.non_2xx == 0),
        Figure("public socket errors (connect, read, timeout)", public.errors, "err", "= 0", public.errors == 0),
        Figure("staff and reviewer requests", sum(tally.statuses.values()), "req"),
        Figure("staff and reviewer latency p50", percentile(tally.latencies_ms, 50), "ms"),
        Figure("staff and reviewer latency p95", percentile(tally.latencies_ms, 95), "ms"),
        Figure("staff and reviewer responses 5xx", staff_5xx, "resp", "= 0", staff_5xx == 0),
        Figure("submissions accepted", len(ledger.submissions), "", "> 0", bool(ledger.submissions)),
        Figure("approvals accepted", approvals, "", "> 0", approvals > 0),
        Figure("approvals refused: the other reviewer was first", ledger.refused, ""),
        Figure("submissions or approvals lost", len(outcome.lost), "", "= 0", not outcome.lost),
        Figure("client failures (unexpected answers)", len(ledger.failures), "", "= 0", not ledger.failures),
        Figure("errors in the server log", len(outcome.logged), "lines", "= 0", not outcome.logged),
        Figure("worker RSS, largest", max(outcome.rss.values(), default=0) / 2**20, "MiB"),
    ]


def main(argv: Sequence[str] | None = None) -> int:
    args = arguments(
        "Load: public pages under wrk while staff submit and reviewers approve, over HTTP to gunicorn.",
        argv,
        database_url={"help": "a PostgreSQL database to recreate and use (default: a fresh SQLite file)"},
        workers={"type": int, "help": f"gunicorn sync workers (default {FULL.workers}, smoke {SMOKE.workers})"},
        connections={"type": int, "help": f"wrk's connections (default {FULL.connections}, smoke {SMOKE.connections})"},
        seconds={"type": int, "help": f"duration of the load (default {FULL.seconds}, smoke {SMOKE.seconds})"},
        staff={
            "type": int,
            "choices": range(1, 15),
            "metavar": "N",
            "help": f"operator staff at once, 1-14 (default {FULL.staff})",
        },
    )
    scale = SMOKE if args.smoke else FULL
    chosen = {
        name: getattr(args, name) for name in ("connections", "seconds", "staff", "workers") if getattr(args, name)
    }
    scale = replace(scale, **chosen)
    with tempfile.TemporaryDirectory(prefix="bench-load-") as folder:
        exports = Path(folder) / "exports"
        url = prepare_database(args.database_url, Path(folder), exports)
        outcome = run(url, exports, scale)
    backend = make_url(url).get_backend_name()
    title = (
        f"load: {backend}, {scale.workers} gunicorn workers, {scale.connections} connections for {scale.seconds} s, "
        f"{scale.staff} staff and {len(REVIEWERS)} reviewers"
    )
    shown = figures(outcome)
    report(title, shown)
    for line in [*outcome.tally.server_errors, *outcome.ledger.failures, *outcome.lost, *outcome.logged][:40]:
        print(f"  ! {line}")
    return 0 if all(f.met is not False for f in shown) else 1


if __name__ == "__main__":
    sys.exit(main())

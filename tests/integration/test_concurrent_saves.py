"""Two staff of one operator saving the same draft at the same moment, through a live server on PostgreSQL.

Each person is a separate HTTP client with its own cookie jar; both open the same form (the same lock), then post
from two threads released together by a barrier. Exactly one save may win; the other is refused with a message
naming who changed what; nothing is lost: the loser reloads, applies the change again, and both are kept, each
with its audit row. Several rounds per scenario, so the requests really overlap in the database.
"""

from __future__ import annotations

import io
import itertools
import re
import threading
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from functools import partial
from html import unescape
from html.parser import HTMLParser
from http.cookiejar import CookieJar
from urllib.error import HTTPError
from urllib.parse import urlencode
from urllib.request import HTTPCookieProcessor, HTTPRedirectHandler, Request, build_opener

import pytest
from flask_babel import gettext
from sqlalchemy import select, text
from sqlalchemy.engine import make_url
from werkzeug.serving import make_server

from portal import create_app
from portal.audit.models import AuditEntry
from portal.auth import services as auth
from portal.auth.models import Role
from portal.catalogue import services as catalogue
from portal.catalogue.models import CatalogueVersion, VersionStatus
from portal.catalogue.services.saving import CHANGED_BY_OTHERS
from portal.extensions import db
from portal.operators import services as operators
from portal.operators.models import OperatorKind
from portal.operators.port_areas import ensure_port_areas
from portal.publishing import editions
from portal.validation.model import FeeLine, Header
from portal.workbook.writer import write_catalogue
from tests.conftest import PG_URL, _ensure_pg_database, close_leftover_connections
from tests.factories import PASSWORD, credit_code

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not PG_URL, reason="PORTAL_TEST_DATABASE_URL is not set"),
]

ROUNDS = 6
TIMEOUT = 60  # seconds a request may take before the test gives up on it (a hang, not a timing assertion)
LINES = 14
_serial = itertools.count(900_000)  # credit codes apart from the factories' ones


# The live portal on its own PostgreSQL database.


@pytest.fixture(scope="module")
def live_app(tmp_path_factory):
    """The portal on a database of its own (the test one's name + _live), emptied, with the government list.

    The database is kept for the next run: dropping one costs seconds (a checkpoint), emptying it does not.
    """
    url = make_url(PG_URL)
    url = url.set(database=f"{url.database}_live").render_as_string(hide_password=False)
    _ensure_pg_database(url)
    app = create_app(
        {"SECRET_KEY": "concurrency-tests", "SQLALCHEMY_DATABASE_URI": url, "EXPORTS_DIR": tmp_path_factory.mktemp("x")}
    )
    with app.app_context():
        with db.engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        db.create_all()
        ensure_port_areas()
        db.session.commit()
        db.session.remove()
    result = app.test_cli_runner().invoke(args=["load-govlist"])
    assert result.exit_code == 0, result.output
    yield app
    with app.app_context():
        db.engine.dispose()
    close_leftover_connections(url)  # what the live server's threads left checked out, as test_concurrent_limits does


@pytest.fixture(scope="module")
def live_server(live_app) -> Iterator[str]:
    server = make_server("127.0.0.1", 0, live_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(5)
    server.server_close()


@dataclass(frozen=True)
class Team:
    """An operator whose change of its published list is open as a draft, and two of its staff."""

    version_id: int
    staff: tuple[str, str]  # e-mail addresses; the names are 填报员甲 and 填报员乙 with the operator's number
    names: tuple[str, str]


@pytest.fixture
def team(live_app) -> Team:
    n = next(_serial)
    with live_app.app_context():
        operator = operators.register_operator(
            credit_code=credit_code(n),
            name_zh=f"并发测试码头{n}有限公司",
            kind=OperatorKind.TERMINAL,
            port_area_names=["南沙港区"],
            complaint_phones=["020-12345678"],
        )
        names = (f"填报员甲{n}", f"填报员乙{n}")
        emails = (f"a{n}@example.test", f"b{n}@example.test")
        for email, name in zip(emails, names, strict=True):
            auth.create_user(email, name, PASSWORD, Role.OPERATOR, operator=operator)
        header = Header(
            operator_name=operator.name_zh,
            credit_code=operator.credit_code,
            port_area="南沙港区",
            complaint_phone="020-12345678",
            effective_date="2026-01-01",
        )
        lines = [
            FeeLine(
                name=f"代理服务费{i}",
                service_content="代办手续",
                standard=str(100 + i),
                unit="元/票",
                pricing_class="市场调节价",
            )
            for i in range(1, LINES + 1)
        ]
        first = catalogue.replace_contents(operator, header, lines, None, as_of=date(2026, 1, 1))
        editions.publish(first, None, now=date(2026, 1, 1))
        draft = catalogue.start_change(operator, None)
        team = Team(draft.id, emails, names)
        db.session.remove()
    return team


# Two people, each with a browser of their own (urllib with a cookie jar; redirects are not followed).


@dataclass(frozen=True)
class Response:
    status: int
    body: str
    location: str


class _NoRedirect(HTTPRedirectHandler):
    def redirect_request(self, *_args, **_kwargs):
        return None


class Person:
    def __init__(self, base: str, email: str, name: str) -> None:
        self.base, self.email, self.name = base, email, name
        self.opener = build_opener(HTTPCookieProcessor(CookieJar()), _NoRedirect())

    def request(self, path: str, data: bytes | None = None, content_type: str | None = None) -> Response:
        request = Request(self.base + path, data=data)  # noqa: S310 - the test's own server, over http
        if content_type:
            request.add_header("Content-Type", content_type)
        try:
            with self.opener.open(request, timeout=TIMEOUT) as reply:
                return Response(reply.status, reply.read().decode(), reply.headers.get("Location", ""))
        except HTTPError as reply:  # 3xx (not followed), 4xx, 5xx
            with reply:
                return Response(reply.code, reply.read().decode(), reply.headers.get("Location", ""))

    def get(self, path: str) -> Response:
        return self.request(path)

    def post(self, path: str, fields: dict[str, str]) -> Response:
        return self.request(path, urlencode(fields).encode(), "application/x-www-form-urlencoded")

    def upload(self, fields: dict[str, str], filename: str, content: bytes) -> Response:
        boundary = uuid.uuid4().hex
        parts = [
            f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
            for k, v in fields.items()
        ]
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n".encode()
            + content
            + f"\r\n--{boundary}--\r\n".encode()
        )
        return self.request("/catalogue/upload", b"".join(parts), f"multipart/form-data; boundary={boundary}")

    def form(self, path: str, action: str | None = None) -> dict[str, str]:
        """The fields of the form posting to `action` (default: `path`) as a browser would send them untouched."""
        page = self.get(path)
        assert page.status == 200, (path, page.status)
        return form_fields(page.body, path, action or path)

    def sign_in(self) -> Person:
        token = self.form("/login")["csrf_token"]
        signed = self.post("/login", {"email": self.email, "password": PASSWORD, "csrf_token": token})
        assert signed.status == 302, signed.body
        return self


class _Forms(HTMLParser):
    """Every form's fields: inputs (checked boxes only), selected options, text areas; submit buttons left out."""

    def __init__(self, here: str) -> None:
        super().__init__(convert_charrefs=True)
        self.here = here  # where a form without an action posts
        self.forms: dict[str, dict[str, str]] = {}
        self.fields: dict[str, str] | None = None
        self.select: str | None = None
        self.textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.fields = self.forms.setdefault(a.get("action") or self.here, {})
        elif self.fields is None:
            return
        elif tag == "option" and self.select and ("selected" in a or self.select not in self.fields):
            self.fields[self.select] = a.get("value", "")
        elif not a.get("name"):
            return
        elif tag == "input" and a.get("type") not in ("submit", "file", "checkbox", "radio"):
            self.fields[a["name"]] = a.get("value", "")
        elif tag == "input" and a.get("type") in ("checkbox", "radio") and "checked" in a:
            self.fields[a["name"]] = a.get("value", "y")
        elif tag == "select":
            self.select = a["name"]
        elif tag == "textarea":
            self.textarea = a["name"]
            self.fields[a["name"]] = ""

    def handle_endtag(self, tag):
        if tag == "form":
            self.fields = None
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None

    def handle_data(self, data):
        if self.textarea and self.fields is not None:
            first = not self.fields[self.textarea]  # a browser drops the newline opening a text area
            self.fields[self.textarea] += data.removeprefix("\r\n").removeprefix("\n") if first else data


def form_fields(html: str, here: str, action: str) -> dict[str, str]:
    parser = _Forms(here)
    parser.feed(html)
    assert action in parser.forms, f"no form posting to {action}: {sorted(parser.forms)}"
    return {k: unescape(v) for k, v in parser.forms[action].items()}


@pytest.fixture
def pair(team, live_server) -> tuple[Person, Person]:
    return tuple(Person(live_server, e, n).sign_in() for e, n in zip(team.staff, team.names, strict=True))


def race(*calls: Callable[[], Response]) -> list[Response]:
    """Run the calls in threads released together; their responses in the order given."""
    barrier = threading.Barrier(len(calls))
    results: list[Response | BaseException | None] = [None] * len(calls)

    def run(index: int, call: Callable[[], Response]) -> None:
        barrier.wait()
        try:
            results[index] = call()
        except BaseException as error:  # handed to the test thread, which raises it
            results[index] = error

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT * 2)
    for result in results:
        if isinstance(result, BaseException):
            raise result
    assert all(isinstance(r, Response) for r in results), "a request never finished"
    return results  # type: ignore[return-value]


# What the database holds, read in the test's own session.


@pytest.fixture
def stored(live_app, team):
    """Call `read(version)` on the draft as committed now."""

    def read(query: Callable[[CatalogueVersion], object]):
        with live_app.app_context():
            try:
                return query(db.session.get(CatalogueVersion, team.version_id))
            finally:
                db.session.remove()

    return read


def line_values(version: CatalogueVersion) -> dict[int, dict[str, str]]:
    return {line.id: {"standard": line.standard, "remarks": line.remarks} for line in version.lines}


def audit_rows(version: CatalogueVersion, after_id: int, action: str) -> list[tuple[str, dict]]:
    """(actor e-mail, what the row says was saved) for the draft's audit rows of `action` after row `after_id`."""
    entries = db.session.scalars(
        select(AuditEntry)
        .where(AuditEntry.id > after_id, AuditEntry.action == action)
        .where(AuditEntry.operator_id == version.catalogue.operator_id)
        .order_by(AuditEntry.id)
    ).all()
    return [(entry.actor_label, entry.after or {}) for entry in entries]


def last_audit_id(_version: CatalogueVersion) -> int:
    return db.session.scalar(select(AuditEntry.id).order_by(AuditEntry.id.desc()).limit(1)) or 0


def applied(values: dict[int, dict[str, str]], edits: list[tuple[int, str, str]]) -> dict[int, dict[str, str]]:
    """`values` (line_values) with the edits (line id, field, value) made."""
    values = {line: dict(fields) for line, fields in values.items()}
    for line, field, value in edits:
        values[line][field] = value
    return values


def live_line_ids(version: CatalogueVersion) -> list[int]:
    return [line.id for line in version.lines if line.change_mark != "D"]


def winner_and_loser(responses: list[Response], won: int) -> tuple[int, int]:
    """Indexes of the person whose save was applied and of the one refused; exactly one each."""
    statuses = [r.status for r in responses]
    assert sorted(statuses) == sorted([won, 409]), statuses
    winner = statuses.index(won)
    return winner, 1 - winner


@pytest.fixture(scope="module")
def conflict_words(live_app) -> list[str]:
    """The fixed words of the refusal of a stale save, as the (Chinese) pages say it, between its {who}, {what}."""
    with live_app.test_request_context():
        return [part for part in re.split(r"\{\w+\}", gettext(CHANGED_BY_OTHERS)) if part.strip()]


@pytest.fixture
def told(conflict_words):
    def check(page: str, winner: Person, what: str) -> None:
        """The page refuses a stale save, naming the person who saved first and what they changed."""
        assert all(part in page for part in conflict_words), "the page does not refuse the save"
        assert winner.name in page
        assert what in page

    return check


# The scenarios.


@pytest.mark.parametrize(
    ("same_line", "field"), [(True, "remarks"), (False, "standard")], ids=["same-line", "two-lines"]
)
def test_two_line_saves_at_once_one_wins_the_other_is_told_and_can_apply_it_again(
    pair, stored, told, same_line, field
) -> None:
    """甲 raises a line's standard while 乙 writes its remark, or raises the next line's standard."""
    for round_ in range(ROUNDS):
        ids = stored(live_line_ids)
        targets = (ids[0], ids[0] if same_line else ids[1])
        changes = (("standard", str(500 + round_)), (field, str(700 + round_)))
        paths = [f"/catalogue/draft/lines/{target}" for target in targets]
        forms = [person.form(path) for person, path in zip(pair, paths, strict=True)]
        assert forms[0]["lock"] == forms[1]["lock"]
        before, mark = stored(line_values), stored(last_audit_id)

        posts = [{**form, name: value} for form, (name, value) in zip(forms, changes, strict=True)]
        responses = race(*(partial(pair[i].post, paths[i], posts[i]) for i in (0, 1)))
        won, lost = winner_and_loser(responses, 302)
        told(responses[lost].body, pair[won], changes[won][1])

        edits = [(targets[i], *changes[i]) for i in (won, lost)]
        assert stored(line_values) == applied(before, edits[:1])

        name, value = changes[lost]
        assert pair[lost].post(paths[lost], {**pair[lost].form(paths[lost]), name: value}).status == 302
        assert stored(line_values) == applied(before, edits)
        rows = stored(lambda v, m=mark: audit_rows(v, m, "catalogue.line.update"))
        assert len(rows) == 2  # one row per applied save, none for the refused one
        assert [(who, after.get(changes[i][0])) for (who, after), i in zip(rows, (won, lost), strict=True)] == [
            (pair[i].email, changes[i][1]) for i in (won, lost)
        ]


def merge_workbook(name: str, standard: str) -> bytes:
    """A workbook of one line, to merge: it replaces the draft's line charging for the same thing."""
    stream = io.BytesIO()
    line = FeeLine(name=name, service_content="代办手续", standard=standard, unit="元/票", pricing_class="市场调节价")
    write_catalogue(stream, Header(), [line], lang="zh")
    return stream.getvalue()


def test_two_merge_uploads_at_once_one_wins_the_other_is_told_and_can_upload_again(pair, stored, told) -> None:
    for round_ in range(ROUNDS):
        names = (f"代理服务费{2 * round_ + 1}", f"代理服务费{2 * round_ + 2}")
        standards = (str(300 + round_), str(600 + round_))
        files = tuple(f"{who}-第{round_}轮.xlsx" for who in ("甲", "乙"))
        forms = [{**p.form("/catalogue/upload"), "mode": "merge"} for p in pair]
        assert forms[0]["lock"] == forms[1]["lock"]
        mark = stored(last_audit_id)

        books = [merge_workbook(name, standard) for name, standard in zip(names, standards, strict=True)]
        responses = race(*(partial(pair[i].upload, forms[i], files[i], books[i]) for i in (0, 1)))
        won, lost = winner_and_loser(responses, 302)
        told(responses[lost].body, pair[won], files[won])

        def standards_of(version: CatalogueVersion) -> dict[str, str]:
            return {line.name: line.standard for line in version.lines if line.change_mark != "D"}

        after = stored(standards_of)
        assert after[names[won]] == standards[won]
        assert after[names[lost]] != standards[lost]

        again = {**pair[lost].form("/catalogue/upload"), "mode": "merge"}
        assert pair[lost].upload(again, files[lost], merge_workbook(names[lost], standards[lost])).status == 302

        final = stored(standards_of)
        assert (final[names[0]], final[names[1]]) == standards
        rows = stored(lambda v, m=mark: audit_rows(v, m, "catalogue.upload"))
        assert [(who, after["filename"]) for who, after in rows] == [(pair[i].email, files[i]) for i in (won, lost)]


def test_two_deletions_at_once_one_wins_the_other_is_told_and_can_delete_again(pair, stored, told) -> None:
    """Deleting renumbers the lines after it: two deletions at once write many of the same rows."""
    for _round in range(ROUNDS):
        ids = stored(live_line_ids)
        targets = (ids[0], ids[-1])  # the first (every line after it moves up) and the last
        forms = [
            p.form("/catalogue/draft", f"/catalogue/draft/lines/{t}/delete") for p, t in zip(pair, targets, strict=True)
        ]
        assert forms[0]["lock"] == forms[1]["lock"]
        mark = stored(last_audit_id)
        deleted_names = stored(lambda v, t=targets: [next(line.name for line in v.lines if line.id == i) for i in t])

        responses = race(
            *(partial(pair[i].post, f"/catalogue/draft/lines/{targets[i]}/delete", forms[i]) for i in (0, 1))
        )
        assert [r.status for r in responses] == [302, 302]  # both back to the draft, which says what happened
        pages = [p.get("/catalogue/draft").body for p in pair]
        left = stored(live_line_ids)
        deleted = [t not in left for t in targets]
        assert sorted(deleted) == [False, True], deleted
        won, lost = deleted.index(True), deleted.index(False)
        told(pages[lost], pair[won], deleted_names[won])

        again = pair[lost].form("/catalogue/draft", f"/catalogue/draft/lines/{targets[lost]}/delete")
        assert pair[lost].post(f"/catalogue/draft/lines/{targets[lost]}/delete", again).status == 302
        assert not set(targets) & set(stored(live_line_ids))
        rows = stored(lambda v, m=mark: audit_rows(v, m, "catalogue.line.delete"))
        assert [who for who, _after in rows] == [pair[won].email, pair[lost].email]


@pytest.fixture(scope="module")
def no_longer_editable(live_app) -> str:
    """The refusal of a change posted once the draft is submitted, as the (Chinese) pages say it."""
    with live_app.test_request_context():
        return gettext("This version has been submitted or published and can no longer be changed.")


def submission(form: dict[str, str]) -> dict[str, str]:
    """The submit form with the attestation ticked and every remaining error explained."""
    return {**form, "attestation": "y"} | {k: "已核对" for k in form if k.endswith("-text")}


def test_a_submission_and_a_save_at_once_one_wins_and_the_other_is_refused_in_words(
    pair, stored, told, conflict_words, no_longer_editable
) -> None:
    """甲 submits while 乙 saves a line. Either the version is submitted as 甲 saw it and 乙 is told the save was
    refused, or the save is kept and 甲's submission refused, naming it; 甲 then submits the draft with 乙's line."""
    for round_ in range(ROUNDS):
        line = stored(live_line_ids)[0]
        submit = submission(pair[0].form("/catalogue/submit"))
        edit = pair[1].form(f"/catalogue/draft/lines/{line}")
        assert submit["lock"] == edit["lock"]
        before = stored(line_values)[line]["standard"]
        standard = str(800 + round_)
        responses = race(
            partial(pair[0].post, "/catalogue/submit", submit),
            partial(pair[1].post, f"/catalogue/draft/lines/{line}", {**edit, "standard": standard}),
        )
        status, saved = stored(lambda v, line=line: (v.status, line_values(v)[line]["standard"]))
        if status is VersionStatus.SUBMITTED:
            assert (responses[0].status, saved) == (302, before)
            refused = responses[1]
            if refused.status == 302:  # the save came in once there was no draft left to change
                assert no_longer_editable in pair[1].get(refused.location).body
            else:
                assert refused.status == 409
                assert pair[0].name in refused.body
                assert all(part in refused.body for part in conflict_words)
        else:
            assert (status, saved, responses[1].status) == (VersionStatus.DRAFT, standard, 302)
            assert responses[0].status == 409
            told(responses[0].body, pair[1], standard)
            assert pair[0].post("/catalogue/submit", submission(pair[0].form("/catalogue/submit"))).status == 302
            assert stored(lambda v, line=line: (v.status, line_values(v)[line]["standard"])) == (
                VersionStatus.SUBMITTED,
                standard,
            )
        assert pair[0].post("/catalogue/withdraw", pair[0].form("/catalogue/", "/catalogue/withdraw")).status == 302


def test_a_save_from_a_form_opened_before_a_colleague_submitted_is_refused_in_words(
    pair, stored, no_longer_editable
) -> None:
    """No race needed: 乙 keeps a line form open while 甲 submits; 乙's save then must not vanish without a word."""
    line = stored(live_line_ids)[0]
    edit = pair[1].form(f"/catalogue/draft/lines/{line}")
    assert pair[0].post("/catalogue/submit", submission(pair[0].form("/catalogue/submit"))).status == 302
    refused = pair[1].post(f"/catalogue/draft/lines/{line}", {**edit, "standard": "999"})
    assert refused.status == 302
    assert no_longer_editable in pair[1].get(refused.location).body
    assert stored(line_values)[line]["standard"] != "999"

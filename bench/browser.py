"""A scripted browser for the portal's forms: cookies, CSRF tokens from the page, no automatic redirects.

It posts what a browser would post for a form on the page (hidden fields, the CSRF token, defaults, checked
boxes), with the fields the script fills in, and tallies every response's status and latency across threads.
"""

from __future__ import annotations

import http.cookiejar
import re
import secrets
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import quote, urlencode, urlsplit

TIMEOUT = 60.0  # seconds: a staff request slower than this is a failure, not a wait


class Tally:
    """Responses seen by all the scripted browsers: statuses by class, latencies, and every 5xx."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.statuses: Counter[str] = Counter()
        self.latencies_ms: list[float] = []
        self.server_errors: list[str] = []

    def note(self, method: str, path: str, status: int, elapsed_ms: float) -> None:
        with self._lock:
            self.statuses[f"{status // 100}xx"] += 1
            self.latencies_ms.append(elapsed_ms)
            if status >= 500:
                self.server_errors.append(f"{method} {path} -> {status}")


@dataclass(frozen=True)
class Page:
    path: str  # what was asked for: a form without an action posts back to it
    status: int
    body: bytes
    location: str = ""  # the redirect target's path, for a 3xx

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    def form(self, action: str) -> list[tuple[str, str]]:
        """The fields a browser would send with the page's form posting to `action`."""
        parser = _FormParser()
        parser.feed(self.text)
        for form in parser.forms:
            if urlsplit(form.action or self.path).path == action:
                return form.fields
        raise LookupError(f"no form posting to {action}")

    def has_form(self, action: str) -> bool:
        try:
            self.form(action)
        except LookupError:
            return False
        return True


class UnexpectedResponse(RuntimeError):
    def __init__(self, method: str, path: str, page: Page, wanted: str) -> None:
        detail = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page.text))[:300]
        super().__init__(f"{method} {path}: {page.status} {page.location}, wanted {wanted}: {detail}")
        self.page = page


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


class Browser:
    """One user's browser: its own cookie jar; every response is noted in the shared `tally`."""

    def __init__(self, base_url: str, tally: Tally) -> None:
        self.base_url = base_url.rstrip("/")
        self.tally = tally
        self._opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), _NoRedirect()
        )

    def get(self, path: str, *, expect: Iterable[int] = (200,)) -> Page:
        return self._send("GET", path, None, {}, expect)

    def post(
        self,
        path: str,
        fields: Iterable[tuple[str, str]],
        *,
        files: Mapping[str, tuple[str, bytes, str]] | None = None,
        expect: Iterable[int] = (302, 303),
    ) -> Page:
        if files:
            body, content_type = _multipart(fields, files)
        else:
            body, content_type = urlencode(list(fields)).encode(), "application/x-www-form-urlencoded"
        return self._send("POST", path, body, {"Content-Type": content_type}, expect)

    def submit(
        self,
        page: Page,
        action: str,
        values: Mapping[str, str] | None = None,
        *,
        files: Mapping[str, tuple[str, bytes, str]] | None = None,
        expect: Iterable[int] = (302, 303),
    ) -> Page:
        """Post the page's form for `action` with `values` replacing (or adding) fields."""
        values = dict(values or {})
        fields = [(name, values.pop(name, value)) for name, value in page.form(action)]
        return self.post(action, fields + list(values.items()), files=files, expect=expect)

    def sign_in(self, email: str, password: str) -> None:
        self.submit(self.get("/login"), "/login", {"email": email, "password": password})

    def _send(self, method: str, path: str, body: bytes | None, headers: dict, expect: Iterable[int]) -> Page:
        request = urllib.request.Request(self.base_url + path, data=body, headers=headers, method=method)  # noqa: S310
        start = time.perf_counter()
        try:
            with self._opener.open(request, timeout=TIMEOUT) as response:
                page = Page(path, response.status, response.read())
        except urllib.error.HTTPError as error:  # 3xx (not followed), 4xx and 5xx
            location = urlsplit(error.headers.get("Location", "")).path
            page = Page(path, error.code, error.read(), location)
        self.tally.note(method, path.split("?")[0], page.status, (time.perf_counter() - start) * 1000)
        if page.status not in set(expect):
            raise UnexpectedResponse(method, path, page, f"{sorted(set(expect))}")
        return page


def _multipart(fields: Iterable[tuple[str, str]], files: Mapping[str, tuple[str, bytes, str]]) -> tuple[bytes, str]:
    boundary = "----bench" + secrets.token_hex(12)
    parts = []
    for name, value in fields:
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, (filename, data, mimetype) in files.items():
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{quote(filename)}"\r\nContent-Type: {mimetype}\r\n\r\n'
        )
        parts.append(head.encode() + data + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


@dataclass
class _Form:
    action: str
    fields: list[tuple[str, str]] = field(default_factory=list)


class _FormParser(HTMLParser):
    """Forms and their successful controls, as HTML defines what a browser submits (buttons left out)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[_Form] = []
        self._form: _Form | None = None
        self._textarea: tuple[str, list[str]] | None = None
        self._select: tuple[str, bool] | None = None  # name, multiple
        self._options: list[tuple[str, bool]] = []
        self._option: list[str] | None = None
        self._option_value: tuple[str | None, bool] = (None, False)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v if v is not None else "" for k, v in attrs}
        if tag == "form":
            self._form = _Form(a.get("action", ""))
            self.forms.append(self._form)
        elif self._form is None or "disabled" in a:
            return
        elif tag == "input" and a.get("name"):
            kind = a.get("type", "text").lower()
            if kind in {"checkbox", "radio"}:
                if "checked" in a:
                    self._form.fields.append((a["name"], a.get("value", "on")))
            elif kind not in {"submit", "button", "image", "reset", "file"}:
                self._form.fields.append((a["name"], a.get("value", "")))
        elif tag == "textarea" and a.get("name"):
            self._textarea = (a["name"], [])
        elif tag == "select" and a.get("name"):
            self._select, self._options = (a["name"], "multiple" in a), []
        elif tag == "option" and self._select is not None:
            self._option, self._option_value = [], (a.get("value"), "selected" in a)

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._textarea[1].append(data)
        if self._option is not None:
            self._option.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "textarea" and self._textarea is not None and self._form is not None:
            name, text = self._textarea
            value = "".join(text)  # HTML drops one newline that opens a textarea's content
            self._form.fields.append((name, value[2:] if value.startswith("\r\n") else value.removeprefix("\n")))
            self._textarea = None
        elif tag == "option" and self._option is not None:
            value, selected = self._option_value
            self._options.append((value if value is not None else "".join(self._option).strip(), selected))
            self._option = None
        elif tag == "select" and self._select is not None and self._form is not None:
            name, multiple = self._select
            chosen = [value for value, selected in self._options if selected]
            if not chosen and not multiple and self._options:
                chosen = [self._options[0][0]]
            self._form.fields.extend((name, value) for value in chosen)
            self._select = None

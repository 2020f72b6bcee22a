"""Read an HTML form as a browser would submit it: every named input's value, the selected options, the text areas,
the ticked boxes (stdlib html.parser, no dependency)."""

from __future__ import annotations

from html.parser import HTMLParser


class _Form(HTMLParser):
    def __init__(self, form_id: str | None) -> None:
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.fields: list[tuple[str, str]] = []
        self._select: str | None = None
        self._select_first: str | None = None
        self._select_chosen = False
        self._option: dict[str, str] | None = None
        self._option_text = ""
        self._textarea: str | None = None
        self._text = ""

    def handle_starttag(self, tag, attrs):  # noqa: ANN001, C901 - HTMLParser's signature
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.inside = self.form_id is None or a.get("id") == self.form_id
            return
        if not self.inside:
            return
        if tag == "input" and a.get("name"):
            kind = a.get("type", "text")
            if kind in ("submit", "button", "file", "image", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self.fields.append((a["name"], a.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "select" and a.get("name"):
            self._select, self._select_first, self._select_chosen = a["name"], None, False
        elif tag == "option" and self._select is not None:
            self._option, self._option_text = a, ""
        elif tag == "textarea" and a.get("name"):
            self._textarea, self._text = a["name"], ""

    def handle_data(self, data):  # noqa: ANN001
        if self._option is not None:
            self._option_text += data
        if self._textarea is not None:
            self._text += data

    def handle_endtag(self, tag):  # noqa: ANN001
        if tag == "form":
            self.inside = False
        elif tag == "option" and self._option is not None:
            value = self._option.get("value", self._option_text)
            if self._select_first is None:
                self._select_first = value
            if "selected" in self._option and not self._select_chosen:
                self.fields.append((self._select, value))
                self._select_chosen = True
            self._option = None
        elif tag == "select" and self._select is not None:
            if not self._select_chosen and self._select_first is not None:
                self.fields.append((self._select, self._select_first))
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            text = self._text.removeprefix("\r\n") if self._text.startswith("\r\n") else self._text.removeprefix("\n")
            text = text.replace("\r\n", "\n")  # browsers drop the first newline; the form sends LF here
            self.fields.append((self._textarea, text))
            self._textarea = None


def form_fields(html: str, form_id: str | None = None) -> list[tuple[str, str]]:
    """(name, value) pairs in document order, as the form would send them."""
    reader = _Form(form_id)
    reader.feed(html)
    return reader.fields


def form_dict(html: str, form_id: str | None = None) -> dict[str, str | list[str]]:
    out: dict[str, str | list[str]] = {}
    for name, value in form_fields(html, form_id):
        if name in out:
            previous = out[name]
            out[name] = [*previous, value] if isinstance(previous, list) else [previous, value]
        else:
            out[name] = value
    return out

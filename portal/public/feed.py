"""The Atom 1.0 feed of published editions (RFC 4287), built with ElementTree so every text is escaped."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET  # noqa: S405 - builds the feed; never parses untrusted XML
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

ATOM = "http://www.w3.org/2005/Atom"
CONTENT_TYPE = "application/atom+xml; charset=utf-8"
# Characters XML 1.0 cannot hold at all, even escaped: an operator's text may carry them from a spreadsheet.
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass(frozen=True)
class Entry:
    id: str
    title: str
    link: str
    published: datetime  # naive UTC, as stored
    summary: str
    author: str
    categories: tuple[str, ...] = ()


@dataclass(frozen=True)
class Feed:
    id: str
    title: str
    self_link: str
    link: str  # the page the feed follows
    author: str
    generated: datetime  # the feed's `updated` when it has no entries
    entries: Sequence[Entry] = ()


def timestamp(value: datetime) -> str:
    """RFC 3339 in UTC; a naive datetime is taken as UTC."""
    moment = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _text(parent: ET.Element, tag: str, text: str, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attrs)
    element.text = _NOT_XML.sub("", text)
    return element


def render(feed: Feed) -> bytes:
    """The feed document, UTF-8 with an XML declaration."""
    root = ET.Element("feed", {"xmlns": ATOM})
    _text(root, "id", feed.id)
    _text(root, "title", feed.title)
    updated = max((e.published for e in feed.entries), default=feed.generated)
    _text(root, "updated", timestamp(updated))
    ET.SubElement(root, "link", {"rel": "self", "type": "application/atom+xml", "href": feed.self_link})
    ET.SubElement(root, "link", {"rel": "alternate", "type": "text/html", "href": feed.link})
    author = ET.SubElement(root, "author")
    _text(author, "name", feed.author)
    for entry in feed.entries:
        node = ET.SubElement(root, "entry")
        _text(node, "id", entry.id)
        _text(node, "title", entry.title)
        _text(node, "updated", timestamp(entry.published))
        _text(node, "published", timestamp(entry.published))
        ET.SubElement(node, "link", {"rel": "alternate", "type": "text/html", "href": entry.link})
        entry_author = ET.SubElement(node, "author")
        _text(entry_author, "name", entry.author)
        for term in entry.categories:
            ET.SubElement(node, "category", {"term": _NOT_XML.sub("", term)})
        _text(node, "summary", entry.summary, type="text")
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)

"""Streaming a package's XML parts safely: UTF-8 only, no DTD or entity, well-formed; the workbook's sheet list."""

from __future__ import annotations

import functools
import posixpath
import re
import zipfile
from collections.abc import Callable, Iterator
from xml.parsers import expat

from portal.validation.findings import N_
from portal.workbook import refusals
from portal.workbook.inflate import member_chunks
from portal.workbook.refusals import UploadRefused

CHUNK = 64 * 1024
DECLARATION = rb"!(?i:doctype|entity|attlist|element|notation)"  # after "<": a DTD or one of its declarations
_DECLARATION = re.compile(b"<" + DECLARATION)
_DECLARATION_TAIL = 10  # longest marker minus one, kept between chunks
_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")
_UTF8_NAMES = {b"utf-8", b"utf8", b"us-ascii", b"ascii"}
_SHARED_STRING = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?si[\s>/]")


def xml_chunks(archive: zipfile.ZipFile, info: zipfile.ZipInfo, *, declarations: bool = True) -> Iterator[bytes]:
    """The part's bytes in chunks, refused on a DTD or a non-UTF-8 encoding before the chunk is handed on.

    Without `declarations` the DTD is left to the caller, who must search every byte for DECLARATION (the quick
    sheet scan does, in the search it makes anyway)."""
    tail = b""
    first = True
    for chunk in member_chunks(archive, info, CHUNK):
        if first:
            check_encoding(info.filename, chunk)
            first = False
        if declarations:
            if _DECLARATION.search(chunk) or _DECLARATION.search(tail + chunk[:_DECLARATION_TAIL]):
                raise refusals.dtd(info.filename)
            tail = chunk[-_DECLARATION_TAIL:]
        yield chunk


def check_encoding(part: str, head: bytes) -> None:
    declared = _ENCODING.match(head)
    utf16 = head.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in head[:4]
    if utf16 or (declared is not None and declared.group(1).lower() not in _UTF8_NAMES):
        raise UploadRefused(
            "xml-encoding",
            N_(
                "Part {part} of the workbook is not encoded as UTF-8, as Excel writes it. Open the file in Excel or "
                "WPS, save it again as .xlsx and upload it again."
            ),
            {"part": part},
        )


def parse(
    part: str,
    chunks: Iterator[bytes],
    start: Callable[[str, dict[str, str]], None] | None = None,
    end: Callable[[str], None] | None = None,
    text: Callable[[str], None] | None = None,
) -> None:
    """Parse the part with expat, refusing a DTD or an entity; without handlers it only checks well-formedness."""
    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)

    def refuse(*_: object) -> None:
        raise refusals.dtd(part)

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.ExternalEntityRefHandler = refuse
    if start is not None:
        parser.StartElementHandler = start
    if end is not None:
        parser.EndElementHandler = end
    if text is not None:
        parser.CharacterDataHandler = text
    try:
        for chunk in chunks:
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except expat.ExpatError as error:
        raise refusals.corrupt(error) from error


@functools.lru_cache(maxsize=512)
def local(name: str) -> str:
    """The tag without its namespace prefix; the same few names repeat, so each is split once."""
    return name.rpartition(":")[2]


class RelsScan:
    """Relationship id -> part path, from xl/_rels/workbook.xml.rels."""

    def __init__(self) -> None:
        self.targets: dict[str, str] = {}

    def start(self, name: str, attrs: dict[str, str]) -> None:
        if local(name) != "Relationship" or attrs.get("TargetMode") == "External":
            return
        target = attrs.get("Target", "")
        path = target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
        self.targets[attrs.get("Id", "")] = posixpath.normpath(path)


class WorkbookScan:
    """(sheet name, relationship id, state) in workbook order, and the date system, from xl/workbook.xml."""

    def __init__(self) -> None:
        self.sheets: list[tuple[str, str, str]] = []
        self.date1904 = False  # dates counted from 1904-01-01 (Excel for Mac before 2011, Numbers), not 1899-12-30

    def start(self, name: str, attrs: dict[str, str]) -> None:
        if local(name) == "workbookPr":
            self.date1904 = attrs.get("date1904", "").strip().lower() in ("1", "true")
            return
        if local(name) != "sheet":
            return
        rid = next((value for key, value in attrs.items() if key.endswith(":id")), "")
        self.sheets.append((attrs.get("name", ""), rid, attrs.get("state", "visible")))


def shared_string_sizes(chunks: Iterator[bytes]) -> list[int]:
    """An upper bound of each shared string's length in characters: the bytes from its <si> to the next one's.

    A character takes at least one byte of UTF-8 and an entity more, so a string never holds more characters than
    this; the bound is found by a regular expression, without parsing each string.
    """
    starts: list[int] = []
    offset = 0
    tail = b""
    for chunk in chunks:
        piece = tail + chunk
        base = offset - len(tail)
        starts.extend(
            base + m.start()
            for m in _SHARED_STRING.finditer(piece)
            if base + m.start() > (starts[-1] if starts else -1)
        )
        tail = piece[-8:]
        offset += len(chunk)
    ends = [*starts[1:], offset]
    return [end - start for start, end in zip(starts, ends, strict=True)]

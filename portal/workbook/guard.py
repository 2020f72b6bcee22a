"""Checks an upload before any parser sees it: format, zip sizes, macros, DTDs, external links, extent and text."""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Mapping
from dataclasses import dataclass, field

from portal.validation.findings import N_
from portal.workbook import refusals
from portal.workbook.package import CONTENT_TYPES, WORKBOOK, Format, is_unused, sniff, zip_format
from portal.workbook.refusals import MB, UploadRefused, mb
from portal.workbook.sheetscan import SheetFacts, full_scan, quick_scan
from portal.workbook.xmlparts import CHUNK, RelsScan, WorkbookScan, parse, shared_string_sizes, xml_chunks

__all__ = ["CHUNK", "MB", "Format", "GuardLimits", "GuardResult", "UploadRefused", "inspect_upload"]

WORKBOOK_RELS = "xl/_rels/workbook.xml.rels"
SHARED_STRINGS = "xl/sharedStrings.xml"
XML_SUFFIXES = (".xml", ".rels", ".vml")


@dataclass(frozen=True)
class GuardLimits:
    """How much an upload may hold; the app passes its configured values."""

    max_bytes: int = 5 * MB
    max_uncompressed: int = 50 * MB
    max_ratio: int = 100  # for parts larger than ratio_min_size
    ratio_min_size: int = 1 * MB
    max_entries: int = 1_000
    max_cells: int = 2_000_000  # rows x columns a sheet spans from A1; calamine allocates them densely
    max_text: int = 10_000_000  # characters a sheet's cells may hold once shared strings are filled in


@dataclass(frozen=True)
class GuardResult:
    """What the guard learnt: the format, each worksheet's part and state, and what each part holds."""

    format: Format = Format.XLSX
    sheets: Mapping[str, str] = field(default_factory=dict)  # sheet name -> part path, workbook order
    states: Mapping[str, str] = field(default_factory=dict)  # sheet name -> visible, hidden or veryHidden
    facts: Mapping[str, SheetFacts] = field(default_factory=dict)  # part path -> what its scan found
    date1904: bool = False  # the workbook counts date serials from 1904-01-01 (workbookPr date1904)

    def _facts(self, sheet: str) -> SheetFacts | None:
        return self.facts.get(self.sheets.get(sheet, ""))

    def formulas_in(self, sheet: str) -> tuple[str, ...]:
        facts = self._facts(sheet)
        return tuple(facts.formulas) if facts else ()

    def errors_in(self, sheet: str) -> Mapping[str, str]:
        """The sheet's cells holding an error value and no formula (A1 -> #N/A)."""
        facts = self._facts(sheet)
        return dict(facts.errors) if facts else {}

    def hidden_in(self, sheet: str) -> tuple[frozenset[int], frozenset[int]]:
        """The sheet's hidden rows and hidden columns, 1-based."""
        facts = self._facts(sheet)
        return (frozenset(facts.hidden_rows), frozenset(facts.hidden_columns)) if facts else (frozenset(), frozenset())

    @property
    def formula_cells(self) -> Mapping[str, tuple[str, ...]]:
        return {part: tuple(facts.formulas) for part, facts in self.facts.items()}


def inspect_upload(data: bytes, filename: str, limits: GuardLimits | None = None) -> GuardResult:
    """Refuse anything that is not a plain, reasonably sized workbook; raise UploadRefused saying what to do."""
    limits = limits or GuardLimits()
    kind = sniff(data, limits.max_bytes)
    if kind is Format.XLS:
        return GuardResult(format=kind)  # read in a bounded child process (sandbox)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, OSError) as error:
        raise refusals.corrupt(error) from error
    with archive:
        try:
            entries = _check_entries(archive, limits)
            kind = zip_format(archive, entries)
            if kind is Format.ODS:
                return GuardResult(format=kind)  # read in a bounded child process (sandbox)
            _check_links(entries)
            return _scan_parts(archive, entries, limits)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError) as error:
            raise refusals.corrupt(error) from error
        except RuntimeError as error:  # zipfile: an encrypted member
            raise refusals.encrypted() from error


def _check_entries(archive: zipfile.ZipFile, limits: GuardLimits) -> dict[str, zipfile.ZipInfo]:
    infos = archive.infolist()
    if len(infos) > limits.max_entries:
        raise UploadRefused(
            "too-many-parts",
            N_(
                "The workbook holds {count} internal parts; at most {limit} are accepted. Copy the fee list into "
                "the blank template and upload that."
            ),
            {"count": len(infos), "limit": limits.max_entries},
        )
    entries: dict[str, zipfile.ZipInfo] = {}
    for info in infos:
        if info.filename in entries:
            raise refusals.corrupt(f"duplicate part {info.filename}")
        entries[info.filename] = info
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise refusals.encrypted()
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > limits.ratio_min_size and ratio > limits.max_ratio and not is_unused(info.filename):
            raise UploadRefused(
                "zip-bomb",
                N_(
                    "Part {part} of the workbook would expand {ratio} times when opened, as damaged or malicious "
                    "files do. Copy the fee list into the blank template and upload that."
                ),
                {"part": info.filename, "ratio": int(ratio)},
            )
        total += info.file_size
    if total > limits.max_uncompressed:
        raise UploadRefused(
            "too-large-uncompressed",
            N_(
                "The workbook expands to {size_mb} MB when opened; at most {limit_mb} MB is accepted. Delete unused "
                "rows, sheets and pictures, or copy the list into the blank template, and upload it again."
            ),
            {"size_mb": mb(total), "limit_mb": mb(limits.max_uncompressed)},
        )
    return entries


def _check_links(entries: Mapping[str, zipfile.ZipInfo]) -> None:
    if any(name.lower().startswith("xl/externallinks/") for name in entries):
        raise UploadRefused(
            "external-links",
            N_(
                "The workbook links to other workbooks. Break the links (in Excel: Data > Edit Links > Break Link), "
                "save it and upload it again."
            ),
        )


def _scan_parts(archive: zipfile.ZipFile, entries: Mapping[str, zipfile.ZipInfo], limits: GuardLimits) -> GuardResult:
    for _ in xml_chunks(archive, entries[CONTENT_TYPES]):
        pass  # UTF-8 and no DTD; its entries are not trusted for anything (macros are judged by the parts)
    targets: dict[str, str] = {}
    if WORKBOOK_RELS in entries:
        rels = RelsScan()
        parse(WORKBOOK_RELS, xml_chunks(archive, entries[WORKBOOK_RELS]), rels.start)
        targets = rels.targets
    book = WorkbookScan()
    parse(WORKBOOK, xml_chunks(archive, entries[WORKBOOK]), book.start)
    sheets = {name: targets[rid] for name, rid, _ in book.sheets if rid in targets}
    states = {name: state for name, _, state in book.sheets}
    # Whatever a parser may open is scanned: XML by name, every target the workbook points to, every worksheet.
    worksheets = set(sheets.values()) | {n for n in entries if n.startswith("xl/worksheets/") and n.endswith(".xml")}
    scanned = {n for n in entries if n.lower().endswith(XML_SUFFIXES)} | set(targets.values()) | worksheets
    sizes = _string_sizes(archive, entries, limits)
    facts: dict[str, SheetFacts] = {}
    for name, info in entries.items():
        if name in (CONTENT_TYPES, WORKBOOK, WORKBOOK_RELS, SHARED_STRINGS) or name not in scanned:
            continue
        if is_unused(name) and name not in worksheets:
            continue  # customXml, docProps, printer settings: never opened by any reader here
        if name not in worksheets:
            for _ in xml_chunks(archive, info):
                pass
            continue
        sheet = next((s for s, part in sheets.items() if part == name), name)
        facts[name] = _scan_sheet(archive, info, sheet, sizes, limits)
    return GuardResult(format=Format.XLSX, sheets=sheets, states=states, facts=facts, date1904=book.date1904)


def _string_sizes(
    archive: zipfile.ZipFile, entries: Mapping[str, zipfile.ZipInfo], limits: GuardLimits
) -> list[int] | None:
    """Each shared string's length bound, when some cell could repeat one past the text limit; else None."""
    info = entries.get(SHARED_STRINGS)
    if info is None:
        return None
    sizes = shared_string_sizes(xml_chunks(archive, info))
    if max(sizes, default=0) * limits.max_cells <= limits.max_text:
        return None  # no sheet within the extent limit can repeat these strings past the text limit
    return sizes


def _scan_sheet(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, sheet: str, sizes: list[int] | None, limits: GuardLimits
) -> SheetFacts:
    found = quick_scan(archive, info, limits.max_cells, sizes)
    if found is None:
        found = full_scan(archive, info, sizes)
    if found.max_row * found.max_column > limits.max_cells:
        raise refusals.sheet_too_large(sheet, found.max_row, found.max_column, limits.max_cells, found.far_cell)
    if found.text > limits.max_text:
        raise refusals.too_much_text(sheet, found.text, limits.max_text, found.longest_text_cell)
    return found

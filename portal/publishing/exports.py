"""The consolidated catalogue as XLSX (XlsxWriter, constant memory) and CSV, streamed: one row per fee line in force."""

from __future__ import annotations

import csv
import io
import multiprocessing
import multiprocessing.connection
import os
import signal
from collections.abc import Iterable, Iterator
from datetime import date
from typing import IO, TYPE_CHECKING

import xlsxwriter
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from portal.validation import vocabulary
from portal.workbook import layout
from portal.workbook.sheet_cells import EXCEL_EPOCH
from portal.workbook.writer import escape_cell

if TYPE_CHECKING:
    from portal.publishing.snapshot import PublishedEdition, PublishedLine

SHEET = {"zh": "收费目录汇总", "en": "Port fee catalogue"}
DATE_FORMAT = "yyyy-mm-dd"

# Who publishes each line, before the prescribed columns: key, Chinese heading, English heading, width.
_HEAD = vocabulary.HEADER_FIELD
EDITION_COLUMNS: tuple[tuple[str, str, str, float], ...] = (
    ("edition_code", "版本编号", "Edition", 24),
    ("operator", _HEAD["operator_name"].zh, _HEAD["operator_name"].en, 30),
    ("credit_code", _HEAD["credit_code"].zh, _HEAD["credit_code"].en, 22),
    ("operator_kind", "经营者类型", "Operator kind", 14),
    ("port_areas", "口岸/港区", "Port areas", 18),
    ("complaint_phone", _HEAD["complaint_phone"].zh, _HEAD["complaint_phone"].en, 18),
    ("effective_from", _HEAD["effective_date"].zh, _HEAD["effective_date"].en, 12),
)


def _lang(lang: str) -> str:
    return "en" if lang.startswith("en") else "zh"


def headings(lang: str) -> list[str]:
    """The column headings: the edition's columns, then the prescribed format's (layout.COLUMNS)."""
    en = _lang(lang) == "en"
    return [en_label if en else zh for _key, zh, en_label, _width in EDITION_COLUMNS] + [
        column.label(_lang(lang)) for column in layout.COLUMNS
    ]


def _line_value(line: PublishedLine, key: str, lang: str) -> str:
    if key == "pass_through":
        return vocabulary.label("yes_no", line.pass_through, lang)
    return str(getattr(line, key))


def rows(editions: Iterable[PublishedEdition], lang: str) -> Iterator[list[str | date]]:
    """One row per line in force, every text as written; the effective date stays a date."""
    lang = _lang(lang)
    for edition in editions:
        common = _edition_values(edition, lang)
        for line in edition.lines:
            yield common + _line_values(line, lang)


def _edition_values(edition: PublishedEdition, lang: str) -> list[str | date]:
    """The values of EDITION_COLUMNS, in order: who publishes the line, the effective date last."""
    return [
        edition.edition_code,
        edition.operator_name(lang),
        edition.credit_code,
        vocabulary.label("operator_kind", edition.operator_kind, lang),
        "、".join(edition.port_areas),
        edition.complaint_phone,
        edition.effective_from,
    ]


def _line_values(line: PublishedLine, lang: str) -> list[str]:
    """The values of the prescribed format's columns (layout.COLUMNS), in order."""
    return [_line_value(line, column.key, lang) for column in layout.COLUMNS]


def _text(value: str) -> str:
    """Always text, never a formula: characters XML cannot hold dropped, line breaks as LF (as XML reads them back),
    formula triggers escaped."""
    return escape_cell(ILLEGAL_CHARACTERS_RE.sub("", value)).replace("\r\n", "\n").replace("\r", "\n")


def write_xlsx(stream: IO[bytes], editions: Iterable[PublishedEdition], lang: str) -> None:
    """Write the consolidated catalogue with XlsxWriter in constant-memory mode: each row goes to the sheet's file
    as `editions` is consumed, strings inline (no shared-string table held in memory), so a million lines take
    about the memory of one. Text is written as text (never read as a formula, number or link).

    XlsxWriter's own work per cell is most of the time (10 times the CSV writer's) and its public API has no cheaper
    way, so nothing else is done twice (`_xlsx_batches`), and that work gets a core of its own: when `stream` is a
    file, a forked child process writes the workbook (`_write_in_child`) while this one goes on reading the editions
    from the database and making the cells' text, a quarter of the time otherwise (what the whole CSV export does).
    A stream with no file descriptor (BytesIO) is written here, by the same `_write_workbook`.
    """
    batches = _xlsx_batches(editions, _lang(lang))
    if _has_file_descriptor(stream) and "fork" in multiprocessing.get_all_start_methods():
        _write_in_child(stream, batches, _lang(lang))
    else:
        _write_workbook(stream, batches, _lang(lang))


# What the xlsx writer is given: editions as (its own columns' texts but the date, the date as Excel's serial
# number, each line's texts), a batch of about XLSX_BATCH_LINES lines at a time (one message to a writer process).
_XlsxEdition = tuple[list[str], int, list[list[str]]]
XLSX_BATCH_LINES = 5_000


def _xlsx_batches(editions: Iterable[PublishedEdition], lang: str) -> Iterator[list[_XlsxEdition]]:
    """The cells to write, every text already made safe: each distinct text once (`_Texts`), an edition's own
    columns once for all its lines, its date once as a serial number."""
    texts = _Texts()
    dated = len(EDITION_COLUMNS) - 1  # the effective date, the edition's last column
    batch: list[_XlsxEdition] = []
    size = 0
    for edition in editions:
        common = [texts(value) for value in _edition_values(edition, lang)[:dated]]
        serial = (edition.effective_from - EXCEL_EPOCH).days
        lines = [[texts(value) for value in _line_values(line, lang)] for line in edition.lines]
        batch.append((common, serial, lines))
        size += len(lines)
        if size >= XLSX_BATCH_LINES:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


def _write_workbook(stream: IO[bytes], batches: Iterable[list[_XlsxEdition]], lang: str) -> None:
    """The workbook itself: headings, widths, frozen panes and autofilter, then one row per line."""
    book = xlsxwriter.Workbook(
        stream,
        {
            "constant_memory": True,
            "strings_to_formulas": False,
            "strings_to_numbers": False,
            "strings_to_urls": False,
            "in_memory": False,
        },
    )
    try:
        sheet = book.add_worksheet(SHEET[lang])
        heading = book.add_format({"bold": True, "bg_color": "#DDEBF7", "valign": "top", "text_wrap": True})
        day = book.add_format({"num_format": DATE_FORMAT})
        widths = [width for *_labels, width in EDITION_COLUMNS] + [column.width for column in layout.COLUMNS]
        for index, width in enumerate(widths):
            sheet.set_column(index, index, width)
        sheet.freeze_panes(1, 2)
        sheet.write_row(0, 0, [_text(title) for title in headings(lang)], heading)
        write_string, write_number = sheet.write_string, sheet.write_number
        dated = len(EDITION_COLUMNS) - 1
        row_number = 0
        for batch in batches:
            for common, serial, lines in batch:
                for values in lines:
                    row_number += 1
                    for column, value in enumerate(common):
                        if value:
                            write_string(row_number, column, value)
                    write_number(row_number, dated, serial, day)
                    for column, value in enumerate(values, dated + 1):
                        if value:
                            write_string(row_number, column, value)
        sheet.autofilter(0, 0, row_number, len(widths) - 1)
    finally:
        book.close()


def _has_file_descriptor(stream: IO[bytes]) -> bool:
    try:
        stream.fileno()
    except (AttributeError, OSError):  # io.UnsupportedOperation is an OSError
        return False
    return True


def _write_in_child(stream: IO[bytes], batches: Iterable[list[_XlsxEdition]], lang: str) -> None:
    """`_write_workbook` in a forked child process, fed `batches` through a pipe; returns once the file is whole.

    The child shares `stream`'s file descriptor and nothing else: it needs no database or app, so it works alike
    from the RQ worker, the in-process export thread, the CLI and the tests. It never outlives the export: if this
    side fails (or its job times out) the child is killed; if this process dies, the child's next read of the pipe
    ends it (`_child_writes`). Its own failure is raised here.
    """
    stream.flush()  # nothing of ours left buffered for the child's copy of `stream` to write a second time
    fork = multiprocessing.get_context("fork")
    receiving, sending = fork.Pipe(duplex=False)
    child = fork.Process(target=_child_writes, args=(stream, receiving, sending, lang), name="xlsx-writer")
    child.start()
    receiving.close()
    try:
        try:
            for batch in batches:
                sending.send(batch)
            sending.send(None)
        except BrokenPipeError:
            pass  # the child failed: its exit code says so below
        finally:
            sending.close()
        child.join()
    except BaseException:  # reading failed, or the job timed out or was interrupted: the file is not wanted
        child.kill()
        child.join()
        raise
    if child.exitcode != 0:
        raise RuntimeError(f"the xlsx writer process failed (exit code {child.exitcode})")


def _child_writes(
    stream: IO[bytes],
    receiving: multiprocessing.connection.Connection,
    sending: multiprocessing.connection.Connection,
    lang: str,
) -> None:
    """The writer process: the batches it receives, until None, into the workbook on `stream`."""
    sending.close()  # only the parent's end stays open, so the pipe ends when the parent does
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole process group: the parent decides

    def received() -> Iterator[list[_XlsxEdition]]:
        while True:
            try:
                batch = receiving.recv()
            except EOFError:  # the parent is gone without a word: nobody will read the file
                os._exit(1)
            if batch is None:
                return
            yield batch

    _write_workbook(stream, received(), lang)
    stream.flush()


class _Texts(dict[str, str]):
    """Each distinct text as `_text` makes it, made once: fee names, units and classes repeat across a million
    lines. Emptied when it holds too many (free text such as conditions and remarks is mostly distinct)."""

    LIMIT = 200_000

    def __call__(self, value: str) -> str:
        found = self.get(value)
        if found is None:
            if len(self) >= self.LIMIT:
                self.clear()
            found = self[value] = _text(value)
        return found


def write_csv(stream: IO[bytes], editions: Iterable[PublishedEdition], lang: str) -> None:
    """Write the consolidated catalogue as UTF-8 CSV with a BOM (so Excel reads the Chinese), row by row."""
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
    try:
        writer = csv.writer(text)
        writer.writerow(headings(lang))
        for row in rows(editions, lang):
            writer.writerow([value.isoformat() if isinstance(value, date) else escape_cell(value) for value in row])
        text.flush()
    finally:
        text.detach()  # the caller's stream stays open

"""Small uploaded tables (the government-list import and intake, the invoice check): the first sheet of a workbook
through the upload guard, or a CSV in UTF-8 or GB18030, as cell values. One path, so every such upload is guarded
and refused alike; callers turn `UploadRefused` into their own error type.
"""

from __future__ import annotations

import csv
import io

import python_calamine

from portal.validation.findings import N_
from portal.workbook.guard import GuardLimits, inspect_upload
from portal.workbook.reader import cell_text
from portal.workbook.refusals import UploadRefused

UNREADABLE = N_("The workbook could not be read. Save it again as Excel Workbook (.xlsx).")
NOT_TEXT = N_("The CSV file is neither UTF-8 nor GB18030 text.")
FORMULAS = N_("The sheet has formulas ({cells}); the upload takes values only. Paste them as values.")


def is_csv(filename: str) -> bool:
    return filename.lower().endswith(".csv")


def csv_rows(data: bytes, max_rows: int | None = None) -> list[list[str]]:
    """The rows of a CSV file in UTF-8 (with or without BOM) or GB18030; `max_rows + 1` rows at most when given."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise UploadRefused("encoding", NOT_TEXT)
    if "\x00" in text:
        raise UploadRefused("encoding", NOT_TEXT)
    rows = []
    for row in csv.reader(io.StringIO(text)):
        rows.append(row)
        if max_rows is not None and len(rows) > max_rows:
            break
    return rows


def first_sheet_values(data: bytes, filename: str, limits: GuardLimits | None = None) -> list[list[object]]:
    """The first sheet's values, after the guard; a sheet with formulas is refused (values only are taken)."""
    guard = inspect_upload(data, filename, limits)
    try:
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheet = book.sheet_names[0]
        cells = book.get_sheet_by_index(0).to_python(skip_empty_area=False)
    except (python_calamine.CalamineError, IndexError, ValueError, TypeError, OverflowError) as error:
        raise UploadRefused("unreadable", UNREADABLE, {"detail": str(error)}) from error
    formulas = guard.formulas_in(sheet)
    if formulas:
        raise UploadRefused("formulas", FORMULAS, {"cells": ", ".join(formulas[:5])})
    return cells


def text_of(value: object) -> str:
    """A sheet value as the government list's CSV writes it: true/false, numbers without float noise, ISO dates."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return cell_text(value)

"""The one error for a workbook that cannot be read, and each refusal's message (a msgid saying what to do)."""

from __future__ import annotations

from collections.abc import Mapping

from portal.validation.findings import N_

MB = 1024 * 1024


class UploadRefused(Exception):
    """The file is not read at all; `message` is an English msgid saying what to do, with `{named}` params.

    Every reason a workbook cannot be read (guard, reader, nothing to read) is this one type, for the web upload, the
    public check page and `flask validate` alike.
    """

    def __init__(self, code: str, message: str, params: Mapping[str, object] | None = None) -> None:
        self.code = code
        self.message = message
        self.params = dict(params or {})
        super().__init__(f"{code}: {message.format(**self.params)}")


def mb(size: int) -> str:
    return f"{size / MB:.1f}"


def corrupt(detail: object) -> UploadRefused:
    return UploadRefused(
        "corrupt",
        N_(
            "The file is damaged or incomplete (for example, a download that did not finish). Open it in Excel or "
            "WPS, save it again as .xlsx and upload it again."
        ),
        {"detail": str(detail)},
    )


def not_xlsx() -> UploadRefused:
    return UploadRefused(
        "not-xlsx",
        N_(
            "This file is not an Excel workbook (.xlsx). Save the list as Excel Workbook (.xlsx), for example from "
            "the blank template, and upload that file."
        ),
    )


def encrypted() -> UploadRefused:
    return UploadRefused(
        "encrypted",
        N_(
            "The workbook is protected by a password. Remove the password (in Excel: File > Info > Protect "
            "Workbook), save it as .xlsx and upload it again."
        ),
    )


def macros() -> UploadRefused:
    return UploadRefused(
        "macros",
        N_(
            "The workbook contains macros, which are not accepted. Save it as Excel Workbook (.xlsx), not as a "
            "macro-enabled workbook (.xlsm), and upload that file."
        ),
    )


def dtd(part: str) -> UploadRefused:
    return UploadRefused(
        "xml-dtd",
        N_(
            "Part {part} of the workbook contains an XML document type declaration, which Excel never writes and "
            "which is refused for safety. Open the file in Excel or WPS, save it again as .xlsx and upload it again."
        ),
        {"part": part},
    )


def xlsb() -> UploadRefused:
    return UploadRefused(
        "xlsb-format",
        N_(
            "This is an Excel Binary Workbook (.xlsb). It has no macros, but it is not read here. In Excel choose "
            "File > Save As > Excel Workbook (.xlsx) and upload that file."
        ),
    )


def html_table() -> UploadRefused:
    return UploadRefused(
        "html-format",
        N_(
            'This file is a web page (an HTML table) saved with an Excel name, as some systems\' "export to Excel" '
            "buttons make. Open it in Excel or WPS, choose Save As > Excel Workbook (.xlsx) and upload that file."
        ),
    )


def spreadsheetml() -> UploadRefused:
    return UploadRefused(
        "xml2003-format",
        N_(
            "This file is an Excel 2003 XML spreadsheet, not a workbook. Open it in Excel or WPS, choose Save As > "
            "Excel Workbook (.xlsx) and upload that file."
        ),
    )


def too_many_struck(sheet: str, limit: int) -> UploadRefused:
    return UploadRefused(
        "too-many-struck",
        N_(
            "Sheet {sheet} holds more than {limit} cells struck through; a fee list holds far fewer. Delete the rows "
            "that are struck out and upload the workbook again."
        ),
        {"sheet": sheet, "limit": limit},
    )


def too_many_formatted(sheet: str, limit: int) -> UploadRefused:
    return UploadRefused(
        "too-many-formatted",
        N_(
            "Sheet {sheet} holds more than {limit} numbers with a number format (a percentage or a fixed number of "
            "decimal places); a fee list holds far fewer. Delete the rows and columns outside the list and upload the "
            "workbook again."
        ),
        {"sheet": sheet, "limit": limit},
    )


def text_file() -> UploadRefused:
    return UploadRefused(
        "text-format",
        N_(
            "This is a text file (CSV), not an Excel workbook: it cannot say which row is the header block and "
            "which is the table. Open it in Excel or WPS, copy the lines into the blank template, save it as Excel "
            "Workbook (.xlsx) and upload that file."
        ),
    )


def unreadable(detail: object) -> UploadRefused:
    return UploadRefused(
        "unreadable",
        N_(
            "The workbook could not be read. Open it in Excel or WPS, save it again as Excel Workbook (.xlsx) "
            "and upload it again."
        ),
        {"detail": str(detail)},
    )


def too_much_text(sheet: str, chars: int, limit: int, cell: str) -> UploadRefused:
    return UploadRefused(
        "too-much-text",
        N_(
            "Sheet {sheet} would hold {chars} characters of text once its repeated texts are filled in (cell {cell} "
            "repeats a very long text); at most {limit} are accepted. Delete the long text or copy the fee list into "
            "the blank template, and upload it again."
        ),
        {"sheet": sheet, "chars": chars, "limit": limit, "cell": cell},
    )


def sheet_too_large(sheet: str, rows: int, columns: int, limit: int, farthest: str) -> UploadRefused:
    return UploadRefused(
        "sheet-too-large",
        N_(
            "Sheet {sheet} spans {rows} rows by {columns} columns from cell A1 because of cell {cell}; at most "
            "{limit} cells are accepted. Delete cell {cell} and any other far-away cells (often ones that only hold "
            "formatting or a stray character), or copy the list into the blank template, and upload it again."
        ),
        {"sheet": sheet, "rows": rows, "columns": columns, "limit": limit, "cell": farthest},
    )

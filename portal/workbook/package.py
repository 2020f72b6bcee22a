"""What kind of file an upload is, by its bytes (never its name), and the zip container's limits."""

from __future__ import annotations

import enum
import zipfile
from collections.abc import Mapping

from portal.validation.findings import N_
from portal.workbook import refusals
from portal.workbook.refusals import UploadRefused, mb

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")
ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")
VBA_STREAM = "_VBA_PROJECT".encode("utf-16-le")  # an .xls file's macro storage (_VBA_PROJECT_CUR)
BIFF_STREAMS = ("Workbook".encode("utf-16-le"), "Book".encode("utf-16-le"))
CONTENT_TYPES = "[Content_Types].xml"
WORKBOOK = "xl/workbook.xml"
WORKBOOK_BIN = "xl/workbook.bin"
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
# Parts no reader here ever opens: they are neither parsed nor scanned (only counted in the size limits).
UNUSED_PREFIXES = ("customxml/", "docprops/", "xl/printersettings/", "xl/media/", "xl/drawings/media/")
UNUSED_NAMES = ("docprops/thumbnail.jpeg", "docprops/thumbnail.wmf", "docprops/thumbnail.emf")


class Format(enum.Enum):
    XLSX = "xlsx"  # Office Open XML (Excel 2007+, WPS, LibreOffice, SheetJS, XlsxWriter, openpyxl)
    XLS = "xls"  # Excel 97-2003 (BIFF8 in an OLE2 compound file)
    ODS = "ods"  # OpenDocument spreadsheet


def sniff(data: bytes, max_bytes: int) -> Format:
    """The format by content; UploadRefused saying what to do for anything that is not a readable workbook."""
    if not data:
        raise UploadRefused("empty", N_("The file is empty. Choose your saved workbook (.xlsx) and upload it again."))
    if len(data) > max_bytes:
        raise UploadRefused(
            "too-large",
            N_(
                "The file is {size_mb} MB; at most {limit_mb} MB is accepted. Remove pictures and sheets the list "
                "does not need, or copy the list into the blank template, and upload it again."
            ),
            {"size_mb": mb(len(data)), "limit_mb": mb(max_bytes)},
        )
    if data.startswith(ZIP_MAGICS):
        return Format.XLSX  # or .ods / .xlsb: told apart by their parts (zip_format)
    if data.startswith(OLE2_MAGIC):
        if ENCRYPTED_PACKAGE in data:
            raise refusals.encrypted()
        if VBA_STREAM in data:
            raise refusals.macros()
        if not any(name in data for name in BIFF_STREAMS):
            raise refusals.not_xlsx()  # a Word document, an .et of WPS's own, ...
        return Format.XLS
    head = _text_head(data[:8192])
    if head is None:
        raise refusals.not_xlsx()
    lowered = head.lower()
    if "urn:schemas-microsoft-com:office:spreadsheet" in lowered or "<?mso-application" in lowered:
        raise refusals.spreadsheetml()
    if "<table" in lowered or "<html" in lowered or "<!doctype html" in lowered:
        raise refusals.html_table()
    raise refusals.text_file()


def _text_head(sample: bytes) -> str | None:
    """The sample as text when it is text (UTF-8, UTF-16 with a byte order mark, GB18030), else None."""
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        return sample.decode("utf-16", errors="ignore")
    if sample.startswith(b"\xef\xbb\xbf"):
        sample = sample[3:]
    if b"\x00" in sample or sample.startswith(b"%PDF"):
        return None
    for encoding in ("utf-8", "gb18030"):
        try:
            return sample.decode(encoding)
        except UnicodeDecodeError as error:
            if error.start >= len(sample) - 4:  # a character cut by the sample's end
                return sample[: error.start].decode(encoding)
    return None


def zip_format(archive: zipfile.ZipFile, entries: Mapping[str, zipfile.ZipInfo]) -> Format:
    """An Office Open XML or OpenDocument package; macros judged by a VBA project part being there."""
    lowered = {name.lower(): name for name in entries}
    if "mimetype" in lowered and _is_opendocument(archive, entries[lowered["mimetype"]]):
        if any(name.startswith("basic/") and not name.endswith("/") for name in lowered):
            raise refusals.macros()
        if "content.xml" not in lowered:
            raise refusals.not_xlsx()
        return Format.ODS
    if any(name.endswith("vbaproject.bin") or name.endswith("vbaprojectsignature.bin") for name in lowered):
        raise refusals.macros()
    if WORKBOOK_BIN in lowered:
        raise refusals.xlsb()
    if CONTENT_TYPES.lower() not in lowered or WORKBOOK not in lowered:
        raise refusals.not_xlsx()
    return Format.XLSX


def _is_opendocument(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bool:
    if info.file_size > 256:
        return False
    with archive.open(info) as part:
        return part.read(256).startswith(ODS_MIMETYPE)


def is_unused(name: str) -> bool:
    """A part no reader opens: custom XML (Power Query), document properties, printer settings, thumbnails."""
    lowered = name.lower()
    return lowered.startswith(UNUSED_PREFIXES) or lowered in UNUSED_NAMES

"""Reads an .xls or .ods workbook in a child process capped in memory and time, since no scan bounds it first.

The child runs this file (python -I sandbox.py) with the file on stdin and writes every worksheet's cells (pickled)
on stdout, with what calamine does not tell (oldformats.py: formula cells, hidden rows and columns). It imports
python-calamine and the standard library only. A child that dies of its limits is a refusal.
"""

from __future__ import annotations

import pickle
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the child runs this file alone: standard library and calamine only
    from portal.workbook.format_codes import Shown

MEMORY = 256 * 1024 * 1024  # the child's address space: with the worker's own, within the 400 MB bound
SECONDS = 8
MAX_OUTPUT = 96 * 1024 * 1024


@dataclass(frozen=True)
class SheetData:
    name: str
    visible: bool
    rows: list
    merged: list
    formulas: tuple[str, ...] = ()  # A1 references of formula cells
    hidden_rows: frozenset[int] = frozenset()  # 1-based
    hidden_columns: frozenset[int] = frozenset()  # 1-based
    facts_known: bool = True  # False: the file's records could not be followed, formulas and hidden cells unknown
    null_date: str | None = None  # ISO day of date serial 0 when not Excel's default (oldformats.null_date)
    shown_cells: Mapping[str, Shown] = field(default_factory=dict)  # A1 -> how its format shows the number
    struck_cells: frozenset[str] = frozenset()  # A1 of the valued cells struck through (struck.Struck.cells)
    errors: Mapping[str, str] = field(default_factory=dict)  # A1 -> the error value a cell shows, no formula


class SandboxFailed(Exception):
    """The child could not read the file, or went over its limits."""


def read_sheets(data: bytes) -> list[SheetData]:
    """Every worksheet of the workbook, read by calamine in a bounded child process."""
    try:
        done = subprocess.run(  # noqa: S603 - our own script, the upload only on stdin
            [sys.executable, "-I", __file__],
            input=data,
            capture_output=True,
            timeout=SECONDS,
            check=False,
        )
    except subprocess.TimeoutExpired as error:
        raise SandboxFailed("time") from error
    if done.returncode != 0 or len(done.stdout) > MAX_OUTPUT:
        raise SandboxFailed(done.stderr.decode("utf-8", "replace")[-300:] or f"exit {done.returncode}")
    try:
        return [_sheet(*entry) for entry in pickle.loads(done.stdout)]  # noqa: S301 - our own child's output
    except Exception as error:  # noqa: BLE001 - any damage in the child's answer is a failed read
        raise SandboxFailed(str(error)) from error


def _sheet(name, visible, rows, merged, facts, null_date) -> SheetData:  # noqa: ANN001 - the child's pickled tuple
    if facts is None:
        return SheetData(name, visible, rows, merged, facts_known=False, null_date=null_date)
    formulas, hidden_rows, hidden_columns, shown, struck, spans, errors = facts
    hidden = frozenset(hidden_rows), frozenset(hidden_columns)
    return SheetData(
        name,
        visible,
        rows,
        merged or list(spans),  # calamine reports an .xls's merged cells, not an .ods's: oldformats reads those
        tuple(formulas),
        *hidden,
        null_date=null_date,
        shown_cells=dict(shown),
        struck_cells=frozenset(struck),
        errors=dict(errors),
    )


def _limit() -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))
    resource.setrlimit(resource.RLIMIT_CPU, (SECONDS, SECONDS))
    resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))


def _main() -> None:
    import importlib.util
    import io
    import types
    from pathlib import Path

    _limit()  # first thing in the child (no preexec_fn: unsafe in a threaded web worker)
    import python_calamine

    def load(name: str, file: str) -> types.ModuleType:
        spec = importlib.util.spec_from_file_location(name, Path(__file__).with_name(file))
        module = sys.modules[name] = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module

    # python -I: the project is not on the path. oldformats imports portal.workbook.format_codes, which, like it,
    # needs the standard library only: both are loaded from this folder, under the names they are imported by.
    for package in ("portal", "portal.workbook"):
        sys.modules[package] = types.ModuleType(package)
    sys.modules["portal.workbook"].format_codes = load("portal.workbook.format_codes", "format_codes.py")
    oldformats = load("oldformats", "oldformats.py")
    data = sys.stdin.buffer.read()
    book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    facts = oldformats.read_facts(data)
    null_date = oldformats.null_date(data)
    out = []
    for meta in book.sheets_metadata:
        if meta.typ != python_calamine.SheetTypeEnum.WorkSheet:
            continue
        sheet = book.get_sheet_by_name(meta.name)
        rows = sheet.to_python(skip_empty_area=False)
        visible = meta.visible == python_calamine.SheetVisibleEnum.Visible
        known = None if facts is None else facts.get(meta.name)  # a sheet not found in the records: unknown
        out.append((meta.name, visible, rows, list(sheet.merged_cell_ranges or []), known, null_date))
    sys.stdout.buffer.write(pickle.dumps(out, protocol=pickle.HIGHEST_PROTOCOL))


if __name__ == "__main__":
    _main()

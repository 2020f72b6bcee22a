"""Benchmark 2: read and validate a 5,000-line workbook, against a bare calamine read and against frictionless-py.

`python -m bench.workbook [--smoke]`. The workbook is generated, deterministically, by the portal's own writer in the
prescribed format: the clean demo catalogues' lines (realistic Chinese names, conditions, tiers, government-priced
lines) repeated for each site of one large operator, the site named in the conditions so no line duplicates another.
The portal's path is what an upload costs: the guard, the reader and the validator against the shipped government
list. Every cache of the compliance core is cleared before each run, so each run is judged as a first upload.
frictionless-py (bench/requirements.txt) is slow, so it is timed a third as often.
"""

from __future__ import annotations

import io
import json
import tempfile
import time
import warnings
from datetime import date
from pathlib import Path
from types import ModuleType

import openpyxl
import python_calamine

from bench.common import Figure, arguments, best_of, best_of_each, ratio, report
from portal.demo import catalogue_input
from portal.govlist.loader import load_reference
from portal.validation import choices, conditions, dates, money, names, units
from portal.validation.model import FeeLine, Header, Reference
from portal.workbook import guard, layout
from portal.workbook.check import check_workbook
from portal.workbook.guard import inspect_upload
from portal.workbook.reader import read_workbook
from portal.workbook.writer import write_catalogue

ROOT = Path(__file__).resolve().parent.parent
AS_OF = date(2026, 11, 23)  # the day the demo catalogues were written for
FULL_LINES, SMOKE_LINES = 5_000, 200
FILENAME = "收费目录清单.xlsx"
PORT_AREAS = ("南沙港区", "黄埔港区", "新沙港区", "新港港区", "内港港区")
PHASES = ("一期", "二期", "三期", "四期", "五期", "六期", "七期", "八期", "九期", "十期")
SITES = ("码头", "物流园")
CACHED = (choices, conditions, dates, money, names, units, guard)  # modules whose lru_caches a first upload finds cold

# The Table Schema frictionless checks: what the prescribed format says of each column (DISCLOSURE_FORMAT.md).
AMOUNT = r"[￥¥]?[0-9][0-9,]*(\.[0-9]+)?"
STANDARD = rf"{AMOUNT}(\s*[-~至]\s*{AMOUNT})?|([0-9]+(-[0-9]+)?天(及以上)?({AMOUNT}元/天|免费)[；;]?)+"


def _field(column: layout.Column, kind: str = "string", **constraints: object) -> dict[str, object]:
    required = {"required": True} if column.required else {}
    return {"name": column.zh, "type": kind, "constraints": {**required, **constraints}}


def table_schema() -> dict[str, object]:
    """The columns' types, required fields, enumerations and the amount pattern, as a frictionless Table Schema."""
    by_key = layout.COLUMN_BY_KEY
    special = {
        "line_no": _field(by_key["line_no"], "integer", minimum=1),
        "standard": _field(by_key["standard"], pattern=STANDARD),
        "currency": _field(by_key["currency"], enum=list(layout.CURRENCIES)),
        "pricing_class": _field(by_key["pricing_class"], enum=list(layout.PRICING_CLASSES)),
        "pass_through": _field(by_key["pass_through"], enum=[layout.YES, layout.NO]),
        "change_mark": _field(by_key["change_mark"], enum=["A", "D", "I", "R", "C"]),
        "effective_date": _field(by_key["effective_date"], "date"),
    }
    return {"fields": [special.get(c.key) or _field(c) for c in layout.COLUMNS]}


def _demo() -> tuple[Header, tuple[FeeLine, ...]]:
    """The first clean demo catalogue's header, and the clean catalogues' lines, each (name, conditions) once."""
    entries = json.loads((ROOT / "demo/operators.json").read_text(encoding="utf-8"))
    clean = [catalogue_input(e["catalogue"]) for e in entries if not e["expected_findings"]]
    lines = {(line.name, line.conditions): line for catalogue in clean for line in catalogue.lines}
    return clean[0].header, tuple(lines.values())


def demo_lines(count: int) -> tuple[Header, tuple[FeeLine, ...]]:
    """The demo header and `count` lines: the demo lines at each of the operator's sites in turn, numbered from 1."""
    header, pool = _demo()
    sites = [f"{area}{phase}{site}" for site in SITES for area in PORT_AREAS for phase in PHASES]
    if count > len(sites) * len(pool):
        raise ValueError(f"at most {len(sites) * len(pool)} lines can be generated")
    lines = []
    for number in range(1, count + 1):
        line = pool[(number - 1) % len(pool)]
        where = sites[(number - 1) // len(pool)]
        conditions = f"{line.conditions} {where}" if line.conditions else where
        lines.append(FeeLine(**{**_values(line), "conditions": conditions, "line_no": str(number)}))
    return header, tuple(lines)


def _values(line: FeeLine) -> dict[str, str]:
    return {c.key: getattr(line, c.key) for c in layout.COLUMNS}


def make_workbook(count: int) -> bytes:
    """The demo header and `count` lines, written by the portal's writer: the same cells for the same `count`."""
    out = io.BytesIO()
    write_catalogue(out, *demo_lines(count))
    return out.getvalue()


def on_sheet1(data: bytes) -> bytes:
    """The same workbook with the list's sheet named Sheet1, as most offices leave it."""
    book = openpyxl.load_workbook(io.BytesIO(data))
    book[layout.DATA_SHEET].title = "Sheet1"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _clear_caches(modules: tuple[ModuleType, ...] = CACHED) -> None:
    for module in modules:
        for value in vars(module).values():
            if callable(getattr(value, "cache_clear", None)):
                value.cache_clear()


def calamine_read(data: bytes) -> list[list[object]]:
    """The floor: calamine reads the data sheet into Python values, and nothing else."""
    book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    return book.get_sheet_by_name(layout.DATA_SHEET).to_python(skip_empty_area=False)


def portal_path(data: bytes, reference: Reference) -> int:
    """What an upload costs: check_workbook() (guard, read and validate); returns the number of findings."""
    _clear_caches()
    return len(check_workbook(data, FILENAME, reference, AS_OF).report.findings)


def frictionless_validate(path: Path, schema: dict[str, object]) -> object:
    """frictionless-py reads the same sheet (openpyxl) and checks it against the equivalent Table Schema."""
    from frictionless import Checklist, Dialect, Resource, Schema  # imported here: bench.pdf imports this module
    from frictionless.formats import ExcelControl

    dialect = Dialect(header_rows=[layout.TABLE_HEADER_ROW], controls=[ExcelControl(sheet=layout.DATA_SHEET)])
    resource = Resource(path.name, basepath=str(path.parent), schema=Schema.from_descriptor(schema), dialect=dialect)
    return resource.validate(checklist=Checklist(skip_errors=["missing-cell"]))  # blank trailing cells


def main(argv: list[str] | None = None) -> None:
    args = arguments(__doc__.splitlines()[0], argv, runs={"type": int, "default": 0, "help": "timed runs (best of)"})
    count = SMOKE_LINES if args.smoke else FULL_LINES
    runs = args.runs or (3 if args.smoke else 7)
    data = make_workbook(count)
    reference = load_reference(ROOT / "feelists")
    rows = calamine_read(data)
    findings = portal_path(data, reference)
    schema = table_schema()
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / FILENAME
        path.write_bytes(data)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            checked = frictionless_validate(path, schema)
            if not checked.valid:
                raise SystemExit(f"frictionless found the generated sheet invalid: {checked.flatten(['type'])[:5]}")
            friction_runs = max(1, runs // 3)
            friction = best_of(friction_runs, lambda: frictionless_validate(path, schema))
    floor_work, portal_work = (lambda: calamine_read(data)), (lambda: portal_path(data, reference))
    floor, portal = best_of_each(runs, floor_work, portal_work)  # in turn: the machine's drift moves both alike
    guarded = best_of(runs, lambda: inspect_upload(data, FILENAME))
    read = best_of(runs, lambda: read_workbook(data, FILENAME))
    elsewhere = on_sheet1(data)  # the list on a sheet named otherwise: found by its head, then read
    read_elsewhere = best_of(runs, lambda: read_workbook(elsewhere, FILENAME))
    floor_cpu, portal_cpu = best_of_each(runs, floor_work, portal_work, clock=time.process_time)
    report(
        f"workbook: {count:,} lines x {len(layout.COLUMNS)} columns, {len(data) / 1024:.0f} KB, {len(rows)} rows, "
        f"{findings} findings, best of {runs} (frictionless {friction_runs})",
        [
            Figure("calamine read (floor)", floor, "s"),
            Figure("guard", guarded, "s"),
            Figure("guard + read", read, "s"),
            Figure("guard + read, the list on Sheet1", read_elsewhere, "s"),
            Figure("guard + read + validate (portal)", portal, "s"),
            ratio("portal / calamine", portal / floor, 2, judged=not args.smoke),
            Figure("calamine read, CPU time", floor_cpu, "s"),
            Figure("portal, CPU time", portal_cpu, "s"),
            ratio("portal / calamine, CPU time", portal_cpu / floor_cpu, 2, judged=False),
            Figure("frictionless validate", friction, "s"),
            ratio("portal / frictionless", portal / friction, 0.1, judged=not args.smoke),
        ],
    )


if __name__ == "__main__":
    main()

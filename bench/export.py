"""The consolidated export of every line in force (xlsx and CSV): time and peak memory, each in its own process.

    python -m bench.export --database-url sqlite:///bench/data/national.sqlite3
    python -m bench.export --smoke          # builds a small dataset first, as CI does

Each format is built by a fresh process (`--only FORMAT`) into an empty folder, so its peak RSS is the export's own
(plus the interpreter and the app); the file is then read back with python-calamine to count its rows. The xlsx is
written by a child process (portal.publishing.exports._write_in_child): its peak RSS is counted too, added to the
parent's (an upper bound: the pages the fork shares are counted twice).
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from python_calamine import CalamineWorkbook
from sqlalchemy.engine import make_url

from bench import make_data
from bench.common import Figure, arguments, ratio, report
from portal import clock, create_app
from portal.extensions import db
from portal.publishing import services

ROOT = Path(__file__).resolve().parent.parent
RSS_TARGET_MB = 300
XLSX_TO_CSV = 3  # the xlsx export (XlsxWriter, constant memory) within 3x the CSV export's time
HEADER_ROWS = 1


def build_one(database_url: str, fmt: str, folder: Path) -> dict[str, float | str]:
    """Build one consolidated file in this process; its path, seconds taken and this process's peak RSS."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "EXPORTS_DIR": folder})
    with app.app_context():
        start = time.perf_counter()
        path = services.consolidated_path(fmt, clock.today(), "zh")
        seconds = time.perf_counter() - start
        db.engine.dispose()
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # kilobytes on Linux
    children_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # the largest child's: the xlsx writer
    return {"path": str(path), "seconds": seconds, "peak_mb": peak_kb / 1024, "children_peak_mb": children_kb / 1024}


def rows_in(path: Path) -> int:
    if path.suffix == ".csv":
        with path.open("rb") as stream:
            return sum(1 for _ in stream) - HEADER_ROWS
    sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
    return sum(1 for _ in sheet.iter_rows()) - HEADER_ROWS


def run(database_url: str, *, judged: bool = True) -> list[Figure]:
    figures: list[Figure] = []
    seconds: dict[str, float] = {}
    for fmt in ("csv", "xlsx"):
        with tempfile.TemporaryDirectory(prefix=f"bench-export-{fmt}-") as folder:
            command = [sys.executable, "-m", "bench.export", "--database-url", database_url, "--only", fmt]
            command += ["--folder", folder]
            done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=True)
            result = json.loads(done.stdout.strip().splitlines()[-1])
            path = Path(result["path"])
            seconds[fmt] = result["seconds"]
            figures += [
                Figure(f"{fmt}: build time", result["seconds"], "s"),
                Figure(
                    f"{fmt}: peak RSS",
                    result["peak_mb"] + result["children_peak_mb"],
                    "MB",
                    f"<= {RSS_TARGET_MB}",
                    result["peak_mb"] + result["children_peak_mb"] <= RSS_TARGET_MB,
                ),
            ]
            if result["children_peak_mb"]:
                figures += [
                    Figure(f"{fmt}: peak RSS, the export process alone", result["peak_mb"], "MB"),
                    Figure(f"{fmt}: peak RSS, its xlsx writer process alone", result["children_peak_mb"], "MB"),
                ]
            figures += [
                Figure(f"{fmt}: file size", path.stat().st_size / 2**20, "MB"),
                Figure(f"{fmt}: rows read back", rows_in(path), ""),
            ]
    figures.append(ratio("xlsx time / csv time", seconds["xlsx"] / seconds["csv"], XLSX_TO_CSV, judged=judged))
    return figures


def main(argv: Sequence[str] | None = None) -> None:
    args = arguments(
        __doc__.splitlines()[0],
        argv,
        database_url={"default": f"sqlite:///{ROOT / 'bench' / 'data' / 'national.sqlite3'}"},
        only={"choices": ("csv", "xlsx"), "help": "build this format here and print its figures as JSON"},
        folder={"help": "with --only: the (empty) exports folder"},
    )
    if args.only:
        print(json.dumps(build_one(args.database_url, args.only, Path(args.folder))))
        return
    with tempfile.TemporaryDirectory(prefix="bench-export-data-") as folder:
        database_url = args.database_url
        if args.smoke:
            database_url = f"sqlite:///{Path(folder) / 'smoke.sqlite3'}"
            make_data.build(database_url, operators=200, lines=10_000)
        backend = make_url(database_url).get_backend_name()
        report(f"consolidated export on {backend}", run(database_url, judged=not args.smoke))


if __name__ == "__main__":
    main()

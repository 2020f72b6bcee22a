"""What every benchmark shares: the command line (`--smoke` for CI's small scale), one way to print figures, and
a fresh database made by the portal's own commands."""

from __future__ import annotations

import argparse
import platform
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from flask import Flask
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url


@dataclass(frozen=True)
class Figure:
    """One measured figure; `target` says what it should be (e.g. "<= 2"), `met` whether it is."""

    name: str
    value: float
    unit: str
    target: str = ""
    met: bool | None = None

    def line(self) -> str:
        verdict = {None: "", True: "ok", False: "MISSED"}[self.met]
        shown = (
            f"{self.value:>12,.0f}"
            if float(self.value).is_integer() and abs(self.value) >= 10
            else f"{self.value:>12.3f}"
        )
        return f"  {self.name:<48} {shown} {self.unit:<6} {self.target:<10} {verdict}"


def ratio(name: str, value: float, limit: float, *, judged: bool = True) -> Figure:
    """A ratio to its floor, with its target "<= limit" unless at a smoke run's scale, where fixed costs dominate."""
    if not judged:
        return Figure(name, value, "x")
    return Figure(name, value, "x", f"<= {limit:g}", value <= limit)


def arguments(description: str, argv: Sequence[str] | None = None, **extra: dict) -> argparse.Namespace:
    """Parse `--smoke` (a small, quick run for CI) and any extra options given as name -> add_argument kwargs."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--smoke", action="store_true", help="run at a small scale, as CI does")
    for name, options in extra.items():
        parser.add_argument(f"--{name.replace('_', '-')}", **options)
    return parser.parse_args(argv)


def report(title: str, figures: Sequence[Figure]) -> None:
    print(f"\n== {title} ({platform.python_implementation()} {platform.python_version()}, {platform.machine()})")
    for figure in figures:
        print(figure.line(), flush=True)


def best_of(runs: int, work: Callable[[], object]) -> float:
    """The fastest of `runs` wall-clock timings of `work`, in seconds: the one least disturbed by the machine."""
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        timings.append(time.perf_counter() - start)
    return min(timings)


def best_of_each(
    runs: int, *works: Callable[[], object], clock: Callable[[], float] = time.perf_counter
) -> list[float]:
    """The fastest of `runs` timings of each of `works`, taken in turn (one of each, then again): a figure and its
    floor measured side by side, so a machine that slows down or speeds up during the run moves both alike."""
    timings: list[list[float]] = [[] for _ in works]
    for _ in range(runs):
        for work, taken in zip(works, timings, strict=True):
            start = clock()
            work()
            taken.append(clock() - start)
    return [min(taken) for taken in timings]


def percentile(values: Sequence[float], p: float) -> float:
    """The p-th percentile (0-100) of `values`, by the inclusive method."""
    if len(values) < 2:
        return values[0] if values else float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[min(98, max(0, round(p) - 1))]


def recreate_database(database_url: str) -> None:
    """An empty database at `database_url`: the SQLite file removed, the PostgreSQL database dropped and created."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        path = Path(url.database)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.unlink(missing_ok=True)
        return
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)'))
        conn.execute(text(f"CREATE DATABASE \"{url.database}\" ENCODING 'UTF8' TEMPLATE template0"))
    admin.dispose()


def run_commands(app: Flask, *commands: str) -> None:
    """Run `flask <command>` for each of `commands` in `app`, as an operator of the portal would; stop at a failure."""
    runner = app.test_cli_runner()
    for command in commands:
        result = runner.invoke(args=[command])
        if result.exit_code != 0:
            raise RuntimeError(f"flask {command} failed:\n{result.output}") from result.exception

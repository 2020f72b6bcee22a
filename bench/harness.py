"""Serve the portal as production does (gunicorn, sync workers) and load it with wrk: what the HTTP benchmarks share.

    with gunicorn(url, workers=4, exports_dir=tmp) as base:
        result = hammer(base, ["/", "/fees?q=DOC"], connections=64, duration=60)
        rss = worker_rss(base.pid)

wrk (Debian package `wrk`) counts responses by status class in its Lua `response` callback, one Lua state per
thread; the `done` callback, run in the main state, sums the threads' counters (`thread:get`) and prints one JSON line.
Its latency percentiles come from its histogram and, wrk not being wrk2, are not corrected for coordinated omission:
read them as what a client with `connections` requests in flight sees.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from bench.gunicorn_conf import READY

ROOT = Path(__file__).resolve().parent.parent
START_TIMEOUT = 60.0  # seconds for every worker to import the app
STOP_TIMEOUT = 15.0  # seconds for a graceful stop before the master is killed
LOG_TAIL = 4000  # characters of gunicorn's log shown when something fails
JSON_MARK = "BENCH_JSON "


class Server(str):
    """The base URL of a running gunicorn (use it as a str), with the master's pid and the path of its log."""

    pid: int
    log: Path

    def __new__(cls, url: str, pid: int, log: Path) -> Server:
        server = super().__new__(cls, url)
        server.pid, server.log = pid, log
        return server

    def log_text(self) -> str:
        """Everything gunicorn and the app logged so far (the log is removed when the server stops)."""
        return self.log.read_text(encoding="utf-8", errors="replace")

    def log_tail(self, chars: int = LOG_TAIL) -> str:
        return self.log_text()[-chars:]


# wrk is one client: its requests are counted against the per-client limits like anyone's, but not refused. A fixed
# window (one INCR a request): the moving window keeps one list entry per request of the client in the last minute,
# which for one client sending thousands a second (no real visitor does) makes every check read a huge list.
UNLIMITED = {
    "PORTAL_SEARCH_RATE_LIMIT": "10000000/minute",
    "PORTAL_API_RATE_LIMIT": "10000000/minute",
    "PORTAL_RATELIMIT_STRATEGY": "fixed-window",
}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def gunicorn(
    database_url: str,
    *,
    workers: int = 2,
    env: Mapping[str, str] | None = None,
    exports_dir: Path | None = None,
) -> Iterator[Server]:
    """Run `gunicorn wsgi:app` on a free loopback port against `database_url`; yield once every worker is ready.

    The schema must exist (`flask init-db`). `env` adds or overrides environment variables (e.g. PORTAL_CACHE_URL).
    The server is stopped with SIGTERM (graceful), killed if it does not stop in time; a failure to start, or an
    exception in the block, shows the tail of its log.
    """
    port = free_port()
    environment = {
        **os.environ,
        "PORTAL_DATABASE_URL": database_url,
        "PORTAL_SECRET_KEY": secrets.token_hex(32),
        "PYTHONUNBUFFERED": "1",
    }
    if exports_dir is not None:
        environment["PORTAL_EXPORTS_DIR"] = str(exports_dir)
    environment.update(env or {})
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "--config",
        "python:bench.gunicorn_conf",
        "--no-control-socket",  # gunicorn 27 would put one socket in $HOME for every server: runs would collide
        "--workers",
        str(workers),
        "--bind",
        f"127.0.0.1:{port}",
        "--graceful-timeout",
        str(int(STOP_TIMEOUT) - 5),
        "wsgi:app",
    ]
    with tempfile.TemporaryDirectory(prefix="bench-gunicorn-") as folder:
        log = Path(folder) / "gunicorn.log"
        with log.open("wb") as sink:
            process = subprocess.Popen(command, cwd=ROOT, env=environment, stdout=sink, stderr=subprocess.STDOUT)
        server = Server(f"http://127.0.0.1:{port}", process.pid, log)
        try:
            _wait_ready(process, server, workers)
        except BaseException:
            _stop(process)
            raise
        try:
            yield server
        except BaseException:
            print(f"--- gunicorn log (tail) ---\n{server.log_tail()}", file=sys.stderr)
            raise
        finally:
            _stop(process)


def _wait_ready(process: subprocess.Popen, server: Server, workers: int) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited ({process.returncode}) before it was ready:\n{server.log_tail()}")
        if server.log_text().count(READY) >= workers and _answers(f"{server}/healthz"):
            return
        time.sleep(0.1)
    raise RuntimeError(f"gunicorn was not ready within {START_TIMEOUT:.0f} s:\n{server.log_tail()}")


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - a loopback URL built here
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def child_pids(parent: int) -> list[int]:
    """The processes whose parent is `parent` (gunicorn's workers, for its master), found by scanning /proc."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:  # the process ended while we looked
            continue
        # The command name (field 2) is in parentheses and may contain spaces: the ppid follows the last ')'.
        if int(stat.rsplit(")", 1)[1].split()[1]) == parent:
            found.append(int(entry.name))
    return sorted(found)


def rss_bytes(pid: int) -> int:
    """Resident set size of `pid`, from /proc/<pid>/status (VmRSS, in kB)."""
    match = re.search(r"^VmRSS:\s+(\d+) kB", Path(f"/proc/{pid}/status").read_text(), re.MULTILINE)
    if match is None:
        raise RuntimeError(f"process {pid} reports no VmRSS")
    return int(match.group(1)) * 1024


def worker_rss(master: int) -> dict[int, int]:
    """RSS in bytes of each worker of the gunicorn master `master`, by pid."""
    sizes = {}
    for pid in child_pids(master):
        try:
            sizes[pid] = rss_bytes(pid)
        except OSError:  # a worker restarted between the scan and the read
            continue
    return sizes


@dataclass(frozen=True)
class LoadResult:
    """What wrk saw: completed requests, their latency percentiles, responses by status class, socket errors."""

    requests: int
    duration_s: float
    rps: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float
    statuses: Mapping[str, int]  # "2xx", "3xx", "4xx", "5xx" -> responses
    socket_errors: Mapping[str, int]  # "connect", "read", "write", "timeout" -> count
    cache_misses: int = 0  # answers marked `X-Cache: miss` (computed by the view, not taken from the shared cache)

    @property
    def server_errors(self) -> int:
        return self.statuses.get("5xx", 0)

    @property
    def non_2xx(self) -> int:
        return sum(n for status, n in self.statuses.items() if status != "2xx")

    @property
    def errors(self) -> int:
        return sum(self.socket_errors.values())


LUA = """-- Written by bench/harness.py: cycle through the paths, count responses by status class, print JSON when done.
local paths = {%(paths)s}
local threads = {}

function setup(thread)
  thread:set("offset", #threads)
  table.insert(threads, thread)
end

function init(args)
  index = offset * 7 %% #paths
  counts = {}
end

local function cache_status(headers)
  for name, value in pairs(headers) do
    if string.lower(name) == "x-cache" then
      return value
    end
  end
end

function request()
  index = index %% #paths + 1
  return wrk.format("GET", paths[index])
end

function response(status, headers, body)
  local class = tostring(math.floor(status / 100)) .. "xx"
  counts[class] = (counts[class] or 0) + 1
  if cache_status(headers) == "miss" then
    counts["miss"] = (counts["miss"] or 0) + 1
  end
end

function done(summary, latency, requests)
  local totals = {}
  for _, thread in ipairs(threads) do
    for class, n in pairs(thread:get("counts")) do
      totals[class] = (totals[class] or 0) + n
    end
  end
  local statuses = {}
  for class, n in pairs(totals) do
    if class ~= "miss" then
      table.insert(statuses, string.format('"%%s": %%d', class, n))
    end
  end
  local e = summary.errors
  io.write(string.format(
    '%(mark)s{"requests": %%d, "duration_us": %%d, "p50_us": %%d, "p95_us": %%d, "p99_us": %%d, "max_us": %%d, '
      .. '"statuses": {%%s}, "socket_errors": {"connect": %%d, "read": %%d, "write": %%d, "timeout": %%d}, '
      .. '"cache_misses": %%d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95), latency:percentile(99),
    latency.max, table.concat(statuses, ", "), e.connect, e.read, e.write, e.timeout, totals["miss"] or 0))
end
"""


def request_path(path: str) -> str:
    """`path` as a browser sends it: non-ASCII characters percent-encoded, escapes already there kept as they are
    (wrk and the benchmarks' warm-up must ask for the same URL, or the warm-up warms nothing)."""
    quoted = quote(path, safe="/?&=%:+,;@!$'()*-._~")
    if not quoted.startswith("/"):
        raise ValueError(f"not a path: {path!r}")
    return quoted


def lua_script(paths: Sequence[str]) -> str:
    """The wrk script for `paths` (each sent as `request_path` gives it)."""
    if not paths:
        raise ValueError("give at least one path")
    quoted = [request_path(path) for path in paths]
    return LUA % {"paths": ", ".join(f'"{path}"' for path in quoted), "mark": JSON_MARK}


def hammer(
    base_url: str,
    paths: Sequence[str],
    *,
    connections: int,
    duration: float,
    threads: int = 2,
    timeout: float = 30.0,
) -> LoadResult:
    """Hold `connections` connections open for `duration` seconds (whole seconds, at least 1), each sending GETs
    through `paths` in turn. A request taking longer than `timeout` seconds counts as a socket timeout."""
    wrk = shutil.which("wrk")
    if wrk is None:
        raise RuntimeError("wrk is not installed: apt-get install wrk")
    threads = max(1, min(threads, connections))
    with tempfile.TemporaryDirectory(prefix="bench-wrk-") as folder:
        script = Path(folder) / "paths.lua"
        script.write_text(lua_script(paths), encoding="utf-8")
        command = [
            wrk,
            f"--threads={threads}",
            f"--connections={connections}",
            f"--duration={max(1, round(duration))}s",
            f"--timeout={max(1, round(timeout))}s",
            f"--script={script}",
            base_url.rstrip("/"),
        ]
        run = subprocess.run(command, capture_output=True, text=True, timeout=duration + timeout + 30, check=False)
    lines = [line for line in run.stdout.splitlines() if line.startswith(JSON_MARK)]
    if run.returncode != 0 or not lines:
        raise RuntimeError(f"wrk failed ({run.returncode}):\n{run.stdout}\n{run.stderr}")
    data = json.loads(lines[-1].removeprefix(JSON_MARK))
    seconds = data["duration_us"] / 1e6
    return LoadResult(
        requests=data["requests"],
        duration_s=seconds,
        rps=data["requests"] / seconds if seconds else 0.0,
        p50_ms=data["p50_us"] / 1000,
        p95_ms=data["p95_us"] / 1000,
        p99_ms=data["p99_us"] / 1000,
        max_ms=data["max_us"] / 1000,
        statuses=data["statuses"],
        socket_errors=data["socket_errors"],
        cache_misses=data.get("cache_misses", 0),
    )

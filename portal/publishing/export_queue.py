"""Where export builds wait and who runs them: never the web request that found a file missing.

Three kinds of queue, by `EXPORT_QUEUE` (empty: "rq" when a Redis is configured, else "thread"):

- "rq": RQ on the portal's Redis (`EXPORT_QUEUE_URL`, else the cache's Redis). `flask export-worker` runs the worker
  (RQ's SimpleWorker in the app context); several web machines share the queue and the exports folder.
- "thread": one daemon thread in this process works through an in-memory queue: what `make run` gets for the
  embedded default (SQLite, no Redis) with nothing else to start.
- "manual": jobs wait until `work()` is called (the default under TESTING; `flask export-worker` without Redis).

A job is named by what it builds (`Job.name`); a name already waiting or running is not queued twice.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import Flask, current_app

log = logging.getLogger(__name__)
EXTENSION = "portal.export_queue"
RQ_QUEUE = "portal-exports"
JOB_TIMEOUT = 3600  # seconds: a national xlsx takes minutes


@dataclass(frozen=True)
class Job:
    """A build: `task` names a function of portal.publishing.export_jobs, `args` its JSON-able arguments."""

    name: str
    task: str
    args: tuple[Any, ...] = ()


def run(task: str, args: tuple[Any, ...]) -> None:
    """Run one job in the current app context (what every kind of worker calls)."""
    from portal.extensions import db
    from portal.publishing import export_jobs

    try:
        getattr(export_jobs, task)(*args)
    finally:
        db.session.remove()


def run_in_app(task: str, args: list[Any]) -> None:
    """The RQ entry point: the worker (`flask export-worker`) runs jobs inside the app's context already."""
    run(task, tuple(args))


class LocalQueue:
    """Jobs in this process: run by a daemon thread (`threaded`), or when `work()` is called."""

    def __init__(self, app: Flask, threaded: bool) -> None:
        self.app = app
        self.threaded = threaded
        self.jobs: queue.Queue[Job] = queue.Queue()
        self.pending: set[str] = set()
        self.lock = threading.Lock()
        self.thread: threading.Thread | None = None

    def enqueue(self, job: Job) -> bool:
        with self.lock:
            if job.name in self.pending:
                return False
            self.pending.add(job.name)
            self.jobs.put(job)
            if self.threaded and (self.thread is None or not self.thread.is_alive()):
                self.thread = threading.Thread(target=self._loop, name="export-worker", daemon=True)
                self.thread.start()
        return True

    def _run(self, job: Job) -> None:
        try:
            with self.app.app_context():
                run(job.task, job.args)
        except Exception:
            log.exception("export job %s failed", job.name)
        finally:
            with self.lock:
                self.pending.discard(job.name)
            self.jobs.task_done()

    def _loop(self) -> None:
        while True:
            self._run(self.jobs.get())

    def work(self) -> int:
        """Run every waiting job (and those they queue) here; returns how many ran."""
        ran = 0
        while True:
            try:
                job = self.jobs.get_nowait()
            except queue.Empty:
                return ran
            self._run(job)
            ran += 1

    def wait(self) -> None:
        """Until every queued job has run (the thread's, or `work()` here)."""
        if not self.threaded:
            self.work()
        self.jobs.join()


class RQQueue:
    def __init__(self, url: str, name: str = RQ_QUEUE) -> None:
        import redis
        from rq import Queue

        self.connection = redis.Redis.from_url(url)
        self.queue = Queue(name, connection=self.connection, default_timeout=JOB_TIMEOUT)

    def enqueue(self, job: Job) -> bool:
        from rq.job import JobStatus

        found = self.queue.fetch_job(job.name)
        if found is not None and found.get_status(refresh=True) in (
            JobStatus.QUEUED,
            JobStatus.STARTED,
            JobStatus.DEFERRED,
            JobStatus.SCHEDULED,
        ):
            return False
        if found is not None:
            found.delete()
        self.queue.enqueue(run_in_app, job.task, list(job.args), job_id=job.name, result_ttl=60, failure_ttl=3600)
        return True

    def work(self, burst: bool = True) -> int:
        from rq import SimpleWorker

        worker = SimpleWorker([self.queue], connection=self.connection)
        worker.work(burst=burst, with_scheduler=False)
        return 0

    def wait(self) -> None:
        self.work(burst=True)


def kind(config: Any) -> str:
    """The queue configured; by default rq with a Redis, else thread — but manual under TESTING, where a thread
    would share the test's (in-memory) database connection while the test uses it."""
    chosen = config.get("EXPORT_QUEUE") or ""
    if chosen:
        return chosen
    if config.get("TESTING"):
        return "manual"
    return "rq" if queue_url(config) else "thread"


def queue_url(config: Any) -> str:
    url = config.get("EXPORT_QUEUE_URL") or config.get("CACHE_URL") or ""
    return url if url.startswith(("redis://", "rediss://", "unix://")) else ""


def _committed(session) -> None:
    """After a commit that moved the public revision (a publication, a profile change): queue `refresh`."""
    from portal.audit.revisions import BUMPED, PUBLIC_REVISION

    bumped = session.info.pop(BUMPED, set())
    if PUBLIC_REVISION in bumped and EXTENSION in current_app.extensions:
        from portal.publishing import export_jobs

        export_jobs.after_publication()


def _rolled_back(session) -> None:
    from portal.audit.revisions import BUMPED

    session.info.pop(BUMPED, None)


_listening = False


def listen() -> None:
    """Watch commits of the app's sessions (once per process: the session class is shared by every app)."""
    global _listening
    if not _listening:
        from sqlalchemy import event
        from sqlalchemy.orm import Session

        event.listen(Session, "after_commit", _committed)
        event.listen(Session, "after_soft_rollback", lambda session, _transaction: _rolled_back(session))
        _listening = True


def init_app(app: Flask) -> None:
    listen()
    chosen = kind(app.config)
    if chosen == "rq":
        app.extensions[EXTENSION] = RQQueue(queue_url(app.config), app.config.get("EXPORT_QUEUE_NAME") or RQ_QUEUE)
    elif chosen in ("thread", "manual"):
        app.extensions[EXTENSION] = LocalQueue(app, threaded=chosen == "thread")
    else:
        raise RuntimeError(f"EXPORT_QUEUE must be rq, thread or manual, not {chosen!r}")


def current() -> LocalQueue | RQQueue:
    return current_app.extensions[EXTENSION]


def enqueue(name: str, task: str, *args: Any) -> bool:
    """Queue a build unless one of that name is waiting or running; a queue that fails is logged, not raised."""
    try:
        return current().enqueue(Job(name, task, args))
    except Exception:
        log.warning("export queue unavailable: %s not queued", name, exc_info=True)
        return False


Work = Callable[[], int]

"""gunicorn settings for the benchmarks (`--config python:bench.gunicorn_conf`).

A worker logs READY once it has imported the app, so the harness can wait for every worker, not just the first.
"""

READY = "Worker ready"


def post_worker_init(worker) -> None:
    worker.log.info("%s (pid: %s)", READY, worker.pid)

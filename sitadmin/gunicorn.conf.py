"""Gunicorn, the production web server: `gunicorn -c sitadmin/gunicorn.conf.py sitadmin.wsgi`.

Run twice, as two pools (README, "Load, production server and scaling"; docs/scaling.md): the pages'
pool with `GUNICORN_WORKERS`, by default 6 × cores (12 on the 2-core reference machine), and an
ingestion pool for `POST /api/v1/events/` with `GUNICORN_WORKERS=4 GUNICORN_NICE=10`.
Every worker is a separate process serving one request at a time (sync workers): the API and the
pages spend their time in Python and PostgreSQL, so threads would only contend for the GIL. The
pages' pool has many workers because a read must find one free at once. A 1,000-event batch holds
its worker for most of a second, all of it CPU (Python, then PostgreSQL): 4 of them keep 2 cores
busy, more only add to the queue for the cores, and below the pages' priority they take whatever
CPU the readers leave. Measured by `make loadtest` (8 posting clients, 20 readers, 2 cores): one pool
of 12 workers stored 7,657 events/s, the summary's p95 320 ms; an ingestion pool of 4 workers at
niceness 10 stored 8,760 events/s, the summary's p95 120 ms (3 workers: 7,992; 6 workers: 8,500,
once the KPI reads were cached). BENCHMARKS.md has the runs. Workers hold no state of their own
(sessions and caches live in PostgreSQL and Redis), so more machines behind a load balancer scale
the web tier (docs/scaling.md).
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 6))
worker_class = "sync"
# A 10,000-event batch takes 1.5-3 s on a busy 2-core machine; anything past a minute is stuck.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# Workers are recycled now and then, so a slow leak never grows for good.
max_requests = 5000
max_requests_jitter = 500
# Django and the app are imported once in the master, so workers start fast and share that memory.
preload_app = True
accesslog = os.environ.get("GUNICORN_ACCESSLOG") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOGLEVEL", "warning")
# Each worker keeps its database connection between requests instead of opening one per request
# (a new PostgreSQL backend costs several milliseconds); read by sitadmin/settings.py.
os.environ.setdefault("DB_CONN_MAX_AGE", "300")

# A pool kept for the bulk writes (POST /api/v1/events/, routed to it by the load balancer) can run
# below the pages' priority, so that a burst of batches does not hold up the people reading:
# `GUNICORN_NICE=10` (docs/scaling.md). The workers lower their own priority once forked.
niceness = int(os.environ.get("GUNICORN_NICE", "0"))


def post_fork(server, worker):
    if niceness:
        os.nice(niceness)

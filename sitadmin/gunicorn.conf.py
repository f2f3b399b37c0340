"""Gunicorn, the production web server: `gunicorn -c sitadmin/gunicorn.conf.py sitadmin.wsgi`.

Worker count: `GUNICORN_WORKERS`, by default 2 × cores + 1 (5 on the 2-core reference machine).
Every worker is a separate process with one request at a time (sync workers): the API and the
pages spend their time in Python and PostgreSQL, not waiting on slow clients (a load balancer or
reverse proxy in front buffers those), so more threads per worker would only contend for the GIL;
the extra workers beyond the cores keep a short read from queueing behind a 10,000-event batch
while PostgreSQL works on it. Workers hold no state of their own (sessions and caches live in
PostgreSQL and Redis), so more machines behind a load balancer scale the web tier (docs/scaling.md).
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
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

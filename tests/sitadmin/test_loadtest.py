"""`make loadtest` stays runnable: a short run of bench/loadtest.py (gunicorn, two locust processes,
PostgreSQL) stores every event it was sent exactly once, with no failed request.

The run is shortened (8 s, 2,000 seeded customers with 20,000 events, 3 gunicorn workers for the
readers and 2 for the posters) to fit the suite; its speed figures are not judged here, only that it
runs and that the count of stored events is exact.
"""

import os
import re
import socket
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from tests.conftest import database_url

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.postgres
@pytest.mark.django_db
@pytest.mark.timeout(300)
def test_loadtest_runs_and_stores_every_event_once():
    database = f"{connection.settings_dict['NAME']}_loadtest"
    command = [sys.executable, "bench/loadtest.py", "--seconds", "8", "--customers", "2000", "--workers", "3"]
    command += ["--history", "20000", "--ingest-workers", "2", "--ingest-port", str(_free_port())]
    command += ["--port", str(_free_port()), "--database", database]
    env = {**os.environ, "DATABASE_URL": database_url("postgres")}
    try:
        run = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=280)
    finally:
        with psycopg.connect(database_url("postgres"), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert "correctness: every event stored once, no error" in run.stdout
    counts = re.search(r"events: ([\d,]+) sent in (\d+) batches, ([\d,]+) accepted, ([\d,]+) stored", run.stdout)
    sent, batches, accepted, stored = (int(value.replace(",", "")) for value in counts.groups())
    assert batches > 0
    assert sent == accepted == stored == batches * 1000

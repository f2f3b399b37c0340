"""Jobs survive their worker: a SIGKILLed pool child, and separately the whole worker, in the middle
of a 300,000-row import and of a 30-day KPI recompute; each ends as one uninterrupted run would. A whole killed
worker's messages come back through their leases lapsing (sitadmin/leases.py)."""

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest
from celery import group
from django.core.files.base import ContentFile
from django.db import connection
from django.utils import timezone

from customers.events.services import events_ingest
from customers.imports.services import import_job_create
from customers.imports.tasks import import_run
from customers.models import Customer, ImportJob, LeadSource
from customers.recovery.services import import_jobs_requeue_stale
from metrics.engine.compute import kpis_compute_day
from metrics.models import DailyKpi
from metrics.tasks import compute_daily_kpis
from sitadmin.celery import app as celery_app
from tests.conftest import _database_url_for_test_db
from tests.customers.factories import LeadSourceFactory
from tests.staff.factories import StaffFactory

ROOT = Path(__file__).resolve().parents[3]
IMPORT_ROWS = 300_000
DAYS = [dt.date(2026, 10, 1) + dt.timedelta(days=n) for n in range(30)]
pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]


class Worker:
    """A real prefork worker (one pool child) on its own queue, in its own process group."""

    def __init__(self, queue: str, log):
        self.queue = queue
        self.log = log
        self.proc = None

    def start(self):
        env = {
            **os.environ,
            "DATABASE_URL": _database_url_for_test_db(),
            "CELERY_TASK_ALWAYS_EAGER": "false",
            # Unacknowledged messages of a dead worker come back after this many seconds.
            "CELERY_VISIBILITY_TIMEOUT": "5",
        }
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "sitadmin", "worker", "-P", "prefork", "-c", "1"]
            + ["-Q", self.queue, "-l", "warning", "--without-gossip", "--without-mingle", "-n", f"{self.queue}@%h"],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if celery_app.control.ping(timeout=0.5, destination=[f"{self.queue}@{os.uname().nodename}"]):
                return
        raise RuntimeError("worker did not start")

    def child_pid(self) -> int:
        out = subprocess.run(["pgrep", "-P", str(self.proc.pid)], capture_output=True, text=True).stdout.split()
        return int(out[0])

    def kill_child(self):
        os.kill(self.child_pid(), signal.SIGKILL)

    def kill_all(self):
        """The main process and its pool child at once: nothing acknowledges or hands back a message."""
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=15)

    def stop(self):
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)


@pytest.fixture
def worker(monkeypatch, settings, tmp_path):
    # The worker reads the uploads from the test's media folder (its environment is copied at start).
    monkeypatch.setenv("MEDIA_ROOT", str(settings.MEDIA_ROOT))
    celery_app.conf.CELERY_TASK_ALWAYS_EAGER = False
    with (tmp_path / "worker.log").open("ab") as log:
        w = Worker(f"crash-{os.getpid()}-{time.monotonic_ns()}", log)
        w.start()
        yield w
        w.stop()
    celery_app.conf.CELERY_TASK_ALWAYS_EAGER = True


@contextmanager
def _locked(lock_sql: str, params=()):
    """A lock taken from a connection of our own, held until the block ends."""
    with psycopg.connect(_database_url_for_test_db()) as holder:
        holder.execute(lock_sql, params)
        yield
        holder.rollback()


@contextmanager
def _day_held(day: dt.date):
    """A row of `day` in the KPI table, locked: the recompute computes the days before it, then waits
    inside that day's transaction (its delete of the day's rows). The row goes with the recompute."""
    DailyKpi.objects.create(date=day, dimension="company", key="", computed_at=timezone.now())
    with _locked("SELECT 1 FROM metrics_dailykpi WHERE date = %s FOR UPDATE", [day]):
        yield


def _wait_for_a_worker_waiting_on_a_lock(timeout: float = 60) -> None:
    """Until a worker's query waits for a lock the test holds: the worker is then surely inside its task."""
    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0]:
                return
            time.sleep(0.05)
    raise AssertionError("no worker query waited for the lock")


def _wait(condition, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError("timed out")


def _import_job() -> ImportJob:
    source = LeadSourceFactory(code="tele", name="电销", kind=LeadSource.Kind.TELESALES)
    lines = ["phone,name"] + [f"1380{n:07d},客户{n}" for n in range(IMPORT_ROWS)]
    data = ("\n".join(lines) + "\n").encode()
    return import_job_create(
        file=ContentFile(data, name="leads.csv"), file_name="leads.csv", source=source, dispatch=False
    )


def _kpi_events() -> None:
    StaffFactory(user__username="amy")
    events = []
    for n in range(300):
        day = DAYS[n % 30]
        phone = f"1390000{n:04d}"
        at = f"{day.isoformat()}T10:00:00+08:00"
        events.append({"id": f"r{n}", "type": "friend_request_sent", "at": at, "phone": phone, "staff": "amy"})
        if n % 3:
            events.append(
                {"id": f"a{n}", "type": "friend_added", "at": at.replace("T10", "T11"), "phone": phone, "staff": "amy"}
            )
        if n % 5 == 0:
            events.append(
                {"id": f"g{n}", "type": "group_joined", "at": at.replace("T10", "T12"), "phone": phone, "group": "g1"}
            )
    assert events_ingest(events=events).errors == []


def _kpi_snapshot() -> list[tuple]:
    fields = [f.name for f in DailyKpi._meta.fields if f.name not in ("id", "computed_at")]
    return list(DailyKpi.objects.order_by("date", "dimension", "key").values_list(*fields))


def _uninterrupted_kpis() -> list[tuple]:
    for day in DAYS:
        kpis_compute_day(day=day)
    snapshot = _kpi_snapshot()
    DailyKpi.objects.all().delete()
    return snapshot


def _send_recompute(queue: str) -> None:
    group(compute_daily_kpis.s(day.isoformat()) for day in DAYS).apply_async(queue=queue)


def _import_killed_while_waiting(worker, *, kill) -> tuple[ImportJob, dt.datetime]:
    """Start the import and `kill` (the pool child, or the whole worker) while it waits for its job
    row, which the test holds; returns the job and when its first run started."""
    job = _import_job()
    import_run.apply_async(args=[job.pk], queue=worker.queue)
    _wait(lambda: ImportJob.objects.get(pk=job.pk).status == ImportJob.Status.RUNNING)
    first_start = ImportJob.objects.get(pk=job.pk).started_at
    with _locked("SELECT 1 FROM customers_importjob WHERE id = %s FOR UPDATE", [job.pk]):
        _wait_for_a_worker_waiting_on_a_lock()
        kill()
    return job, first_start


def _assert_imported_by_a_second_run(job: ImportJob, first_start: dt.datetime) -> None:
    _wait(lambda: ImportJob.objects.get(pk=job.pk).status == ImportJob.Status.DONE)
    job.refresh_from_db()
    assert job.error == ""
    assert job.started_at > first_start  # it really ran a second time
    assert (job.total_rows, job.created, job.duplicates, job.invalid) == (IMPORT_ROWS, IMPORT_ROWS, 0, 0)
    assert Customer.objects.count() == IMPORT_ROWS + 300


def test_killed_pool_child_mid_import_and_mid_recompute(worker):
    """The pool child SIGKILLed inside the import and then inside the recompute; the worker's main
    process sees it die, the task is rejected back to the queue and a new child runs it. Each kill
    lands while the task waits for a lock the test holds (see the next test)."""
    _kpi_events()
    expected_kpis = _uninterrupted_kpis()
    job, first_start = _import_killed_while_waiting(worker, kill=worker.kill_child)
    _assert_imported_by_a_second_run(job, first_start)

    with _day_held(DAYS[10]):
        _send_recompute(worker.queue)
        _wait_for_a_worker_waiting_on_a_lock()
        worker.kill_child()
    _wait(lambda: DailyKpi.objects.values("date").distinct().count() == 30 and _kpi_snapshot() == expected_kpis)


def test_killed_worker_mid_import_and_mid_recompute(worker):
    """The whole worker (main process and pool child) SIGKILLed, first inside the import, then inside
    the recompute: what it held comes back only through its leases lapsing (5 s here), and the
    restarted worker runs it.

    Each kill lands while the task waits for a lock the test holds, so it cannot miss: the import's
    job row, which its first progress update (after the first 100,000 of its 300,000 rows, inside
    the import's one transaction) waits for; then a row of the eleventh day, which that day's
    recompute waits for, inside its own transaction, ten days done.
    """
    _kpi_events()
    expected_kpis = _uninterrupted_kpis()
    job, first_start = _import_killed_while_waiting(worker, kill=worker.kill_all)
    killed_at = time.monotonic()
    assert ImportJob.objects.get(pk=job.pk).status == ImportJob.Status.RUNNING

    worker.start()
    _assert_imported_by_a_second_run(job, first_start)
    assert time.monotonic() - killed_at < 90

    with _day_held(DAYS[10]):
        _send_recompute(worker.queue)
        _wait_for_a_worker_waiting_on_a_lock()
        worker.kill_all()
    killed_at = time.monotonic()
    assert DailyKpi.objects.values("date").distinct().count() < 30
    worker.start()
    _wait(lambda: DailyKpi.objects.values("date").distinct().count() == 30 and _kpi_snapshot() == expected_kpis)
    assert time.monotonic() - killed_at < 90


@pytest.mark.django_db
def test_sweeper_requeues_imports_without_a_heartbeat(django_capture_on_commit_callbacks):
    source = LeadSourceFactory(code="tele", name="电销", kind=LeadSource.Kind.TELESALES)
    job = import_job_create(
        file=ContentFile(b"phone\n13800000001\n13800000002\n", name="a.csv"),
        file_name="a.csv",
        source=source,
        dispatch=False,
    )
    now = timezone.now()
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJob.Status.RUNNING, progress=53, heartbeat_at=now - dt.timedelta(minutes=11)
    )
    fresh = import_job_create(
        file=ContentFile(b"phone\n13800000003\n", name="b.csv"), file_name="b.csv", source=source, dispatch=False
    )
    ImportJob.objects.filter(pk=fresh.pk).update(
        status=ImportJob.Status.RUNNING, heartbeat_at=now - dt.timedelta(minutes=2)
    )

    with django_capture_on_commit_callbacks(execute=True):
        assert import_jobs_requeue_stale(stale_minutes=10) == [job.pk]
    job.refresh_from_db()
    assert (job.status, job.created) == (ImportJob.Status.DONE, 2)
    assert ImportJob.objects.get(pk=fresh.pk).status == ImportJob.Status.RUNNING

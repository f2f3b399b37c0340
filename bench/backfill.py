"""Benchmark: a 90-day KPI backfill fanned out by day on 1 and 2 Celery workers, and one day's KPIs
on a monthly-partitioned event table against the plain one.

    .venv/bin/python bench/backfill.py [--events 6000000] [--customers 300000] [--database NAME] [--skip-backfill]

Creates a fresh database (`sitadmin_bench_backfill` on the server of `DATABASE_URL`), migrates it
and generates inside PostgreSQL (`INSERT … SELECT … FROM generate_series`): 100 staff in 10 teams,
`--customers` customers each owned from the first day, and `--events` events spread evenly over
the 180 days up to 2026-11-30 (per 100 events: 10 requests with script, 5 adds, 5 group joins, 1
leave, 1 deletion, 75 messages, 3 orders). Then, in the same run:

1. the backfill of the last 90 days: `compute_kpis_range`'s fan-out (one `compute_daily_kpis` task
   per day on Redis), with 1 worker and then 2 (each `celery worker -P solo`), wall time from the
   first task sent to the last result;
2. `kpis_compute_day` of 2026-11-20 three times on the plain `customers_event` and three times on a
   copy of it partitioned by month (declarative RANGE partitions on `at`, the same indexes; the
   engine is pointed at it with `search_path`), interleaved.
"""

import argparse
import os
import signal
import statistics
import subprocess
import sys
import time

from benchdb import ROOT, bench_database_url, django_setup
from eventgen import events_generate, history_start

BENCH_DB = "sitadmin_bench_backfill"
LAST_DAY = "2026-11-30"
SPAN_DAYS = 180
BACKFILL_DAYS = 90
MEASURED_DAY = "2026-11-20"


def generate(cursor, *, customers: int, events: int) -> None:
    from customers.privacy.crypto import phones_encrypt, phones_index, phones_last4_index

    cursor.execute("SELECT id FROM staff_staff WHERE role = 'operator' ORDER BY id")
    staff = [row[0] for row in cursor.fetchall()]
    cursor.execute("SELECT array_agg(id ORDER BY id) FROM customers_leadsource")
    sources = cursor.fetchone()[0]
    start = history_start(last_day=LAST_DAY, span_days=SPAN_DAYS)
    cursor.execute(f"SELECT {start}")  # noqa: S608 (constants of this module)
    (created,) = cursor.fetchone()
    # Phones are stored encrypted, with their blind index and last-four index beside them.
    phones = [str(13000000000 + g) for g in range(customers)]
    columns = zip(phones_encrypt(phones), phones_index(phones), phones_last4_index(phones), strict=True)
    with cursor.connection.cursor().copy(
        "COPY customers_customer (phone_encrypted, phone_index, phone_last4, name, remark, source_id, stage,"
        " created_at, updated_at) FROM STDIN"
    ) as copy:
        for g, (encrypted, index, last4) in enumerate(columns):
            copy.write_row((encrypted, index, last4, "", "", sources[g % len(sources)], "lead", created, created))
    cursor.execute("SELECT MIN(id) FROM customers_customer")
    first_customer = cursor.fetchone()[0]
    cursor.execute(
        "INSERT INTO customers_ownershipperiod (customer_id, staff_id, started_at, cause)"
        f" SELECT id, (%s::bigint[])[1 + id %% %s], {start}, 'event' FROM customers_customer",  # noqa: S608
        [staff, len(staff)],
    )
    span = {"last_day": LAST_DAY, "span_days": SPAN_DAYS}
    events_generate(cursor, first_customer=first_customer, customers=customers, events=events, **span)
    cursor.execute("VACUUM ANALYZE")


def partitioned_copy(cursor) -> float:
    """`bench_part.customers_event`: the events again, partitioned by month; seconds to build it."""
    started = time.monotonic()
    cursor.execute("DROP SCHEMA IF EXISTS bench_part CASCADE")
    cursor.execute("CREATE SCHEMA bench_part")
    cursor.execute(
        "CREATE TABLE bench_part.customers_event (LIKE public.customers_event INCLUDING DEFAULTS)"
        " PARTITION BY RANGE (at)"
    )
    cursor.execute("SELECT date_trunc('month', MIN(at)), date_trunc('month', MAX(at)) FROM customers_event")
    first, last = cursor.fetchone()
    cursor.execute(
        "SELECT m, m + INTERVAL '1 month' FROM generate_series(%s::timestamptz, %s::timestamptz, '1 month') m",
        [first, last],
    )
    for low, high in cursor.fetchall():
        name = f"customers_event_{low:%Y_%m}"
        cursor.execute(
            f"CREATE TABLE bench_part.{name} PARTITION OF bench_part.customers_event"  # noqa: S608
            " FOR VALUES FROM (%s) TO (%s)",
            [low, high],
        )
    cursor.execute("INSERT INTO bench_part.customers_event SELECT * FROM public.customers_event")
    # The same indexes; a unique index must include the partition key, so the primary key is (id, at)
    # and client_id is unique per (client_id, at) only.
    cursor.execute("ALTER TABLE bench_part.customers_event ADD PRIMARY KEY (id, at)")
    cursor.execute(
        "SELECT pg_get_indexdef(i.oid) FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid"
        " WHERE x.indrelid = 'public.customers_event'::regclass AND NOT x.indisprimary AND NOT x.indisunique"
    )
    for (definition,) in cursor.fetchall():
        on_table = definition.replace(" ON public.customers_event ", " ON bench_part.customers_event ")
        cursor.execute(on_table.replace("CREATE INDEX ", "CREATE INDEX bp_", 1))
    cursor.execute("ANALYZE bench_part.customers_event")
    return time.monotonic() - started


def backfill(*, workers: int, database_url: str, queue: str) -> float:
    """Seconds for the 90-day fan-out with `workers` Celery workers (solo pool each)."""
    from celery import group
    from django.conf import settings

    from metrics.tasks import compute_daily_kpis
    from sitadmin.celery import app

    env = {**os.environ, "DATABASE_URL": database_url, "CELERY_TASK_ALWAYS_EAGER": "false", "LOG_LEVEL": "WARNING"}
    procs = [
        subprocess.Popen(  # noqa: S603 (our own virtualenv's celery)
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "sitadmin",
                "worker",
                "-P",
                "solo",
                "-Q",
                queue,
                "-n",
                f"bench{n}-{os.getpid()}@%h",
                "-l",
                "warning",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
        )
        for n in range(workers)
    ]
    try:
        deadline = time.monotonic() + 60
        while len(app.control.ping(timeout=1.0) or []) < workers:
            if time.monotonic() > deadline:
                raise RuntimeError("workers did not answer")
        import datetime as dt

        last = dt.date.fromisoformat(LAST_DAY)
        days = [last - dt.timedelta(days=n) for n in range(BACKFILL_DAYS)]
        started = time.monotonic()
        result = group(compute_daily_kpis.s(day.isoformat()) for day in days).apply_async(queue=queue)
        result.get(timeout=1800)
        assert settings.REDIS_URL
        return time.monotonic() - started
    finally:
        for proc in procs:
            proc.send_signal(signal.SIGTERM)
        for proc in procs:
            proc.wait(timeout=60)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=6_000_000)
    parser.add_argument("--customers", type=int, default=300_000)
    parser.add_argument("--database", default=BENCH_DB)
    parser.add_argument("--skip-backfill", action="store_true", help="only the day on the two table layouts")
    parser.add_argument("--measure-day", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure_day:
        measure_day(args.database)
        return
    if not os.environ.get("REDIS_URL"):
        sys.exit("REDIS_URL must name a Redis database for the Celery workers")

    database_url = bench_database_url(args.database, fresh=True)
    os.environ["CELERY_TASK_ALWAYS_EAGER"] = "false"
    django_setup(database_url=database_url)
    import datetime as dt

    from django.core.management import call_command
    from django.db import connection

    from campaigns.models import Group, Script
    from customers.models import LeadSource
    from staff.models import Team
    from tests.staff.factories import StaffFactory

    call_command("migrate", verbosity=0)
    teams = [Team.objects.create(code=f"t{i:02d}", name=f"{i}组") for i in range(10)]
    for i in range(100):
        StaffFactory(user__username=f"op{i:03d}", team=teams[i % 10], joined_on=dt.date(2025, 1, 1))
    for code in ("tele", "shop", "ads", "intercept"):
        LeadSource.objects.create(code=code, name=code, kind="telesales")
    Script.objects.bulk_create(Script(code=f"s{i}", name=f"s{i}") for i in range(10))
    Group.objects.bulk_create(Group(code=f"g{i:02d}", name=f"g{i}") for i in range(50))
    started = time.monotonic()
    with connection.cursor() as cursor:
        generate(cursor, customers=args.customers, events=args.events)
    print(
        f"generated {args.customers:,} customers and {args.events:,} events over {SPAN_DAYS} days "
        f"in {time.monotonic() - started:.0f} s"
    )
    connection.close()

    if not args.skip_backfill:
        queue = f"bench-backfill-{os.getpid()}"
        one = backfill(workers=1, database_url=database_url, queue=queue)
        print(f"backfill of {BACKFILL_DAYS} days, 1 worker:  {one:6.1f} s ({one / BACKFILL_DAYS:.2f} s/day)")
        two = backfill(workers=2, database_url=database_url, queue=queue)
        print(
            f"backfill of {BACKFILL_DAYS} days, 2 workers: {two:6.1f} s ({two / BACKFILL_DAYS:.2f} s/day), "
            f"{one / two:.2f}x the single worker"
        )

    with connection.cursor() as cursor:
        built = partitioned_copy(cursor)
        cursor.execute("SELECT COUNT(*) FROM pg_inherits WHERE inhparent = 'bench_part.customers_event'::regclass")
        (partitions,) = cursor.fetchone()
    print(f"partitioned copy: {partitions} monthly partitions, built in {built:.0f} s")
    connection.close()
    runs: dict[str, list[float]] = {"plain": [], "partitioned": []}
    for _ in range(3):
        for layout, path in (("plain", "public"), ("partitioned", "bench_part,public")):
            # Every connection of the engine (it runs statements side by side) reads the layout's table.
            env = {**os.environ, "DATABASE_URL": database_url, "PGOPTIONS": f"-c search_path={path}"}
            done = subprocess.run(  # noqa: S603 (this script)
                [sys.executable, __file__, "--measure-day", "--database", args.database],
                cwd=ROOT,
                env=env,
                capture_output=True,
                text=True,
                check=True,
            )
            runs[layout].append(float(done.stdout.split()[0]))
            rows = done.stdout.split()[1]
    for layout, times in runs.items():
        print(
            f"{MEASURED_DAY} on the {layout} table: median {statistics.median(times):.2f} s "
            f"({', '.join(f'{t:.2f}' for t in times)}; {rows} rows)"
        )


def measure_day(database: str) -> None:
    """One `kpis_compute_day` of the measured day; prints its seconds and rows."""
    import datetime as dt

    django_setup(database_url=bench_database_url(database, fresh=False))
    from metrics.engine.compute import kpis_compute_day

    started = time.monotonic()
    rows = kpis_compute_day(day=dt.date.fromisoformat(MEASURED_DAY))
    print(f"{time.monotonic() - started:.3f} {rows}")


if __name__ == "__main__":
    main()

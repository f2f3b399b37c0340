"""Benchmark: the KPI engine on one heavy day, and the summary API over a year of rows.

Creates a fresh database `sitadmin_bench_kpis` on the server of `DATABASE_URL` (default
postgres://postgres@127.0.0.1:5432/sitadmin), migrates it and loads with COPY: 100 staff in 10
teams, 1,000,000 customers, 60 days of history (about 3.7 million events, 1,000,000 of them group
messages in the six days before: the week `speakers_7d` reads) and 2,000,000 events on the measured
day 2026-11-02. It then times:

- the engine computing that day, every dimension, rows written (target ≤ 10 s);
- one hand-written SQL statement computing the org fan_rate of that day (the engine's time is
  reported as a multiple of it);
- GET /api/v1/kpis/summary/ (dimension staff, a year) over 365 days × 100 staff of daily rows:
  median latency of 50 calls (target ≤ 50 ms).

    .venv/bin/python bench/kpis.py            # generate and measure
    .venv/bin/python bench/kpis.py --reuse    # measure again on the data already loaded
"""

import datetime as dt
import io
import random
import statistics
import sys
import time

from benchdb import bench_database_url, django_setup
from psycopg import sql

BENCH_DB = "sitadmin_bench_kpis"
DAY = dt.date(2026, 11, 2)
HISTORY_DAYS = 60
CUSTOMERS = 1_000_000
DAY_EVENTS = 2_000_000
STAFF = 100
TEAMS = 10
SCRIPTS = 10
GROUPS = 50
SOURCES = ("tele", "shop", "ads", "intercept")
SUMMARY_CALLS = 50
WEEK_GROUP_MESSAGES = 1_000_000
RUNS = 3


class _Events:
    """Event rows in COPY text format, with a running client id."""

    def __init__(self) -> None:
        self.buffer = io.StringIO()
        self.count = 0

    def add(self, kind, at, customer, *, staff="\\N", script="\\N", group="\\N", direction="", amount="\\N", order=""):
        self.count += 1
        self.buffer.write(
            f"e{self.count:09d}\t{kind}\t{at}\t{customer}\t{staff}\t{script}\t{group}\t{direction}\t\t"
            f"{amount}\t{order}\t\\N\t{at}\n"
        )


def _time(day_index: int, rng: random.Random) -> str:
    """A random time on DAY - day_index (0 = the measured day), Shanghai offset."""
    day = DAY - dt.timedelta(days=day_index)
    return f"{day.isoformat()} {rng.randrange(24):02d}:{rng.randrange(60):02d}:{rng.randrange(60):02d}+08"


def _generate(cursor, ids: dict) -> tuple[int, int]:
    rng = random.Random(20261102)
    staff_ids, script_ids, group_ids, source_ids = ids["staff"], ids["scripts"], ids["groups"], ids["sources"]
    first_customer = ids["first_customer"]

    from customers.privacy.crypto import phones_encrypt, phones_index, phones_last4_index

    customers = io.StringIO()
    phones = [str(13600000000 + n) for n in range(CUSTOMERS)]
    stored = zip(phones_encrypt(phones), phones_index(phones), phones_last4_index(phones), strict=True)
    for encrypted, index, last4 in stored:
        created = _time(HISTORY_DAYS, rng)
        customers.write(
            f"{encrypted}\t{index}\t{last4}\t\\N\t\t\t{rng.choice(source_ids)}\t\\N\tlead\t{created}\t{created}\n"
        )
    with cursor.copy(
        "COPY customers_customer (phone_encrypted, phone_index, phone_last4, external_id, name, remark, source_id,"
        " owner_id, stage, created_at, updated_at) FROM STDIN"
    ) as copy:
        copy.write(customers.getvalue())

    events = _Events()
    owners = io.StringIO()
    history_requesters = int(CUSTOMERS * 0.9)
    not_yet_added = []
    fans = []
    for n in range(history_requesters):
        customer = first_customer + n
        staff = rng.choice(staff_ids)
        request_day = rng.randrange(1, HISTORY_DAYS + 1)
        events.add("friend_request_sent", _time(request_day, rng), customer, staff=staff, script=rng.choice(script_ids))
        add_day = request_day - rng.randrange(0, 6)
        if rng.random() < 0.6 and add_day >= 1:
            at = _time(add_day, rng)
            events.add("friend_added", at, customer, staff=staff)
            owners.write(f"{customer}\t{staff}\t{at}\t\\N\tevent\t\\N\n")
            fans.append(customer)
            if rng.random() < 0.4:
                group = rng.choice(group_ids)
                events.add("group_joined", _time(max(add_day - 1, 1), rng), customer, group=group)
                if rng.random() < 0.1:
                    events.add("group_left", _time(1, rng), customer, group=group)
            if rng.random() < 0.05:
                events.add("friend_deleted", _time(1, rng), customer, staff=staff)
        else:
            not_yet_added.append((customer, staff))
    for _ in range(1_000_000):
        customer = rng.choice(fans)
        events.add("message", _time(rng.randrange(1, HISTORY_DAYS + 1), rng), customer, direction=rng.choice("io"))
    for _ in range(WEEK_GROUP_MESSAGES):  # group talk in the six days before: what speakers_7d reads besides D's
        group = rng.choice(group_ids)
        events.add("message", _time(rng.randrange(1, 7), rng), rng.choice(fans), group=group, direction="in")
    for n in range(50_000):
        events.add(
            "order", _time(rng.randrange(1, HISTORY_DAYS + 1), rng), rng.choice(fans), amount="99.00", order=f"H{n}"
        )
    history = events.count

    # The measured day: 2,000,000 events.
    for n in range(history_requesters, CUSTOMERS):  # 100,000 first requests, 40% added the same day
        customer, staff = first_customer + n, rng.choice(staff_ids)
        events.add(
            "friend_request_sent",
            f"{DAY.isoformat()} 0{rng.randrange(10)}:{rng.randrange(60):02d}:00+08",
            customer,
            staff=staff,
            script=rng.choice(script_ids),
        )
        if rng.random() < 0.4:
            at = f"{DAY.isoformat()} 1{rng.randrange(10)}:{rng.randrange(60):02d}:00+08"
            events.add("friend_added", at, customer, staff=staff)
            owners.write(f"{customer}\t{staff}\t{at}\t\\N\tevent\t\\N\n")
            fans.append(customer)
    for _ in range(50_000):  # second requests
        customer, staff = rng.choice(not_yet_added)
        events.add("friend_request_sent", _time(0, rng), customer, staff=staff, script=rng.choice(script_ids))
    for customer, staff in rng.sample(not_yet_added, 150_000):  # first adds
        at = _time(0, rng)
        events.add("friend_added", at, customer, staff=staff)
        owners.write(f"{customer}\t{staff}\t{at}\t\\N\tevent\t\\N\n")
        fans.append(customer)
    for _ in range(80_000):
        events.add("group_joined", _time(0, rng), rng.choice(fans), group=rng.choice(group_ids))
    for _ in range(20_000):
        events.add("group_left", _time(0, rng), rng.choice(fans), group=rng.choice(group_ids))
    for _ in range(20_000):
        events.add("friend_deleted", _time(0, rng), rng.choice(fans), staff=rng.choice(staff_ids))
    for n in range(30_000):
        events.add("order", _time(0, rng), rng.choice(fans), amount="129.90", order=f"D{n}")
    talkers = rng.sample(fans, 300_000)
    while events.count - history < DAY_EVENTS:
        customer = rng.choice(talkers)
        group = rng.choice(group_ids) if rng.random() < 0.3 else "\\N"
        events.add("message", _time(0, rng), customer, group=group, direction=rng.choice(("in", "in", "out")))

    # Loading without the secondary indexes and building them afterwards is much faster than COPY into them.
    cursor.execute(
        "SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid"
        " WHERE x.indrelid = 'customers_event'::regclass AND NOT x.indisprimary AND NOT x.indisunique"
    )
    indexes = cursor.fetchall()
    for name, _definition in indexes:
        cursor.execute(sql.SQL("DROP INDEX IF EXISTS {}").format(sql.Identifier(name)))
    with cursor.copy(
        "COPY customers_event (client_id, type, at, customer_id, staff_id, script_id, group_id, direction, text,"
        " amount, order_no, source_id, received_at) FROM STDIN"
    ) as copy:
        copy.write(events.buffer.getvalue())
    for _name, definition in indexes:
        cursor.execute(definition)
    with cursor.copy(
        "COPY customers_ownershipperiod (customer_id, staff_id, started_at, ended_at, cause, changed_by_id) FROM STDIN"
    ) as copy:
        copy.write(owners.getvalue())
    return history, events.count - history


def _kpi_year(cursor, usernames: list[str]) -> int:
    """365 days × 100 staff of daily KPI rows for the summary API (columns named from the catalogue)."""
    from metrics.catalog import ALL_METRICS  # once Django is set up

    rows = io.StringIO()
    rng = random.Random(7)
    count = 0
    for offset in range(365):
        day = (DAY - dt.timedelta(days=offset)).isoformat()
        for username in usernames:
            requests = rng.randrange(50, 200)
            converted = rng.randrange(0, requests)
            d0 = converted // 3
            metrics = {
                "requests": requests, "requests_converted": converted, "new_fans": 40, "new_fans_grouped": 10,
                "fans_total": 900, "group_members": 300, "active_customers": 60, "speakers": 20, "lost": 2,
                "chats": 80, "chats_replied": 70, "orders": 5, "revenue": "650.00", "buyers": 4, "headcount": 1,
                "joins": "\\N", "leaves": "\\N", "requests_converted_d0": d0, "new_fans_grouped_d0": 4,
                "speakers_7d": 55, "fan_rate": converted / requests, "group_join_rate": 0.25,
                "activity_rate": 60 / 900, "speaking_rate": 20 / 300, "reply_rate": 70 / 80,
                "first_reply_minutes": 12.5, "revenue_per_head": 650.0, "fans_per_head": 900.0,
                "fan_rate_d0": d0 / requests, "group_join_rate_d0": 0.1, "speaking_rate_7d": 55 / 300,
            }  # fmt: skip
            values = [metrics[name] for name in ALL_METRICS]
            rows.write("\t".join([day, "staff", username, *map(str, values), f"{day} 03:00+08"]))
            rows.write("\n")
            count += 1
    columns = sql.SQL(", ").join(map(sql.Identifier, ("date", "dimension", "key", *ALL_METRICS, "computed_at")))
    with cursor.copy(sql.SQL("COPY metrics_dailykpi ({}) FROM STDIN").format(columns)) as copy:
        copy.write(rows.getvalue())
    return count


HANDWRITTEN_FAN_RATE = """
SELECT COUNT(*) AS requests,
       COUNT(*) FILTER (WHERE EXISTS (
           SELECT 1 FROM customers_event a
           WHERE a.customer_id = r.customer_id AND a.type = 'friend_added'
             AND a.at >= r.at AND a.at < %(window_end)s)) AS converted
FROM (
    SELECT DISTINCT ON (e.customer_id) e.customer_id, e.at
    FROM customers_event e
    WHERE e.type = 'friend_request_sent' AND e.at >= %(start)s AND e.at < %(end)s
    ORDER BY e.customer_id, e.at, e.client_id
) r
WHERE NOT EXISTS (
    SELECT 1 FROM customers_event p
    WHERE p.customer_id = r.customer_id AND p.type = 'friend_request_sent' AND p.at < %(start)s
)
"""


def main() -> None:
    reuse = "--reuse" in sys.argv
    django_setup(database_url=bench_database_url(BENCH_DB, fresh=not reuse))
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from rest_framework.test import APIClient

    from campaigns.models import Group, Script
    from customers.models import Customer, LeadSource
    from metrics.engine.compute import kpis_compute_day
    from metrics.models import DailyKpi
    from sitadmin.dates import day_bounds
    from staff.models import Staff, Team
    from tests.staff.factories import StaffFactory

    if not reuse:
        call_command("migrate", verbosity=0)
        teams = [Team.objects.create(code=f"t{i:02d}", name=f"{i}组") for i in range(TEAMS)]
        staff = [
            StaffFactory(user__username=f"op{i:03d}", team=teams[i % TEAMS], joined_on=dt.date(2025, 1, 1))
            for i in range(STAFF)
        ]
        StaffFactory(user__username="bench-manager", role=Staff.Role.MANAGER, team=None)
        ids = {
            "staff": [s.pk for s in staff],
            "scripts": [Script.objects.create(code=f"s{i}", name=f"s{i}").pk for i in range(SCRIPTS)],
            "groups": [Group.objects.create(code=f"g{i:02d}", name=f"g{i}").pk for i in range(GROUPS)],
            "sources": [LeadSource.objects.create(code=c, name=c, kind="telesales").pk for c in SOURCES],
        }
        started = time.monotonic()
        with connection.cursor() as cursor:
            cursor.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM customers_customer")
            ids["first_customer"] = cursor.fetchone()[0]
            history, day_events = _generate(cursor.connection.cursor(), ids)
            _kpi_year(cursor.connection.cursor(), [f"op{i:03d}" for i in range(STAFF)])
            cursor.execute("ANALYZE")
        print(
            f"loaded {Customer.objects.count():,} customers, {history:,} history events, {day_events:,} events on "
            f"{DAY} in {time.monotonic() - started:.0f} s"
        )

    with connection.cursor() as cursor:
        # A freshly loaded table has no visibility map or hint bits yet; production tables are vacuumed.
        cursor.execute("VACUUM ANALYZE")
    start, end = day_bounds(DAY)
    _, window_end = day_bounds(DAY, days=settings.KPI_COHORT_DAYS)
    handwritten_runs = []
    with connection.cursor() as cursor:
        for _ in range(RUNS):
            started = time.monotonic()
            cursor.execute(HANDWRITTEN_FAN_RATE, {"start": start, "end": end, "window_end": window_end})
            requests, converted = cursor.fetchone()
            handwritten_runs.append(time.monotonic() - started)
    handwritten = statistics.median(handwritten_runs)
    print(
        f"hand-written fan_rate statement: median {handwritten:.2f} s of {RUNS} "
        f"(requests {requests:,}, converted {converted:,})"
    )

    engine_runs = []
    for _ in range(RUNS):
        started = time.monotonic()
        rows = kpis_compute_day(day=DAY)
        engine_runs.append(time.monotonic() - started)
    engine = statistics.median(engine_runs)
    org = DailyKpi.objects.get(date=DAY, dimension="org", key="")
    assert (org.requests, org.requests_converted) == (requests, converted)
    print(f"org speakers {org.speakers:,}, speakers_7d {org.speakers_7d:,}")
    print(
        f"engine, one day, all dimensions: median {engine:.2f} s of {RUNS} "
        f"({', '.join(f'{t:.2f}' for t in engine_runs)}; {rows} rows; "
        f"{engine / handwritten:.1f}× the fan_rate statement)"
    )

    client = APIClient()
    client.force_authenticate(Staff.objects.get(user__username="bench-manager").user)
    params = {"dimension": "staff", "date_from": (DAY - dt.timedelta(days=364)).isoformat(), "date_to": DAY.isoformat()}
    latencies = []
    for _ in range(SUMMARY_CALLS):
        started = time.monotonic()
        response = client.get("/api/v1/kpis/summary/", params)
        latencies.append((time.monotonic() - started) * 1000)
        assert response.status_code == 200 and response.json()["count"] >= STAFF
    print(
        f"GET /api/v1/kpis/summary/ (100 staff × 365 days): median {statistics.median(latencies):.1f} ms, "
        f"p95 {sorted(latencies)[int(SUMMARY_CALLS * 0.95) - 1]:.1f} ms"
    )


if __name__ == "__main__":
    main()

"""Benchmark: the overview page over a year of daily KPI rows for 100 staff.

Creates a fresh database `sitadmin_bench_dashboard` on the server of `DATABASE_URL` (default
postgres://postgres@127.0.0.1:5432/sitadmin), migrates it and loads with COPY 365 days of KPI rows
for the company, 10 teams, 100 staff, 4 lead sources, 10 scripts and 50 groups (about 64,000
rows). It then times GET /dashboard/ as a manager (server time, measured in-process with
Django's test client) for three views (targets: ≤ 300 ms and ≤ 20 queries):

- the default page (yesterday, breakdown by team);
- the last 30 days broken down by staff (100 rows);
- the whole year broken down by staff.

    .venv/bin/python bench/dashboard.py            # generate and measure
    .venv/bin/python bench/dashboard.py --reuse    # measure again on the data already loaded
"""

import datetime as dt
import io
import random
import statistics
import sys
import time

from benchdb import bench_database_url, django_setup
from psycopg import sql

BENCH_DB = "sitadmin_bench_dashboard"
DAYS = 365
STAFF = 100
TEAMS = 10
SOURCES = ("tele", "shop", "ads", "intercept")
SCRIPTS = 10
GROUPS = 50
CALLS = 30


# The daily KPI columns in the order the rows below are built (COPY names them, so the table's own
# column order, the metric catalogue's, does not matter).
_ROW_COUNTS = (
    "requests", "requests_converted", "new_fans", "new_fans_grouped", "fans_total", "group_members",
    "active_customers", "speakers", "lost", "chats", "chats_replied", "orders", "revenue", "buyers", "headcount",
    "joins", "leaves", "requests_converted_d0", "new_fans_grouped_d0", "speakers_7d",
)  # fmt: skip
_ROW_RATES = (
    "fan_rate", "group_join_rate", "activity_rate", "speaking_rate", "reply_rate", "first_reply_minutes",
    "revenue_per_head", "fans_per_head", "fan_rate_d0", "group_join_rate_d0", "speaking_rate_7d",
)  # fmt: skip


def _kpi_columns() -> sql.Composable:
    """The daily KPI table's columns in the order the rows below are built."""
    from metrics.models import COUNT_METRICS, RATE_METRICS  # once Django is set up

    assert set(_ROW_COUNTS) == set(COUNT_METRICS) and set(_ROW_RATES) == set(RATE_METRICS), "bench rows out of date"
    names = ("date", "dimension", "key", *_ROW_COUNTS, *_ROW_RATES, "computed_at")
    return sql.SQL(", ").join(map(sql.Identifier, names))


def _people_row(rng: random.Random, day: str, dimension: str, key: str, scale: int, headcount) -> list:
    """A day of people metrics (org/team/staff/source), consistent rates included."""
    requests = rng.randrange(20, 60) * scale
    converted = rng.randrange(0, requests)
    new_fans, grouped = converted, rng.randrange(0, converted + 1)
    fans_total, active = 900 * scale, rng.randrange(50, 200) * scale
    chats = rng.randrange(40, 90) * scale
    replied = rng.randrange(0, chats + 1)
    revenue = rng.randrange(0, 2000) * scale
    null = "\\N"
    return [
        day,
        dimension,
        key,
        requests,
        converted,
        new_fans,
        grouped,
        fans_total,
        300 * scale,
        active,
        null,
        rng.randrange(0, 5),
        chats,
        replied,
        revenue // 300,
        f"{revenue}.00",
        revenue // 300,
        headcount if headcount is not None else null,
        null,
        null,
        converted // 3,
        grouped // 2,
        90 * scale,
        converted / requests,
        grouped / new_fans if new_fans else null,
        active / fans_total,
        null,
        replied / chats if chats else null,
        12.5,
        revenue / headcount if headcount else null,
        fans_total / headcount if headcount else null,
        (converted // 3) / requests,
        (grouped // 2) / new_fans if new_fans else null,
        90 / 300,
        f"{day} 03:00+08",
    ]


def _load(cursor, *, last_day: dt.date, usernames: list[str], team_codes: list[str]) -> int:
    rng = random.Random(11)
    buffer = io.StringIO()
    count = 0
    null = "\\N"
    for offset in range(DAYS):
        day = (last_day - dt.timedelta(days=offset)).isoformat()
        rows = [_people_row(rng, day, "org", "", STAFF, STAFF)]
        rows += [_people_row(rng, day, "team", code, STAFF // TEAMS, STAFF // TEAMS) for code in team_codes]
        rows += [_people_row(rng, day, "staff", name, 1, 1) for name in usernames]
        rows += [_people_row(rng, day, "source", code, STAFF // len(SOURCES), None) for code in SOURCES]
        for i in range(SCRIPTS):
            requests = rng.randrange(100, 400)
            converted = rng.randrange(0, requests)
            cohort = [requests, converted, converted, 0] + [null] * 13 + [converted // 3, 0, null]
            rates = [converted / requests, 0.0] + [null] * 6 + [(converted // 3) / requests, 0.0, null]
            rows.append([day, "script", f"s{i}", *cohort, *rates, f"{day} 03:00+08"])
        for i in range(GROUPS):
            members, speakers = rng.randrange(50, 400), rng.randrange(0, 30)
            group = [null] * 5 + [members, null, speakers] + [null] * 7 + [rng.randrange(0, 9), rng.randrange(0, 5)]
            group += [null, null, speakers * 3]
            rates = [null, null, null, speakers / members] + [null] * 4 + [null, null, speakers * 3 / members]
            rows.append([day, "group", f"g{i:02d}", *group, *rates, f"{day} 03:00+08"])
        for row in rows:
            buffer.write("\t".join(map(str, row)))
            buffer.write("\n")
        count += len(rows)
    with cursor.copy(sql.SQL("COPY metrics_dailykpi ({}) FROM STDIN").format(_kpi_columns())) as copy:
        copy.write(buffer.getvalue())
    with cursor.copy("COPY metrics_kpicomputation (date, computed_at, duration_ms, rows) FROM STDIN") as copy:
        for offset in range(DAYS):
            day = (last_day - dt.timedelta(days=offset)).isoformat()
            copy.write(f"{day}\t{day} 03:00+08\t0\t0\n")
    return count


def main() -> None:
    reuse = "--reuse" in sys.argv
    django_setup(database_url=bench_database_url(BENCH_DB, fresh=not reuse))
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from campaigns.models import Group, Script
    from customers.models import LeadSource
    from staff.models import Staff, Team
    from tests.staff.factories import StaffFactory

    yesterday = timezone.localdate() - dt.timedelta(days=1)
    if not reuse:
        call_command("migrate", verbosity=0)
        teams = [Team.objects.create(code=f"t{i:02d}", name=f"{i + 1}组") for i in range(TEAMS)]
        usernames = [f"op{i:03d}" for i in range(STAFF)]
        for i, username in enumerate(usernames):
            StaffFactory(user__username=username, team=teams[i % TEAMS])
        StaffFactory(user__username="bench-manager", role=Staff.Role.MANAGER, team=None)
        for code in SOURCES:
            LeadSource.objects.create(code=code, name=code, kind="telesales")
        Script.objects.bulk_create(Script(code=f"s{i}", name=f"话术{i}") for i in range(SCRIPTS))
        Group.objects.bulk_create(Group(code=f"g{i:02d}", name=f"群{i}") for i in range(GROUPS))
        started = time.monotonic()
        with connection.cursor() as cursor:
            rows = _load(
                cursor.connection.cursor(), last_day=yesterday, usernames=usernames, team_codes=[t.code for t in teams]
            )
            cursor.execute("ANALYZE")
        print(f"loaded {rows:,} daily KPI rows ({DAYS} days up to {yesterday}) in {time.monotonic() - started:.1f} s")

    client = Client()
    client.force_login(Staff.objects.get(user__username="bench-manager").user)
    views = {
        "default (yesterday, by team)": {},
        "30 days, by staff": {
            "date_from": (yesterday - dt.timedelta(days=29)).isoformat(),
            "date_to": yesterday.isoformat(),
            "by": "staff",
        },
        "365 days, by staff": {
            "date_from": (yesterday - dt.timedelta(days=DAYS - 1)).isoformat(),
            "date_to": yesterday.isoformat(),
            "by": "staff",
        },
    }
    for name, params in views.items():
        client.get("/dashboard/", params)  # warm caches and connections
        latencies = []
        for _ in range(CALLS):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get("/dashboard/", params)
                latencies.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200
        print(
            f"GET /dashboard/ {name}: median {statistics.median(latencies):.0f} ms, "
            f"max {max(latencies):.0f} ms, {len(queries)} queries"
        )


if __name__ == "__main__":
    main()

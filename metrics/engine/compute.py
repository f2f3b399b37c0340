"""The KPI engine: one day's rows of every dimension, computed set-based and replaced atomically.

`kpis_compute_day` runs four set-based statements (the cohorts; the friends and group members at
the end of the day; the day's messages, deletions, orders and group activity; the week's group
speakers), side by side on PostgreSQL, and small queries for headcount, turns their per-key sums
into `DailyKpi` rows, and replaces the day's rows in a single transaction: a crash leaves the old
rows or the new ones, never a mix. Staff count under their team on the day (team history).
"""

import datetime as dt
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Min
from django.utils import timezone
from tqdm import tqdm

from customers.models import Event
from metrics.cache import kpi_rows_version_forget
from metrics.catalog import ALL_METRICS, CENT, DIMENSION_METRICS, METRICS, ratio
from metrics.engine import sql as kpi_sql
from metrics.models import DailyKpi, Dimension, KpiComputation
from sitadmin.dates import day_bounds, kpi_days
from staff.models import Staff, Team
from staff.teams.selectors import staff_team_ids_on

# `speakers_7d` looks at D-6..D.
WEEK_DAYS = 7


def _params(day: dt.date) -> dict:
    start, end = day_bounds(day)
    _, window_end = day_bounds(day, days=settings.KPI_COHORT_DAYS)
    week_start, _ = day_bounds(day - dt.timedelta(days=WEEK_DAYS - 1))
    adapt = connection.ops.adapt_datetimefield_value
    return {
        "day": connection.ops.adapt_datefield_value(day),
        "start": adapt(start),
        "end": adapt(end),
        "window_end": adapt(window_end),
        "week_start": adapt(week_start),
        "threshold": settings.ACTIVE_MESSAGE_THRESHOLD,
    }


RATES = tuple(m for m in METRICS if m.is_rate)

# PostgreSQL: JIT compilation of these one-off statements costs more than it saves, and their
# hashes and sorts over a day's events need more than the default 4 MB of work memory.
POSTGRES_SESSION = ("SET LOCAL jit = off", "SET LOCAL work_mem = '256MB'")


def _fetch_all(statements: list[str], params: dict) -> list[tuple[list[tuple], tuple]]:
    """Run the family statements in one read transaction; returns (rows, metric column names) per statement.

    Every statement answers `(dimension, key, metric...)`: the metrics are read by their column names.
    """
    results = []
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for setting in POSTGRES_SESSION:
                cursor.execute(setting)
        for sql in statements:
            cursor.execute(sql, params)
            columns = tuple(column[0] for column in cursor.description[2:])
            results.append((cursor.fetchall(), columns))
    return results


def _fetch_in_thread(statement: str, params: dict) -> tuple[list[tuple], tuple]:
    try:
        return _fetch_all([statement], params)[0]
    finally:
        # Each thread has its own connection; close it rather than leave it to the server's timeout.
        connection.close()


def _fetch_family_results(statements: list[str], params: dict) -> list[tuple[list[tuple], tuple]]:
    """The family statements' results, in order.

    On PostgreSQL, outside a caller's transaction, the later statements run on their own connections
    while the first runs here: the statements are independent reads and the day's time is their
    longest one instead of their sum. Inside a transaction (rows the caller has not committed yet)
    and on SQLite, one connection runs them in turn.
    """
    if connection.vendor != "postgresql" or connection.in_atomic_block or len(statements) < 2:
        return _fetch_all(statements, params)
    with ThreadPoolExecutor(max_workers=len(statements) - 1) as pool:
        others = [pool.submit(_fetch_in_thread, statement, params) for statement in statements[1:]]
        first = _fetch_all(statements[:1], params)
        return first + [future.result() for future in others]


_TARGET = {"revenue_cents": "revenue"}


class _Rows:
    """The day's rows by (dimension, key), each starting at zero for what its dimension carries.

    `revenue_cents` and `reply_seconds` are working columns folded into `revenue` and
    `first_reply_minutes`.
    """

    def __init__(self) -> None:
        self.rows: dict[tuple[str, str], dict] = {}

    def get(self, dimension: str, key: str) -> dict:
        row = self.rows.get((dimension, key))
        if row is None:
            carried = DIMENSION_METRICS[dimension]
            row = {m: (0 if m in carried else None) for m in ALL_METRICS}
            if "revenue" in carried:
                row["revenue"] = Decimal("0.00")
            row["reply_seconds"] = 0.0
            self.rows[(dimension, key)] = row
        return row

    def add(self, result: list[tuple], columns: tuple[str, ...]) -> None:
        for dimension, key, *values in result:
            row = self.get(dimension, key or "")
            for column, value in zip(columns, values, strict=True):
                # Columns a statement returns for every dimension but the row does not carry stay null.
                if value is None or row[_TARGET.get(column, column)] is None:
                    continue
                if column == "revenue_cents":
                    row["revenue"] += (Decimal(int(value)) / 100).quantize(CENT)
                elif column == "reply_seconds":
                    row["reply_seconds"] += float(value)
                else:
                    row[column] += int(value)


def _headcount(rows: _Rows, day: dt.date) -> None:
    """Staff of every role on the payroll on `day`: org all, team its members on `day`, staff 1 or 0."""
    on_payroll = dict(
        Staff.objects.filter(joined_on__lte=day).exclude(left_on__lte=day).values_list("pk", "user__username")
    )
    team_ids = staff_team_ids_on(day=day, staff_ids=on_payroll)
    team_codes = dict(Team.objects.filter(pk__in={t for t in team_ids.values() if t}).values_list("pk", "code"))
    org = rows.get(Dimension.ORG, "")
    for staff_id, username in on_payroll.items():
        org["headcount"] += 1
        rows.get(Dimension.STAFF, username)["headcount"] += 1
        if team_ids.get(staff_id):
            rows.get(Dimension.TEAM, team_codes[team_ids[staff_id]])["headcount"] += 1


def _finish(row: dict) -> dict:
    """A day's rates, each its catalogue numerator over its denominator (null where the row lacks the rate)."""
    working = {"reply_seconds": row.pop("reply_seconds")}
    for metric in RATES:
        if row[metric.name] is not None:
            numerator = row[metric.numerator] if metric.numerator in row else working[metric.numerator]
            if metric.kind == "minutes":
                numerator = numerator / 60.0
            row[metric.name] = ratio(numerator, row[metric.denominator])
    return row


def kpis_rows_for_day(*, day: dt.date) -> list[dict]:
    """Every non-zero row of `day` (plus the org row), without writing anything."""
    params = _params(day)
    rows = _Rows()
    rows.get(Dimension.ORG, "")
    day_sql = kpi_sql.DAY_SQL.replace("{reply_seconds}", kpi_sql.REPLY_SECONDS[connection.vendor])
    statements = [kpi_sql.HELD_SQL, day_sql, kpi_sql.COHORT_SQL, kpi_sql.WEEK_SQL]
    for result, columns in _fetch_family_results(statements, params):
        rows.add(result, columns)
    _headcount(rows, day)
    result = []
    for (dimension, key), row in sorted(rows.rows.items()):
        has_value = any(row[m] for m in ALL_METRICS if row[m] is not None)
        if has_value or dimension == Dimension.ORG:
            result.append({"date": day, "dimension": dimension, "key": key, **_finish(row)})
    return result


def kpis_compute_day(*, day: dt.date) -> int:
    """Compute and store every KPI row of `day`, replacing its old rows in one transaction.

    Idempotent: the same events give the same rows however often it runs. Returns the row count.
    """
    started = time.monotonic()
    rows = kpis_rows_for_day(day=day)
    now = timezone.now()
    with transaction.atomic():
        DailyKpi.objects.filter(date=day).delete()
        DailyKpi.objects.bulk_create([DailyKpi(computed_at=now, **row) for row in rows], batch_size=2000)
        KpiComputation.objects.update_or_create(
            date=day,
            defaults={
                "computed_at": now,
                "duration_ms": int((time.monotonic() - started) * 1000),
                "rows": len(rows),
            },
        )
    kpi_rows_version_forget()
    return len(rows)


def kpis_compute_days(*, days: Sequence[dt.date], progress: bool = False) -> int:
    """Compute every one of `days` in turn, with a progress bar on stderr when `progress`. Returns rows."""
    rows = 0
    for day in tqdm(days, desc="KPI days", unit="day", disable=not (progress and days)):
        rows += kpis_compute_day(day=day)
    return rows


def kpi_recent_days(*, today: dt.date | None = None) -> list[dt.date]:
    """The last W complete days (today - W .. yesterday): the nightly recompute completes their cohorts."""
    today = today or timezone.localdate()
    return kpi_days(today - dt.timedelta(days=settings.KPI_COHORT_DAYS), today - dt.timedelta(days=1))


def kpi_missing_days(*, today: dt.date | None = None) -> list[dt.date]:
    """Days from the first event's day to yesterday never computed, plus the last W days."""
    today = today or timezone.localdate()
    first_at = Event.objects.aggregate(first=Min("at"))["first"]
    recent = set(kpi_recent_days(today=today))
    if first_at is None:
        return sorted(recent)
    first_day = timezone.localtime(first_at).date()
    every = kpi_days(first_day, today - dt.timedelta(days=1))
    computed = set(KpiComputation.objects.filter(date__gte=first_day, date__lt=today).values_list("date", flat=True))
    return sorted(recent | {d for d in every if d not in computed})

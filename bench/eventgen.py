"""An event history generated inside PostgreSQL (`INSERT … SELECT … FROM generate_series`), for the
benchmarks that need a table of realistic size and statistics (bench/backfill.py, bench/loadtest.py).

Per 100 events: 10 requests with script, 5 adds, 5 group joins, 1 leave, 1 deletion, 3 orders and
75 messages, spread evenly over `span_days` days up to `last_day`, over the customers with ids from
`first_customer` on; the staff are the operators, the scripts and groups those stored.
"""

import contextlib
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.db import DatabaseError, transaction

# Per 100 events, by g % 100: the type and which columns it carries.
_EVENT_TYPE = """CASE
  WHEN g %% 100 < 10 THEN 'friend_request_sent' WHEN g %% 100 < 15 THEN 'friend_added'
  WHEN g %% 100 < 20 THEN 'group_joined' WHEN g %% 100 = 20 THEN 'group_left'
  WHEN g %% 100 = 21 THEN 'friend_deleted' WHEN g %% 100 < 25 THEN 'order' ELSE 'message' END"""


def history_start(*, last_day: str, span_days: int) -> str:
    """SQL for the first moment of the history (`span_days` before the end of `last_day`, UTC+8)."""
    return f"TIMESTAMPTZ '{last_day} 23:59:59+08' - INTERVAL '{span_days} days'"


@contextmanager
def event_indexes_set_aside(cursor, *, built: Callable[[str, float], None] | None = None) -> Iterator[None]:
    """Drop the event table's secondary indexes for a bulk insert, and build them again after it: much
    faster than inserting into them row by row. `built(name, seconds)` is told of each index built."""
    cursor.execute(
        "SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid"
        " WHERE x.indrelid = 'customers_event'::regclass AND NOT x.indisprimary AND NOT x.indisunique"
    )
    indexes = cursor.fetchall()
    for name, _ in indexes:
        cursor.execute(f'DROP INDEX "{name}"')
    yield
    for name, definition in indexes:
        started = time.perf_counter()
        cursor.execute(definition)
        if built:
            built(name, time.perf_counter() - started)


def events_generate(cursor, *, first_customer: int, customers: int, events: int, last_day: str, span_days: int) -> None:
    """Insert `events` events (client ids `b0`, `b1`, …) with the indexes set aside, then analyse the table."""
    cursor.execute("SELECT id FROM staff_staff WHERE role = 'operator' ORDER BY id")
    staff = [row[0] for row in cursor.fetchall()]
    cursor.execute("SELECT MIN(id), COUNT(*) FROM campaigns_script")
    first_script, scripts = cursor.fetchone()
    cursor.execute("SELECT MIN(id), COUNT(*) FROM campaigns_group")
    first_group, groups = cursor.fetchone()
    start = history_start(last_day=last_day, span_days=span_days)
    # The rows name existing customers, staff, scripts and groups by construction. Their foreign-key
    # checks (five a row, queued in memory until the commit: 12 GB at 100M rows) are skipped where
    # the benchmark's role may (a superuser's `session_replication_role`).
    with contextlib.suppress(DatabaseError), transaction.atomic():
        cursor.execute("SET session_replication_role = replica")
    with event_indexes_set_aside(cursor):
        cursor.execute(
            "INSERT INTO customers_event (client_id, type, at, customer_id, staff_id, script_id, group_id, direction,"
            " text, amount, order_no, received_at)"
            f" SELECT 'b' || g, t, at, %s + (g * 7919) %% %s,"  # noqa: S608
            "  CASE WHEN t IN ('friend_request_sent', 'friend_added', 'friend_deleted')"
            "   THEN (%s::bigint[])[1 + g %% %s] END,"
            "  CASE WHEN t = 'friend_request_sent' THEN %s + g %% %s END,"
            "  CASE WHEN t IN ('group_joined', 'group_left') OR (t = 'message' AND g %% 3 = 0) THEN %s + g %% %s END,"
            "  CASE WHEN t = 'message' THEN (ARRAY['in', 'in', 'out'])[1 + g %% 3] ELSE '' END, '',"
            "  CASE WHEN t = 'order' THEN 99.00 END, CASE WHEN t = 'order' THEN 'o' || g ELSE '' END, at"
            f" FROM (SELECT g, {_EVENT_TYPE} AS t,"
            f"   {start} + (g::float8 / %s) * INTERVAL '{span_days} days' AS at"
            "  FROM generate_series(0::bigint, %s::bigint - 1) g) e",
            [first_customer, customers, staff, len(staff), first_script, scripts, first_group, groups, events, events],
        )
    cursor.execute("RESET session_replication_role")
    cursor.execute("VACUUM ANALYZE customers_event")

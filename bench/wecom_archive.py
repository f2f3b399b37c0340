"""Benchmark: importing WeCom's chat archive (JSON lines) on PostgreSQL, against plain event ingestion.

Creates a fresh database `sitadmin_bench_wecom` on the server of `DATABASE_URL` (default
postgres://postgres@127.0.0.1:5432/sitadmin), migrates it, seeds 20 staff with WeCom ids, and writes
an archive of `--messages` lines (default 100,000) over `--customers` external contacts (default
10,000): private messages both ways, group messages in 50 rooms, and 5% lines that are not text
(skipped). Then, each on emptied customer and event tables:

1. `import_wecom_archive`'s service on the file (reading, JSON, mapping, storing), timed whole;
2. the baseline: the same messages, already as event dicts, through `events_ingest`, in batches of
   the import's size (50,000) and of 10,000 (what a client posting them to /api/v1/events/ costs,
   less HTTP);
3. the import again, and then the same file once more (every line a duplicate).

    .venv/bin/python bench/wecom_archive.py [--messages 100000] [--customers 10000]
"""

import argparse
import datetime as dt
import json
import os
import tempfile
import time
from pathlib import Path

from benchdb import bench_database_url, django_setup

BENCH_DB = "sitadmin_bench_wecom"
STAFF = 20
ROOMS = 50
START_MS = int(dt.datetime(2026, 11, 2, tzinfo=dt.UTC).timestamp() * 1000)


def archive(messages: int, customers: int) -> tuple[list[str], list[dict]]:
    """The archive's lines and the event dicts a client would post for the same messages."""
    lines, events = [], []
    for n in range(messages):
        customer = f"wm{n % customers:08d}"
        staff = n % customers % STAFF
        at_ms = START_MS + n * 500
        at = dt.datetime.fromtimestamp(at_ms / 1000, tz=dt.UTC).isoformat()
        msgid = f"msg{n:09d}"
        kind = n % 20
        message = {"msgid": msgid, "action": "send", "msgtime": at_ms, "msgtype": "text", "text": {"content": "你好"}}
        event = {"id": msgid, "type": "message", "at": at, "text": "你好"}
        if kind == 19:
            message["msgtype"] = "image"  # skipped
            event = None
        elif kind < 7:  # group message in the customer's room
            room = f"wrROOM{n % customers % ROOMS:03d}"
            message.update({"from": customer, "tolist": [f"u{staff}", "wmOTHER"], "roomid": room})
            event.update(direction="in", external_id=customer, group=room)
        elif kind % 2:  # the customer writes to their staff member
            message.update({"from": customer, "tolist": [f"u{staff}"], "roomid": ""})
            event.update(direction="in", external_id=customer, staff=f"op{staff}")
        else:  # the staff member writes to the customer
            message.update({"from": f"u{staff}", "tolist": [customer], "roomid": ""})
            event.update(direction="out", external_id=customer, staff=f"op{staff}")
        lines.append(json.dumps(message, ensure_ascii=False))
        if event is not None:
            events.append(event)
    return lines, events


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--customers", type=int, default=10_000)
    args = parser.parse_args()

    django_setup(database_url=bench_database_url(BENCH_DB, fresh=True))
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection

    from customers.events.services import events_ingest
    from customers.models import Event
    from customers.wecom.archive import ARCHIVE_CHUNK_LINES, wecom_archive_import
    from staff.models import Staff, Team

    call_command("migrate", verbosity=0)
    team = Team.objects.create(code="t1", name="一组")
    user_model = get_user_model()
    for n in range(STAFF):
        Staff.objects.create(user=user_model.objects.create(username=f"op{n}"), team=team, wecom_userid=f"u{n}")

    lines, events = archive(args.messages, args.customers)
    path = Path(tempfile.mkdtemp()) / "archive.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    size_mb = path.stat().st_size / 1e6
    print(
        f"archive: {len(lines):,} lines ({len(events):,} text messages), {size_mb:.1f} MB, {args.customers:,} customers"
    )

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend_pid = cursor.fetchone()[0]

    def cpu_seconds() -> float:
        """CPU time of this process and of its PostgreSQL backend (when the server runs on this machine):
        the work done, whatever else the shared machine is busy with."""
        own = time.process_time()
        try:
            fields = Path(f"/proc/{backend_pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return own
        return own + (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def report(label: str, seconds: float, cpu: float, stored: int, extra: str = "") -> None:
        print(
            f"{label}: {seconds:.2f} s, {stored / seconds:,.0f}/s; CPU {cpu:.2f} s (client + database), "
            f"{stored / cpu:,.0f}/CPU-s{extra}"
        )

    def empty() -> None:
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE customers_customer CASCADE")
            cursor.execute("VACUUM ANALYZE")

    def run_import(label: str) -> None:
        started, cpu = time.perf_counter(), cpu_seconds()
        with path.open("rb") as fh:
            result = wecom_archive_import(lines=fh)
        seconds, cpu = time.perf_counter() - started, cpu_seconds() - cpu
        extra = (
            f" (accepted {result.accepted:,}, duplicates {result.duplicates:,}, skipped {result.skipped:,}, "
            f"errors {len(result.errors)})"
        )
        report(label, seconds, cpu, result.accepted + result.duplicates, extra)

    def run_baseline(batch: int) -> None:
        started, cpu = time.perf_counter(), cpu_seconds()
        accepted = 0
        for offset in range(0, len(events), batch):
            accepted += events_ingest(events=[dict(e) for e in events[offset : offset + batch]]).accepted
        seconds, cpu = time.perf_counter() - started, cpu_seconds() - cpu
        report(f"baseline, events_ingest of the same messages in batches of {batch:,}", seconds, cpu, accepted)

    print(f"load average at start: {os.getloadavg()[0]:.1f}")
    empty()
    run_import("import")
    empty()
    run_baseline(ARCHIVE_CHUNK_LINES)
    empty()
    run_baseline(10_000)
    empty()
    run_import("import again, emptied tables")
    run_import("same file once more (all duplicates)")
    print(f"events stored: {Event.objects.count():,}; load average at end: {os.getloadavg()[0]:.1f}")
    connection.close()
    path.unlink()


if __name__ == "__main__":
    main()

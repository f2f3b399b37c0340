"""Load test: gunicorn on loopback, locust headless, then the stored events counted.

    make loadtest                      # LOADTEST_PORT=8765, LOADTEST_SECONDS=60
    .venv/bin/python bench/loadtest.py [--port 8765] [--seconds 60] [--workers N] [--database NAME]
                                       [--ingest-workers 4] [--ingest-nice 10] [--history 1000000]

1. A fresh PostgreSQL database (`sitadmin_loadtest` on the server of `DATABASE_URL`), migrated;
   100 staff in 10 teams, a manager, 4 lead sources, 10 scripts, 50 groups, 100,000 customers, a
   year of daily KPI rows (company, teams, staff, sources, scripts, groups) loaded with COPY, and
   1,000,000 events over the 180 days up to yesterday (`--history`, bench/eventgen.py), analysed.
2. gunicorn with sitadmin/gunicorn.conf.py twice, as docs/scaling.md deploys it: the pages' pool
   (the config's workers) on 127.0.0.1:PORT, and the posters' pool (`--ingest-workers`, at
   `GUNICORN_NICE=--ingest-nice`) on PORT + 1, where a load balancer would send POST /api/v1/events/.
   `--ingest-workers 0`: one pool for everything.
3. locust headless (bench/loadtest_locustfile.py) for SECONDS: 8 users posting 1,000-event
   batches back to back, 20 users reading the KPI summary, the dashboard and /healthz.
4. The stored events counted against those the server accepted; every client id stored once.
Prints events/s (stored events over the posting window), median / p95 of every endpoint beside
/healthz, the same-run baseline, the targets, and where the CPU went (each pool, PostgreSQL, the
rest). Exits non-zero on a failed request, an item error, or a count that does not match.
"""

import argparse
import csv
import datetime as dt
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request

from benchdb import ROOT, bench_database_url, django_setup
from eventgen import events_generate

VENV_BIN = ROOT / ".venv" / "bin"
SEEDED_CUSTOMERS = 100_000
# Events stored before the run, over the seeded customers and the 180 days up to yesterday: the
# planner then works from the statistics of a table in use, not of an empty one.
HISTORY_EVENTS = 1_000_000
# The posters' pool, as docs/scaling.md deploys it: 4 workers below the pages' priority.
INGEST_WORKERS = 4
INGEST_NICE = 10
TARGETS = {"events_per_s": 10_000, "summary_p95_ms": 50, "dashboard_p95_ms": 300}


def seed(*, customers: int = SEEDED_CUSTOMERS, history: int = HISTORY_EVENTS) -> dict:
    """The loadtest world; returns the manager's token and session key and the summary's range."""
    import dashboard
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
    from django.contrib.auth.hashers import make_password
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from campaigns.models import Group, Script
    from customers.models import LeadSource
    from customers.privacy.crypto import phones_encrypt, phones_index, phones_last4_index
    from staff.accounts.services import token_issue
    from staff.models import Staff, Team
    from tests.staff.factories import StaffFactory

    call_command("migrate", verbosity=0)
    teams = [Team.objects.create(code=f"t{i:02d}", name=f"{i + 1}组") for i in range(dashboard.TEAMS)]
    usernames = [f"op{i:03d}" for i in range(dashboard.STAFF)]
    # Nobody signs in with a password (the clients hold a token and a session): an unusable one, as
    # a hundred password hashes would take a minute.
    user_model, unusable = get_user_model(), make_password(None)
    for i, username in enumerate(usernames):
        user = user_model.objects.create(username=username, password=unusable)
        StaffFactory(user=user, team=teams[i % dashboard.TEAMS])
    manager = user_model.objects.create(username="loadtest-manager", password=unusable)
    StaffFactory(user=manager, role=Staff.Role.MANAGER, team=None)
    for code in dashboard.SOURCES:
        LeadSource.objects.create(code=code, name=code, kind="telesales")
    Script.objects.bulk_create(Script(code=f"s{i}", name=f"话术{i}") for i in range(dashboard.SCRIPTS))
    Group.objects.bulk_create(Group(code=f"g{i:02d}", name=f"群{i}") for i in range(dashboard.GROUPS))
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    source_id = LeadSource.objects.get(code="tele").pk
    now = timezone.now().isoformat()
    with connection.cursor() as cursor:
        raw = cursor.connection.cursor()
        rows = dashboard._load(raw, last_day=yesterday, usernames=usernames, team_codes=[t.code for t in teams])
        # Phones are stored encrypted, with their blind index and last-four index beside them.
        phones = [f"135{n:08d}" for n in range(customers)]
        columns = zip(phones_encrypt(phones), phones_index(phones), phones_last4_index(phones), strict=True)
        with raw.copy(
            "COPY customers_customer (phone_encrypted, phone_index, phone_last4, name, remark, source_id, stage,"
            " created_at, updated_at) FROM STDIN"
        ) as copy:
            for encrypted, index, last4 in columns:
                copy.write_row((encrypted, index, last4, "", "", source_id, "lead", now, now))
        cursor.execute("SELECT MIN(id) FROM customers_customer")
        (first_customer,) = cursor.fetchone()
        span = {"last_day": yesterday.isoformat(), "span_days": 180}
        events_generate(cursor, first_customer=first_customer, customers=customers, events=history, **span)
        cursor.execute("ANALYZE")
    print(f"seeded {rows:,} daily KPI rows, {customers:,} customers, {history:,} events, {len(usernames)} staff")

    session = SessionStore()
    session[SESSION_KEY] = str(manager.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
    session[HASH_SESSION_KEY] = manager.get_session_auth_hash()
    session.create()
    return {
        "LOADTEST_TOKEN": token_issue(user=manager)[0],
        "LOADTEST_SESSION": session.session_key,
        "LOADTEST_SUMMARY_FROM": (yesterday - dt.timedelta(days=364)).isoformat(),
        "LOADTEST_SUMMARY_TO": yesterday.isoformat(),
        "LOADTEST_CUSTOMERS": str(customers),
    }


def _wait_until_up(url: str, *, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as answer:  # noqa: S310 (loopback URL built here)
                if answer.status == 200:
                    return
        except OSError:
            if time.monotonic() > deadline:
                raise
        time.sleep(0.3)


def _stats(path: str) -> dict[str, dict]:
    with open(path, newline="") as fh:
        return {row["Name"]: row for row in csv.DictReader(fh)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=int(os.environ.get("LOADTEST_PORT", "8765")))
    parser.add_argument("--seconds", type=int, default=int(os.environ.get("LOADTEST_SECONDS", "60")))
    parser.add_argument("--workers", type=int, default=None, help="gunicorn workers (default: the config's)")
    parser.add_argument(
        "--ingest-workers", type=int, default=INGEST_WORKERS, help="workers of the posters' pool (0: one pool)"
    )
    parser.add_argument("--ingest-port", type=int, default=None, help="the posters' pool's port (default PORT + 1)")
    parser.add_argument("--ingest-nice", type=int, default=INGEST_NICE, help="the posters' pool's GUNICORN_NICE")
    parser.add_argument("--database", default=os.environ.get("LOADTEST_DATABASE", "sitadmin_loadtest"))
    parser.add_argument("--customers", type=int, default=SEEDED_CUSTOMERS, help="customers seeded beforehand")
    parser.add_argument("--history", type=int, default=HISTORY_EVENTS, help="events stored beforehand")
    args = parser.parse_args()

    started = time.monotonic()
    database_url = bench_database_url(args.database, fresh=True)
    django_setup(database_url=database_url)
    client_env = seed(customers=args.customers, history=args.history)
    print(f"set up in {time.monotonic() - started:.0f} s")

    from django.db import connection

    connection.close()
    env = {**os.environ, "DATABASE_URL": database_url}
    pools = [("web", args.port, args.workers, 0)]
    if args.ingest_workers:
        pools.append(("ingest", args.ingest_port or args.port + 1, args.ingest_workers, args.ingest_nice))
    servers = []
    try:
        for _name, port, workers, nice in pools:
            server_env = {**env, "GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_NICE": str(nice)}
            if workers:
                server_env["GUNICORN_WORKERS"] = str(workers)
            servers.append(
                subprocess.Popen(  # noqa: S603 (our own virtualenv's gunicorn)
                    [str(VENV_BIN / "gunicorn"), "-c", "sitadmin/gunicorn.conf.py", "sitadmin.wsgi"],
                    cwd=ROOT,
                    env=server_env,
                )
            )
        for _name, port, _workers, _nice in pools:
            _wait_until_up(f"http://127.0.0.1:{port}/healthz", seconds=30)
        hosts = {"EventPoster": f"http://127.0.0.1:{pools[-1][1]}", "Reader": f"http://127.0.0.1:{args.port}"}
        pool_pids = {name: server.pid for (name, *_), server in zip(pools, servers, strict=True)}
        before = _cpu_seconds(pool_pids)
        stats, posted = _drive(hosts=hosts, seconds=args.seconds, client_env=client_env)
        cpu = {name: seconds - before.get(name, 0.0) for name, seconds in _cpu_seconds(pool_pids).items()}
    finally:
        for server in servers:
            server.send_signal(signal.SIGTERM)
        for server in servers:
            server.wait(timeout=60)
    return report(stats=stats, posted=posted, cpu=cpu)


def _cpu_seconds(pool_pids: dict[str, int]) -> dict[str, float]:
    """CPU seconds (user + system) used so far by each gunicorn pool (master and workers), by the
    PostgreSQL server's processes, and by the whole machine (`machine`, every core's busy time)."""
    import psutil

    def used(process: psutil.Process) -> float:
        try:
            times = process.cpu_times()
        except psutil.Error:
            return 0.0
        return times.user + times.system

    seconds = {}
    for name, pid in pool_pids.items():
        master = psutil.Process(pid)
        seconds[f"gunicorn {name}"] = sum(used(p) for p in [master, *master.children(recursive=True)])
    seconds["postgresql"] = sum(used(p) for p in psutil.process_iter(["name"]) if p.info["name"] == "postgres")
    machine = psutil.cpu_times()
    seconds["machine"] = machine.user + machine.nice + machine.system + machine.irq + machine.softirq
    return seconds


def _drive(*, hosts: dict[str, str], seconds: int, client_env: dict) -> tuple[dict, dict]:
    """Run the posters and the readers, each in a locust process of its own, against their hosts."""
    with tempfile.TemporaryDirectory() as tmp:
        result_path = os.path.join(tmp, "posters.json")
        # Posters and readers in two locust processes: building a 1,000-event body holds a
        # process's event loop, and the readers' timings must not include that wait.
        runs = []
        for role, users in (("EventPoster", 8), ("Reader", 20)):
            command = [str(VENV_BIN / "locust"), "-f", "bench/loadtest_locustfile.py", role, "--headless"]
            command += ["--users", str(users), "--spawn-rate", str(users), "--run-time", f"{seconds}s"]
            command += ["--stop-timeout", "30", "--host", hosts[role], "--csv", os.path.join(tmp, role)]
            command += ["--only-summary", "--loglevel", "WARNING"]
            env = {**os.environ, **client_env, "LOADTEST_RESULT": result_path}
            runs.append(subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL))  # noqa: S603
        for run in runs:
            run.wait()
        stats = {**_stats(os.path.join(tmp, "EventPoster_stats.csv")), **_stats(os.path.join(tmp, "Reader_stats.csv"))}
        with open(result_path) as fh:
            return stats, json.load(fh)


def report(*, stats: dict[str, dict], posted: dict, cpu: dict[str, float] | None = None) -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        # The run's events only (client ids `lt…`), not the history seeded before it.
        cursor.execute("SELECT COUNT(*), COUNT(DISTINCT client_id) FROM customers_event WHERE client_id LIKE 'lt%'")
        stored, distinct = cursor.fetchone()
        cursor.execute("SELECT COUNT(*) - COUNT(DISTINCT phone_index) FROM customers_customer")
        (twin_phones,) = cursor.fetchone()
    window = (posted["last"] or 0) - (posted["first"] or 0)
    rate = stored / window if window > 0 else 0.0
    failures = sum(int(row["Failure Count"]) for name, row in stats.items() if name != "Aggregated")
    print()
    print(
        f"events: {posted['sent']:,} sent in {posted['batches']} batches, {posted['accepted']:,} accepted, "
        f"{stored:,} stored ({distinct:,} distinct ids), {posted['duplicates']} duplicates, "
        f"{posted['errors']} item errors, {twin_phones} repeated phones"
    )
    print(f"ingestion: {rate:,.0f} events/s over {window:.1f} s (target >= {TARGETS['events_per_s']:,})")
    baseline = stats.get("GET /healthz (baseline)", {})
    print(f"{'endpoint':<36} {'requests':>8} {'fail':>5} {'median':>7} {'p95':>7}   baseline /healthz median / p95")
    for name, row in stats.items():
        if name == "Aggregated":
            continue
        print(
            f"{name:<36} {row['Request Count']:>8} {row['Failure Count']:>5} {row['50%']:>5} ms {row['95%']:>5} ms"
            f"   {baseline.get('50%', '?')} / {baseline.get('95%', '?')} ms"
        )
    if cpu and stored:
        # Where the cores went during the run (posting, reading and the clients' stop), per 1,000 events.
        machine = cpu["machine"]
        parts = {k: v for k, v in cpu.items() if k != "machine"}
        parts["the rest (locust, Redis, anything else)"] = machine - sum(parts.values())
        print(f"CPU during the run: {machine:.1f} core-seconds, {machine / stored * 1e6:.0f} core-ms per 1,000 events")
        for name, seconds in parts.items():
            share = f"{seconds:7.1f} s  {seconds / machine:5.1%}"
            print(f"  {name:<40} {share}  {seconds / stored * 1e6:6.0f} core-ms / 1,000 events")
    summary_p95 = float(stats["GET /api/v1/kpis/summary/"]["95%"])
    dashboard_p95 = float(stats["GET /dashboard/"]["95%"])
    for label, ok in (
        (f"ingestion >= {TARGETS['events_per_s']:,} events/s", rate >= TARGETS["events_per_s"]),
        (f"summary p95 <= {TARGETS['summary_p95_ms']} ms", summary_p95 <= TARGETS["summary_p95_ms"]),
        (f"dashboard p95 <= {TARGETS['dashboard_p95_ms']} ms", dashboard_p95 <= TARGETS["dashboard_p95_ms"]),
    ):
        print(f"target {label}: {'met' if ok else 'MISSED'}")
    correct = (
        failures == 0
        and posted["errors"] == 0
        and posted["duplicates"] == 0
        and stored == distinct == posted["accepted"] == posted["sent"]
        and twin_phones == 0
    )
    print("correctness: " + ("every event stored once, no error" if correct else "FAILED"))
    return 0 if correct else 1


if __name__ == "__main__":
    sys.exit(main())

"""Benchmark: one 10,000-event POST /api/v1/events/ on PostgreSQL.

Creates a fresh database `sitadmin_bench_events` on the server of `DATABASE_URL` (default
postgres://postgres@127.0.0.1:5432/sitadmin), migrates it, seeds staff, scripts, groups and 5,000
existing customers, then posts a mixed batch (requests, adds, groups, messages, orders, deletions;
half the customers new) and prints the seconds and the number of queries.

    .venv/bin/python bench/events.py
    .venv/bin/python bench/events.py --sensitive-words 100   # with 100 active words, one in every reply

With `--sensitive-words N`, N active sensitive words are watched, one of them (您好) in each of the
batch's 1,000 staff replies: 1,000 sensitive-word alerts, and one loss alert for the 1,000 deletions.
"""

import argparse
import os
import time

from benchdb import bench_database_url, django_setup

BENCH_DB = os.environ.get("BENCH_DB", "sitadmin_bench_events")
BATCH = 10_000


def _batch(size: int) -> list[dict]:
    steps = [
        ("friend_request_sent", {"staff": "op1", "script": "sa", "source": "tele"}),
        ("friend_added", {"staff": "op2"}),
        ("group_joined", {"group": "g1"}),
        ("message", {"direction": "in", "text": "膝盖疼"}),
        ("message", {"direction": "out", "staff": "op2", "text": "您好"}),
        ("message", {"direction": "in", "group": "g1", "text": "大家好"}),
        ("order", {"amount": "199.00"}),
        ("group_left", {"group": "g1"}),
        ("order", {"amount": "59.90"}),
        ("friend_deleted", {"staff": "op2"}),
    ]
    events = []
    for n in range(size):
        customer, step = divmod(n, len(steps))
        event_type, fields = steps[step]
        event = {
            "id": f"bench-{n}",
            "type": event_type,
            "at": f"2026-11-{2 + step:02d}T{8 + customer % 12:02d}:{customer % 60:02d}:00+08:00",
            "phone": f"136{customer:08d}",
            **fields,
        }
        if event_type == "order":
            event["order_no"] = f"B-{n}"
        events.append(event)
    return events


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sensitive-words", type=int, default=0)
    args = parser.parse_args()
    django_setup(database_url=bench_database_url(BENCH_DB, fresh=True))
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from rest_framework.test import APIClient

    from campaigns.models import Alert, Group, Script, SensitiveWord
    from customers.models import Customer, Event, LeadSource
    from staff.models import Staff, Team

    call_command("migrate", verbosity=0)
    team = Team.objects.create(code="t1", name="一组")
    user_model = get_user_model()
    manager = Staff.objects.create(user=user_model.objects.create(username="boss"), role="manager")
    for username in ("op1", "op2"):
        Staff.objects.create(user=user_model.objects.create(username=username), team=team)
    tele = LeadSource.objects.create(code="tele", name="电销", kind="telesales")
    Script.objects.create(code="sa", name="话术 A")
    Group.objects.create(code="g1", name="一群")
    if args.sensitive_words:
        words = ["您好"] + [f"敏感词{n}" for n in range(args.sensitive_words - 1)]
        SensitiveWord.objects.bulk_create([SensitiveWord(word=word) for word in words])
    customers = BATCH // 10
    Customer.objects.bulk_create(
        [Customer(phone=f"136{n:08d}", source=tele) for n in range(0, customers, 2)], batch_size=5000
    )

    client = APIClient()
    client.force_authenticate(manager.user)
    events = _batch(BATCH)
    # A running server has its URLconf and views imported: an empty batch does that first.
    assert client.post("/api/v1/events/", [], format="json").json()["accepted"] == 0
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        answer = client.post("/api/v1/events/", events, format="json")
        seconds = time.perf_counter() - started
    body = answer.json()
    assert answer.status_code == 200 and body["accepted"] == BATCH, body
    print(f"{BATCH} events over {customers} customers ({customers // 2} new): {seconds:.2f} s, {len(queries)} queries")
    stored = f"{Event.objects.count()} events, {Customer.objects.count()} customers, {Alert.objects.count()} alerts"
    print(f"stored: {stored}")

    started = time.perf_counter()
    again = client.post("/api/v1/events/", events, format="json").json()
    print(f"same batch again: {time.perf_counter() - started:.2f} s, duplicates {again['duplicates']}")
    connection.close()


if __name__ == "__main__":
    main()

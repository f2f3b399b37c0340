"""Benchmark: one 10,000-event POST /api/v1/events/ on PostgreSQL.

Creates a fresh database `sitadmin_bench_events` on the server of `DATABASE_URL` (default
postgres://postgres@127.0.0.1:5432/sitadmin), migrates it, seeds staff, scripts, groups and 5,000
existing customers, then posts a mixed batch (requests, adds, groups, messages, orders, deletions;
half the customers new) and prints the seconds and the number of queries.

Then the same kind of batch (other ids, other customers) three more times: with no SOP template, with
two active templates (a stage template on `fan` and a `group_joined` template, as the demo's), and
with none again, so the cost of the trigger engine is read against a baseline of the same run.

    .venv/bin/python bench/events.py [--db sitadmin_bench_events]
    .venv/bin/python bench/events.py --sensitive-words 100   # with 100 active words, one in every reply

With `--sensitive-words N`, N active sensitive words are watched, one of them (您好) in each of the
batch's 1,000 staff replies: 1,000 sensitive-word alerts, and one loss alert for the 1,000 deletions.
"""

import argparse
import datetime as dt
import os
import time

from benchdb import bench_database_url, django_setup

BENCH_DB = os.environ.get("BENCH_DB", "sitadmin_bench_events")
BATCH = 10_000


def _batch(size: int, *, prefix: str = "136", ids: str = "bench") -> list[dict]:
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
            "id": f"{ids}-{n}",
            "type": event_type,
            "at": f"2026-11-{2 + step:02d}T{8 + customer % 12:02d}:{customer % 60:02d}:00+08:00",
            "phone": f"{prefix}{customer:08d}",
            **fields,
        }
        if event_type == "order":
            event["order_no"] = f"{ids}-B-{n}"
        events.append(event)
    return events


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default=BENCH_DB, help="name of the benchmark database (dropped and made anew)")
    parser.add_argument("--sensitive-words", type=int, default=0)
    args = parser.parse_args()
    django_setup(database_url=bench_database_url(args.db, fresh=True))
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
    _sop_runs(client=client, source=tele)
    connection.close()


def _sop_runs(*, client, source) -> None:
    """Fresh batches without templates, with two active ones, and without again (the baseline)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from campaigns.sop.models import SopTask, SopTemplate
    from customers.events import services as ingestion
    from customers.models import Customer

    # The engine's own share of each request, which the machine's load blurs less than the whole.
    engine_seconds: list[float] = []
    engine = ingestion.sop_after_events

    def timed_engine(**kwargs):
        started = time.perf_counter()
        try:
            return engine(**kwargs)
        finally:
            engine_seconds.append(time.perf_counter() - started)

    ingestion.sop_after_events = timed_engine

    templates = [
        SopTemplate.objects.create(
            code="new-fan",
            name="新粉欢迎",
            active=False,
            trigger={"kind": "stage", "stage": "fan"},
            steps=[
                {"day": 0, "time": "10:00", "action": "private_message", "content": "{name}您好"},
                {"day": 2, "time": "10:00", "action": "private_message", "content": "用得怎么样？"},
            ],
        ),
        SopTemplate.objects.create(
            code="group-onboarding",
            name="进群引导",
            active=False,
            trigger={"kind": "group_joined", "group": None, "group_id": None},
            steps=[{"day": 0, "time": "20:00", "action": "private_message", "content": "欢迎{name}进群"}],
        ),
    ]
    for label, prefix, active in (
        ("no SOP template", "137", False),
        ("two active SOP templates", "135", True),
        ("no SOP template again", "133", False),
    ):
        SopTemplate.objects.filter(pk__in=[t.pk for t in templates]).update(
            active=active, active_from=timezone.now() - dt.timedelta(days=365) if active else None
        )
        customers = BATCH // 10
        Customer.objects.bulk_create(
            [Customer(phone=f"{prefix}{n:08d}", source=source) for n in range(0, customers, 2)], batch_size=5000
        )
        events = _batch(BATCH, prefix=prefix, ids=f"sop{prefix}")
        tasks_before = SopTask.objects.count()
        engine_seconds.clear()
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            body = client.post("/api/v1/events/", events, format="json").json()
            seconds = time.perf_counter() - started
        assert body["accepted"] == BATCH, body
        made = SopTask.objects.count() - tasks_before
        print(
            f"{label}: {seconds:.2f} s ({sum(engine_seconds):.2f} s in the SOP engine), "
            f"{len(queries)} queries, {made} SOP tasks made"
        )


if __name__ == "__main__":
    main()

"""Benchmark: a 10,000-event POST /api/v1/events/ whose adds carry `channel_code` and `referrer`,
against the same batch without them (the baseline), in one run on PostgreSQL.

Same setup as bench/events.py (fresh database `sitadmin_bench_channel_events`, 5,000 existing
customers), plus a channel code with two tags and an SOP template. The baseline and channel
batches use different ids and phones, so each creates the same number of customers; they run in three
alternating rounds and the best time of each kind is the figure.

    .venv/bin/python bench/channel_events.py
"""

import time

from benchdb import bench_database_url, django_setup
from events import BATCH, _batch

BENCH_DB = "sitadmin_bench_channel_events"


def _variant(size: int, *, prefix: str, phone_prefix: str, channel: bool) -> list[dict]:
    """bench/events.py's batch under other ids, phones and order numbers; with `channel`, every add
    comes through the code and half of them name an existing customer as referrer."""
    events = []
    for event in _batch(size):
        customer = int(event["phone"][3:])
        event = {**event, "id": prefix + event["id"], "phone": f"{phone_prefix}{customer:08d}"}
        if "order_no" in event:
            event["order_no"] = prefix + event["order_no"]
        if channel and event["type"] == "friend_added":
            event["channel_code"] = "live"
            if customer % 2 == 0:
                event["referrer"] = f"{phone_prefix}{(customer + 2) % (BATCH // 10):08d}"  # another existing one
        events.append(event)
    return events


def main() -> None:
    django_setup(database_url=bench_database_url(BENCH_DB, fresh=True))
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from rest_framework.test import APIClient

    from campaigns.channels.models import ChannelAdd, ChannelCode
    from campaigns.models import Group, Script, SopTemplate
    from customers.models import Customer, LeadSource, Tag
    from staff.models import Staff, Team

    call_command("migrate", verbosity=0)
    team = Team.objects.create(code="t1", name="一组")
    user_model = get_user_model()
    manager = Staff.objects.create(user=user_model.objects.create(username="boss"), role="manager")
    staff = [Staff.objects.create(user=user_model.objects.create(username=u), team=team) for u in ("op1", "op2")]
    tele = LeadSource.objects.create(code="tele", name="电销", kind="telesales")
    Script.objects.create(code="sa", name="话术 A")
    Group.objects.create(code="g1", name="一群")
    code = ChannelCode.objects.create(
        code="live",
        name="直播间",
        source=LeadSource.objects.create(code="live", name="直播", kind="intercept"),
        sop=SopTemplate.objects.create(code="welcome", name="欢迎"),
    )
    code.staff.set(staff)
    code.tags.set([Tag.objects.create(code="knee", name="膝"), Tag.objects.create(code="live", name="直播")])
    customers = BATCH // 10
    Customer.objects.bulk_create(
        [
            Customer(phone=f"{p}{n:08d}", source=tele)
            for p in ("133", "134", "135", "136", "137", "138")
            for n in range(0, customers, 2)
        ],
        batch_size=5000,
    )

    client = APIClient()
    client.force_authenticate(manager.user)
    assert client.post("/api/v1/events/", [], format="json").json()["accepted"] == 0
    # Three rounds, alternating, so a busy machine weighs on both kinds alike; the best of each is the figure.
    best: dict[str, float] = {}
    for round_no in range(3):
        for label, channel, phone_prefix in (
            ("baseline, no channel fields", False, f"13{3 + 2 * round_no}"),
            ("adds with channel_code/referrer", True, f"13{4 + 2 * round_no}"),
        ):
            events = _variant(BATCH, prefix=f"r{round_no}{int(channel)}-", phone_prefix=phone_prefix, channel=channel)
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                answer = client.post("/api/v1/events/", events, format="json")
                seconds = time.perf_counter() - started
            body = answer.json()
            assert answer.status_code == 200 and body["accepted"] == BATCH, body["errors"][:3]
            best[label] = min(best.get(label, seconds), seconds)
            print(f"round {round_no + 1}, {label}: {BATCH} events, {seconds:.2f} s, {len(queries)} queries")
    for label, seconds in best.items():
        print(f"best of 3, {label}: {seconds:.2f} s")
    print(f"channel adds stored: {ChannelAdd.objects.count()}")
    connection.close()


if __name__ == "__main__":
    main()

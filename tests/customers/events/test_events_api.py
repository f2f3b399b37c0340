"""POST /api/v1/events/: permissions, body shape, batch limits, a 10,000-event batch, concurrency."""

import threading

import pytest
from django.db import connection

from customers.models import Customer, Event, Order
from tests.campaigns.factories import GroupFactory, ScriptFactory
from tests.customers.factories import CustomerFactory, LeadSourceFactory

URL = "/api/v1/events/"


def _request(n, phone="13800000001"):
    return {
        "id": f"r-{n}",
        "type": "friend_request_sent",
        "at": "2026-11-02T10:00:00+08:00",
        "phone": phone,
        "staff": "op1",
    }


@pytest.mark.django_db
def test_only_managers_may_post(client_for, manager, team_lead, operator, api_client):
    assert api_client.post(URL, [_request(1)], format="json").status_code in (401, 403)
    assert client_for(team_lead).post(URL, [_request(1)], format="json").status_code == 403
    assert client_for(operator).post(URL, [_request(1)], format="json").status_code == 403
    assert Event.objects.count() == 0
    answer = client_for(manager).post(URL, [_request(1)], format="json")
    assert answer.status_code == 200
    assert answer.json() == {"accepted": 1, "duplicates": 0, "errors": []}


@pytest.mark.django_db
def test_a_superuser_counts_as_a_manager(client_for, operator):
    operator.user.is_superuser = True
    operator.user.save()
    assert client_for(operator).post(URL, {"events": [_request(1)]}, format="json").status_code == 200


@pytest.mark.django_db
def test_body_must_be_a_list_of_objects(client_for, manager, operator):
    client = client_for(manager)
    assert client.post(URL, {"id": "x"}, format="json").status_code == 400
    answer = client.post(URL, [_request(1), "oops"], format="json")
    assert answer.status_code == 400
    assert "item 1" in answer.json()["events"]
    bad_json = client.post(URL, "[{", content_type="application/json")
    assert bad_json.status_code == 400
    assert Event.objects.count() == 0


@pytest.mark.django_db
def test_more_than_the_batch_limit_is_refused(client_for, manager, operator, settings):
    settings.EVENTS_MAX_BATCH = 2
    answer = client_for(manager).post(URL, [_request(n) for n in range(3)], format="json")
    assert answer.status_code == 400
    assert "at most 2" in answer.json()["events"]


@pytest.mark.django_db
def test_answer_lists_errors_beside_the_stored_items(client_for, manager, operator):
    answer = client_for(manager).post(URL, [_request(1), {**_request(2), "staff": "zed"}, _request(1)], format="json")
    assert answer.json() == {
        "accepted": 1,
        "duplicates": 1,
        "errors": [{"index": 1, "id": "r-2", "error": "staff: unknown username 'zed'"}],
    }


def _mixed_batch(size: int) -> list[dict]:
    """`size` events over size/10 customers: requests, adds, groups, messages, orders, deletions.

    Even-numbered customers already exist; the others are created by the batch.
    """
    kinds = [
        ("friend_request_sent", {"staff": "op1", "script": "sa", "source": "tele"}),
        ("friend_added", {"staff": "op1"}),
        ("group_joined", {"group": "g1"}),
        ("message", {"direction": "in", "text": "你好"}),
        ("message", {"direction": "out", "staff": "op1", "text": "您好"}),
        ("message", {"direction": "in", "group": "g1"}),
        ("group_left", {"group": "g1"}),
        ("order", {"amount": "99.50"}),
        ("group_joined", {"group": "g2"}),
        ("friend_deleted", {"staff": "op1"}),
    ]
    events = []
    for n in range(size):
        customer, step = divmod(n, len(kinds))
        event_type, fields = kinds[step]
        event = {
            "id": f"ev-{n}",
            "type": event_type,
            "at": f"2026-11-{2 + step:02d}T10:{customer % 60:02d}:00+08:00",
            "phone": f"137{customer:08d}",
            **fields,
        }
        if event_type == "order":
            event["order_no"] = f"ORD-{n}"
        events.append(event)
    return events


@pytest.mark.postgres
@pytest.mark.django_db
def test_a_10000_event_batch_takes_a_constant_number_of_queries(
    client_for, manager, operator, django_assert_max_num_queries
):
    """On PostgreSQL; Django splits bulk writes on SQLite into batches of 999 parameters."""
    ScriptFactory(code="sa")
    tele = LeadSourceFactory(code="tele")
    GroupFactory(code="g1")
    for customer in range(0, 1000, 2):
        CustomerFactory(phone=f"137{customer:08d}", source=tele)
    client = client_for(manager)
    # Measured: 38 queries for 100 events (creating the `unknown` source and group g2 included),
    # 36 for 10,000; only the INSERT chunks of 2,000 rows grow with the batch.
    with django_assert_max_num_queries(40):
        small = client.post(URL, _mixed_batch(100), format="json")
    assert small.json()["accepted"] == 100
    Event.objects.all().delete()
    Order.objects.all().delete()
    with django_assert_max_num_queries(40):
        answer = client.post(URL, _mixed_batch(10_000), format="json")
    assert answer.status_code == 200
    # 10,000 events over 1,000 customers, of whom 500 existed: 500 created, 1,000 orders.
    assert answer.json() == {"accepted": 10_000, "duplicates": 0, "errors": []}
    assert Customer.objects.count() == 1000
    assert Order.objects.count() == 1000
    # Each customer's latest add-or-delete is the deletion on day 11.
    assert set(Customer.objects.values_list("stage", flat=True)) == {"lost"}
    assert set(Customer.objects.values_list("owner__user__username", flat=True)) == {"op1"}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_identical_batches_at_once_store_each_event_once(manager, operator):
    from customers.events.services import events_ingest

    batch = _mixed_batch(2000)
    ScriptFactory(code="sa")
    LeadSourceFactory(code="tele")
    results = []
    barrier = threading.Barrier(2)

    def post():
        try:
            barrier.wait()
            results.append(events_ingest(events=batch))
        finally:
            connection.close()

    threads = [threading.Thread(target=post) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 2
    assert sorted((r.accepted, r.duplicates, len(r.errors)) for r in results) == [(0, 2000, 0), (2000, 0, 0)]
    assert Event.objects.count() == 2000
    assert Customer.objects.count() == 200
    assert Order.objects.count() == 200

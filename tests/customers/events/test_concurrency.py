"""Two event batches posted at the same moment, on PostgreSQL, each in its own thread and
connection: customers and events they share are stored once, and neither batch fails.

The second batch holds the shared items in the opposite order, so the two transactions meet the
same rows in opposite orders: the arrangement that deadlocks row locks taken in arrival order.
"""

import threading

import pytest
from django.db import connection

from campaigns.models import Alert
from customers.models import Customer, Event, Order
from customers.privacy.crypto import phones_index
from tests.campaigns.factories import GroupFactory, ScriptFactory
from tests.customers.factories import LeadSourceFactory

URL = "/api/v1/events/"
STEPS = [
    ("friend_request_sent", {"staff": "op1", "script": "sa", "source": "tele"}),
    ("friend_added", {"staff": "op1"}),
    ("group_joined", {"group": "g1"}),
    ("message", {"direction": "in", "text": "你好"}),
    ("order", {"amount": "10.00"}),
]


def _events(customers: range, *, prefix: str) -> list[dict]:
    """Five events (request, add, join, message, order) for each customer number in `customers`."""
    events = []
    for customer in customers:
        for step, (event_type, fields) in enumerate(STEPS):
            event = {
                "id": f"{prefix}-{customer}-{step}",
                "type": event_type,
                "at": f"2026-11-02T10:{step:02d}:{customer % 60:02d}+08:00",
                "phone": f"139{customer:08d}",
                **fields,
            }
            if event_type == "order":
                event["order_no"] = f"{prefix}-{customer}"
            events.append(event)
    return events


def _post_together(client_for, staff, batches: list[list[dict]]) -> list[dict]:
    """POST every batch from its own thread, released together; the answers in batch order."""
    barrier = threading.Barrier(len(batches))
    answers: list = [None] * len(batches)

    def post(index: int) -> None:
        client = client_for(staff)
        try:
            barrier.wait()
            response = client.post(URL, batches[index], format="json")
            answers[index] = (response.status_code, response.json())
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=(index,)) for index in range(len(batches))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers


@pytest.fixture
def world(operator):
    ScriptFactory(code="sa")
    LeadSourceFactory(code="tele")
    GroupFactory(code="g1")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_batches_with_the_same_new_phones_store_each_customer_once(client_for, manager, world):
    # 200 new phones, 5 events each, under different event ids in each batch: 1,000 + 1,000 events.
    first = _events(range(200), prefix="a")
    second = list(reversed(_events(range(200), prefix="b")))
    for _ in range(3):
        Event.objects.all().delete()
        Order.objects.all().delete()
        Customer.objects.all().delete()
        answers = _post_together(client_for, manager, [first, second])
        assert answers == [
            (200, {"accepted": 1000, "duplicates": 0, "errors": []}),
            (200, {"accepted": 1000, "duplicates": 0, "errors": []}),
        ]
        assert Customer.objects.count() == 200
        assert Event.objects.count() == 2000
        # Each phone's customer holds both batches' five events and both orders.
        # Phones are stored encrypted: they are compared by their blind index.
        assert set(Customer.objects.filter(events__isnull=False).values_list("phone_index", flat=True)) == set(
            phones_index([f"139{n:08d}" for n in range(200)])
        )
        assert Order.objects.count() == 400
        assert set(Customer.objects.values_list("stage", flat=True)) == {"repeat_buyer"}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_batches_sharing_event_ids_store_each_event_once(client_for, manager, world):
    # Customers 0-199 in the first batch, 100-299 in the second: 100 customers and their 500
    # events (ids, order numbers) are in both.
    first = _events(range(200), prefix="e")
    second = list(reversed(_events(range(100, 300), prefix="e")))
    for _ in range(3):
        Event.objects.all().delete()
        Order.objects.all().delete()
        Customer.objects.all().delete()
        answers = _post_together(client_for, manager, [first, second])
        assert [status for status, _ in answers] == [200, 200]
        assert all(body["errors"] == [] for _, body in answers)
        # 1,500 distinct ids: each shared one is accepted by one batch and a duplicate in the other.
        assert sum(body["accepted"] for _, body in answers) == 1500
        assert sum(body["duplicates"] for _, body in answers) == 500
        assert Event.objects.count() == 1500
        assert Event.objects.values("client_id").distinct().count() == 1500
        assert Customer.objects.count() == 300
        assert Order.objects.count() == 300
        assert set(Customer.objects.values_list("stage", flat=True)) == {"buyer"}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_batches_adding_the_same_customers_open_one_ownership_each(client_for, manager, world, team):
    from customers.models import OwnershipPeriod
    from tests.customers.factories import CustomerFactory
    from tests.staff.factories import StaffFactory

    StaffFactory(user__username="op2", team=team)
    phones = [f"139{n:08d}" for n in range(100)]

    def adds(staff: str, hour: int, prefix: str) -> list[dict]:
        return [
            {
                "id": f"{prefix}-{n}",
                "type": "friend_added",
                "at": f"2026-11-02T{hour:02d}:00:00+08:00",
                "phone": phone,
                "staff": staff,
            }
            for n, phone in enumerate(phones)
        ]

    for _ in range(3):
        Event.objects.all().delete()
        OwnershipPeriod.objects.all().delete()
        Customer.objects.all().delete()
        for phone in phones:
            CustomerFactory(phone=phone, owner=None)
        answers = _post_together(client_for, manager, [adds("op1", 10, "a"), list(reversed(adds("op2", 9, "b")))])
        assert answers == [(200, {"accepted": 100, "duplicates": 0, "errors": []})] * 2
        # The earlier add (op2 at 09:00) decides the owner, whichever batch committed first.
        assert set(Customer.objects.values_list("owner__user__username", flat=True)) == {"op2"}
        assert OwnershipPeriod.objects.count() == 100
        assert OwnershipPeriod.objects.filter(ended_at__isnull=True).count() == 100


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_batches_of_one_days_deletions_leave_the_loss_alert_exact(client_for, manager, world):
    # op1 deletes 30 customers on 2 November (threshold 5): 10 in each of three batches posted together.
    # The alert is upserted after each batch's commit and only ever grows: it ends at 30, once.
    def deletions(first: int) -> list[dict]:
        return [
            {
                "id": f"del-{n}",
                "type": "friend_deleted",
                "at": f"2026-11-02T11:{n:02d}:00+08:00",
                "phone": f"137{n:08d}",
                "staff": "op1",
            }
            for n in range(first, first + 10)
        ]

    for round_ in range(3):
        Alert.objects.all().delete()
        Event.objects.filter(type="friend_deleted").delete()
        answers = _post_together(client_for, manager, [deletions(0), deletions(10), deletions(20)])
        assert [status for status, _ in answers] == [200, 200, 200], (round_, answers)
        alert = Alert.objects.get(kind=Alert.Kind.LOSS)
        assert (alert.count, alert.date.isoformat()) == (30, "2026-11-02"), round_

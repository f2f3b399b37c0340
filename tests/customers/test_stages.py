"""Stages and owners derived from events (docs/domain.md §Vocabulary), whatever the arrival order."""

import datetime as dt
import random

import pytest

from customers.events.services import events_ingest
from customers.models import Customer, Event, OwnershipPeriod, Stage, StageTransition
from customers.services.customers import customer_update
from customers.services.stages import customer_stages_refresh
from tests.customers.factories import CustomerFactory, OrderFactory
from tests.staff.factories import StaffFactory
from tests.worked_example import worked_example, worked_example_world


def _stages_and_owners() -> tuple[dict, dict]:
    customers = Customer.objects.select_related("owner__user")
    stages = {c.phone: c.stage for c in customers}
    owners = {c.phone: c.owner.user.username if c.owner else None for c in customers}
    return stages, owners


@pytest.mark.django_db
def test_worked_example_gives_the_expected_stages_and_owners():
    example = worked_example()
    worked_example_world(example)
    result = events_ingest(events=example["events"])
    assert (result.accepted, result.duplicates, result.errors) == (26, 0, [])
    stages, owners = _stages_and_owners()
    assert stages == example["expected_stage"]
    assert owners == example["expected_owner"]


@pytest.mark.django_db
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_shuffled_arrival_in_small_batches_gives_the_same_stages_and_owners(seed):
    example = worked_example()
    worked_example_world(example)
    events = list(example["events"])
    random.Random(seed).shuffle(events)
    for start in range(0, len(events), 3):
        events_ingest(events=events[start : start + 3])
    stages, owners = _stages_and_owners()
    assert stages == example["expected_stage"]
    assert owners == example["expected_owner"]
    # Each owner holds the customer from its first friend_added: ex-02, ex-10, ex-11, ex-16, ex-25.
    shanghai = dt.timezone(dt.timedelta(hours=8))
    periods = {
        p.customer.phone: (p.staff.user.username, p.started_at, p.ended_at)
        for p in OwnershipPeriod.objects.select_related("customer", "staff__user")
    }
    assert periods == {
        "13800000001": ("amy", dt.datetime(2026, 11, 3, 9, tzinfo=shanghai), None),
        "13800000002": ("kim", dt.datetime(2026, 11, 9, 10, tzinfo=shanghai), None),
        "13800000003": ("ben", dt.datetime(2026, 11, 2, 16, 30, tzinfo=dt.UTC), None),
        "13800000004": ("amy", dt.datetime(2026, 11, 8, 22, tzinfo=shanghai), None),
        "13800000007": ("amy", dt.datetime(2026, 11, 5, 15, tzinfo=shanghai), None),
    }


@pytest.mark.django_db
def test_every_change_is_a_transition_pointing_at_its_event(team):
    StaffFactory(user__username="amy", team=team)
    base = {"phone": "13800000001", "staff": "amy"}
    events_ingest(events=[{"id": "r", "type": "friend_request_sent", "at": "2026-11-02T10:00:00+08:00", **base}])
    events_ingest(events=[{"id": "a", "type": "friend_added", "at": "2026-11-03T10:00:00+08:00", **base}])
    events_ingest(events=[{"id": "d", "type": "friend_deleted", "at": "2026-11-04T10:00:00+08:00", **base}])
    # A re-add that arrives late but happened before the deletion: the customer stays lost.
    events_ingest(events=[{"id": "a0", "type": "friend_added", "at": "2026-11-03T08:00:00+08:00", **base}])
    transitions = list(StageTransition.objects.order_by("id").values_list("from_stage", "to_stage", "event__client_id"))
    assert transitions == [
        ("lead", "requested", "r"),
        ("requested", "fan", "a"),
        ("fan", "lost", "d"),
    ]
    lost = StageTransition.objects.get(to_stage="lost")
    assert lost.cause == "event"
    assert lost.at == Event.objects.get(client_id="d").at


@pytest.mark.django_db
def test_a_change_by_hand_holds_until_the_next_event(team):
    StaffFactory(user__username="amy", team=team)
    request = {"type": "friend_request_sent", "phone": "13800000001", "staff": "amy"}
    events_ingest(events=[{"id": "r1", "at": "2026-11-02T10:00:00+08:00", **request}])
    customer = Customer.objects.get()
    customer.stage = Stage.BUYER
    customer.save()

    events_ingest(events=[{"id": "r1", "at": "2026-11-02T10:00:00+08:00", **request}])
    customer.refresh_from_db()
    assert customer.stage == Stage.BUYER

    events_ingest(events=[{"id": "r2", "at": "2026-11-05T10:00:00+08:00", **request}])
    customer.refresh_from_db()
    assert customer.stage == Stage.REQUESTED
    last = StageTransition.objects.latest("id")
    assert (last.from_stage, last.to_stage, last.event.client_id) == ("buyer", "requested", "r2")


@pytest.mark.django_db
def test_a_message_ends_a_change_by_hand_too(team, manager):
    """Messages decide no stage, yet they are events: the next one ends a stage set by hand (SPEC §2)."""
    StaffFactory(user__username="amy", team=team)
    added = {"type": "friend_added", "phone": "13800000001", "staff": "amy"}
    events_ingest(events=[{"id": "a1", "at": "2026-11-02T10:00:00+08:00", **added}])
    customer = Customer.objects.get()
    customer_update(customer=customer, data={"stage": Stage.BUYER}, changed_by=manager.user)

    message = {"type": "message", "direction": "in", "staff": "amy", "text": "在吗"}
    events_ingest(events=[{"id": "m1", "at": "2026-11-06T10:00:00+08:00", "phone": "13800000001", **message}])
    customer.refresh_from_db()
    assert customer.stage == Stage.FAN
    last = StageTransition.objects.filter(customer=customer).latest("id")
    assert (last.from_stage, last.to_stage, last.cause, last.event.client_id) == ("buyer", "fan", "event", "a1")


@pytest.mark.django_db
def test_refresh_with_import_cause_counts_imported_orders(django_assert_max_num_queries):
    customers = [CustomerFactory() for _ in range(3)]
    at = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    # Customer 0: two orders (repeat buyer); customer 1: one (buyer); customer 2: none (stays lead).
    for n, customer in enumerate([customers[0], customers[0], customers[1]]):
        OrderFactory(order_no=f"IMP-{n}", customer=customer, amount=10, ordered_at=at)
    # Customers, events, orders, one UPDATE per new stage (2), one INSERT of transitions.
    with django_assert_max_num_queries(6):
        changed = customer_stages_refresh(customer_ids=[c.pk for c in customers], cause="import")
    assert changed == 2
    assert [Customer.objects.get(pk=c.pk).stage for c in customers] == [Stage.REPEAT_BUYER, Stage.BUYER, Stage.LEAD]
    assert set(StageTransition.objects.values_list("cause", "to_stage", "event")) == {
        ("import", "repeat_buyer", None),
        ("import", "buyer", None),
    }

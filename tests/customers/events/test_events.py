"""Event ingestion (docs/domain.md §Events): validation by item, idempotency, customers, groups, orders."""

import datetime as dt
import zoneinfo
from decimal import Decimal

import pytest

from campaigns.models import Group, GroupMembership
from customers.events.services import events_ingest
from customers.models import Customer, Event, LeadSource, Order, OwnershipPeriod, Stage
from customers.ownership.services import customers_assign_owner
from customers.phones import phone_normalize
from customers.privacy.crypto import phone_index
from tests.campaigns.factories import ScriptFactory
from tests.customers.factories import CustomerFactory, LeadSourceFactory, OrderFactory
from tests.staff.factories import StaffFactory

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def _event(event_id, event_type="friend_request_sent", **fields):
    event = {"id": event_id, "type": event_type, "at": "2026-11-02T10:00:00+08:00", "phone": "13800000001"}
    if event_type in ("friend_request_sent", "friend_added", "friend_deleted"):
        event["staff"] = "amy"
    event.update(fields)
    return event


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("13812345678", "13812345678"),
        ("138 1234 5678", "13812345678"),
        ("+86 138-1234-5678", "13812345678"),
        ("0086 13812345678", "13812345678"),
        ("8613812345678", "13812345678"),
        (13812345678, "13812345678"),
        ("12812345678", None),  # second digit must be 3-9
        ("1381234567", None),  # 10 digits
        ("138123456789", None),  # 12 digits
        ("138-1234-567a", None),
        ("", None),
        (None, None),
    ],
)
def test_phone_normalize(raw, expected):
    assert phone_normalize(raw) == expected


@pytest.fixture
def amy(team):
    return StaffFactory(user__username="amy", team=team)


@pytest.mark.django_db
def test_each_bad_item_is_reported_by_index_and_field_and_good_items_are_stored(amy):
    ScriptFactory(code="sa")
    batch = [
        _event("ok-1", script="sa"),
        _event("bad-staff", staff="zed"),
        _event("bad-time", at="yesterday"),
        _event("bad-phone", phone="12345"),
        _event("bad-type", event_type="waved"),
        _event("bad-amount", event_type="order", amount="-3", order_no="N1"),
        _event("bad-script", script="nope"),
        _event("bad-direction", event_type="message", direction="sideways"),
        _event("no-group", event_type="group_joined"),
        _event("bad-group", event_type="group_left", group="关节 群"),
        _event("ok-2", event_type="message", direction="in", at="2026-11-02T11:00:00"),
        {"type": "friend_added", "at": "2026-11-02T10:00:00+08:00", "phone": "13800000001", "staff": "amy"},
    ]
    result = events_ingest(events=batch)

    assert result.accepted == 2
    assert result.duplicates == 0
    errors = {e["index"]: (e["id"], e["error"]) for e in result.errors}
    assert errors == {
        1: ("bad-staff", "staff: unknown username 'zed'"),
        2: ("bad-time", "at: not an ISO 8601 time"),
        3: ("bad-phone", "phone: not a mainland mobile number"),
        4: ("bad-type", errors[4][1]),
        5: ("bad-amount", "amount: must be a number ≥ 0"),
        6: ("bad-script", "script: unknown script code 'nope'"),
        7: ("bad-direction", "direction: must be 'in' or 'out' for a message"),
        8: ("no-group", "group: required"),
        9: ("bad-group", "group: a code of letters, digits, '-' or '_' (no spaces, '/' or '.')"),
        11: (None, "id: required"),
    }
    assert errors[4][1].startswith("type: must be one of friend_request_sent, friend_added")
    assert set(Event.objects.values_list("client_id", flat=True)) == {"ok-1", "ok-2"}
    # A time without offset is read in Asia/Shanghai: 11:00 there is 03:00 UTC.
    message = Event.objects.get(client_id="ok-2")
    assert message.at == dt.datetime(2026, 11, 2, 3, 0, tzinfo=dt.UTC)
    assert message.direction == "in"


@pytest.mark.django_db
def test_an_unregistered_source_or_group_code_is_created_not_refused(amy):
    result = events_ingest(
        events=[
            _event("s-1", source="douyin-live"),
            _event("g-1", event_type="group_joined", group="关节群-1", phone="13800000002"),
        ]
    )

    assert (result.accepted, result.errors) == (2, [])
    source = LeadSource.objects.get(code="douyin-live")
    assert Customer.objects.get(phone_index=phone_index("13800000001")).source == source
    assert Group.objects.filter(code="关节群-1").exists()
    assert Customer.objects.get(phone_index=phone_index("13800000002")).source.code == "unknown"


@pytest.mark.django_db
def test_a_source_code_that_could_not_name_a_lead_source_is_refused(amy):
    # An unknown source code creates a lead source, addressed by its code in /api/v1/lead-sources/<code>/.
    result = events_ingest(events=[_event("s-1", source="a/b"), _event("s-2", source="抖音 直播")])

    assert result.accepted == 0
    assert [(e["id"], e["error"]) for e in result.errors] == [
        ("s-1", "source: a code of letters, digits, '-' or '_' (no spaces, '/' or '.')"),
        ("s-2", "source: a code of letters, digits, '-' or '_' (no spaces, '/' or '.')"),
    ]
    assert not LeadSource.objects.filter(code__in=["a/b", "抖音 直播"]).exists()


@pytest.mark.django_db
def test_resent_ids_are_duplicates_and_change_nothing(amy):
    first = events_ingest(events=[_event("e1"), _event("e2", "friend_added", at="2026-11-03T09:00:00+08:00")])
    assert (first.accepted, first.duplicates, first.errors) == (2, 0, [])
    customer = Customer.objects.get(phone_index=phone_index("13800000001"))
    assert customer.stage == Stage.FAN

    # e1 re-sent with other content, e3 twice in the same batch: 2 duplicates, 1 accepted.
    again = events_ingest(
        events=[
            _event("e1", "friend_deleted"),
            _event("e3", "message", direction="in"),
            _event("e3", "message", direction="out"),
        ]
    )
    assert (again.accepted, again.duplicates, again.errors) == (1, 2, [])
    assert Event.objects.count() == 3
    assert Event.objects.get(client_id="e1").type == "friend_request_sent"
    assert Event.objects.get(client_id="e3").direction == "in"

    customer.stage = Stage.BUYER
    customer.save()
    # Only duplicates: the customer got no new event, so the change by hand holds.
    replay = events_ingest(events=[_event("e1"), _event("e2", "friend_added")])
    assert (replay.accepted, replay.duplicates) == (0, 2)
    customer.refresh_from_db()
    assert customer.stage == Stage.BUYER


@pytest.mark.django_db
def test_unknown_customers_and_groups_are_created_and_identities_joined(amy):
    LeadSourceFactory(code="tele")
    result = events_ingest(
        events=[
            _event("a", phone="+86 138-0000-0009", source="tele"),
            _event("b", "group_joined", phone=None, external_id="wm-9", group="new-group"),
            _event("c", "message", direction="in", phone="13800000009", external_id="wm-9"),
            _event("d", "friend_request_sent", phone="13800000010"),
        ]
    )
    assert result.accepted == 4, result.errors
    # "a" and "c" share a phone, "b" and "c" an external id: one customer, who holds both.
    assert Customer.objects.count() == 2
    joined = Customer.objects.get(phone_index=phone_index("13800000009"))
    assert joined.external_id == "wm-9"
    assert joined.source.code == "tele"
    assert joined.stage == Stage.GROUPED
    assert Event.objects.filter(customer=joined).count() == 3
    other = Customer.objects.get(phone_index=phone_index("13800000010"))
    assert other.source.code == "unknown"
    assert LeadSource.objects.get(code="unknown").kind == LeadSource.Kind.ADS
    assert Group.objects.filter(code="new-group").exists()


@pytest.mark.django_db
def test_orders_are_created_once_and_a_used_order_number_is_an_error(amy):
    existing = CustomerFactory(phone="13800000002")
    OrderFactory(
        order_no="IMPORTED-1",
        customer=existing,
        amount=Decimal("5"),
        ordered_at=dt.datetime(2026, 11, 1, tzinfo=dt.UTC),
    )
    result = events_ingest(
        events=[
            _event("o1", "order", amount="99.00", order_no="N-1"),
            _event("o2", "order", amount=50.5, order_no="N-2"),
            _event("o3", "order", amount="10", order_no="N-1"),
            _event("o4", "order", amount="10", order_no="IMPORTED-1"),
            _event("o5", "order", amount="1.234", order_no="N-5"),
            _event("o6", "order", amount=1.7976931348623157e308, order_no="N-6"),
        ]
    )
    assert result.accepted == 2
    assert [(e["index"], e["error"]) for e in result.errors] == [
        (2, "order_no: 'N-1' is already used by another order"),
        (3, "order_no: 'IMPORTED-1' is already used by another order"),
        (4, "amount: at most 2 decimal places and below 10,000,000,000"),
        (5, "amount: at most 2 decimal places and below 10,000,000,000"),
    ]
    orders = {o.order_no: o for o in Order.objects.select_related("event")}
    assert set(orders) == {"IMPORTED-1", "N-1", "N-2"}
    assert orders["N-1"].amount == Decimal("99.00")
    assert orders["N-2"].amount == Decimal("50.50")
    assert orders["N-1"].event.client_id == "o1"
    # 99.00 + 50.50: two orders make a repeat buyer.
    assert Customer.objects.get(phone_index=phone_index("13800000001")).stage == Stage.REPEAT_BUYER


@pytest.mark.django_db
def test_group_membership_follows_the_latest_join_or_leave_whatever_the_arrival_order(amy):
    join = _event("j", "group_joined", group="g1", at="2026-11-03T10:00:00+08:00")
    leave = _event("l", "group_left", group="g1", at="2026-11-04T10:00:00+08:00")
    events_ingest(events=[leave])
    assert not GroupMembership.objects.exists()
    events_ingest(events=[join])
    membership = GroupMembership.objects.get()
    assert membership.joined_at == dt.datetime(2026, 11, 3, 10, tzinfo=SHANGHAI)
    assert membership.left_at == dt.datetime(2026, 11, 4, 10, tzinfo=SHANGHAI)
    assert not membership.active
    events_ingest(events=[_event("j2", "group_joined", group="g1", at="2026-11-05T10:00:00+08:00")])
    membership.refresh_from_db()
    assert membership.active


@pytest.mark.django_db
def test_owner_is_the_staff_of_the_first_friend_added_even_when_it_arrives_late(amy, team):
    ben = StaffFactory(user__username="ben", team=team)
    events_ingest(events=[_event("late-add", "friend_added", staff="ben", at="2026-11-05T10:00:00+08:00")])
    customer = Customer.objects.get()
    assert customer.owner == ben
    events_ingest(events=[_event("early-add", "friend_added", staff="amy", at="2026-11-03T10:00:00+08:00")])
    customer.refresh_from_db()
    assert customer.owner == amy
    period = OwnershipPeriod.objects.get(customer=customer)
    assert (period.staff, period.started_at, period.ended_at) == (
        amy,
        dt.datetime(2026, 11, 3, 10, tzinfo=SHANGHAI),
        None,
    )
    assert period.cause == OwnershipPeriod.Cause.EVENT


@pytest.mark.django_db
def test_an_owner_set_by_import_is_not_overridden_by_events(amy, team):
    ben = StaffFactory(user__username="ben", team=team)
    customer = CustomerFactory(phone="13800000001")
    customers_assign_owner(
        assignments={customer.pk: ben.pk},
        at=dt.datetime(2026, 11, 1, tzinfo=dt.UTC),
        cause=OwnershipPeriod.Cause.IMPORT,
    )
    events_ingest(events=[_event("add", "friend_added", staff="amy")])
    customer.refresh_from_db()
    assert customer.owner == ben
    assert OwnershipPeriod.objects.filter(customer=customer).count() == 1

"""Events carrying channel_code: tags, source, SOP firings, item errors; the per-code report."""

import datetime as dt
import threading
import zoneinfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from campaigns.channels.models import ChannelAdd, ChannelScanCount
from campaigns.channels.selectors import channel_code_report
from campaigns.channels.services import channel_adds_record, channel_code_route
from customers.events.services import events_ingest
from customers.models import Customer, Event
from customers.privacy.crypto import phone_index, phones_index
from tests.campaigns.channels.factories import ChannelCodeFactory
from tests.campaigns.factories import SopTemplateFactory
from tests.customers.factories import CustomerFactory, LeadSourceFactory, TagFactory
from tests.staff.factories import StaffFactory

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def _add(event_id, phone, at="2026-11-02T10:00:00+08:00", **fields):
    return {"id": event_id, "type": "friend_added", "at": at, "phone": phone, "staff": "amy", **fields}


@pytest.fixture
def amy(team):
    return StaffFactory(user__username="amy", team=team)


@pytest.fixture
def live_code(amy):
    sop = SopTemplateFactory(code="welcome", name="欢迎")
    return ChannelCodeFactory(
        code="live",
        staff=[amy],
        source=LeadSourceFactory(code="live-src"),
        tags=[TagFactory(code="knee"), TagFactory(code="live")],
        sop=sop,
    )


@pytest.mark.django_db
def test_friend_added_with_channel_code_gives_tags_and_source(amy, live_code):
    shop = LeadSourceFactory(code="shop")
    kept_source = CustomerFactory(phone="13800000002", source=shop)
    result = events_ingest(
        events=[
            _add("a1", "13800000001", channel_code="live"),
            _add("a2", "13800000002", channel_code="live"),
            _add("a3", "13800000003", channel_code="nope"),
            {
                "id": "m1",
                "type": "message",
                "direction": "in",
                "at": "2026-11-02T11:00",
                "phone": "13800000001",
                "channel_code": "live",
            },
        ]
    )
    assert result.accepted == 2
    assert [(e["index"], e["error"]) for e in result.errors] == [
        (2, "channel_code: unknown channel code 'nope'"),
        (3, "channel_code: only on friend_added"),
    ]
    new = Customer.objects.get(phone_index=phone_index("13800000001"))
    assert new.source.code == "live-src"
    kept_source.refresh_from_db()
    assert kept_source.source.code == "shop"
    assert set(new.tags.values_list("code", flat=True)) == {"knee", "live"}
    assert set(kept_source.tags.values_list("code", flat=True)) == {"knee", "live"}
    assert ChannelAdd.objects.filter(channel_code=live_code).count() == 2


@pytest.mark.django_db
def test_channel_adds_name_the_sop_firings(amy, live_code):
    events_ingest(events=[_add("a1", "13800000001")])
    customer = Customer.objects.get(phone_index=phone_index("13800000001"))
    event = Event.objects.get(client_id="a1")
    at = dt.datetime(2026, 11, 2, 2, tzinfo=dt.UTC)

    class Stored:
        pk, customer_id, channel_code_id = event.pk, customer.pk, live_code.pk

    Stored.at = at
    firings = channel_adds_record(events=[Stored])
    assert firings == [(customer.pk, live_code.sop_id, at)]


@pytest.mark.django_db
def test_report_per_code_worked_example(amy, live_code):
    other = ChannelCodeFactory(code="shop-card", staff=[amy])
    # c1: first add through live on 11-02, joins a group and orders after it -> new fan, grouped, buyer.
    # c2: added directly on 11-01 first, then again through live on 11-03 -> an add, not a new fan.
    # c3: first add through live on 11-04, nothing after -> new fan only.
    # c4: through live on 10-30, outside the range.
    events = [
        _add("c1-add", "13800000001", at="2026-11-02T10:00:00+08:00", channel_code="live"),
        {
            "id": "c1-join",
            "type": "group_joined",
            "at": "2026-11-02T12:00:00+08:00",
            "phone": "13800000001",
            "group": "g1",
        },
        {
            "id": "c1-order",
            "type": "order",
            "at": "2026-11-05T12:00:00+08:00",
            "phone": "13800000001",
            "amount": "99",
            "order_no": "o1",
        },
        _add("c2-first", "13800000002", at="2026-11-01T10:00:00+08:00"),
        _add("c2-live", "13800000002", at="2026-11-03T10:00:00+08:00", channel_code="live"),
        _add("c3-add", "13800000003", at="2026-11-04T23:30:00+08:00", channel_code="live"),
        _add("c4-add", "13800000004", at="2026-10-30T10:00:00+08:00", channel_code="live"),
    ]
    assert events_ingest(events=events).errors == []
    for day in (dt.datetime(2026, 11, 2, 9, tzinfo=SHANGHAI), dt.datetime(2026, 11, 2, 10, tzinfo=SHANGHAI)):
        channel_code_route(channel_code=live_code, now=day)
    channel_code_route(channel_code=live_code, now=dt.datetime(2026, 10, 30, 9, tzinfo=SHANGHAI))
    rows = {r["code"]: r for r in channel_code_report(date_from=dt.date(2026, 11, 1), date_to=dt.date(2026, 11, 4))}
    live = rows["live"]
    assert (live["scans"], live["adds"], live["new_fans"], live["grouped"], live["buyers"]) == (2, 3, 2, 1, 1)
    assert rows[other.code]["adds"] == 0


@pytest.mark.django_db
def test_report_api_needs_a_range(client_for, manager, live_code):
    client = client_for(manager)
    assert client.get("/api/v1/reports/channel-codes/").status_code == 400
    bad = client.get("/api/v1/reports/channel-codes/?date_from=2026-11-05&date_to=2026-11-01")
    assert bad.status_code == 400 and "date_to" in bad.json()
    answer = client.get("/api/v1/reports/channel-codes/?date_from=2026-11-01&date_to=2026-11-05")
    assert answer.json() == [
        {
            "code": "live",
            "name": live_code.name,
            "active": True,
            "scans": 0,
            "adds": 0,
            "new_fans": 0,
            "grouped": 0,
            "buyers": 0,
        }
    ]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_scans_never_both_take_the_last_slot(team):
    """Eight threads scan a code whose two staff have 3 slots each; exactly 6 get someone."""
    staff = [StaffFactory(user__username=name, team=team) for name in ("ann", "bob")]
    code = ChannelCodeFactory(code="rush", staff=staff, daily_cap=3)
    start = threading.Barrier(8)
    outcomes = []

    def scan():
        try:
            start.wait()
            routed = channel_code_route(channel_code=code)
            outcomes.append(routed.staff.user.username if routed.staff else None)
        finally:
            connection.close()

    threads = [threading.Thread(target=scan) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(o for o in outcomes if o) == ["ann", "ann", "ann", "bob", "bob", "bob"]
    assert outcomes.count(None) == 2
    assert sorted(ChannelScanCount.objects.values_list("scans", flat=True)) == [3, 3]


@pytest.mark.postgres
@pytest.mark.django_db
def test_channel_fields_cost_the_same_queries_for_10_or_500_adds(amy, live_code):
    referrer = CustomerFactory(phone="13900000000")

    def batch(size, prefix):
        return [_add(f"{prefix}{n}", f"137{n:08d}", channel_code="live", referrer=referrer.phone) for n in range(size)]

    counts = []
    # The first batch also creates the `unknown` lead source; the next two compare like with like.
    for size, prefix in ((10, "warm"), (10, "s"), (500, "l")):
        Customer.objects.filter(phone_index__in=phones_index([f"137{n:08d}" for n in range(500)])).delete()
        with CaptureQueriesContext(connection) as queries:
            assert events_ingest(events=batch(size, prefix)).accepted == size
        counts.append(len(queries))
    # 36 before the SOP engine; its active channel templates are one more query (none with no firings).
    assert counts[1] == counts[2] <= 37
    assert ChannelAdd.objects.count() == 500


@pytest.mark.django_db
def test_friend_added_through_a_code_with_a_channel_template_gives_its_owner_the_tasks(amy, live_code):
    from campaigns.sop.models import SopTask
    from tests.campaigns.sop.factories import template

    live_code.sop = template(
        "live-welcome",
        trigger={"kind": "channel"},
        steps=[
            {"day": 0, "time": "18:00", "action": "private_message", "content": "欢迎 {name}"},
            {"day": 1, "time": "09:00", "action": "call", "content": "回访"},
        ],
    )
    live_code.save()
    assert events_ingest(events=[_add("a1", "13800000001", channel_code="live")]).accepted == 1
    customer = Customer.objects.get(phone_index=phone_index("13800000001"))
    assert customer.owner_id == amy.pk
    tasks = SopTask.objects.filter(customer=customer).order_by("step")
    assert [(t.template_id, t.step, t.staff_id, t.action) for t in tasks] == [
        (live_code.sop_id, 0, amy.pk, "private_message"),
        (live_code.sop_id, 1, amy.pk, "call"),
    ]
    # The same add again (another event id) fires nothing more: a template fires once per customer.
    assert events_ingest(events=[_add("a2", "13800000001", channel_code="live")]).accepted == 1
    assert SopTask.objects.filter(customer=customer).count() == 2
    # An add without a code is no channel add: the template stays quiet for a new customer.
    assert events_ingest(events=[_add("a3", "13800000002")]).accepted == 1
    assert not SopTask.objects.filter(customer__phone_index=phone_index("13800000002")).exists()

"""Broadcasts: the audience and its live count, freezing at the scheduled time, owner tasks, delivery and replies."""

import datetime as dt
import zoneinfo

import pytest

from campaigns.broadcasts.models import Broadcast, BroadcastRecipient
from campaigns.broadcasts.services import broadcast_create, broadcasts_send_due
from campaigns.models import SopTask
from customers.events.services import events_ingest
from customers.models import Customer, Stage
from staff.models import Staff
from tests.customers.factories import CustomerFactory, LeadSourceFactory, TagFactory
from tests.staff.factories import StaffFactory, TeamFactory

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
AT = dt.datetime(2026, 11, 2, 19, tzinfo=SHANGHAI)


@pytest.fixture
def crowd(team):
    """t1: ann owns c1 (knee, fan) and c2 (knee, buyer); bob owns c3 (knee, fan); c4 (knee) has no owner;
    t2: zoe owns c5 (knee, fan). c6 (fan, no tag) is owned by ann."""
    ann = StaffFactory(user__username="ann", team=team)
    bob = StaffFactory(user__username="bob", team=team)
    zoe = StaffFactory(user__username="zoe", team=TeamFactory(code="t2"))
    knee = TagFactory(code="knee")
    src = LeadSourceFactory(code="tele")
    spec = [
        ("13800000001", ann, Stage.FAN, True),
        ("13800000002", ann, Stage.BUYER, True),
        ("13800000003", bob, Stage.FAN, True),
        ("13800000004", None, Stage.FAN, True),
        ("13800000005", zoe, Stage.FAN, True),
        ("13800000006", ann, Stage.FAN, False),
    ]
    customers = []
    for phone, owner, stage, tagged in spec:
        customer = CustomerFactory(phone=phone, owner=owner, stage=stage, source=src)
        if tagged:
            customer.tags.add(knee)
        customers.append(customer)
    return {"ann": ann, "bob": bob, "zoe": zoe, "customers": customers}


@pytest.mark.django_db
def test_preview_counts_customers_matching_every_list(client_for, manager, crowd):
    client = client_for(manager)

    def count(audience):
        return client.post("/api/v1/broadcasts/preview/", {"audience": audience}, format="json").json()["count"]

    assert count({"tags": ["knee"]}) == 5
    assert count({"tags": ["knee"], "stages": ["fan"]}) == 4
    assert count({"tags": ["knee"], "stages": ["fan", "buyer"], "owners": ["ann"]}) == 2
    assert count({"sources": ["tele"], "owners": ["ann", "zoe"]}) == 4


@pytest.mark.django_db
def test_bad_audiences_are_400_naming_audience(client_for, manager, crowd):
    client = client_for(manager)
    base = {"title": "福利", "content": "会员日8折", "scheduled_at": "2026-11-02T19:00:00+08:00"}
    for audience in ({}, {"tags": []}, {"tags": ["nope"]}, {"stages": ["vip"]}, {"owners": ["zed"]}, []):
        answer = client.post("/api/v1/broadcasts/", {**base, "audience": audience}, format="json")
        assert answer.status_code == 400 and "audience" in answer.json(), audience
    assert Broadcast.objects.count() == 0


@pytest.mark.django_db
def test_a_past_broadcast_is_sent_at_once_one_task_per_owner(
    client_for, manager, crowd, django_capture_on_commit_callbacks
):
    client = client_for(manager)
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(
            "/api/v1/broadcasts/",
            {"title": "福利", "content": "会员日8折", "audience": {"tags": ["knee"]}, "scheduled_at": AT.isoformat()},
            format="json",
        )
    assert answer.status_code == 201
    # Sent once the creating transaction commits.
    body = client.get(f"/api/v1/broadcasts/{answer.json()['id']}/").json()
    assert (body["status"], body["recipients"], body["unassigned"]) == ("sent", 5, 1)
    tasks = SopTask.objects.order_by("staff__user__username")
    assert [(t.staff.user.username, t.due_at) for t in tasks] == [("ann", AT), ("bob", AT), ("zoe", AT)]
    ann_task = tasks[0]
    assert (ann_task.action, ann_task.template_id, ann_task.customer_id) == ("broadcast", None, None)
    assert ann_task.content.startswith("会员日8折") and "2 位客户" in ann_task.content
    assert ann_task.trigger_at == AT and ann_task.deadline > AT
    assert {r.customer.phone for r in BroadcastRecipient.objects.filter(task=ann_task).select_related("customer")} == {
        "13800000001",
        "13800000002",
    }
    # Sending again changes nothing.
    assert broadcasts_send_due(now=AT + dt.timedelta(hours=1)) == []
    assert BroadcastRecipient.objects.count() == 5 and SopTask.objects.count() == 3


@pytest.mark.django_db
def test_team_leads_broadcast_within_their_team(client_for, team, crowd):
    lead = StaffFactory(user__username="lead", role=Staff.Role.TEAM_LEAD, team=team)
    client = client_for(lead)
    assert client.post("/api/v1/broadcasts/preview/", {"audience": {"tags": ["knee"]}}, format="json").json() == {
        "count": 3
    }
    answer = client.post("/api/v1/broadcasts/preview/", {"audience": {"owners": ["zoe"]}}, format="json")
    assert answer.status_code == 400 and "audience" in answer.json()
    operator = crowd["ann"]
    assert client_for(operator).get("/api/v1/broadcasts/").status_code == 403


@pytest.mark.django_db
def test_delivery_and_replies_come_from_messages(client_for, manager, crowd):
    broadcast_create(
        title="福利", content="8折", audience={"tags": ["knee"]}, scheduled_at=AT, created_by=manager, team_id=None
    )
    broadcasts_send_due(now=AT)

    def message(event_id, phone, direction, at, **fields):
        return {
            "id": event_id,
            "type": "message",
            "direction": direction,
            "at": at.isoformat(),
            "phone": phone,
            **fields,
        }

    events = [
        message("d1", "13800000001", "out", AT + dt.timedelta(hours=1)),  # delivered
        message("r1", "13800000001", "in", AT + dt.timedelta(hours=20)),  # replied within 24 h of delivery
        message("d2", "13800000002", "out", AT + dt.timedelta(hours=23)),  # delivered
        message("r2", "13800000002", "in", AT + dt.timedelta(hours=48)),  # too late: no reply
        message("d3", "13800000003", "out", AT - dt.timedelta(minutes=5)),  # before the broadcast: not delivered
        message("d5", "13800000005", "out", AT + dt.timedelta(hours=2), group="g1"),  # a group message: not delivered
        message("d6", "13800000004", "out", AT + dt.timedelta(hours=25)),  # after 24 h: not delivered
    ]
    assert events_ingest(events=events).errors == []
    body = client_for(manager).get("/api/v1/broadcasts/").json()["results"][0]
    assert (body["recipients"], body["delivered"], body["replied"], body["unassigned"]) == (5, 2, 1, 1)
    assert body["delivery_rate"] == pytest.approx(0.4) and body["reply_rate"] == pytest.approx(0.5)


@pytest.mark.django_db
def test_future_broadcast_waits_for_the_beat(manager, crowd):
    future = dt.datetime(2099, 1, 1, tzinfo=SHANGHAI)
    broadcast = broadcast_create(
        title="x", content="y", audience={"stages": ["fan"]}, scheduled_at=future, created_by=manager, team_id=None
    )
    assert broadcasts_send_due(now=future - dt.timedelta(minutes=1)) == []
    assert broadcasts_send_due(now=future) == [broadcast.pk]
    broadcast.refresh_from_db()
    assert broadcast.status == "sent" and broadcast.recipients.count() == Customer.objects.filter(stage="fan").count()


@pytest.mark.django_db
def test_page_lists_broadcasts_and_counts_live(client, manager, crowd):
    client.force_login(manager.user)
    assert client.get("/broadcasts/").status_code == 200
    fragment = client.post("/broadcasts/preview/", {"tags": ["knee"], "stages": ["fan"]})
    assert '<strong id="audience-count">4</strong>' in fragment.content.decode()
    created = client.post(
        "/broadcasts/new/",
        {"title": "周末课堂", "content": "周六8点", "scheduled_at": "2099-01-01T20:00", "stages": ["fan"]},
    )
    assert created.status_code == 302
    assert "周末课堂" in client.get("/broadcasts/").content.decode()

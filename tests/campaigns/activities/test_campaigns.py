"""Check-in and referral campaigns: progress from events, leaderboard, reproducible draws, bad input."""

import pytest

from campaigns.activities.models import CampaignDraw, Referral
from campaigns.activities.services import campaign_draw
from customers.events.services import events_ingest
from customers.models import Customer
from customers.privacy.crypto import phone_index
from tests.campaigns.factories import CampaignFactory, GroupFactory
from tests.customers.factories import CustomerFactory
from tests.staff.factories import StaffFactory


@pytest.fixture
def amy(team):
    return StaffFactory(user__username="amy", team=team)


def _msg(event_id, phone, at, text, group="g1"):
    return {
        "id": event_id,
        "type": "message",
        "direction": "in",
        "at": at,
        "phone": phone,
        "text": text,
        "group": group,
    }


def _add(event_id, phone, at, **fields):
    return {"id": event_id, "type": "friend_added", "at": at, "phone": phone, "staff": "amy", **fields}


@pytest.mark.django_db
def test_checkin_counts_distinct_local_days_with_the_keyword_in_the_group(client_for, manager, amy):
    GroupFactory(code="g1")
    CampaignFactory(
        code="nov",
        name="11月打卡",
        kind="checkin",
        starts_on="2026-11-01",
        ends_on="2026-11-07",
        goal=2,
        group=GroupFactory(code="g1"),
        keyword="打卡",
    )
    p1, p2 = "13800000001", "13800000002"
    events = [
        _msg("a", p1, "2026-11-01T08:00:00+08:00", "今日打卡"),
        _msg("b", p1, "2026-11-01T21:00:00+08:00", "打卡 again"),  # same day: counts once
        _msg("c", p1, "2026-11-02T00:10:00+08:00", "打卡"),  # next local day (16:10 UTC the day before)
        _msg("d", p1, "2026-11-08T09:00:00+08:00", "打卡"),  # after the end
        _msg("e", p2, "2026-11-03T09:00:00+08:00", "打卡", group="g2"),  # another group
        _msg("f", p2, "2026-11-04T09:00:00+08:00", "早上好"),  # no keyword
        _msg("g", p2, "2026-11-05T09:00:00+08:00", "打卡"),
        {
            "id": "h",
            "type": "message",
            "direction": "out",
            "at": "2026-11-06T09:00:00+08:00",
            "phone": p2,
            "text": "打卡",
            "group": "g1",
        },  # staff wrote it
    ]
    assert events_ingest(events=events).errors == []
    rows = client_for(manager).get("/api/v1/campaigns/nov/participants/").json()["results"]
    c1, c2 = Customer.objects.get(phone_index=phone_index(p1)).pk, Customer.objects.get(phone_index=phone_index(p2)).pk
    assert [(r["customer"], r["progress"], r["qualified"], r["rank"]) for r in rows] == [
        (c1, 2, True, 1),
        (c2, 1, False, 2),
    ]


@pytest.mark.django_db
def test_referral_counts_first_adds_in_the_period_naming_the_referrer(client_for, manager, amy):
    referrer = CustomerFactory(phone="13900000000", external_id="wm-ref")
    CampaignFactory(code="invite", name="任务宝", kind="referral", starts_on="2026-11-01", ends_on="2026-11-30", goal=2)
    events = [
        _add("r1", "13800000001", "2026-11-02T10:00:00+08:00", referrer="139 0000 0000"),
        _add("r2", "13800000002", "2026-11-03T10:00:00+08:00", referrer="wm-ref"),
        _add("r3", "13800000001", "2026-11-04T10:00:00+08:00", referrer="wm-ref"),  # not a first add
        _add("r0", "13800000003", "2026-10-20T10:00:00+08:00"),
        _add("r4", "13800000003", "2026-11-05T10:00:00+08:00", referrer="wm-ref"),  # added before: not first
        _add("r5", "13800000004", "2026-11-06T10:00:00+08:00", referrer="13800000009"),  # unknown referrer
        _add("r6", "13800000005", "2026-11-06T10:00:00+08:00", referrer="13800000001"),  # referred in this batch
    ]
    result = events_ingest(events=events)
    assert [(e["index"], e["error"]) for e in result.errors] == [(5, "referrer: unknown customer '13800000009'")]
    assert Referral.objects.count() == 5
    rows = client_for(manager).get("/api/v1/campaigns/invite/participants/").json()["results"]
    first = Customer.objects.get(phone_index=phone_index("13800000001")).pk
    assert [(r["customer"], r["progress"], r["qualified"]) for r in rows] == [(referrer.pk, 2, True), (first, 1, False)]


@pytest.mark.django_db
def test_draws_are_reproducible_and_kept(client_for, manager, amy):
    campaign = CampaignFactory(
        code="invite", name="任务宝", kind="referral", starts_on="2026-11-01", ends_on="2026-11-30", goal=1
    )
    referrers = [CustomerFactory(phone=f"1390000000{n}") for n in range(6)]
    events = [
        _add(f"r{n}", f"1380000000{n}", "2026-11-02T10:00:00+08:00", referrer=referrers[n].phone) for n in range(6)
    ]
    assert events_ingest(events=events).errors == []
    client = client_for(manager)
    first = client.post("/api/v1/campaigns/invite/draw/", {"winners": 3, "seed": "lucky"}, format="json").json()
    again = client.post("/api/v1/campaigns/invite/draw/", {"winners": 3, "seed": "lucky"}, format="json").json()
    assert first["winners"] == again["winners"] and len(set(first["winners"])) == 3
    assert set(first["winners"]) <= {r.pk for r in referrers} and first["qualified"] == 6
    assert CampaignDraw.objects.filter(campaign=campaign).count() == 2
    assert len(client.get("/api/v1/campaigns/invite/draws/").json()) == 2
    campaign.refresh_from_db()
    everyone = campaign_draw(campaign=campaign, winners=10, seed="x")
    assert sorted(everyone.winners) == sorted(r.pk for r in referrers)
    assert client_for(amy).post("/api/v1/campaigns/invite/draw/", {"winners": 1}, format="json").status_code == 403


@pytest.mark.django_db
def test_a_campaign_ending_before_it_starts_is_400(client_for, manager):
    answer = client_for(manager).post(
        "/api/v1/campaigns/",
        {"code": "x", "name": "x", "kind": "checkin", "starts_on": "2026-11-05", "ends_on": "2026-11-01"},
        format="json",
    )
    assert answer.status_code == 400 and "ends_on" in answer.json()
    ok = client_for(manager).post(
        "/api/v1/campaigns/",
        {"code": "x", "name": "x", "kind": "checkin", "starts_on": "2026-11-01", "ends_on": "2026-11-01"},
        format="json",
    )
    assert ok.status_code == 201 and ok.json()["keyword"] == "打卡"


@pytest.mark.django_db
def test_a_goal_below_one_is_400_and_the_schema_says_so(client_for, manager):
    body = {"code": "x", "name": "x", "kind": "referral", "starts_on": "2026-11-01", "ends_on": "2026-11-30"}
    answer = client_for(manager).post("/api/v1/campaigns/", {**body, "goal": 0}, format="json")
    assert answer.status_code == 400 and set(answer.json()) == {"goal"}
    assert client_for(manager).post("/api/v1/campaigns/", {**body, "goal": 1}, format="json").status_code == 201
    schema = client_for(manager).get("/api/schema/?format=json").json()
    assert schema["components"]["schemas"]["CampaignRequest"]["properties"]["goal"]["minimum"] == 1


@pytest.mark.django_db
def test_campaign_page_shows_leaderboard_and_draws(client, manager, amy):
    CampaignFactory(code="nov", name="11月打卡", kind="checkin", starts_on="2026-11-01", ends_on="2026-11-07", goal=1)
    assert events_ingest(events=[_msg("a", "13800000001", "2026-11-01T08:00:00+08:00", "打卡")]).errors == []
    client.force_login(manager.user)
    assert "11月打卡" in client.get("/activities/").content.decode()
    assert client.post("/activities/nov/draw/", {"winners": 1, "seed": "s1"}).status_code == 302
    page = client.get("/activities/nov/").content.decode()
    assert '<strong id="qualified">1</strong>' in page and "s1" in page
    client.force_login(amy.user)
    assert client.get("/activities/nov/").status_code == 403

"""Hand-computed cases for every metric family of docs/metrics.md (TIME_ZONE Asia/Shanghai, W = 7,
ACTIVE_MESSAGE_THRESHOLD = 3). Events go through `events_ingest`; days through the engine."""

import datetime as dt
import itertools
from decimal import Decimal
from unittest import mock

import pytest

from customers.events.services import events_ingest
from customers.models import Customer, LeadSource, OwnershipPeriod
from customers.ownership.services import customers_assign_owner
from customers.privacy.crypto import phone_index
from metrics.engine.compute import kpis_compute_day, kpis_compute_days
from metrics.models import DailyKpi, KpiComputation
from sitadmin.dates import kpi_days
from staff.models import Staff
from tests.campaigns.factories import ScriptFactory
from tests.customers.factories import LeadSourceFactory
from tests.staff.factories import StaffFactory, TeamFactory

D = dt.date(2026, 11, 2)
_ids = itertools.count(1)


def day(offset: int) -> dt.date:
    return D + dt.timedelta(days=offset)


def at(offset: int, clock: str = "10:00") -> str:
    """A Shanghai wall-clock time on D+offset."""
    return f"{day(offset).isoformat()}T{clock}:00+08:00"


def ingest(*events: dict) -> None:
    items = [{"id": f"e{next(_ids)}", "phone": "13800000001", **e} for e in events]
    result = events_ingest(events=items)
    assert result.errors == []


def row(when: dt.date, dimension: str = "org", key: str = "") -> DailyKpi | None:
    return DailyKpi.objects.filter(date=when, dimension=dimension, key=key).first()


def compute(*offsets: int) -> None:
    for offset in offsets:
        kpis_compute_day(day=day(offset))


@pytest.fixture
def world(db):
    team = TeamFactory(code="t1")
    amy = StaffFactory(user__username="amy", team=team, joined_on=dt.date(2026, 1, 1))
    bob = StaffFactory(user__username="bob", team=team, joined_on=dt.date(2026, 1, 1))
    LeadSourceFactory(code="tele", name="tele", kind=LeadSource.Kind.TELESALES)
    ScriptFactory(code="sa", name="sa")
    ScriptFactory(code="sb", name="sb")
    return {"team": team, "amy": amy, "bob": bob}


def request(offset, clock="10:00", phone="13800000001", staff="amy", script="sa"):
    return {
        "type": "friend_request_sent",
        "at": at(offset, clock),
        "phone": phone,
        "staff": staff,
        "script": script,
        "source": "tele",
    }


def add(offset, clock="10:00", phone="13800000001", staff="amy"):
    return {"type": "friend_added", "at": at(offset, clock), "phone": phone, "staff": staff}


def message(offset, clock, direction="in", phone="13800000001", group=None):
    event = {"type": "message", "at": at(offset, clock), "phone": phone, "direction": direction}
    if group:
        event["group"] = group
    return event


def test_cohort_window_add_on_day_6_counts_day_7_does_not(world):
    ingest(
        request(0, phone="13800000001"),
        add(6, "23:59", phone="13800000001"),  # D+6, last minute: converted
        request(0, phone="13800000002"),
        add(7, "00:00", phone="13800000002"),  # D+7: too late
    )
    compute(0)
    r = row(D)
    assert (r.requests, r.requests_converted) == (2, 1)
    assert r.fan_rate == 0.5  # 1 / 2
    assert row(D, "script", "sa").requests_converted == 1
    assert row(D, "staff", "amy").fan_rate == 0.5
    assert row(D, "source", "tele").requests == 2


def test_only_the_first_request_and_first_add_start_a_cohort(world):
    ingest(
        request(0, script="sa"),
        request(2, script="sb", staff="bob"),  # a second request: no new cohort
        add(3),
        {"type": "friend_deleted", "at": at(4), "phone": "13800000001", "staff": "amy"},
        add(5, staff="bob"),  # a re-add: no new fan
    )
    compute(0, 2, 3, 5)
    assert row(D).requests == 1 and row(D).requests_converted == 1
    assert row(day(2)).requests == 0
    assert row(day(2), "staff", "bob") is None or row(day(2), "staff", "bob").requests == 0
    assert row(day(3)).new_fans == 1
    # The fan's script is that of the first request (sa), not the later one (sb).
    assert row(day(3), "script", "sa").new_fans == 1
    assert row(day(3), "script", "sb") is None
    assert row(day(5)).new_fans == 0


def test_add_without_an_earlier_request_is_not_counted_under_a_script(world):
    ingest(add(0), request(1, script="sa"))
    compute(0)
    assert row(D).new_fans == 1
    assert row(D, "script", "sa") is None


def test_fans_total_follows_deletions_and_re_adds(world):
    ingest(
        add(0),
        {"type": "friend_deleted", "at": at(1, "09:00"), "phone": "13800000001", "staff": "amy"},
        add(1, "18:00"),  # deleted and re-added the same day: a friend at the end of it
        {"type": "friend_deleted", "at": at(2), "phone": "13800000001", "staff": "amy"},
    )
    compute(0, 1, 2, 3)
    assert [row(day(i)).fans_total for i in range(4)] == [1, 1, 0, 0]
    assert [row(day(i)).lost for i in range(4)] == [0, 1, 1, 0]
    # The owner (amy, from the first add) keeps the customer after the deletion.
    assert row(day(2), "staff", "amy").lost == 1
    assert row(day(2)).activity_rate is None  # 0 active / 0 fans: null, not 0


def test_group_members_joins_leaves_and_rejoin(world):
    ingest(
        add(0),
        {"type": "group_joined", "at": at(0, "11:00"), "phone": "13800000001", "group": "g1"},
        {"type": "group_joined", "at": at(0, "12:00"), "phone": "13800000002", "group": "g1"},
        {"type": "group_left", "at": at(1, "09:00"), "phone": "13800000001", "group": "g1"},
        {"type": "group_joined", "at": at(1, "20:00"), "phone": "13800000001", "group": "g1"},
        {"type": "group_left", "at": at(2), "phone": "13800000002", "group": "g1"},
        {"type": "group_joined", "at": at(2), "phone": "13800000002", "group": "g2"},
    )
    compute(0, 1, 2)
    g1 = [row(day(i), "group", "g1") for i in range(3)]
    assert [(r.group_members, r.joins, r.leaves) for r in g1] == [(2, 2, 0), (2, 1, 1), (1, 0, 1)]
    assert row(day(2), "group", "g2").group_members == 1
    # org: customers in at least one group; customer 2 moved from g1 to g2 on D+2.
    assert [row(day(i)).group_members for i in range(3)] == [2, 2, 2]
    assert g1[0].fans_total is None  # dimension group does not carry it
    # Customer 1 was added on D and joined a group the same day: grouped fan.
    assert row(D).new_fans_grouped == 1 and row(D).group_join_rate == 1.0


def test_activity_threshold_speakers_and_speaking_rate(world):
    ingest(
        add(0, phone="13800000001"),
        add(0, phone="13800000002"),
        {"type": "group_joined", "at": at(0, "08:00"), "phone": "13800000001", "group": "g1"},
        # Customer 1: 2 private + 1 group in = 3: active, and a speaker in g1.
        message(0, "11:00"),
        message(0, "11:01"),
        message(0, "11:02", group="g1"),
        # Customer 2: 2 in messages (and an out one): not active.
        message(0, "12:00", phone="13800000002"),
        message(0, "12:01", phone="13800000002"),
        message(0, "12:02", direction="out", phone="13800000002"),
    )
    compute(0)
    r = row(D)
    assert (r.active_customers, r.fans_total, r.activity_rate) == (1, 2, 0.5)  # 1 / 2
    assert (r.speakers, r.group_members, r.speaking_rate) == (1, 1, 1.0)
    g1 = row(D, "group", "g1")
    assert (g1.speakers, g1.speaking_rate) == (1, 1.0)


def test_replies_before_after_and_past_midnight(world):
    ingest(
        add(0, "08:00", phone="13800000001"),
        add(0, "08:00", phone="13800000002"),
        add(0, "08:00", phone="13800000003"),
        # 1: an out before the first in does not count; the reply 20 minutes after does.
        message(0, "09:00", direction="out", phone="13800000001"),
        message(0, "10:00", phone="13800000001"),
        message(0, "10:05", phone="13800000001"),
        message(0, "10:20", direction="out", phone="13800000001"),
        # 2: replied after 40 minutes.
        message(0, "13:00", phone="13800000002"),
        message(0, "13:40", direction="out", phone="13800000002"),
        # 3: wrote at 23:50, the reply came after midnight: not replied on D.
        message(0, "23:50", phone="13800000003"),
        message(1, "00:10", direction="out", phone="13800000003"),
    )
    compute(0, 1)
    r = row(D)
    assert (r.chats, r.chats_replied) == (3, 2)
    assert r.reply_rate == pytest.approx(2 / 3)
    assert r.first_reply_minutes == pytest.approx((20 + 40) / 2)  # mean over replied chats
    assert row(day(1)).chats == 0 and row(day(1)).reply_rate is None


def test_headcount_follows_joining_and_leaving(world):
    StaffFactory(user__username="new", team=world["team"], joined_on=day(1))
    StaffFactory(user__username="gone", team=world["team"], joined_on=dt.date(2025, 1, 1), left_on=day(1))
    compute(0, 1)
    # amy, bob everywhere; "gone" counts until the day before left_on; "new" from joined_on.
    assert row(D).headcount == 3 and row(day(1)).headcount == 3
    assert row(D, "team", "t1").headcount == 3
    assert row(D, "staff", "gone").headcount == 1
    assert row(day(1), "staff", "gone") is None
    assert row(day(1), "staff", "new").headcount == 1
    assert row(D).revenue_per_head == 0.0 and row(D).fans_per_head == 0.0
    assert row(D, "source", "tele") is None or row(D, "source", "tele").headcount is None


def test_orders_revenue_buyers_are_exact(world):
    ingest(
        add(0),
        {"type": "order", "at": at(0, "11:00"), "phone": "13800000001", "amount": "0.10", "order_no": "o1"},
        {"type": "order", "at": at(0, "12:00"), "phone": "13800000001", "amount": "0.20", "order_no": "o2"},
        {"type": "order", "at": at(0, "13:00"), "phone": "13800000009", "amount": "100", "order_no": "o3"},
    )
    compute(0)
    r = row(D)
    assert (r.orders, r.buyers, r.revenue) == (3, 2, Decimal("100.30"))
    assert r.revenue_per_head == pytest.approx(100.30 / 2)  # amy and bob on the payroll
    amy = row(D, "staff", "amy")
    assert (amy.orders, amy.revenue) == (2, Decimal("0.30"))  # the unowned customer counts under org only


def test_owner_at_end_of_day_and_no_owner(world):
    ingest(add(0, phone="13800000001"), add(0, phone="13800000002"))
    first, second = (Customer.objects.get(phone_index=phone_index(p)) for p in ("13800000001", "13800000002"))
    # D+1 noon: customer 1 goes to bob, customer 2 is left without an owner.
    customers_assign_owner(
        assignments={first.pk: world["bob"].pk, second.pk: None},
        at=dt.datetime.fromisoformat(at(1, "12:00")),
        cause=OwnershipPeriod.Cause.MANUAL,
    )
    compute(0, 1)
    assert row(D, "staff", "amy").fans_total == 2
    assert row(day(1), "staff", "amy") is None or row(day(1), "staff", "amy").fans_total == 0
    assert row(day(1), "staff", "bob").fans_total == 1
    # The unowned fan still counts for the org and its source (events without one: "unknown").
    assert row(day(1)).fans_total == 2
    assert row(day(1), "source", "unknown").fans_total == 2
    assert row(day(1), "team", "t1").fans_total == 1


def test_utc_input_near_midnight_belongs_to_the_shanghai_day(world):
    # 2026-11-02T17:30Z is 2026-11-03 01:30 in Shanghai.
    ingest({"type": "friend_added", "at": "2026-11-02T17:30:00Z", "phone": "13800000001", "staff": "amy"})
    compute(0, 1)
    assert row(D).new_fans == 0
    assert row(day(1)).new_fans == 1


def test_recompute_after_late_events_and_idempotency(world):
    ingest(request(0))
    compute(0)
    assert (row(D).requests, row(D).requests_converted, row(D).fan_rate) == (1, 0, 0.0)
    ingest(add(3))  # arrives late, inside the window
    compute(0)
    first = {(r.dimension, r.key): (r.requests_converted, r.fan_rate) for r in DailyKpi.objects.filter(date=D)}
    assert first[("org", "")] == (1, 1.0)
    compute(0)
    again = {(r.dimension, r.key): (r.requests_converted, r.fan_rate) for r in DailyKpi.objects.filter(date=D)}
    assert again == first
    assert DailyKpi.objects.filter(date=D, dimension="org").count() == 1
    assert KpiComputation.objects.get(date=D).rows == DailyKpi.objects.filter(date=D).count()


def test_a_failure_mid_day_keeps_the_old_rows(world):
    ingest(request(0))
    compute(0)
    before = list(DailyKpi.objects.filter(date=D).values_list("id", "requests"))
    ingest(request(0, phone="13800000002"))
    with (
        mock.patch.object(DailyKpi.objects, "bulk_create", side_effect=RuntimeError("disk full")),
        pytest.raises(RuntimeError),
    ):
        kpis_compute_day(day=D)
    assert list(DailyKpi.objects.filter(date=D).values_list("id", "requests")) == before
    compute(0)
    assert row(D).requests == 2


def test_range_computes_every_day(world):
    ingest(request(0))
    assert kpis_compute_days(days=kpi_days(D, day(2))) >= 3
    assert KpiComputation.objects.filter(date__range=(D, day(2))).count() == 3
    assert Staff.objects.count() == 2


def _tied(event: dict, client_id: str) -> dict:
    return {**event, "id": client_id}


def test_cohort_ties_at_the_same_instant_follow_the_client_id(world):
    ingest(
        # Customer 1: the add (t1a) sorts before the request (t1b) at the same instant: not converted,
        # and the add has no earlier request, so no script.
        _tied(add(0, "10:00", phone="13800000001"), "t1a"),
        _tied(request(0, "10:00", phone="13800000001", script="sa"), "t1b"),
        # Customer 2: request (t2a) then add (t2b) at the same instant: converted, fan under script sb.
        _tied(request(0, "10:00", phone="13800000002", script="sb"), "t2a"),
        _tied(add(0, "10:00", phone="13800000002"), "t2b"),
        # Customer 3: the join (t3a) sorts before the add (t3b): not a grouped fan.
        _tied({"type": "group_joined", "at": at(0, "11:00"), "phone": "13800000003", "group": "g1"}, "t3a"),
        _tied(add(0, "11:00", phone="13800000003"), "t3b"),
        # Customer 4: add (t4a) then join (t4b) at the same instant: a grouped fan.
        _tied(add(0, "11:00", phone="13800000004"), "t4a"),
        _tied({"type": "group_joined", "at": at(0, "11:00"), "phone": "13800000004", "group": "g1"}, "t4b"),
    )
    compute(0)
    r = row(D)
    assert (r.requests, r.requests_converted, r.fan_rate) == (2, 1, 0.5)  # customers 1, 2; only 2 converted
    assert (r.new_fans, r.new_fans_grouped, r.group_join_rate) == (4, 1, 0.25)  # 1 grouped (customer 4) of 4
    assert row(D, "script", "sa").requests_converted == 0
    assert row(D, "script", "sa").new_fans == 0  # customer 1's request came after the add
    assert (row(D, "script", "sb").requests_converted, row(D, "script", "sb").new_fans) == (1, 1)


def test_reply_ties_at_the_same_instant_follow_the_client_id(world):
    ingest(
        add(0, "08:00", phone="13800000001"),
        add(0, "08:00", phone="13800000002"),
        add(0, "08:00", phone="13800000003"),
        # 1: the out (r1a) sorts before the in (r1b) at 10:00; the reply is the out at 10:30: 30 minutes.
        _tied(message(0, "10:00", direction="out", phone="13800000001"), "r1a"),
        _tied(message(0, "10:00", phone="13800000001"), "r1b"),
        _tied(message(0, "10:30", direction="out", phone="13800000001"), "r1c"),
        # 2: the out (r2b) sorts after the in (r2a) at the same instant: a reply after 0 minutes.
        _tied(message(0, "11:00", phone="13800000002"), "r2a"),
        _tied(message(0, "11:00", direction="out", phone="13800000002"), "r2b"),
        # 3: the only out (r3a) sorts before the in (r3b): not replied.
        _tied(message(0, "12:00", direction="out", phone="13800000003"), "r3a"),
        _tied(message(0, "12:00", phone="13800000003"), "r3b"),
    )
    compute(0)
    r = row(D)
    assert (r.chats, r.chats_replied) == (3, 2)
    assert r.reply_rate == pytest.approx(2 / 3)
    assert r.first_reply_minutes == pytest.approx((30 + 0) / 2)


def test_latest_state_ties_at_the_same_instant_follow_the_client_id(world):
    ingest(
        add(0, "09:00", phone="13800000001"),
        add(0, "09:00", phone="13800000002"),
        # Customer 1: deleted (s1a) and re-added (s1b) at the same instant: still a friend.
        _tied({"type": "friend_deleted", "at": at(1), "phone": "13800000001", "staff": "amy"}, "s1a"),
        _tied(add(1, "10:00", phone="13800000001"), "s1b"),
        # Customer 2: re-added (s2a) and deleted (s2b) at the same instant: no longer a friend.
        _tied(add(1, "10:00", phone="13800000002"), "s2a"),
        _tied({"type": "friend_deleted", "at": at(1), "phone": "13800000002", "staff": "amy"}, "s2b"),
        # Group g1: customer 1 leaves (s3a) and joins (s3b) at once, customer 2 joins (s4a) and leaves (s4b).
        _tied({"type": "group_left", "at": at(1), "phone": "13800000001", "group": "g1"}, "s3a"),
        _tied({"type": "group_joined", "at": at(1), "phone": "13800000001", "group": "g1"}, "s3b"),
        _tied({"type": "group_joined", "at": at(1), "phone": "13800000002", "group": "g1"}, "s4a"),
        _tied({"type": "group_left", "at": at(1), "phone": "13800000002", "group": "g1"}, "s4b"),
    )
    compute(1)
    r = row(day(1))
    assert (r.fans_total, r.lost) == (1, 2)  # customer 1 only; both had a deletion on D+1
    assert r.group_members == 1
    g1 = row(day(1), "group", "g1")
    assert (g1.group_members, g1.joins, g1.leaves) == (1, 2, 2)


@pytest.mark.django_db(transaction=True)
def test_committed_events_give_the_same_rows_with_the_statements_on_their_own_connections(world):
    from django.db import connection

    from metrics.engine import compute as kpi_engine

    ingest(
        request(0, "09:00", phone="13800000001"),
        add(0, "12:00", phone="13800000001"),
        request(0, "09:30", phone="13800000002", staff="bob"),
        message(0, "13:00", phone="13800000001"),
        message(0, "13:30", direction="out", phone="13800000001"),
    )
    with mock.patch.object(kpi_engine, "_fetch_in_thread", wraps=kpi_engine._fetch_in_thread) as in_thread:
        compute(0)
    # PostgreSQL runs the cohort statement on a second connection once the events are committed.
    assert in_thread.called == (connection.vendor == "postgresql")
    r = row(D)
    assert (r.requests, r.requests_converted, r.new_fans) == (2, 1, 1)  # customer 1 converted, 2 not
    assert (r.fans_total, r.chats, r.chats_replied, r.first_reply_minutes) == (1, 1, 1, 30.0)  # 13:00 -> 13:30
    assert row(D, "staff", "bob").requests == 1

"""KPIs count staff under their team on the day: a transfer never moves past rows, even after a recompute."""

import datetime as dt

import pytest
from django.utils import timezone

from customers.events.services import events_ingest
from customers.models import LeadSource
from metrics.engine.compute import kpis_compute_day, kpis_compute_days
from metrics.models import DailyKpi
from sitadmin.dates import kpi_days
from staff.teams.selectors import staff_team_ids_on
from tests.customers.factories import LeadSourceFactory
from tests.staff.factories import StaffFactory, TeamFactory

pytestmark = pytest.mark.django_db


def _team_rows(days) -> dict:
    fields = ("requests", "requests_converted", "new_fans", "fans_total", "orders", "revenue", "headcount")
    return {
        (r["date"], r["key"]): tuple(r[f] for f in fields)
        for r in DailyKpi.objects.filter(dimension="team", date__in=list(days)).values("date", "key", *fields)
    }


def test_recomputing_last_month_after_a_transfer_leaves_it_unchanged(client_for, manager):
    today = timezone.localdate()
    first_of_month = today.replace(day=1)
    last_month = kpi_days((first_of_month - dt.timedelta(days=1)).replace(day=1), first_of_month - dt.timedelta(days=1))
    d = last_month[9]  # the 10th of last month
    t1, t2 = TeamFactory(code="t1"), TeamFactory(code="t2")
    StaffFactory(user__username="amy", team=t1, joined_on=dt.date(2025, 1, 1))
    StaffFactory(user__username="lee", team=t2, joined_on=dt.date(2025, 1, 1))
    LeadSourceFactory(code="tele", name="tele", kind=LeadSource.Kind.TELESALES)
    clock = f"{d.isoformat()}T10:00:00+08:00"
    later = f"{d.isoformat()}T11:00:00+08:00"
    result = events_ingest(
        events=[
            {"id": "r1", "type": "friend_request_sent", "at": clock, "phone": "13800000001", "staff": "amy"},
            {"id": "a1", "type": "friend_added", "at": later, "phone": "13800000001", "staff": "amy"},
            {"id": "r2", "type": "friend_request_sent", "at": clock, "phone": "13800000002", "staff": "amy"},
            {"id": "o1", "type": "order", "at": later, "phone": "13800000001", "amount": "80.00", "order_no": "O1"},
        ]
    )
    assert result.errors == []
    kpis_compute_days(days=last_month)
    before = _team_rows(last_month)
    # Worked out by hand: on D amy (t1) sent 2 first requests, one added the same day, who ordered 80.00;
    # from D on t1 holds that fan; each team has one member every day.
    assert before[(d, "t1")] == (2, 1, 1, 1, 1, 80, 1)
    assert before[(last_month[-1], "t1")] == (0, 0, 0, 1, 0, 0, 1)
    assert before[(d, "t2")] == (0, 0, 0, 0, 0, 0, 1)

    moved = client_for(manager).patch("/api/v1/staff/amy/", {"team": "t2"}, format="json")
    assert moved.status_code == 200, moved.json()
    kpis_compute_days(days=last_month)
    assert _team_rows(last_month) == before

    # From today on, amy, her fan and her headcount are t2's.
    kpis_compute_day(day=today)
    now = _team_rows([today])
    assert now[(today, "t2")][3] == 1 and now[(today, "t2")][6] == 2
    assert (today, "t1") not in now


def test_team_on_a_day_follows_the_periods(client_for, manager):
    t1, t2 = TeamFactory(code="t1"), TeamFactory(code="t2")
    ben = StaffFactory(user__username="ben", team=t1)
    never = StaffFactory(user__username="kim", team=t2)
    assert (
        client_for(manager)
        .patch("/api/v1/staff/ben/", {"team": "t2", "team_since": "2026-11-07"}, format="json")
        .status_code
        == 200
    )
    assert staff_team_ids_on(day=dt.date(2026, 11, 6))[ben.pk] == t1.pk
    assert staff_team_ids_on(day=dt.date(2026, 11, 7))[ben.pk] == t2.pk
    assert staff_team_ids_on(day=dt.date(2020, 1, 1))[never.pk] == t2.pk

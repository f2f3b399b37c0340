"""Same-day cohorts (`_d0`, final at the end of D) and the week's group speakers (`speakers_7d`, D-6..D),
worked out by hand (TIME_ZONE Asia/Shanghai, W = 7)."""

import datetime as dt

import pytest

from customers.events.services import events_ingest
from customers.models import LeadSource
from metrics.engine.compute import kpis_compute_day
from metrics.models import DailyKpi
from metrics.selectors import kpi_summary
from tests.customers.factories import LeadSourceFactory
from tests.staff.factories import StaffFactory, TeamFactory

pytestmark = pytest.mark.django_db
D = dt.date(2026, 11, 2)
A, B, C = "13800000001", "13800000002", "13800000003"


def at(offset: int, clock: str) -> str:
    return f"{(D + dt.timedelta(days=offset)).isoformat()}T{clock}:00+08:00"


@pytest.fixture
def events(db):
    StaffFactory(user__username="amy", team=TeamFactory(code="t1"), joined_on=dt.date(2026, 1, 1))
    LeadSourceFactory(code="tele", name="tele", kind=LeadSource.Kind.TELESALES)
    items = [
        # A: requested and added on D; joins g1 on D+2 and speaks there.
        ("friend_request_sent", A, at(0, "10:00"), {"staff": "amy", "source": "tele"}),
        ("friend_added", A, at(0, "15:00"), {"staff": "amy"}),
        ("group_joined", A, at(2, "09:00"), {"group": "g1"}),
        ("message", A, at(2, "10:00"), {"group": "g1", "direction": "in"}),
        # B: requested on D, added on D+1 (converted, not the same day); writes privately only.
        ("friend_request_sent", B, at(0, "10:00"), {"staff": "amy", "source": "tele"}),
        ("friend_added", B, at(1, "09:00"), {"staff": "amy"}),
        ("message", B, at(6, "09:00"), {"direction": "in"}),
        # C: added on D with no request, joins g1 the same day and speaks there on D.
        ("friend_added", C, at(0, "10:00"), {"staff": "amy", "source": "tele"}),
        ("group_joined", C, at(0, "11:00"), {"group": "g1"}),
        ("message", C, at(0, "12:00"), {"group": "g1", "direction": "in"}),
        # Staff writing in the group is not a speaker.
        ("message", B, at(6, "12:00"), {"group": "g1", "direction": "out", "staff": "amy"}),
    ]
    result = events_ingest(
        events=[
            {"id": f"e{i}", "type": t, "phone": p, "at": when, **extra} for i, (t, p, when, extra) in enumerate(items)
        ]
    )
    assert result.errors == []


def _row(offset: int, dimension: str = "org", key: str = "") -> DailyKpi:
    return DailyKpi.objects.get(date=D + dt.timedelta(days=offset), dimension=dimension, key=key)


def test_same_day_cohorts(events):
    kpis_compute_day(day=D)
    org = _row(0)
    # Requests A and B, both converted within the window, only A on D itself.
    assert (org.requests, org.requests_converted, org.requests_converted_d0) == (2, 2, 1)
    assert (org.fan_rate, org.fan_rate_d0) == (1.0, 0.5)
    # Fans A and C, both grouped within the window, only C on D itself.
    assert (org.new_fans, org.new_fans_grouped, org.new_fans_grouped_d0) == (2, 2, 1)
    assert (org.group_join_rate, org.group_join_rate_d0) == (1.0, 0.5)
    staff = _row(0, "staff", "amy")
    assert (staff.requests_converted_d0, staff.new_fans_grouped_d0, staff.fan_rate_d0) == (1, 1, 0.5)
    # Groups carry no cohort.
    assert _row(0, "group", "g1").fan_rate_d0 is None


def test_weekly_speakers_cover_d_minus_6_to_d(events):
    for offset in (6, 7, 9):
        kpis_compute_day(day=D + dt.timedelta(days=offset))
    # D+6 looks at D..D+6: C (on D) and A (on D+2); both in g1 at the end of the day.
    assert (_row(6).speakers_7d, _row(6).group_members, _row(6).speaking_rate_7d) == (2, 2, 1.0)
    assert (_row(6, "group", "g1").speakers_7d, _row(6, "group", "g1").speaking_rate_7d) == (2, 1.0)
    assert _row(6, "staff", "amy").speakers_7d == 2
    assert _row(6, "source", "tele").speakers_7d == 2
    # The day's speakers are none: the weekly figure is what a daily row cannot add up.
    assert _row(6).speakers == 0
    # D+7 looks at D+1..D+7: A only.
    assert (_row(7).speakers_7d, _row(7).speaking_rate_7d) == (1, 0.5)
    assert _row(7, "group", "g1").speakers_7d == 1
    # D+9 looks at D+3..D+9: nobody.
    assert (_row(9).speakers_7d, _row(9).speaking_rate_7d) == (0, 0.0)


def test_range_summary_takes_the_weekly_figure_at_the_last_day(events):
    for offset in (6, 7):
        kpis_compute_day(day=D + dt.timedelta(days=offset))
    (org,) = kpi_summary(dimension="org", date_from=D + dt.timedelta(days=6), date_to=D + dt.timedelta(days=7))
    assert (org["speakers_7d"], org["group_members"], org["speaking_rate_7d"]) == (1, 2, 0.5)
    (g1,) = kpi_summary(dimension="group", date_from=D + dt.timedelta(days=6), date_to=D + dt.timedelta(days=7))
    assert (g1["speakers_7d"], g1["speaking_rate_7d"]) == (1, 0.5)

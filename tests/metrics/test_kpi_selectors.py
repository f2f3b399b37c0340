import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from metrics.selectors import kpi_coverage, kpi_daily, kpi_keys_visible, kpi_summary
from tests.metrics.factories import DailyKpiFactory, KpiComputationFactory
from tests.staff.factories import StaffFactory

D1 = dt.date(2026, 10, 1)
D2 = dt.date(2026, 10, 2)


def _row(day, **metrics):
    base = dict(
        requests=0,
        requests_converted=0,
        new_fans=0,
        new_fans_grouped=0,
        fans_total=0,
        group_members=0,
        active_customers=0,
        speakers=0,
        lost=0,
        chats=0,
        chats_replied=0,
        orders=0,
        revenue=Decimal("0"),
        buyers=0,
        headcount=0,
    )
    base.update(metrics)
    return DailyKpiFactory(date=day, dimension="staff", key="amy", computed_at=timezone.now(), **base)


@pytest.mark.django_db
def test_summary_takes_ratios_of_sums_and_state_at_the_last_day(django_assert_max_num_queries):
    _row(
        D1,
        requests=4,
        requests_converted=1,
        fans_total=10,
        active_customers=5,
        chats=2,
        chats_replied=2,
        first_reply_minutes=10.0,
        revenue=Decimal("100.00"),
        headcount=1,
    )
    _row(
        D2,
        requests=1,
        requests_converted=1,
        fans_total=30,
        active_customers=1,
        chats=1,
        chats_replied=1,
        first_reply_minutes=40.0,
        revenue=Decimal("50.50"),
        headcount=2,
    )
    # The rows' version (metrics.cache), the sums, the state at date_to.
    with django_assert_max_num_queries(3):
        (row,) = kpi_summary(dimension="staff", date_from=D1, date_to=D2)
    assert row["requests"] == 5
    assert row["fan_rate"] == pytest.approx(2 / 5)  # (1+1) / (4+1), not mean(0.25, 1.0)
    assert row["fans_total"] == 30  # state at D2
    assert row["activity_rate"] == pytest.approx(6 / 40)  # (5+1) / (10+30)
    assert row["first_reply_minutes"] == pytest.approx((10 * 2 + 40 * 1) / 3)  # weighted by chats_replied
    assert row["revenue"] == Decimal("150.50")
    assert row["headcount"] == 2
    assert row["revenue_per_head"] == pytest.approx(150.5 / 2)
    assert row["fans_per_head"] == pytest.approx(30 / 2)
    assert row["joins"] is None  # not carried by dimension staff
    assert row["group_join_rate"] is None  # Σnew_fans = 0


@pytest.mark.django_db
def test_daily_rows_and_coverage():
    _row(D1, requests=1)
    KpiComputationFactory(date=D1, computed_at=timezone.now())
    rows = kpi_daily(dimension="staff", date_from=D1, date_to=D2, keys=["amy"])
    assert [(r["date"], r["key"], r["requests"]) for r in rows] == [(D1, "amy", 1)]
    assert kpi_daily(dimension="staff", date_from=D1, date_to=D2, keys=["bob"]) == []
    coverage = kpi_coverage(date_from=D1, date_to=D2)
    assert coverage["computed_days"] == [D1]
    assert coverage["missing_days"] == [D2]
    assert D2 in coverage["provisional_days"]


@pytest.mark.django_db
def test_keys_visible_by_role(manager, team_lead, operator):
    other = StaffFactory(user__username="op2", team=team_lead.team)
    StaffFactory(user__username="far")
    assert kpi_keys_visible(user=manager.user, dimension="org") is None
    assert kpi_keys_visible(user=team_lead.user, dimension="team") == {"t1"}
    assert kpi_keys_visible(user=team_lead.user, dimension="staff") == {"lead", "op1", other.user.username}
    assert kpi_keys_visible(user=team_lead.user, dimension="source") == set()
    assert kpi_keys_visible(user=operator.user, dimension="staff") == {"op1"}
    assert kpi_keys_visible(user=operator.user, dimension="team") == set()

"""Dashboard pages: figures from the KPI table, role scoping, freshness warnings, empty states, query counts."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from metrics.dashboard.pages import dashboard_range
from metrics.models import DailyKpi
from staff.models import Staff
from tests.customers.factories import CustomerFactory
from tests.metrics.factories import DailyKpiFactory, KpiComputationFactory
from tests.staff.factories import StaffFactory, TeamFactory

D = dt.date(2026, 11, 10)
RANGE = {"date_from": "2026-11-10", "date_to": "2026-11-10"}


def browser_for(staff) -> Client:
    client = Client()
    client.force_login(staff.user)
    return client


def kpi_value(html: str, metric: str) -> str:
    match = re.search(rf'data-kpi="{metric}" data-value="([^"]*)"', html)
    assert match, f"no data-kpi={metric} in page"
    return match.group(1)


def org_day(day: dt.date, *, requests: int, converted: int, revenue: str, headcount: int = 2, **extra):
    # Computed now, well after its cohort window closed: a complete day, compared on complete rates.
    KpiComputationFactory(date=day)
    return DailyKpiFactory(
        date=day,
        dimension="org",
        key="",
        requests=requests,
        requests_converted=converted,
        fan_rate=converted / requests,
        revenue=Decimal(revenue),
        headcount=headcount,
        revenue_per_head=float(Decimal(revenue) / headcount),
        **extra,
    )


@pytest.fixture
def week_then_jump(db):
    """11-03..11-09: 10 requests, 2 converted, ¥100 a day; 11-10: 40 requests, 12 converted, ¥300."""
    for i in range(7):
        org_day(D - dt.timedelta(days=7 - i), requests=10, converted=2, revenue="100.00")
    org_day(D, requests=40, converted=12, revenue="300.00", chats=8, chats_replied=6, reply_rate=0.75)


def test_overview_headline_against_previous_day_and_week(week_then_jump, manager):
    html = browser_for(manager).get("/dashboard/", RANGE).content.decode()
    # fan rate 12 / 40 = 0.3; the day before 2 / 10 = 0.2 → +10.0 pp; the 7 days before 14 / 70 = 0.2 → +10.0 pp.
    assert float(kpi_value(html, "fan_rate")) == pytest.approx(0.3)
    assert "30.0%" in html
    assert 'title="12 / 40"' in html
    assert html.count("+10.0 pp") == 2
    # revenue ¥300 vs ¥100 the day before and ¥700 / 7 = ¥100 a day over the week → +200.0% both.
    assert Decimal(kpi_value(html, "revenue")) == Decimal("300.00")
    assert html.count("+200.0%") == 4  # revenue and 人效 (¥150 vs ¥50), each against both periods
    assert float(kpi_value(html, "revenue_per_head")) == pytest.approx(150.0)
    assert float(kpi_value(html, "reply_rate")) == pytest.approx(0.75)  # 6 / 8
    # No group or activity data: rates without a denominator show a dash, never 0%.
    assert kpi_value(html, "group_join_rate") == ""
    assert 'data-chart="chart-fan_rate"' in html


def test_overview_multi_day_range_is_a_ratio_of_sums(week_then_jump, manager):
    html = (
        browser_for(manager).get("/dashboard/", {"date_from": "2026-11-09", "date_to": "2026-11-10"}).content.decode()
    )
    # (2 + 12) / (10 + 40) = 0.28, not the mean of the daily rates (0.25).
    assert float(kpi_value(html, "fan_rate")) == pytest.approx(0.28)


def test_manager_lands_on_the_overview_at_home(week_then_jump, manager):
    response = browser_for(manager).get("/", RANGE)
    assert response.status_code == 200
    assert kpi_value(response.content.decode(), "fan_rate") == "0.3"


@pytest.mark.parametrize("path", ["/dashboard/", "/funnel/", "/scripts/", "/groups/", "/staff-board/"])
def test_operators_may_not_open_manager_pages(operator, path):
    assert browser_for(operator).get(path).status_code == 403


def test_anonymous_users_are_sent_to_login(client):
    response = client.get("/dashboard/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_team_lead_sees_only_their_team(team, team_lead, operator):
    other_team = TeamFactory(code="t2", name="二组")
    stranger = StaffFactory(user__username="stranger", team=other_team)
    KpiComputationFactory(date=D)  # complete: compared on complete rates
    DailyKpiFactory(date=D, dimension="org", key="", requests=100, requests_converted=50, fan_rate=0.5)
    DailyKpiFactory(date=D, dimension="team", key="t1", requests=10, requests_converted=3, fan_rate=0.3)
    DailyKpiFactory(date=D, dimension="team", key="t2", requests=90, requests_converted=47, fan_rate=47 / 90)
    DailyKpiFactory(date=D, dimension="staff", key=operator.user.username, requests=10, requests_converted=3)
    DailyKpiFactory(date=D, dimension="staff", key=stranger.user.username, requests=90, requests_converted=47)
    DailyKpiFactory(date=D, dimension="source", key="tele", requests=100, requests_converted=50)
    lead = browser_for(team_lead)

    html = lead.get("/dashboard/", {**RANGE, "by": "team"}).content.decode()
    assert kpi_value(html, "fan_rate") == "0.3"  # the team's 3 / 10, not the company's 0.5
    assert 'data-key="t1"' in html
    assert 'data-key="t2"' not in html

    html = lead.get("/dashboard/", {**RANGE, "by": "staff"}).content.decode()
    assert f'data-key="{operator.user.username}"' in html
    assert 'data-key="stranger"' not in html

    html = lead.get("/dashboard/", {**RANGE, "by": "source"}).content.decode()
    assert 'data-key="tele"' not in html
    assert "仅运营负责人可见" in html

    html = lead.get("/staff-board/", RANGE).content.decode()
    assert f'data-key="{operator.user.username}"' in html
    assert 'data-key="stranger"' not in html


def test_breakdown_shows_fractions_on_hover(manager):
    TeamFactory(code="t1", name="一组")
    DailyKpiFactory(
        date=D,
        dimension="team",
        key="t1",
        requests=40,
        requests_converted=12,
        fan_rate=0.3,
        fans_total=50,
        active_customers=10,
        activity_rate=0.2,
    )
    html = browser_for(manager).get("/dashboard/", {**RANGE, "by": "team"}).content.decode()
    assert "一组" in html
    assert 'title="12 / 40"' in html  # fan rate
    assert 'title="10 / 50"' in html  # activity rate: active customers / fans


def test_fraction_of_a_zero_state_rate_divides_by_the_range_sum(manager):
    """Over 11-09..11-10 nobody was active among 30 then 10 fans: activity 0 / (30 + 10), not 0 / 10."""
    TeamFactory(code="t1", name="一组")
    for day, fans in ((D - dt.timedelta(days=1), 30), (D, 10)):
        for dimension, key in (("org", ""), ("team", "t1")):
            DailyKpiFactory(
                date=day, dimension=dimension, key=key, fans_total=fans, active_customers=0, activity_rate=0.0
            )
    html = (
        browser_for(manager)
        .get("/dashboard/", {"date_from": "2026-11-09", "date_to": "2026-11-10", "by": "team"})
        .content.decode()
    )
    assert kpi_value(html, "activity_rate") == "0.0"
    assert html.count('title="0 / 40"') == 2  # the headline and the team's breakdown cell
    assert 'title="0 / 10"' not in html


def test_stale_warning_when_yesterday_is_not_computed(manager):
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    DailyKpiFactory(date=yesterday - dt.timedelta(days=1), requests=1, requests_converted=1, fan_rate=1.0)
    KpiComputationFactory(date=yesterday - dt.timedelta(days=1))
    html = browser_for(manager).get("/dashboard/").content.decode()
    assert 'data-testid="stale-warning"' in html
    assert yesterday.isoformat() in html


def test_stale_warning_when_events_arrived_after_the_computation(manager):
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    computed = timezone.now() - dt.timedelta(hours=2)
    DailyKpiFactory(date=yesterday, requests=1, requests_converted=1, fan_rate=1.0, computed_at=computed)
    KpiComputationFactory(date=yesterday, computed_at=computed)
    page = browser_for(manager)
    assert 'data-testid="stale-warning"' not in page.get("/dashboard/").content.decode()

    CustomerFactory().events.create(client_id="late-1", type="message", at=timezone.now(), direction="in")
    html = page.get("/dashboard/").content.decode()
    assert 'data-testid="stale-warning"' in html
    assert "最近一次计算之后又收到了事件" in html


def test_recent_cohort_days_are_marked_provisional(manager):
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    DailyKpiFactory(date=yesterday, requests=10, requests_converted=1, fan_rate=0.1)
    KpiComputationFactory(date=yesterday)
    html = browser_for(manager).get("/dashboard/").content.decode()
    # Yesterday's cohort window (W = 7 days) is still open: the fan rate can still rise.
    assert "badge provisional" in html
    assert yesterday.isoformat() in html


@pytest.mark.parametrize("path", ["/dashboard/", "/staff-board/", "/groups/"])
def test_empty_state_tells_what_to_do_in_the_pages_words(manager, path):
    html = browser_for(manager).get(path, RANGE).content.decode()
    assert "指标每晚自动计算" in html
    assert 'href="/imports/"' in html
    assert "manage.py" not in html and "compute_kpis" not in html


def test_overview_query_count_with_a_year_of_rows_for_100_staff(manager, django_assert_max_num_queries):
    team = TeamFactory(code="big")
    # Bulk-made users with unusable passwords: hashing 100 passwords would dwarf the test.
    users = User.objects.bulk_create(User(username=f"s{i:03d}", password="!") for i in range(100))
    people = Staff.objects.bulk_create(Staff(user=user, name=user.username, team=team) for user in users)
    start = D - dt.timedelta(days=364)
    now = timezone.now()
    rows = []
    for n in range(365):
        day = start + dt.timedelta(days=n)
        rows.append(DailyKpi(date=day, dimension="org", requests=500, requests_converted=150, computed_at=now))
        rows.append(DailyKpi(date=day, dimension="team", key="big", requests=500, computed_at=now))
        rows.extend(
            DailyKpi(date=day, dimension="staff", key=p.user.username, requests=5, revenue=10, computed_at=now)
            for p in people
        )
    DailyKpi.objects.bulk_create(rows, batch_size=5000)
    page = browser_for(manager)
    for by in ("staff", "team"):
        # Each KPI read also asks the version of the KPI tables (metrics.cache), once per read.
        with django_assert_max_num_queries(24):
            response = page.get("/dashboard/", {"date_from": "2026-10-01", "date_to": "2026-11-10", "by": by})
        assert response.status_code == 200
    assert response.content.decode().count("<tr data-key=") == 1


def test_staff_board_compares_with_team_median(team, manager):
    # Revenue of three operators in one team: 100, 200, 600 → median 200.
    for username, revenue in (("ann", "100"), ("bob", "200"), ("cat", "600")):
        StaffFactory(user__username=username, team=team, role=Staff.Role.OPERATOR)
        DailyKpiFactory(date=D, dimension="staff", key=username, revenue=Decimal(revenue), orders=1)
    html = browser_for(manager).get("/staff-board/", RANGE).content.decode()
    order = [m for m in re.findall(r'<tr data-key="(\w+)"', html)]
    assert order == ["cat", "bob", "ann"]  # sorted by revenue
    revenue_cell = r'<td class="(\w*)" data-v="[^"]*" title="[^"]*">{}</td>'
    assert re.search(revenue_cell.format("¥600.00"), html).group(1) == "above"
    assert re.search(revenue_cell.format("¥200.00"), html).group(1) == ""  # the median itself
    assert re.search(revenue_cell.format("¥100.00"), html).group(1) == "below"
    assert 'href="/evaluations/?staff=ann"' in html


def test_staff_board_ranks_operators_only(team, manager, team_lead):
    StaffFactory(user__username="ann", team=team, role=Staff.Role.OPERATOR)
    for username in ("ann", "lead", "boss"):
        DailyKpiFactory(date=D, dimension="staff", key=username, revenue=Decimal("0"), orders=0)
    html = browser_for(manager).get("/staff-board/", RANGE).content.decode()
    assert re.findall(r'<tr data-key="(\w+)"', html) == ["ann"]


def test_groups_flags_dormant_groups(manager):
    # g-live had a speaker on the last day; g-quiet none in the last 7 days of the range.
    DailyKpiFactory(date=D, dimension="group", key="g-live", group_members=20, speakers=2, speaking_rate=0.1, joins=3)
    DailyKpiFactory(date=D, dimension="group", key="g-quiet", group_members=30, speakers=0, speaking_rate=0.0, leaves=1)
    DailyKpiFactory(
        date=D - dt.timedelta(days=8),
        dimension="group",
        key="g-quiet",
        group_members=30,
        speakers=5,
        speaking_rate=1 / 6,
    )
    html = browser_for(manager).get("/groups/", {"date_from": "2026-11-01", "date_to": "2026-11-10"}).content.decode()
    quiet = html.split('data-key="g-quiet"')[1].split("</tr>")[0]
    live = html.split('data-key="g-live"')[1].split("</tr>")[0]
    assert "data-dormant" in quiet
    assert "data-dormant" not in live
    assert 'data-testid="dormant-count"' in html


def test_range_parsing():
    today = dt.date(2026, 11, 11)
    assert dashboard_range(params={}, today=today) == (D, D, "")
    assert dashboard_range(params={"date_from": "2026-11-01", "date_to": "2026-11-05"}, today=today)[:2] == (
        dt.date(2026, 11, 1),
        dt.date(2026, 11, 5),
    )
    date_from, date_to, error = dashboard_range(
        params={"date_from": "2026-11-05", "date_to": "2026-11-01"}, today=today
    )
    assert (date_from, date_to) == (D, D)
    assert error
    assert dashboard_range(params={"date_from": "nope"}, today=today)[2]


def test_english_is_one_switch_away(week_then_jump, manager):
    page = browser_for(manager)
    # Chinese first, even for a browser that asks for English, until the user switches.
    assert "转粉率" in page.get("/dashboard/", RANGE, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    page.post("/i18n/setlang/", {"language": "en", "next": "/dashboard/"})
    html = page.get("/dashboard/", RANGE).content.decode()
    assert "Fan rate" in html
    assert "vs 7-day average" in html
    assert "转粉率" not in html

"""The dashboard in Chromium: charts drawn, headline figures equal to the API's, range changes, every page clean."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from staff.models import Staff
from tests.browser.conftest import login, screenshot
from tests.campaigns.factories import GroupFactory, ScriptFactory
from tests.customers.factories import CustomerFactory, LeadSourceFactory, OrderFactory
from tests.metrics.factories import DailyKpiFactory, KpiComputationFactory
from tests.staff.factories import DEMO_PASSWORD, StaffFactory, TeamFactory

pytestmark = pytest.mark.browser

HEADLINE = ("fan_rate", "group_join_rate", "activity_rate", "reply_rate", "revenue", "revenue_per_head")


def _people_day(day: dt.date, n: int, *, dimension: str, key: str, scale: int, headcount: int | None = 3) -> dict:
    """A plausible day of KPIs; `n` varies the figures from day to day."""
    requests, converted = 20 * scale + n % 7, 6 * scale + n % 5
    fans, grouped = 5 * scale + n % 3, 3 * scale + n % 2
    fans_total, active = 200 * scale + n, 40 * scale + n % 9
    chats, replied = 30 * scale + n % 4, 24 * scale + n % 4
    revenue = Decimal(1000 * scale + 37 * n)
    row = {
        "requests": requests,
        "requests_converted": converted,
        "fan_rate": converted / requests,
        "new_fans": fans,
        "new_fans_grouped": grouped,
        "group_join_rate": grouped / fans,
        # Same-day readings: what a provisional day's headline shows and compares.
        "requests_converted_d0": converted // 2,
        "fan_rate_d0": (converted // 2) / requests,
        "new_fans_grouped_d0": grouped // 2,
        "group_join_rate_d0": (grouped // 2) / fans,
        "fans_total": fans_total,
        "active_customers": active,
        "activity_rate": active / fans_total,
        "chats": chats,
        "chats_replied": replied,
        "reply_rate": replied / chats,
        "orders": 3 * scale + n % 3,
        "buyers": 3 * scale,
        "revenue": revenue,
    }
    if headcount is not None:
        row.update(headcount=headcount, revenue_per_head=float(revenue) / headcount)
    return DailyKpiFactory(date=day, dimension=dimension, key=key, **row)


@pytest.fixture
def dashboard_data(manager):
    """30 computed days for the company, a team of three, two sources, three scripts and two groups."""
    team = TeamFactory(code="t1", name="一组")
    lead = StaffFactory(user__username="lead", name="组长李", team=team, role=Staff.Role.TEAM_LEAD)
    operators = [StaffFactory(user__username=u, name=n, team=team) for u, n in (("amy", "王芳"), ("ben", "陈明"))]
    tele = LeadSourceFactory(code="tele", name="电销")
    LeadSourceFactory(code="ads", name="广告")
    for code, name in (("sa", "你好，我是健康顾问"), ("sb", "送您一份护膝指南"), ("sc", "老客户专属")):
        ScriptFactory(code=code, name=name)
    GroupFactory(code="g1", name="膝盖护理群")
    GroupFactory(code="g2", name="老客户群")
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    computed = timezone.now()
    for i in range(30):
        day = yesterday - dt.timedelta(days=29 - i)
        KpiComputationFactory(date=day, computed_at=computed)
        _people_day(day, i, dimension="org", key="", scale=3)
        _people_day(day, i, dimension="team", key="t1", scale=3)
        for j, person in enumerate([lead, *operators]):
            _people_day(day, i + j, dimension="staff", key=person.user.username, scale=1, headcount=1)
        _people_day(day, i, dimension="source", key="tele", scale=2, headcount=None)
        _people_day(day, i + 1, dimension="source", key="ads", scale=1, headcount=None)
        for code, requests, converted in (("sa", 30, 12), ("sb", 30, 5), ("sc", 2, 1)):
            DailyKpiFactory(
                date=day,
                dimension="script",
                key=code,
                requests=requests,
                requests_converted=converted,
                fan_rate=converted / requests,
            )
        DailyKpiFactory(date=day, dimension="group", key="g1", group_members=80, speakers=8, speaking_rate=0.1, joins=2)
        DailyKpiFactory(
            date=day, dimension="group", key="g2", group_members=40, speakers=0, speaking_rate=0.0, leaves=1
        )
    for n in range(6):
        customer = CustomerFactory(source=tele, owner=operators[n % 2], phone=f"1380013{n:04d}")
        if n < 2:
            OrderFactory(order_no=f"o{n}", customer=customer, amount=Decimal("199"), ordered_at=timezone.now())
    return {"yesterday": yesterday}


def _headline(page) -> dict[str, str]:
    """Each headline's value, under the API field it shows: a provisional cohort shows its same-day rate."""
    shown = {}
    for m in HEADLINE:
        same_day = page.get_attribute(f"[data-kpi={m}]", "data-basis") == "same_day"
        shown[f"{m}_d0" if same_day else m] = page.get_attribute(f"[data-kpi={m}]", "data-value")
    return shown


def _api_summary(page, date_from: dt.date, date_to: dt.date) -> dict:
    response = page.request.get(
        f"{page.base_url}/api/v1/kpis/summary/?dimension=org&date_from={date_from}&date_to={date_to}"
    )
    assert response.ok, response.text()
    body = response.json()
    rows = body["results"] if isinstance(body, dict) else body
    assert len(rows) == 1
    return rows[0]


def _assert_same(shown: dict[str, str], api: dict) -> None:
    assert len(shown) == len(HEADLINE)
    for metric in shown:
        assert api[metric] is not None
        assert float(shown[metric]) == pytest.approx(float(api[metric]), rel=1e-9), metric


def test_overview_charts_match_the_api_and_follow_the_range(page, manager, dashboard_data):
    yesterday = dashboard_data["yesterday"]
    login(page, manager.user.username, DEMO_PASSWORD)
    page.goto(f"{page.base_url}/dashboard/")
    page.wait_for_selector("[data-chart] canvas")
    assert page.locator("[data-chart] canvas").count() >= len(HEADLINE)
    _assert_same(_headline(page), _api_summary(page, yesterday, yesterday))
    assert page.locator('[data-testid="stale-warning"]').count() == 0
    screenshot(page, "overview")

    week_from = yesterday - dt.timedelta(days=6)
    page.fill("input[name=date_from]", week_from.isoformat())
    page.fill("input[name=date_to]", yesterday.isoformat())
    page.click("form.filters button[type=submit]")
    # htmx swaps the page body and pushes the new address; no full page load happens.
    page.wait_for_function(f"() => location.search.includes('date_from={week_from}')")
    page.wait_for_selector("text=（7 天）")
    page.wait_for_selector("[data-chart] canvas")
    _assert_same(_headline(page), _api_summary(page, week_from, yesterday))

    page.click("nav.tabs a:has-text('员工')")
    page.wait_for_selector('table[data-testid=breakdown] tr[data-key="amy"]')
    cell = page.locator('table[data-testid=breakdown] tr[data-key="amy"] td').nth(2)
    assert " / " in cell.get_attribute("title")  # numerator / denominator on hover
    screenshot(page, "overview-week")


def test_scripts_ab_page(page, manager, dashboard_data):
    login(page, manager.user.username, DEMO_PASSWORD)
    page.goto(f"{page.base_url}/scripts/")
    page.wait_for_selector("[data-chart] canvas")
    # Over 30 days: sa 360/900 (40%) against sb and sc 180/960 (18.8%); sc has 60 requests, 30 converted.
    assert page.get_attribute('tr[data-key="sa"] [data-verdict]', "data-verdict") == "better"
    assert page.get_attribute('tr[data-key="sb"] [data-verdict]', "data-verdict") == "worse"
    screenshot(page, "scripts")


@pytest.mark.parametrize(
    ("path", "name", "selector"),
    [
        ("/groups/", "groups", "table[data-testid=groups] [data-dormant]"),
        ("/funnel/", "funnel", "table[data-testid=funnel] tr[data-key=tele]"),
        ("/staff-board/", "staff-board", "table[data-testid=leaderboard] tr[data-key=amy]"),
        ("/customers/", "customers", "table[data-testid=customers] tr[data-id]"),
    ],
)
def test_pages_render_cleanly(page, manager, dashboard_data, path, name, selector):
    login(page, manager.user.username, DEMO_PASSWORD)
    page.goto(f"{page.base_url}{path}")
    page.wait_for_selector(selector)
    if path != "/customers/":
        page.wait_for_selector("[data-chart] canvas")
    screenshot(page, name)


def test_team_lead_sees_their_team_with_masked_phones(page, dashboard_data):
    login(page, "lead", DEMO_PASSWORD)
    page.wait_for_selector("[data-chart] canvas")
    assert "团队 一组" in page.inner_text("h1")
    page.goto(f"{page.base_url}/customers/")
    phones = page.locator("td[data-phone]").all_inner_texts()
    assert phones
    assert all("****" in phone for phone in phones)
    screenshot(page, "customers-team-lead")

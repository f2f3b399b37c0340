"""Scripts A/B and funnel pages: verdicts from the script report, the funnel by lead source."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from metrics.dashboard.reports import script_verdict
from tests.campaigns.factories import ScriptFactory
from tests.customers.factories import CustomerFactory, LeadSourceFactory, OrderFactory
from tests.metrics.factories import DailyKpiFactory

D = dt.date(2026, 11, 10)


def browser_for(staff) -> Client:
    client = Client()
    client.force_login(staff.user)
    return client


def row_of(html: str, key: str) -> str:
    return html.split(f'<tr data-key="{key}"')[1].split("</tr>")[0]


@pytest.mark.parametrize(
    ("requests", "p_value", "rate", "rest", "verdict"),
    [
        (29, 0.0001, 0.9, 0.1, "insufficient"),  # under 30 requests: no verdict, however clear
        (30, 0.0001, 0.9, 0.1, "better"),
        (30, 0.0001, 0.1, 0.9, "worse"),
        (100, 0.05, 0.9, 0.1, "no_difference"),  # p must be strictly under 0.05
        (100, None, 0.5, None, "no_difference"),  # a single script has nothing to be compared with
    ],
)
def test_script_verdict(requests, p_value, rate, rest, verdict):
    assert script_verdict(requests=requests, p_value=p_value, fan_rate=rate, rest_rate=rest)["code"] == verdict


def test_scripts_page_verdicts_and_intervals(manager):
    ScriptFactory(code="sa", name="问候A")
    ScriptFactory(code="sb", name="问候B")
    for key, requests, converted in (("sa", 100, 60), ("sb", 100, 30), ("sc", 10, 5)):
        DailyKpiFactory(
            date=D,
            dimension="script",
            key=key,
            requests=requests,
            requests_converted=converted,
            fan_rate=converted / requests,
        )
    html = browser_for(manager).get("/scripts/", {"date_from": "2026-11-10", "date_to": "2026-11-10"}).content.decode()
    # sa: 60/100 against the rest's 35/110 (31.8%): chi² = 210·(60·75 − 40·35)² / (100·110·95·115) = 16.8, p ≈ 4e-5.
    assert 'data-verdict="better"' in row_of(html, "sa")
    assert "31.8%" in row_of(html, "sa")
    # sb: 30/100 against 65/110: chi² = 210·(30·45 − 70·65)² / (100·110·95·115) = 17.9, p ≈ 2e-5.
    assert 'data-verdict="worse"' in row_of(html, "sb")
    # sc: 10 requests are too few for a verdict.
    assert 'data-verdict="insufficient"' in row_of(html, "sc")
    assert "问候A" in html
    # Wilson 95% of 60/100, z² = 3.8415: centre (0.6 + 3.8415/200) / 1.0384 = 0.5963,
    # half-width 1.96·√(0.0024 + 3.8415/40000) / 1.0384 = 0.0943 → 50.2% – 69.1%.
    assert "50.2% – 69.1%" in row_of(html, "sa")
    assert 'data-chart="chart-scripts"' in html


def test_scripts_page_is_company_wide_for_team_leads(team_lead):
    DailyKpiFactory(date=D, dimension="script", key="sa", requests=100, requests_converted=60, fan_rate=0.6)
    html = (
        browser_for(team_lead).get("/scripts/", {"date_from": "2026-11-10", "date_to": "2026-11-10"}).content.decode()
    )
    assert 'data-key="sa"' not in html
    assert "仅运营负责人可见" in html


def test_funnel_by_source(manager):
    tele = LeadSourceFactory(code="tele", name="电销")
    ads = LeadSourceFactory(code="ads", name="广告")
    now = timezone.now()
    fan = CustomerFactory(source=tele)
    fan.events.create(client_id="f1", type="friend_request_sent", at=now)
    fan.events.create(client_id="f2", type="friend_added", at=now)
    CustomerFactory(source=tele)  # a lead that went nowhere
    repeat = CustomerFactory(source=ads)
    for n in (1, 2):
        OrderFactory(order_no=f"o{n}", customer=repeat, amount=Decimal("99"), ordered_at=now)
    today = timezone.localdate().isoformat()
    html = browser_for(manager).get("/funnel/", {"date_from": today, "date_to": today}).content.decode()

    def counts(key):
        return [int(v) for v in re.findall(r'<td data-v="(\d+)"', row_of(html, key))]

    # tele: 2 leads, 1 requested, 1 fan, nobody further.
    assert counts("tele") == [2, 1, 1, 0, 0, 0]
    # ads: two orders make a repeat buyer, who counts at every earlier stage too.
    assert counts("ads") == [1, 1, 1, 1, 1, 1]
    assert 'data-chart="chart-funnel"' in html


def test_funnel_counts_customers_from_their_first_event(manager):
    """Customers created today from events ten days old entered ten days ago: a range ending yesterday shows them."""
    tele = LeadSourceFactory(code="tele", name="电销")
    ten_days_ago = timezone.now() - dt.timedelta(days=10)
    fan = CustomerFactory(source=tele)
    fan.events.create(client_id="f1", type="friend_request_sent", at=ten_days_ago)
    fan.events.create(client_id="f2", type="friend_added", at=ten_days_ago + dt.timedelta(hours=1))
    CustomerFactory(source=tele)  # created today, no event: enters today
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    params = {"date_from": (yesterday - dt.timedelta(days=13)).isoformat(), "date_to": yesterday.isoformat()}
    html = browser_for(manager).get("/funnel/", params).content.decode()
    assert [int(v) for v in re.findall(r'<td data-v="(\d+)"', row_of(html, "tele"))] == [1, 1, 1, 0, 0, 0]


def test_funnel_default_range_is_the_30_days_up_to_today(manager):
    html = browser_for(manager).get("/funnel/").content.decode()
    today = timezone.localdate()
    assert f'value="{(today - dt.timedelta(days=29)).isoformat()}"' in html
    assert f'value="{today.isoformat()}"' in html
    # Nobody entered in the range: the empty state says why, in the page's words.
    assert "这段时间没有新客户进入漏斗" in html and "manage.py" not in html


@pytest.mark.parametrize("path", ["/groups/", "/funnel/"])
def test_company_wide_pages_explain_themselves_to_team_leads(team_lead, path):
    DailyKpiFactory(date=D, dimension="group", key="g1", group_members=10, speakers=1, speaking_rate=0.1)
    CustomerFactory(source=LeadSourceFactory(code="tele"))
    html = browser_for(team_lead).get(path, {"date_from": "2026-11-01", "date_to": "2026-11-30"}).content.decode()
    assert "仅运营负责人可见" in html
    assert 'data-key="g1"' not in html
    assert 'data-key="tele"' not in html


def test_report_pages_query_counts(manager, django_assert_max_num_queries):
    for i in range(40):
        DailyKpiFactory(date=D, dimension="group", key=f"g{i}", group_members=10 + i, speakers=i % 3)
        DailyKpiFactory(date=D, dimension="script", key=f"s{i}", requests=50, requests_converted=i)
    page = browser_for(manager)
    for path in ("/groups/", "/scripts/", "/funnel/", "/staff-board/"):
        with django_assert_max_num_queries(15):
            response = page.get(path, {"date_from": "2026-11-04", "date_to": "2026-11-10"})
        assert response.status_code == 200

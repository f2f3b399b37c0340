import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from staff.models import Evaluation
from tests.browser.conftest import login, screenshot
from tests.customers.factories import CustomerFactory
from tests.metrics.factories import DailyKpiFactory
from tests.staff.factories import DEMO_PASSWORD, RevenueTierFactory, ReviewCycleFactory, StaffFactory

pytestmark = pytest.mark.browser

DAYS = [dt.date(2026, 11, 1) + dt.timedelta(days=i) for i in range(7)]


@pytest.fixture
def evaluation_data(team, team_lead, operator):
    StaffFactory(team=team, user__username="op2", name="李四")
    cycle = ReviewCycleFactory(
        code="nov", name="2026 年 11 月", starts_on=DAYS[0], ends_on=DAYS[-1], revenue_baseline=Decimal("1000")
    )
    RevenueTierFactory(cycle=cycle, name="A", min_revenue=Decimal("1000"), reward="¥500")
    now = timezone.now()
    for i, day in enumerate(DAYS):
        for username, converted in (("op1", 2 + i % 3), ("op2", 3)):
            DailyKpiFactory(
                date=day,
                dimension="staff",
                key=username,
                requests=5,
                requests_converted=converted,
                fan_rate=converted / 5,
                fans_total=20 + i,
                active_customers=4,
                activity_rate=4 / (20 + i),
                chats=6,
                chats_replied=5,
                reply_rate=5 / 6,
                first_reply_minutes=3.0,
                revenue=Decimal(200 if username == "op1" else 100),
                headcount=1,
                revenue_per_head=200.0 if username == "op1" else 100.0,
                computed_at=now,
            )
    CustomerFactory(owner=operator, remark="20261101-张三-已加粉")
    CustomerFactory(owner=operator, remark="张三")
    return cycle


def test_team_lead_scores_with_evidence_and_manager_sees_overview(page, evaluation_data, team_lead, manager):
    login(page, team_lead.user.username, DEMO_PASSWORD)
    page.goto(f"{page.base_url}/evaluations/new/?staff=op1&cycle=nov")
    evidence = page.locator("[data-testid=evidence]")
    assert evidence.is_visible()
    assert "转粉率" in evidence.inner_text()
    # op1 over 7 days: Σconverted = 2+3+4+2+3+4+2 = 20 of Σrequests 35 → 57.1%
    assert "57.1%" in evidence.inner_text()
    assert "1 / 2" in page.inner_text("[data-testid=remarks]")
    page.wait_for_selector(".spark[data-metric=fan_rate] canvas")
    assert page.locator("[data-testid=suggestion-execution]").is_visible()
    for code, score in {
        "user_ops": "8",
        "learning": "7",
        "execution": "9",
        "analysis": "6",
        "product_selection": "10",
    }.items():
        page.fill(f"#score_{code}", score)
    page.fill("textarea[name=note_learning]", "主动复盘")
    screenshot(page, "evaluation-form")
    page.click("[data-testid=submit]")
    page.wait_for_selector("[data-testid=result]")
    # 10 × (8+7+9+6+10) / 5 = 80.0 → 进 advance
    assert page.inner_text("[data-testid=total]") == "80.0"
    assert "进" in page.inner_text("[data-testid=decision]")
    assert Evaluation.objects.get().reviewer == team_lead.user

    page.context.clear_cookies()
    login(page, manager.user.username, DEMO_PASSWORD)
    page.goto(f"{page.base_url}/evaluations/?cycle=nov")
    page.wait_for_selector("#distribution-chart canvas")
    overview = page.inner_text("[data-testid=overview]")
    assert "80.0" in overview
    # op1 7 × 200 = 1400 ≥ baseline 1000 → first place; op2 7 × 100 = 700; gap 700
    assert "第一名" in page.inner_text("[data-testid=leaderboard]")
    assert page.inner_text("[data-testid=gap]") == "¥700.00"
    screenshot(page, "cycle-overview")

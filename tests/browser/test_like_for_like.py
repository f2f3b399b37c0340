"""In Chromium: yesterday's provisional 转粉率 / 进群率 are compared like for like, on same-day rates."""

import datetime as dt

import pytest
from django.utils import timezone

from tests.browser.conftest import login
from tests.metrics.factories import DailyKpiFactory, KpiComputationFactory
from tests.staff.factories import DEMO_PASSWORD

pytestmark = pytest.mark.browser


def _day(day: dt.date, *, requests, converted, converted_d0, fans, grouped, grouped_d0) -> None:
    KpiComputationFactory(date=day)
    DailyKpiFactory(
        date=day,
        requests=requests,
        requests_converted=converted,
        requests_converted_d0=converted_d0,
        fan_rate=converted / requests,
        fan_rate_d0=converted_d0 / requests,
        new_fans=fans,
        new_fans_grouped=grouped,
        new_fans_grouped_d0=grouped_d0,
        group_join_rate=grouped / fans,
        group_join_rate_d0=grouped_d0 / fans,
    )


@pytest.fixture
def a_week_then_yesterday(manager):
    """The 7 days before yesterday: 10 requests a day, 5 converted (1 the same day); 10 fans, 8 grouped
    (3 the same day). Yesterday, still in its window: 40 requests, 12 converted so far, 8 the same day;
    20 fans, 10 grouped so far, 6 the same day."""
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    for back in range(1, 8):
        _day(
            yesterday - dt.timedelta(days=back),
            requests=10,
            converted=5,
            converted_d0=1,
            fans=10,
            grouped=8,
            grouped_d0=3,
        )
    _day(yesterday, requests=40, converted=12, converted_d0=8, fans=20, grouped=10, grouped_d0=6)
    return yesterday


def test_yesterday_compares_same_day_rates(page, a_week_then_yesterday, manager):
    login(page, manager.user.username, DEMO_PASSWORD)
    page.goto(f"{page.base_url}/dashboard/")
    page.wait_for_selector("[data-chart] canvas")

    fan = page.locator(".card.kpi", has=page.locator('[data-kpi="fan_rate"]'))
    text = fan.inner_text()
    # Same-day 转粉率 8 / 40 = 20.0% against 1 / 10 = 10.0% the day before and 7 / 70 = 10.0% over the week:
    # +10.0 pp both, where the complete rates (30.0% so far against 50.0%) would have shown a false −20.0 pp.
    assert "当日转粉率" in text
    assert "20.0%" in text and "8 / 40" in text
    assert text.count("+10.0 pp") == 2
    assert "-20.0 pp" not in text
    assert "观察窗口未满：按当日口径与前期的当日口径比较（同口径）" in text
    assert "7日口径（暂定） 30.0%" in text
    assert page.locator('[data-kpi="fan_rate"]').get_attribute("data-basis") == "same_day"

    join = page.locator(".card.kpi", has=page.locator('[data-kpi="group_join_rate"]')).inner_text()
    # Same-day 进群率 6 / 20 = 30.0% against 3 / 10 = 30.0% and 21 / 70 = 30.0%: no change (the complete
    # rate, 50.0% so far against 80.0%, would have read −30.0 pp).
    assert "当日进群率" in join and "30.0%" in join and "6 / 20" in join
    assert join.count("+0.0 pp") == 2
    assert "7日口径（暂定） 50.0%" in join

    # A non-cohort headline keeps its own comparison and says nothing of same-day rates.
    assert page.locator('[data-kpi="activity_rate"]').get_attribute("data-basis") == "complete"


def test_a_complete_day_compares_complete_rates(page, a_week_then_yesterday, manager):
    day = (a_week_then_yesterday - dt.timedelta(days=7)).isoformat()
    login(page, manager.user.username, DEMO_PASSWORD)
    page.goto(f"{page.base_url}/dashboard/?date_from={day}&date_to={day}")
    page.wait_for_selector("[data-chart] canvas")
    fan = page.locator(".card.kpi", has=page.locator('[data-kpi="fan_rate"]')).inner_text()
    assert "当日转粉率" not in fan and "50.0%" in fan
    assert page.locator('[data-kpi="fan_rate"]').get_attribute("data-basis") == "complete"

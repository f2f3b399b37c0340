"""An operator's day in Chromium: the workbench lists today's and overdue tasks, 完成 closes them."""

import datetime as dt

import pytest
from django.utils import timezone

from campaigns.sop.models import SopTask
from customers.events.services import events_ingest
from staff.models import Staff
from tests.browser.conftest import login, screenshot
from tests.campaigns.factories import SopTemplateFactory
from tests.staff.factories import DEMO_PASSWORD, StaffFactory, TeamFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_operator_works_through_the_workbench(page):
    team = TeamFactory(code="t1", name="一组")
    StaffFactory(user__username="ann", name="小安", role=Staff.Role.OPERATOR, team=team)
    now = timezone.localtime()
    yesterday = now - dt.timedelta(days=1)
    SopTemplateFactory(
        code="welcome",
        name="新粉欢迎",
        trigger={"kind": "stage", "stage": "fan"},
        steps=[{"day": 0, "time": "00:00", "action": "private_message", "content": "{name}您好，我是{owner}"}],
        active_from=yesterday - dt.timedelta(days=1),
    )
    # One customer added yesterday (overdue by now), one today (due today).
    events = [
        {"id": "a1", "type": "friend_added", "at": yesterday.isoformat(), "phone": "13800000001", "staff": "ann"},
        {"id": "a2", "type": "friend_added", "at": now.isoformat(), "phone": "13800000002", "staff": "ann"},
    ]
    assert events_ingest(events=events).errors == []

    login(page, "ann", DEMO_PASSWORD)
    page.goto(f"{page.base_url}/")
    bench = page.get_by_test_id("workbench")
    assert "还剩 2 项" in page.get_by_test_id("tasks-left").inner_text()
    assert bench.get_by_text("已逾期").count() == 1
    assert "您好，我是小安" in bench.locator("textarea").first.input_value()
    screenshot(page, "sop-workbench")

    bench.get_by_test_id("done").first.click()
    page.get_by_test_id("tasks-left").filter(has_text="还剩 1 项").wait_for()
    page.get_by_test_id("done").first.click()
    page.get_by_text("今天的 SOP 任务都做完了。").wait_for()
    assert SopTask.objects.filter(done_by_staff__user__username="ann").count() == 2
    assert set(SopTask.objects.with_status().values_list("status_code", flat=True)) == {"done_late", "done_on_time"}

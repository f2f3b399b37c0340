"""Uploading a lead list on /imports/ in Chromium: the bar reaches 100% and the counts appear."""

import pytest

from customers.models import Customer
from staff.models import Staff
from tests.browser.conftest import login, screenshot
from tests.customers.factories import LeadSourceFactory
from tests.staff.factories import DEMO_PASSWORD, StaffFactory, TeamFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_manager_uploads_and_watches_progress(page, tmp_path):
    team = TeamFactory(code="t1", name="一组")
    StaffFactory(user__username="boss", role=Staff.Role.MANAGER, team=None)
    StaffFactory(user__username="ann", role=Staff.Role.OPERATOR, team=team)
    StaffFactory(user__username="bob", role=Staff.Role.OPERATOR, team=team)
    LeadSourceFactory(code="tele", name="电销名单")
    rows = [f"1380000{i:04d},客户{i},高意向" for i in range(20)] + ["13800000000,重复,", "12345,短号,"]
    path = tmp_path / "名单.csv"
    path.write_text("手机号,姓名,标签\n" + "\n".join(rows) + "\n", encoding="gbk")

    login(page, "boss", DEMO_PASSWORD)
    page.goto(f"{page.base_url}/imports/")
    assert page.get_by_test_id("imports-empty").is_visible()
    page.set_input_files("input[name=file]", str(path))
    page.select_option("select[name=source]", "tele")
    page.select_option("select[name=team]", "t1")
    page.select_option("select[name=allocation]", "round_robin")
    page.click("form[data-testid=import-form] button[type=submit]")

    page.get_by_test_id("import-percent").filter(has_text="100%").wait_for()
    counts = page.get_by_test_id("import-counts")
    counts.wait_for()
    # 22 rows: 20 created, 1 duplicate, 1 invalid; round robin gives ann and bob 10 each.
    assert counts.locator("[data-count=total_rows]").inner_text() == "22"
    assert counts.locator("[data-count=created]").inner_text() == "20"
    assert counts.locator("[data-count=duplicates]").inner_text() == "1"
    assert counts.locator("[data-count=invalid]").inner_text() == "1"
    assert page.get_by_test_id("import-status").inner_text().startswith("完成")
    assert page.get_by_test_id("import-errors-link").is_visible()
    assert page.locator("table[data-testid=imports] tbody tr").count() == 1
    screenshot(page, "imports")
    owners = sorted(Customer.objects.values_list("owner__user__username", flat=True))
    assert owners == ["ann"] * 10 + ["bob"] * 10

"""The SOP pages: the template builder (managers), the timeline, the staff board's on-time rates."""

import pytest
from django.test import Client

from campaigns.sop.models import SopTemplate
from customers.events.services import events_ingest
from customers.models import Customer
from tests.campaigns.factories import SopTemplateFactory
from tests.campaigns.sop.factories import event, task

pytestmark = pytest.mark.django_db


def browser_for(staff) -> Client:
    client = Client()
    client.force_login(staff.user)
    return client


STEPS = {"day": ["0", "1"], "time": ["09:30", "20:00"], "action": ["private_message", "call"], "content": ["hi", "x"]}


def test_the_builder_saves_steps_row_by_row_and_previews_them(manager, operator):
    assert browser_for(operator).get("/sop/templates/").status_code == 403
    page = browser_for(manager)
    assert page.get("/sop/templates/new/").status_code == 200
    bad = page.post("/sop/templates/new/", {"code": "w", "name": "w", "kind": "stage", "stage": "", **STEPS})
    assert bad.status_code == 400 and "stage" in bad.content.decode()
    assert not SopTemplate.objects.exists()
    preview = page.post("/sop/templates/preview/", {"kind": "stage", "stage": "fan", **STEPS}).content.decode()
    # Triggered today at 15:00: step 0 (09:30 today) is due at the trigger, step 1 tomorrow 20:00.
    assert preview.count("15:00") >= 2 and "20:00" in preview
    saved = page.post(
        "/sop/templates/new/", {"code": "w", "name": "新粉", "kind": "stage", "stage": "fan", "active": "on", **STEPS}
    )
    assert saved.status_code == 302
    template = SopTemplate.objects.get()
    assert template.trigger == {"kind": "stage", "stage": "fan"}
    assert [s["time"] for s in template.steps] == ["09:30", "20:00"] and template.active_from is not None
    assert "新粉" in page.get("/sop/templates/").content.decode()
    assert page.get("/sop/templates/w/").status_code == 200


def test_the_customer_page_is_a_timeline(manager, operator):
    SopTemplateFactory(
        code="w",
        name="欢迎",
        trigger={"kind": "stage", "stage": "fan"},
        steps=[{"day": 0, "time": "10:00", "action": "private_message", "content": "hi"}],
        active_from="2026-11-01T00:00:00+08:00",
    )
    events = [
        event("r", "friend_request_sent", 2, staff="op1"),
        event("a", "friend_added", 2, 11, staff="op1"),
        event("m", "message", 2, 12, direction="in", text="膝盖疼"),
        event("o", "order", 3, amount="99", order_no="S-1"),
    ]
    assert events_ingest(events=events).errors == []
    html = browser_for(manager).get(f"/customers/{Customer.objects.get().pk}/").content.decode()
    timeline = html.split('data-testid="timeline"')[1].split("</table>")[0]
    for text in ("发送好友申请", "加粉", "膝盖疼", "S-1", "阶段变化", "负责人变更", "SOP · 欢迎", "逾期"):
        assert text in timeline, text


def test_the_staff_board_shows_on_time_rates_and_overdue_tasks(manager, operator):
    from tests.campaigns.sop.factories import at

    task(staff=operator, due_at=at(2, 10), done_at=at(2, 11), content="done")
    task(staff=operator, due_at=at(2, 10), content="还没做")
    html = browser_for(manager).get("/staff-board/?date_from=2026-11-01&date_to=2026-11-03").content.decode()
    rates = html.split('data-testid="sop-rates"')[1].split("</table>")[0]
    assert "op1" in rates and "50%" in rates
    assert "还没做" in html.split('data-testid="sop-overdue"')[1]

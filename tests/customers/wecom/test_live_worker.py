"""Callbacks through the real HTTP stack (live server) on PostgreSQL, processed by a real Celery
worker, move the day's KPIs."""

import datetime as dt
import http.client
import io
import time
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command

from customers.wecom.models import WecomCallback
from metrics.models import DailyKpi
from tests.customers.wecom.factories import chat_xml, contact_xml, signed_post, wecom_settings
from tests.staff.factories import StaffFactory, TeamFactory

DAY = dt.date(2026, 11, 2)


def at(hour: int) -> int:
    """A Unix time on DAY, Beijing time."""
    return int(dt.datetime(2026, 11, 2, hour, tzinfo=dt.timezone(dt.timedelta(hours=8))).timestamp())


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_callbacks_posted_over_http_move_the_kpis(celery_worker_process, live_server, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    wecom_settings(settings)
    StaffFactory(user__username="amy", wecom_userid="zhangsan", team=TeamFactory(code="t1"))
    callbacks = [
        contact_xml(change="add_external_contact", userid="zhangsan", external_id="wmA", at=at(10)),
        contact_xml(change="add_external_contact", userid="zhangsan", external_id="wmB", at=at(11)),
        chat_xml(detail="add_member", chat_id="wrROOM", members=["zhangsan", "wmA"], at=at(12)),
        contact_xml(change="del_follow_user", userid="zhangsan", external_id="wmB", at=at(15)),
    ]
    server = urlsplit(live_server.url)
    # The first one again, as WeCom retries: stored once.
    for n, xml in enumerate([*callbacks, callbacks[0]]):
        query, body = signed_post(xml, nonce=f"n{n}", timestamp=str(1_790_000_000 + n))
        connection = http.client.HTTPConnection(server.hostname, server.port, timeout=5)
        started = time.monotonic()
        connection.request("POST", f"/wecom/callback/?{query}", body.encode(), {"Content-Type": "text/xml"})
        answer = connection.getresponse()
        assert (answer.status, answer.read()) == (200, b"success")
        connection.close()
        assert time.monotonic() - started < 5

    deadline = time.monotonic() + 60
    while WecomCallback.objects.filter(status="received").exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert sorted(WecomCallback.objects.values_list("status", "events_accepted", "deliveries")) == [
        ("processed", 1, 1),
        ("processed", 1, 1),
        ("processed", 1, 1),
        ("processed", 1, 2),
    ]

    call_command("compute_kpis", "--date-from", "2026-11-02", "--date-to", "2026-11-02", stdout=io.StringIO())

    org = DailyKpi.objects.get(date=DAY, dimension="org", key="")
    # Two first adds, one of them joined a group the same day, the other deleted amy: one friend left.
    assert (org.new_fans, org.new_fans_grouped, org.group_join_rate) == (2, 1, 0.5)
    assert (org.lost, org.fans_total, org.group_members) == (1, 1, 1)
    staff = DailyKpi.objects.get(date=DAY, dimension="staff", key="amy")
    assert (staff.new_fans, staff.fans_total) == (2, 1)

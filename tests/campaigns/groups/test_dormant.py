"""The nightly job marks groups dormant from their 7-day speaking rate, through a real Celery worker."""

import datetime as dt

import pytest

from campaigns.groups.services import group_speaking_rates_7d, groups_mark_dormant
from campaigns.groups.tasks import mark_dormant_groups
from campaigns.models import Group
from customers.events.services import events_ingest
from tests.campaigns.factories import GroupFactory
from tests.campaigns.sop.factories import iso


def _members(group: str, count: int, *, day: int = 1) -> list[dict]:
    return [
        {"id": f"{group}-j{n}", "type": "group_joined", "at": iso(day), "phone": f"1390000{n:04d}", "group": group}
        for n in range(count)
    ]


def _says(group: str, member: int, day: int) -> dict:
    return {
        "id": f"{group}-m{member}-{day}",
        "type": "message",
        "direction": "in",
        "at": iso(day, 12),
        "phone": f"1390000{member:04d}",
        "group": group,
    }


def _setup():
    # 20 members each in "quiet" and "lively" (joined Nov 1); a leaver in "quiet" on Nov 20.
    events = _members("quiet", 20) + _members("lively", 20)
    # lively: one member speaks every day from Nov 1 to Nov 30 → 1/20 = 5%, not under 5%.
    events += [_says("lively", 0, day) for day in range(1, 31)]
    # quiet: nobody speaks, but on Nov 10 member 1 does: the 7-day windows of Nov 10..16 hold 1/20 = 5%.
    events.append(_says("quiet", 1, 10))
    events.append({"id": "quiet-left", "type": "group_left", "at": iso(20), "phone": "13900000019", "group": "quiet"})
    result = events_ingest(events=events)
    assert result.errors == []
    GroupFactory(code="archive", name="old", status="archived")


@pytest.mark.django_db
def test_speaking_rate_and_the_two_week_rule(settings):
    settings.GROUP_DORMANT_RATE = 0.05
    _setup()
    rates = group_speaking_rates_7d(day=dt.date(2026, 11, 16))
    quiet, lively = Group.objects.get(code="quiet").pk, Group.objects.get(code="lively").pk
    assert rates[quiet] == pytest.approx(1 / 20) and rates[lively] == pytest.approx(1 / 20)
    # After the leave on Nov 20: 19 members, nobody spoke in the window.
    assert group_speaking_rates_7d(day=dt.date(2026, 11, 21))[quiet] == 0
    # Judged on Nov 29: the 14 days Nov 16..29 include Nov 16 at 5%: not dormant yet.
    assert groups_mark_dormant(day=dt.date(2026, 11, 29))["dormant"] == []
    # Judged on Nov 30: Nov 17..30 all under 5%.
    assert groups_mark_dormant(day=dt.date(2026, 11, 30)) == {"day": "2026-11-30", "dormant": ["quiet"], "active": []}
    assert Group.objects.get(code="archive").status == "archived"
    # Idempotent: a second run changes nothing.
    assert groups_mark_dormant(day=dt.date(2026, 11, 30))["dormant"] == []


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_the_beat_job_runs_on_a_real_worker(celery_worker_process, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    _setup()
    answer = mark_dormant_groups.apply_async(args=["2026-11-30"], queue=celery_worker_process).get(timeout=60)
    assert answer["dormant"] == ["quiet"]
    assert Group.objects.get(code="quiet").status == "dormant"
    assert Group.objects.get(code="lively").status == "active"
    assert "mark-dormant-groups" in settings.CELERY_BEAT_SCHEDULE


@pytest.mark.django_db
def test_groups_carry_purpose_and_status_in_the_api(client_for, manager):
    client = client_for(manager)
    made = client.post("/api/v1/groups/", {"code": "vip", "name": "VIP", "purpose": "复购"}, format="json")
    assert made.status_code == 201 and made.json()["status"] == "active"
    assert client.patch("/api/v1/groups/vip/", {"status": "archived"}, format="json").json()["status"] == "archived"
    bad = client.patch("/api/v1/groups/vip/", {"status": "sleepy"}, format="json")
    assert bad.status_code == 400 and "status" in bad.json()

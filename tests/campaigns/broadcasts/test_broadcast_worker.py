"""The beat job, run by a real Celery worker, sends a broadcast whose time has come."""

import datetime as dt

import pytest
from django.conf import settings as django_settings
from django.utils import timezone

from campaigns.broadcasts.tasks import send_due_broadcasts
from campaigns.models import SopTask
from tests.campaigns.factories import BroadcastFactory
from tests.customers.factories import CustomerFactory, TagFactory
from tests.staff.factories import StaffFactory


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_worker_sends_due_broadcasts(celery_worker_process, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    assert "send-due-broadcasts" in django_settings.CELERY_BEAT_SCHEDULE
    ann = StaffFactory(user__username="ann")
    knee = TagFactory(code="knee")
    for phone in ("13800000001", "13800000002"):
        CustomerFactory(phone=phone, owner=ann).tags.add(knee)
    due = BroadcastFactory(
        title="福利", content="8折", audience={"tags": ["knee"]}, scheduled_at=timezone.now() - dt.timedelta(minutes=1)
    )
    later = BroadcastFactory(
        title="later", content="z", audience={"tags": ["knee"]}, scheduled_at=timezone.now() + dt.timedelta(days=1)
    )
    answer = send_due_broadcasts.apply_async(queue=celery_worker_process).get(timeout=60)
    assert answer == [due.pk]
    due.refresh_from_db()
    later.refresh_from_db()
    assert (due.status, due.recipients.count(), later.status) == ("sent", 2, "scheduled")
    assert SopTask.objects.filter(staff=ann).count() == 1

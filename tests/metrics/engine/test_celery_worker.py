"""A real Celery worker (Redis broker, the test database) computes a day's KPIs."""

import pytest

from customers.events.services import events_ingest
from customers.models import LeadSource
from metrics.models import DailyKpi, KpiComputation
from metrics.tasks import compute_daily_kpis
from tests.customers.factories import LeadSourceFactory
from tests.staff.factories import StaffFactory


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_worker_computes_daily_kpis(celery_worker_process, settings):
    # Celery reads its namespaced Django setting first: make sure the task really goes to the worker.
    settings.CELERY_TASK_ALWAYS_EAGER = False
    StaffFactory(user__username="amy")
    LeadSourceFactory(code="tele", name="tele", kind=LeadSource.Kind.TELESALES)
    result = events_ingest(
        events=[
            {
                "id": "w1",
                "type": "friend_request_sent",
                "at": "2026-11-02T10:00:00+08:00",
                "phone": "13800000001",
                "staff": "amy",
                "source": "tele",
            },
            {
                "id": "w2",
                "type": "friend_added",
                "at": "2026-11-03T10:00:00+08:00",
                "phone": "13800000001",
                "staff": "amy",
            },
        ]
    )
    assert result.errors == []

    async_result = compute_daily_kpis.apply_async(args=["2026-11-02"], queue=celery_worker_process)
    answer = async_result.get(timeout=60)

    assert answer["date"] == "2026-11-02"
    assert answer["rows"] == DailyKpi.objects.filter(date="2026-11-02").count()
    org = DailyKpi.objects.get(date="2026-11-02", dimension="org", key="")
    assert (org.requests, org.requests_converted, org.fan_rate) == (1, 1, 1.0)
    assert KpiComputation.objects.filter(date="2026-11-02").exists()

"""KPI reads are cached under the version of the KPI rows (`metrics.cache`): a read answers from the
cache until a statement changes `DailyKpi`, and then from the new rows, never from older ones."""

import datetime as dt

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from metrics.cache import _request_begins, _request_ends, kpi_rows_version
from metrics.engine.compute import kpis_compute_day
from metrics.models import DailyKpi
from metrics.selectors import kpi_coverage, kpi_daily, kpi_summary
from tests.metrics.factories import DailyKpiFactory, KpiComputationFactory

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

DAY = dt.date(2026, 11, 10)


def _requests() -> int:
    (row,) = kpi_summary(dimension="staff", date_from=DAY, date_to=DAY + dt.timedelta(days=1))
    return row["requests"]


def test_a_read_is_answered_from_the_cache_until_the_rows_change():
    DailyKpiFactory(date=DAY, dimension="staff", key="amy", requests=3)
    DailyKpiFactory(date=DAY + dt.timedelta(days=1), dimension="staff", key="amy", requests=4)
    assert _requests() == 7
    with CaptureQueriesContext(connection) as again:
        assert _requests() == 7
    # Only the version is read: the sums and the state at date_to come from the cache.
    assert [q["sql"] for q in again.captured_queries] == ["SELECT token FROM metrics_kpirowsversion WHERE id = 1"]

    DailyKpi.objects.filter(date=DAY).update(requests=10)
    assert _requests() == 14
    DailyKpi.objects.filter(date=DAY + dt.timedelta(days=1)).delete()
    assert _requests() == 10


def test_a_change_rolled_back_brings_back_the_old_answer():
    DailyKpiFactory(date=DAY, dimension="staff", key="amy", requests=3)
    assert _requests() == 3
    with transaction.atomic():
        DailyKpi.objects.filter(date=DAY).update(requests=5)
        assert _requests() == 5  # read inside the change: its own rows
        transaction.set_rollback(True)
    assert _requests() == 3


def test_each_read_gets_its_own_copy():
    DailyKpiFactory(date=DAY, dimension="org", key="", requests=2)
    rows = kpi_daily(dimension="org", date_from=DAY, date_to=DAY)
    rows[0]["requests"] = 99  # callers add their own columns to the rows they are given
    assert kpi_daily(dimension="org", date_from=DAY, date_to=DAY)[0]["requests"] == 2


def test_coverage_follows_the_record_of_computed_days():
    next_day = DAY + dt.timedelta(days=1)
    KpiComputationFactory(date=DAY)
    assert kpi_coverage(date_from=DAY, date_to=next_day)["missing_days"] == [next_day]
    KpiComputationFactory(date=next_day)
    assert kpi_coverage(date_from=DAY, date_to=next_day)["missing_days"] == []


def test_a_request_reads_the_version_once_and_a_computation_in_it_reads_it_again(manager, client_for):
    DailyKpiFactory(date=DAY, dimension="staff", key="amy", requests=3)
    params = {"dimension": "staff", "date_from": DAY.isoformat(), "date_to": DAY.isoformat()}
    with CaptureQueriesContext(connection) as queries:
        assert client_for(manager).get("/api/v1/kpis/summary/", params).status_code == 200
    # The summary and the coverage are two KPI reads; the version is asked once for both.
    assert sum("metrics_kpirowsversion" in q["sql"] for q in queries.captured_queries) == 1

    # What the request signals do (sending them would also close the test's connection).
    _request_begins()
    try:
        before = kpi_rows_version()
        assert kpi_rows_version() == before  # remembered for the request
        kpis_compute_day(day=DAY)  # writes KPI rows, then forgets the remembered token
        assert kpi_rows_version() not in (None, before)
    finally:
        _request_ends()

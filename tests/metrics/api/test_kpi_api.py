import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.utils import timezone

from metrics.catalog import ALL_METRICS
from metrics.models import KpiComputation
from tests.metrics.factories import DailyKpiFactory, KpiComputationFactory
from tests.staff.factories import StaffFactory, TeamFactory

D1 = dt.date(2026, 10, 1)
D2 = dt.date(2026, 10, 2)


def _kpi(day, dimension, key, **metrics):
    return DailyKpiFactory(date=day, dimension=dimension, key=key, computed_at=timezone.now(), **metrics)


@pytest.fixture
def kpi_rows(team, team_lead, operator):
    other_team = TeamFactory(code="t2")
    StaffFactory(user__username="far", team=other_team)
    for day, requests, converted in ((D1, 4, 1), (D2, 6, 2)):
        _kpi(day, "org", "", requests=requests, requests_converted=converted, revenue=Decimal("10.50"), headcount=3)
        _kpi(day, "staff", "op1", requests=requests, requests_converted=converted, headcount=1)
        _kpi(day, "staff", "far", requests=1, requests_converted=1, headcount=1)
        _kpi(day, "team", "t1", requests=requests, headcount=2)
        _kpi(day, "team", "t2", requests=1, headcount=1)
        KpiComputationFactory(date=day, computed_at=timezone.now())


URL = "/api/v1/kpis/daily/"
SUMMARY = "/api/v1/kpis/summary/"
RANGE = {"date_from": "2026-10-01", "date_to": "2026-10-02"}


@pytest.mark.django_db
def test_daily_json_is_paginated_and_says_what_it_covers(kpi_rows, manager, client_for):
    response = client_for(manager).get(URL, {**RANGE, "dimension": "org"})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    assert [r["requests"] for r in body["results"]] == [4, 6]
    assert body["results"][0]["date"] == "2026-10-01"
    assert body["results"][0]["revenue"] == 10.5
    assert body["coverage"]["computed_days"] == ["2026-10-01", "2026-10-02"]
    assert body["coverage"]["missing_days"] == []


@pytest.mark.django_db
def test_rows_of_the_last_w_minus_1_days_are_marked_provisional(manager, client_for):
    # W = 7: the window of T-7 is T-7..T-1, over by today T; that of T-6 (T-6..T) is still open.
    today = timezone.localdate()
    closed, open_ = today - dt.timedelta(days=7), today - dt.timedelta(days=6)
    for day in (closed, open_):
        _kpi(day, "org", "", requests=2, requests_converted=1)
    client = client_for(manager)
    params = {"date_from": closed.isoformat(), "dimension": "org"}

    daily = client.get(URL, {**params, "date_to": open_.isoformat()}).json()["results"]
    assert [(r["date"], r["provisional"]) for r in daily] == [(closed.isoformat(), False), (open_.isoformat(), True)]
    summary = client.get(SUMMARY, {**params, "date_to": closed.isoformat()}).json()["results"]
    assert summary[0]["provisional"] is False
    summary = client.get(SUMMARY, {**params, "date_to": open_.isoformat()}).json()["results"]
    assert summary[0]["provisional"] is True
    # The sums behind the dashboard's hover titles stay out of the answer.
    assert set(summary[0]) == {"dimension", "key", "provisional", *ALL_METRICS}


@pytest.mark.django_db
def test_summary_csv_and_xlsx(kpi_rows, manager, client_for):
    client = client_for(manager)
    response = client.get(SUMMARY, {**RANGE, "dimension": "org", "format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    lines = response.content.decode("utf-8-sig").splitlines()
    header = lines[0].split(",")
    values = dict(zip(header, lines[1].split(","), strict=True))
    assert values["requests"] == "10"  # 4 + 6
    assert float(values["fan_rate"]) == pytest.approx(0.3)  # (1 + 2) / (4 + 6)
    assert float(values["revenue"]) == 21.0  # 10.50 + 10.50

    response = client.get(URL, {**RANGE, "dimension": "org", "format": "xlsx"})
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("date", "dimension", "key", "requests")
    assert [r[3] for r in rows[1:]] == [4, 6]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "params, field",
    [
        ({"date_from": "2026-13-01"}, "date_from"),
        ({"date_from": "2026-10-05", "date_to": "2026-10-01"}, "date_from"),
        ({"date_from": "2025-01-01", "date_to": "2026-10-01"}, "date_to"),
        ({"dimension": "planet"}, "dimension"),
        ({"format": "pdf"}, "format"),
    ],
)
def test_bad_parameters_are_400_naming_the_parameter(kpi_rows, manager, client_for, params, field):
    response = client_for(manager).get(URL, params)
    assert response.status_code == 400
    assert field in response.json()


@pytest.mark.django_db
@pytest.mark.parametrize("params, field", [({"page": "x"}, "page"), ({"page_size": "0"}, "page_size")])
def test_an_export_refuses_a_paging_parameter_it_cannot_read(kpi_rows, manager, client_for, params, field):
    """An export is one sheet, not pages, yet a paging parameter it is sent must still be readable;
    the 400 comes in the format asked for."""
    response = client_for(manager).get(URL, {"format": "csv", **params})
    assert response.status_code == 400
    assert field in response.content.decode()


@pytest.mark.django_db
def test_scoping_by_role(kpi_rows, team_lead, operator, client_for):
    lead = client_for(team_lead)
    assert lead.get(URL, {**RANGE, "dimension": "org"}).status_code == 403
    keys = {r["key"] for r in lead.get(SUMMARY, {**RANGE, "dimension": "staff"}).json()["results"]}
    assert keys == {"op1"}  # "far" is in team t2
    assert lead.get(SUMMARY, {**RANGE, "dimension": "team", "key": "t2"}).status_code == 403
    assert [r["key"] for r in lead.get(SUMMARY, {**RANGE, "dimension": "team"}).json()["results"]] == ["t1"]

    op = client_for(operator)
    assert op.get(URL, {**RANGE, "dimension": "team"}).status_code == 403
    assert {r["key"] for r in op.get(URL, {**RANGE, "dimension": "staff"}).json()["results"]} == {"op1"}
    assert op.get(URL, {**RANGE, "dimension": "staff", "key": "far"}).status_code == 403


@pytest.mark.django_db
def test_summary_query_count_does_not_grow_with_the_range(
    kpi_rows, team_lead, client_for, django_assert_max_num_queries
):
    client = client_for(team_lead)
    with django_assert_max_num_queries(8):
        response = client.get(SUMMARY, {"date_from": "2025-10-03", "date_to": "2026-10-02", "dimension": "staff"})
    assert response.status_code == 200


@pytest.mark.django_db
def test_recompute_is_for_managers(manager, team_lead, client_for, django_capture_on_commit_callbacks, settings):
    # Celery reads its namespaced Django setting first, so eager mode is set there.
    settings.CELERY_TASK_ALWAYS_EAGER = True
    url = "/api/v1/kpis/recompute/"
    assert client_for(team_lead).post(url, RANGE, format="json").status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(manager).post(url, {"date_from": "2026-10-01", "date_to": "2026-10-03"}, format="json")
    assert response.status_code == 202
    assert response.json()["days"] == 3
    assert response.json()["task_id"]
    # Tasks run in-process in tests: once the request commits, the three days are computed.
    assert sorted(KpiComputation.objects.values_list("date", flat=True)) == [
        dt.date(2026, 10, 1),
        dt.date(2026, 10, 2),
        dt.date(2026, 10, 3),
    ]
    bad = client_for(manager).post(url, {"date_from": "2026-10-05", "date_to": "2026-10-01"}, format="json")
    assert bad.status_code == 400 and "date_from" in bad.json()
    too_long = client_for(manager).post(url, {"date_from": "2025-01-01", "date_to": "2026-10-01"}, format="json")
    assert too_long.status_code == 400 and "date_to" in too_long.json()
    missing = client_for(manager).post(url, {"date_from": "2026-10-01"}, format="json")
    assert missing.status_code == 400 and "date_to" in missing.json()
    status = client_for(manager).get(f"/api/v1/kpis/tasks/{response.json()['task_id']}/")
    assert status.status_code == 200 and "state" in status.json()


@pytest.mark.django_db
def test_schema_documents_the_kpi_parameters(manager, client_for):
    schema = client_for(manager).get("/api/schema/", {"format": "json"}).json()
    params = {p["name"] for p in schema["paths"]["/api/v1/kpis/summary/"]["get"]["parameters"]}
    assert {"date_from", "date_to", "dimension", "key", "format"} <= params
    assert "/api/v1/reports/scripts/" in schema["paths"]

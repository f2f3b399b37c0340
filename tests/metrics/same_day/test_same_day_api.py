"""The new metrics in the KPI API: daily and summary, JSON, CSV and XLSX."""

import datetime as dt
import io

import openpyxl
import pytest
from django.utils import timezone

from metrics.models import DailyKpi

pytestmark = pytest.mark.django_db
D1, D2 = dt.date(2026, 10, 1), dt.date(2026, 10, 2)
RANGE = {"date_from": "2026-10-01", "date_to": "2026-10-02"}


@pytest.fixture
def rows(db):
    for day, requests, d0, speakers_7d, members in ((D1, 4, 1, 9, 30), (D2, 6, 3, 5, 20)):
        DailyKpi.objects.create(
            date=day,
            dimension="org",
            key="",
            computed_at=timezone.now(),
            requests=requests,
            requests_converted=d0 + 1,
            requests_converted_d0=d0,
            fan_rate_d0=d0 / requests,
            group_members=members,
            speakers_7d=speakers_7d,
            speaking_rate_7d=speakers_7d / members,
        )


def test_summary_json_folds_the_new_metrics(rows, manager, client_for):
    body = client_for(manager).get("/api/v1/kpis/summary/", {**RANGE, "dimension": "org"}).json()
    (org,) = body["results"]
    # (1 + 3) / (4 + 6) = 0.4; the week's speakers and the members at D2: 5 / 20 = 0.25, not (9 + 5) / 50.
    assert (org["requests_converted_d0"], org["fan_rate_d0"]) == (4, 0.4)
    assert (org["speakers_7d"], org["group_members"], org["speaking_rate_7d"]) == (5, 20, 0.25)


def test_daily_csv_and_xlsx_carry_the_new_columns(rows, manager, client_for):
    client = client_for(manager)
    csv = client.get("/api/v1/kpis/daily/", {**RANGE, "dimension": "org", "format": "csv"})
    header = csv.content.decode("utf-8-sig").splitlines()[0].split(",")
    for column in ("requests_converted_d0", "new_fans_grouped_d0", "fan_rate_d0", "group_join_rate_d0"):
        assert column in header
    xlsx = client.get("/api/v1/kpis/summary/", {**RANGE, "dimension": "org", "format": "xlsx"})
    sheet = list(openpyxl.load_workbook(io.BytesIO(xlsx.content)).active.iter_rows(values_only=True))
    assert sheet[1][sheet[0].index("speaking_rate_7d")] == 0.25
    assert sheet[1][sheet[0].index("speakers_7d")] == 5

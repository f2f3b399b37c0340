"""Excel downloads from the pages: the rows the page shows, headers in the viewer's language, numbers as numbers,
phones masked as the viewer sees them."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.test import Client
from openpyxl import load_workbook

from tests.customers.factories import CustomerFactory
from tests.metrics.factories import DailyKpiFactory, KpiComputationFactory
from tests.staff.factories import StaffFactory

RANGE = {"date_from": "2026-11-10", "date_to": "2026-11-10"}


def _sheet(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))


def _browser(staff, language="zh-hans") -> Client:
    client = Client()
    client.force_login(staff.user)
    client.cookies["django_language"] = language
    return client


@pytest.fixture
def team_day(team, manager):
    KpiComputationFactory(date=dt.date(2026, 11, 10))
    DailyKpiFactory(date=dt.date(2026, 11, 10), dimension="org", key="", requests=40, requests_converted=10)
    DailyKpiFactory(
        date=dt.date(2026, 11, 10),
        dimension="team",
        key="t1",
        requests=40,
        requests_converted=10,
        fan_rate=0.25,
        revenue=Decimal("35327.60"),
    )


def test_breakdown_download_in_english_keeps_numbers(team_day, manager):
    rows = _sheet(_browser(manager, "en").get("/dashboard/", {**RANGE, "by": "team", "format": "xlsx"}))
    header, team_row = rows[0], rows[1]
    assert header[:3] == ("Team", "Requests", "Fan rate")
    assert team_row[0] == "一组" and team_row[1] == 40 and team_row[2] == 0.25
    assert 35327.6 in team_row


def test_customer_list_download_masks_phones_for_a_team_lead(team, team_lead, operator):
    CustomerFactory(phone="13912344512", name="王五", owner=operator)
    rows = _sheet(_browser(team_lead).get("/customers/", {"format": "xlsx"}))
    assert rows[0][:2] == ("姓名", "手机号")
    assert rows[1][:2] == ("王五", "139****4512")


def test_customer_list_download_follows_the_filters(team, manager, operator):
    CustomerFactory(phone="13912344512", name="甲", owner=operator, stage="fan")
    CustomerFactory(phone="13912344513", name="乙", owner=operator, stage="lead")
    rows = _sheet(_browser(manager).get("/customers/", {"stage": "fan", "format": "xlsx"}))
    assert [r[:2] for r in rows[1:]] == [("甲", "13912344512")]


def test_staff_board_download(team_day, manager):
    StaffFactory(user__username="op9", name="小九", team=manager.team)
    rows = _sheet(_browser(manager).get("/staff-board/", {**RANGE, "format": "xlsx"}))
    assert rows[0][:3] == ("员工", "姓名", "团队")


def test_an_operator_cannot_download_a_manager_page(operator):
    response = _browser(operator).get("/staff-board/", {**RANGE, "format": "xlsx"})
    assert response.status_code == 403

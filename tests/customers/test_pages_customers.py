"""Customer pages and the operator's home: role scoping, phone masking, filters, history, query counts."""

import datetime as dt
import importlib
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import clear_url_caches
from django.utils import timezone

import sitadmin.urls
from customers.imports.services import import_job_create
from customers.models import OwnershipPeriod, StageTransition
from customers.ownership.services import customers_assign_owner
from tests.campaigns.sop.factories import task as sop_task
from tests.customers.factories import CustomerFactory, LeadSourceFactory, TagFactory
from tests.staff.factories import StaffFactory, TeamFactory


def browser_for(staff) -> Client:
    client = Client()
    client.force_login(staff.user)
    return client


@pytest.fixture
def customers(team, operator):
    """op1's customer in team t1, and a customer of another team's operator."""
    other = StaffFactory(user__username="far", team=TeamFactory(code="t2"))
    mine = CustomerFactory(phone="13800138000", name="张三", owner=operator, stage="fan")
    theirs = CustomerFactory(phone="13900139000", name="李四", owner=other)
    return mine, theirs


def test_manager_sees_every_phone_in_full(manager, customers):
    html = browser_for(manager).get("/customers/").content.decode()
    assert "13800138000" in html
    assert "13900139000" in html


def test_team_lead_sees_their_team_masked(team_lead, customers):
    mine, theirs = customers
    page = browser_for(team_lead)
    html = page.get("/customers/").content.decode()
    assert "138****8000" in html
    assert "13800138000" not in html
    assert "李四" not in html
    assert "139****9000" not in html
    detail = page.get(f"/customers/{mine.pk}/").content.decode()
    assert "138****8000" in detail
    assert "13800138000" not in detail
    assert page.get(f"/customers/{theirs.pk}/").status_code == 404


def test_owner_sees_own_phone_and_nothing_else(operator, customers):
    mine, theirs = customers
    page = browser_for(operator)
    html = page.get("/customers/").content.decode()
    assert "13800138000" in html
    assert "李四" not in html
    assert "13800138000" in page.get(f"/customers/{mine.pk}/").content.decode()
    assert page.get(f"/customers/{theirs.pk}/").status_code == 404


def test_filters_and_bad_filter_values(manager, customers):
    page = browser_for(manager)
    html = page.get("/customers/", {"stage": "fan"}).content.decode()
    assert "张三" in html
    assert "李四" not in html
    html = page.get("/customers/", {"search": "李"}).content.decode()
    assert "李四" in html
    assert "张三" not in html
    html = page.get("/customers/", {"source": "no-such-source"}).content.decode()
    assert 'data-testid="filter-errors"' in html
    assert "source" in html
    assert "张三" not in html


def test_detail_shows_stage_and_ownership_history(manager, operator, customers):
    mine, _ = customers
    tag = TagFactory(code="knee", name="膝盖")
    mine.tags.add(tag)
    first = timezone.now() - dt.timedelta(days=3)
    customers_assign_owner(
        assignments={mine.pk: manager.pk}, at=first - dt.timedelta(days=1), cause=OwnershipPeriod.Cause.IMPORT
    )
    customers_assign_owner(assignments={mine.pk: operator.pk}, at=first, cause=OwnershipPeriod.Cause.MANUAL)
    StageTransition.objects.create(customer=mine, from_stage="lead", to_stage="fan", at=first, cause="manual")
    html = browser_for(manager).get(f"/customers/{mine.pk}/").content.decode()
    assert "膝盖" in html
    ownership = html.split('data-testid="ownership"')[1].split("</table>")[0]
    assert ownership.count("<tr>") == 3  # header + two periods
    assert "至今" in ownership
    stages = html.split('data-testid="timeline"')[1].split("</table>")[0]
    assert "已加粉" in stages


def test_customer_list_query_count(manager, operator, django_assert_max_num_queries):
    tags = [TagFactory(code=f"t{i}") for i in range(3)]
    for _ in range(60):
        CustomerFactory(owner=operator).tags.add(*tags)
    page = browser_for(manager)
    with django_assert_max_num_queries(12):
        response = page.get("/customers/")
    assert response.content.decode().count("<tr data-id=") == 50  # one page


def test_operator_home_lists_todays_sop_tasks(operator, customers):
    mine, _ = customers
    now = timezone.localtime()
    today_noon = now.replace(hour=12, minute=0, second=0, microsecond=0)
    sop_task(staff=operator, customer=mine, content="今天回访", due_at=today_noon)
    sop_task(staff=operator, content="明天发群公告", due_at=today_noon + dt.timedelta(days=1))
    sop_task(staff=operator, content="上周没做完", due_at=today_noon - dt.timedelta(days=7))
    sop_task(staff=operator, content="上周做完了", due_at=today_noon - dt.timedelta(days=7), done_at=today_noon)
    html = browser_for(operator).get("/").content.decode()
    assert "今天回访" in html
    assert "上周没做完" in html  # overdue and still open
    assert "明天发群公告" not in html
    assert "上周做完了" not in html
    assert "13800138000" in html  # their own customer, unmasked


def test_team_lead_without_a_team_gets_the_task_list(db):
    lead = StaffFactory(user__username="loose", role="team_lead", team=None)
    response = browser_for(lead).get("/")
    assert response.status_code == 200
    assert 'data-kpi="fan_rate"' not in response.content.decode()


@pytest.mark.django_db
def test_uploaded_lead_files_are_not_served_even_in_debug(client, settings):
    # Import files are read by path; none is ever linked, and they are full of phone numbers.
    settings.DEBUG = True
    try:
        importlib.reload(sitadmin.urls)
        clear_url_caches()
        data = b"phone,name\n13800138000,\xe5\xbc\xa0\xe4\xb8\x89\n"
        job = import_job_create(
            file=ContentFile(data, name="leads.csv"), file_name="leads.csv", source=LeadSourceFactory(), dispatch=False
        )
        assert (Path(settings.MEDIA_ROOT) / job.file.name).read_bytes() == data
        assert client.get(f"/media/{job.file.name}").status_code == 404
    finally:
        settings.DEBUG = False
        importlib.reload(sitadmin.urls)
        clear_url_caches()

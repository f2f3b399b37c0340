"""The Django admin covers every model of the four apps, and its pages render with data in them."""

import datetime as dt
from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone

from customers.models import Event, OwnershipPeriod
from customers.ownership.services import customers_assign_owner
from staff.evaluations.scoring import evaluation_create
from staff.models import EvaluationScore, Staff
from tests.campaigns.factories import GroupFactory, ScriptFactory
from tests.campaigns.sop.factories import task as sop_task
from tests.customers.factories import CustomerFactory, EventFactory, TagFactory
from tests.metrics.factories import DailyKpiFactory
from tests.staff.factories import ReviewCycleFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

APPS = ("customers", "staff", "campaigns", "metrics")
# CustomerTag is the link table of Customer.tags, edited on the customer's page; the admin cannot list
# a model whose primary key is composite.
MODELS = [
    model
    for app in APPS
    for model in apps.get_app_config(app).get_models()
    if model._meta.label != "customers.CustomerTag"
]


@pytest.fixture
def admin_client_with_data(client, operator):
    superuser = UserFactory(username="root", is_staff=True, is_superuser=True)
    customer = CustomerFactory(phone="13912345678", name="王五")
    customer.tags.add(TagFactory(code="knee"))
    at = timezone.make_aware(dt.datetime(2026, 11, 20, 10, 0))
    customers_assign_owner(assignments={customer.pk: operator.pk}, at=at, cause=OwnershipPeriod.Cause.MANUAL)
    EventFactory(client_id="e1", type="friend_added", at=at, customer=customer, staff=operator)
    ScriptFactory(code="s1")
    group = GroupFactory(code="g1", owner=operator)
    sop_task(staff=operator, group=group, content="早安问候", due_at=at)
    DailyKpiFactory(date=at.date(), dimension="org", key="", requests=3, computed_at=at)
    client.force_login(superuser)
    return client


def test_every_model_is_registered():
    missing = [model.__name__ for model in MODELS if not admin.site.is_registered(model)]
    assert missing == []


@pytest.mark.parametrize("model", MODELS, ids=lambda m: f"{m._meta.app_label}.{m.__name__}")
def test_changelist_and_search_render(admin_client_with_data, model):
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    assert admin_client_with_data.get(url).status_code == 200
    if admin.site._registry[model].search_fields:
        assert admin_client_with_data.get(url, {"q": "1"}).status_code == 200


def test_customer_list_masks_phone_but_search_finds_it(admin_client_with_data):
    url = reverse("admin:customers_customer_changelist")
    page = admin_client_with_data.get(url).content.decode()
    assert "139****5678" in page
    assert "13912345678" not in page
    found = admin_client_with_data.get(url, {"q": "13912345678"}).content.decode()
    assert "王五" in found
    assert admin_client_with_data.get(url, {"q": "13900000000"}).content.decode().count("王五") == 0


def test_user_admin_shows_the_staff_inline(admin_client_with_data, operator):
    page = admin_client_with_data.get(reverse("admin:auth_user_change", args=[operator.user.pk]))
    assert page.status_code == 200
    assert "staff-0-role" in page.content.decode()


def test_staff_status_change_in_admin_goes_through_the_service(admin_client_with_data, team):
    staff = StaffFactory(user__username="leaver", team=team)
    url = reverse("admin:staff_staff_change", args=[staff.pk])
    form = {
        "user": staff.user.pk,
        "name": "leaver",
        "team": team.pk,
        "role": "operator",
        "status": "exited",
        "hire_type": "external",
        "joined_on": "2025-01-01",
        "left_on": "2026-11-20",
        "capacity": 1000,
        "weight": "1",
    }
    response = admin_client_with_data.post(url, form)
    assert response.status_code == 302
    staff = Staff.objects.select_related("user").get(pk=staff.pk)
    assert staff.status == "exited"
    # staff_update turns the exited member's sign-in off.
    assert staff.user.is_active is False


def test_admin_cannot_change_a_stage_or_write_events(admin_client_with_data):
    # A stage changes only with a recorded transition, and events only through ingestion with its effects.
    customer = Event.objects.get(client_id="e1").customer
    change_url = reverse("admin:customers_customer_change", args=[customer.pk])
    assert 'name="stage"' not in admin_client_with_data.get(change_url).content.decode()
    assert admin_client_with_data.get(reverse("admin:customers_event_add")).status_code == 403
    event_url = reverse("admin:customers_event_change", args=[Event.objects.get(client_id="e1").pk])
    assert admin_client_with_data.get(event_url).status_code == 200
    assert admin_client_with_data.post(event_url, {"client_id": "e1", "type": "friend_deleted"}).status_code == 403
    delete_url = reverse("admin:customers_event_delete", args=[Event.objects.get(client_id="e1").pk])
    assert admin_client_with_data.post(delete_url, {"post": "yes"}).status_code == 403
    assert Event.objects.get(client_id="e1").type == "friend_added"


def test_admin_stores_a_customer_phone_normalised_and_refuses_a_bad_one(admin_client_with_data):
    customer = Event.objects.get(client_id="e1").customer
    change_url = reverse("admin:customers_customer_change", args=[customer.pk])
    form = {
        "phone": "+86 139-0000-0042",
        "external_id": "",
        "name": "改名",
        "remark": "",
        "source": customer.source_id,
        "ownership_periods-TOTAL_FORMS": "0",
        "ownership_periods-INITIAL_FORMS": "0",
        "stage_transitions-TOTAL_FORMS": "0",
        "stage_transitions-INITIAL_FORMS": "0",
    }
    assert admin_client_with_data.post(change_url, form).status_code == 302
    customer.refresh_from_db()
    assert (customer.phone, customer.name) == ("13900000042", "改名")
    answer = admin_client_with_data.post(change_url, {**form, "phone": "１３９００００００４３"})
    assert answer.status_code == 200
    assert "不是大陆手机号" in answer.content.decode()
    customer.refresh_from_db()
    assert customer.phone == "13900000042"


def test_admin_cannot_change_add_or_delete_evaluation_scores(admin_client_with_data, operator):
    # The total and decision are computed from the scores by the evaluation service; the admin only reads them.
    cycle = ReviewCycleFactory(code="nov", name="十一月", starts_on=dt.date(2026, 11, 1), ends_on=dt.date(2026, 11, 30))
    codes = ["user_ops", "learning", "execution", "analysis", "product_selection"]
    evaluation = evaluation_create(staff=operator, cycle=cycle, scores=dict.fromkeys(codes, 8), reviewer=operator.user)
    score = EvaluationScore.objects.filter(evaluation=evaluation).select_related("dimension").first()
    change_url = reverse("admin:staff_evaluationscore_change", args=[score.pk])
    page = admin_client_with_data.get(change_url).content.decode()
    assert 'name="score"' not in page
    assert 'name="weight"' not in page
    assert 'name="dimension"' not in page
    form = {"evaluation": evaluation.pk, "dimension": score.dimension.pk, "score": "1", "weight": "1", "note": "改"}
    assert admin_client_with_data.post(change_url, form).status_code == 302
    score.refresh_from_db()
    assert (score.score, score.note) == (Decimal("8.0"), "改")
    assert admin_client_with_data.get(reverse("admin:staff_evaluationscore_add")).status_code == 403
    delete_url = reverse("admin:staff_evaluationscore_delete", args=[score.pk])
    assert admin_client_with_data.post(delete_url, {"post": "yes"}).status_code == 403
    assert EvaluationScore.objects.filter(evaluation=evaluation).count() == 5
    assert admin_client_with_data.get(reverse("admin:staff_evaluation_add")).status_code == 403
    evaluation.refresh_from_db()
    # 8 in every dimension: 10 × 8 = 80.0, at the advance edge (80)
    assert (evaluation.total, evaluation.decision) == (Decimal("80.0"), "advance")

"""seed_demo: deterministic with --seed, derived through event ingestion, --if-empty."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from campaigns.models import Group, Script, SopTask
from customers.models import Customer, Event, LeadSource, OwnershipPeriod, Stage
from staff.models import Evaluation, ReviewCycle, Staff
from tests.customers.factories import LeadSourceFactory


def _fingerprint() -> tuple:
    # Customers by their phone's blind index: the same number always gives the same index.
    events = sorted(
        Event.objects.values_list("client_id", "type", "at", "customer__phone_index", "staff__user__username")
    )
    customers = sorted(
        Customer.objects.values_list("phone_index", "name", "stage", "owner__user__username", "remark", "source__code")
    )
    tags = sorted(Customer.tags.through.objects.values_list("customer__phone_index", "tag__code"))
    tasks = list(
        SopTask.objects.order_by(
            "customer__phone_index", "template__code", "step", "staff__user__username", "pk"
        ).values_list("customer__phone_index", "staff__user__username", "content", "due_at", "done_at")
    )
    return events, customers, tags, tasks


def _seed(seed: int = 7) -> None:
    call_command("seed_demo", "--seed", str(seed), "--customers", "300", "--days", "40", stdout=io.StringIO())


@pytest.mark.django_db
def test_seed_demo_builds_the_organisation_and_is_deterministic():
    _seed()
    first = _fingerprint()
    assert Customer.objects.count() == 300
    assert len(first[0]) == Event.objects.count() > 300
    # Every demo event goes through ingestion: stages and owners are derived from them.
    assert Customer.objects.exclude(stage=Stage.LEAD).count() > 100
    assert Customer.objects.filter(owner__isnull=False).count() > 50
    assert set(LeadSource.objects.values_list("kind", flat=True)) == {"telesales", "orders", "ads", "intercept"}
    assert Script.objects.count() == 3 and Group.objects.count() == 8
    assert ReviewCycle.objects.exists()
    # The two templates' tasks arise from the events: some done by the seeded replies, some not.
    assert SopTask.objects.filter(done_at__isnull=True).exists()
    assert SopTask.objects.filter(done_event__isnull=False).exists()
    manager = get_user_model().objects.get(username="manager")
    assert manager.is_superuser and manager.check_password("sitadmin-demo")
    assert Staff.objects.filter(role="operator", left_on__isnull=False).count() == 1
    assert Customer.objects.filter(remark__regex=r"^\d{8}-.+-已").exists()
    _assert_the_demo_tells_a_true_story()

    Customer.objects.all().delete()
    SopTask.objects.all().delete()
    _seed()
    assert _fingerprint() == first


@pytest.mark.django_db
def test_if_empty_does_nothing_when_customers_exist():
    Customer.objects.create(phone="13800000001", source=LeadSourceFactory(code="x", name="x", kind="ads"))
    call_command("seed_demo", "--if-empty", "--customers", "50", stdout=io.StringIO())
    assert Customer.objects.count() == 1
    assert not Event.objects.exists()


def _assert_the_demo_tells_a_true_story():
    tz = timezone.get_default_timezone()
    leaver = Staff.objects.get(role="operator", left_on__isnull=False)
    # The leaver's customers were handed over on their last day, not when the demo was seeded.
    assert not Customer.objects.filter(owner=leaver).exists()
    handed = OwnershipPeriod.objects.filter(cause="handover")
    assert handed.exists()
    assert {timezone.localtime(p.started_at, tz).date() for p in handed} == {leaver.left_on}
    # Customers arrive over the window, not all at seed time.
    created = [timezone.localtime(c, tz).date() for c in Customer.objects.values_list("created_at", flat=True)]
    assert (max(created) - min(created)).days >= 15
    # Evaluations only for staff employed in the cycle.
    for evaluation in Evaluation.objects.select_related("staff", "cycle"):
        assert evaluation.staff.joined_on <= evaluation.cycle.ends_on

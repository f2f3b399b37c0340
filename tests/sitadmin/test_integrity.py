"""Deleting a record still in use is 409; codes and usernames are not renamed through PUT/PATCH."""

import datetime as dt

import pytest

from customers.models import Customer
from staff.models import Evaluation, Staff, Team
from tests.customers.factories import CustomerFactory, TagFactory
from tests.staff.factories import EvaluationFactory, ReviewCycleFactory, StaffFactory, TeamFactory

pytestmark = pytest.mark.django_db


def test_team_with_members_is_409_and_keeps_them(client_for, manager, team):
    for n in range(5):
        StaffFactory(user__username=f"m{n}", team=team)
    answer = client_for(manager).delete("/api/v1/teams/t1/")
    assert answer.status_code == 409
    assert answer.json()["detail"] == "一组 (t1) 仍被使用：员工"
    assert Staff.objects.filter(team=team).count() == 5
    TeamFactory(code="empty", name="空")
    assert client_for(manager).delete("/api/v1/teams/empty/").status_code == 204


def test_tag_in_use_is_409_and_stays_on_its_customers(client_for, manager):
    tag = TagFactory(code="vip")
    customers = [CustomerFactory() for _ in range(3)]
    for customer in customers:
        customer.tags.add(tag)
    assert client_for(manager).delete("/api/v1/tags/vip/").status_code == 409
    assert Customer.objects.filter(tags=tag).count() == 3
    TagFactory(code="unused")
    assert client_for(manager).delete("/api/v1/tags/unused/").status_code == 204


def test_staff_with_history_is_409_and_keeps_their_evaluations(client_for, manager, operator):
    cycle = ReviewCycleFactory(code="c1", name="c1", starts_on=dt.date(2026, 11, 1), ends_on=dt.date(2026, 11, 30))
    EvaluationFactory(
        staff=operator, cycle=cycle, reviewer=manager.user, total=70, decision="keep", final_decision="keep"
    )
    assert client_for(manager).delete("/api/v1/staff/op1/").status_code == 409
    assert Evaluation.objects.filter(staff=operator).count() == 1
    StaffFactory(user__username="fresh")
    assert client_for(manager).delete("/api/v1/staff/fresh/").status_code == 204


@pytest.mark.parametrize("method", ["put", "patch"])
def test_codes_cannot_be_renamed(client_for, manager, team, method):
    client = client_for(manager)
    call = getattr(client, method)
    answer = call("/api/v1/teams/t1/", {"code": "t2", "name": "一组"}, format="json")
    assert answer.status_code == 400
    assert "code" in answer.json()
    assert Team.objects.filter(code="t1").exists() and not Team.objects.filter(code="t2").exists()
    # Repeating the code, or leaving it out of a PATCH, is fine.
    assert call("/api/v1/teams/t1/", {"code": "t1", "name": "新一组"}, format="json").status_code == 200
    TagFactory(code="vip")
    assert call("/api/v1/tags/vip/", {"code": "svip", "name": "x"}, format="json").status_code == 400


def test_username_cannot_be_renamed(client_for, manager, operator):
    answer = client_for(manager).patch("/api/v1/staff/op1/", {"username": "op9"}, format="json")
    assert answer.status_code == 400
    assert "username" in answer.json()
    assert Staff.objects.filter(user__username="op1").exists()

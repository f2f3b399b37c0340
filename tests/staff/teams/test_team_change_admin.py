"""A change of team in the admin goes through the staff service (dated today) and is refused on the form
when the service would refuse it."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from staff.models import TeamMembership
from tests.staff.factories import StaffFactory, TeamFactory

pytestmark = pytest.mark.django_db


def _form(staff, team) -> dict:
    return {
        "user": staff.user.pk,
        "name": staff.name,
        "team": team.pk,
        "role": "operator",
        "status": "active",
        "hire_type": "external",
        "joined_on": "2025-01-01",
        "capacity": 1000,
        "weight": "1",
    }


def test_admin_change_of_team_is_dated_and_a_second_one_the_same_day_refused(admin_client):
    t1, t2, t3 = TeamFactory(code="t1"), TeamFactory(code="t2"), TeamFactory(code="t3")
    ben = StaffFactory(user__username="ben", team=t1, joined_on=dt.date(2025, 1, 1))
    url = reverse("admin:staff_staff_change", args=[ben.pk])
    assert admin_client.post(url, _form(ben, t2)).status_code == 302
    today = timezone.localdate()
    assert list(TeamMembership.objects.filter(staff=ben).values_list("team__code", "since")) == [
        ("t1", None),
        ("t2", today),
    ]
    refused = admin_client.post(url, _form(ben, t3))
    assert refused.status_code == 200
    assert f"生效日期须晚于上次调组（{today}）。" in refused.content.decode()
    ben.refresh_from_db()
    assert ben.team == t2
    assert "团队历史" in admin_client.get(url).content.decode()

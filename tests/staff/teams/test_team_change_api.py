"""A change of team through `PATCH /api/v1/staff/{username}/`: dated, kept, and refused when it cannot hold."""

import datetime as dt

import pytest
from django.utils import timezone

from staff.models import Staff, TeamMembership
from tests.staff.factories import StaffFactory, TeamFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def teams(db):
    return TeamFactory(code="t1"), TeamFactory(code="t2"), TeamFactory(code="t3")


@pytest.fixture
def ben(teams):
    return StaffFactory(user__username="ben", team=teams[0], joined_on=dt.date(2026, 1, 5))


def test_a_change_is_dated_and_the_history_is_kept(client_for, manager, ben):
    client = client_for(manager)
    assert client.get("/api/v1/staff/ben/").json()["team_history"] == [{"team": "t1", "since": None}]

    moved = client.patch("/api/v1/staff/ben/", {"team": "t2", "team_since": "2026-11-07"}, format="json")
    assert moved.status_code == 200, moved.json()
    assert moved.json()["team"] == "t2"
    assert moved.json()["team_history"] == [{"team": "t1", "since": None}, {"team": "t2", "since": "2026-11-07"}]
    assert "team_since" not in moved.json()

    # Without team_since the change takes effect today.
    today = timezone.localdate()
    again = client.patch("/api/v1/staff/ben/", {"team": "t3"}, format="json")
    assert again.status_code == 200, again.json()
    assert again.json()["team_history"][-1] == {"team": "t3", "since": today.isoformat()}
    periods = list(TeamMembership.objects.filter(staff=ben).values_list("team__code", "since", "until"))
    assert periods == [
        ("t1", None, dt.date(2026, 11, 7)),
        ("t2", dt.date(2026, 11, 7), today),
        ("t3", today, None),
    ]
    # The list answer carries the history too, in one query for all staff.
    listed = {s["username"]: s for s in client.get("/api/v1/staff/").json()["results"]}
    assert [p["team"] for p in listed["ben"]["team_history"]] == ["t1", "t2", "t3"]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"team": "t3", "team_since": "2026-11-07"}, "team_since"),  # the day of the last change
        ({"team": "t3", "team_since": "2026-11-06"}, "team_since"),  # before it
        ({"team": "t3", "team_since": "2999-01-01"}, "team_since"),  # in the future
        ({"team": "nope", "team_since": "2026-11-10"}, "team"),  # no such team
        ({"team_since": "2026-11-10"}, "team_since"),  # a date and no change of team
        ({"team": "t3", "team_since": "11/10/2026"}, "team_since"),
    ],
)
def test_bad_changes_are_400_naming_the_field_and_change_nothing(client_for, manager, ben, payload, field):
    client = client_for(manager)
    first = client.patch("/api/v1/staff/ben/", {"team": "t2", "team_since": "2026-11-07"}, format="json")
    assert first.status_code == 200
    response = client.patch("/api/v1/staff/ben/", {**payload, "name": "renamed"}, format="json")
    assert response.status_code == 400
    assert field in response.json()
    ben.refresh_from_db()
    assert (ben.team.code, ben.name) == ("t2", "ben")
    assert TeamMembership.objects.filter(staff=ben).count() == 2


def test_an_exited_staff_member_cannot_be_moved(client_for, manager, ben):
    client = client_for(manager)
    assert client.patch("/api/v1/staff/ben/", {"status": "exited"}, format="json").status_code == 200
    response = client.patch("/api/v1/staff/ben/", {"team": "t2"}, format="json")
    assert response.status_code == 400
    assert "team" in response.json()
    ben.refresh_from_db()
    assert (ben.team.code, ben.status) == ("t1", Staff.Status.EXITED)
    assert not TeamMembership.objects.filter(staff=ben).exists()
    # Made active again in the same change, they may move.
    back = client.patch("/api/v1/staff/ben/", {"team": "t2", "status": "active"}, format="json")
    assert back.status_code == 200, back.json()
    assert back.json()["team"] == "t2"


def test_team_leads_and_operators_cannot_move_anyone(client_for, ben, teams):
    lead = StaffFactory(user__username="lead", team=teams[0], role=Staff.Role.TEAM_LEAD)
    for who in (lead, ben):
        assert client_for(who).patch("/api/v1/staff/ben/", {"team": "t2"}, format="json").status_code == 403
    ben.refresh_from_db()
    assert ben.team.code == "t1"

import datetime as dt

import pytest
from django.contrib.auth import get_user_model

from staff.models import Staff, Team
from tests.staff.factories import StaffFactory, TeamFactory

pytestmark = pytest.mark.django_db


def test_teams_crud_by_code_for_managers(client_for, manager):
    client = client_for(manager)
    created = client.post("/api/v1/teams/", {"code": "t9", "name": "九组"}, format="json")
    assert created.status_code == 201
    assert created.json() == {"code": "t9", "name": "九组"}

    assert client.patch("/api/v1/teams/t9/", {"name": "第九组"}, format="json").json()["name"] == "第九组"
    duplicate = client.post("/api/v1/teams/", {"code": "t9", "name": "again"}, format="json")
    assert duplicate.status_code == 400
    assert "code" in duplicate.json()

    assert client.delete("/api/v1/teams/t9/").status_code == 204
    assert not Team.objects.filter(code="t9").exists()


def test_teams_are_scoped_and_read_only_below_manager(client_for, team_lead, operator):
    TeamFactory(code="t2")
    for staff in (team_lead, operator):
        client = client_for(staff)
        listing = client.get("/api/v1/teams/").json()
        assert listing["count"] == 1
        assert listing["results"][0]["code"] == "t1"
        assert client.get("/api/v1/teams/t2/").status_code == 404
        assert client.post("/api/v1/teams/", {"code": "x", "name": "x"}, format="json").status_code == 403


def test_manager_creates_staff_with_a_hashed_password(client_for, manager, team, api_client):
    client = client_for(manager)
    payload = {
        "username": "newbie",
        "password": "long-enough-1",
        "name": "小王",
        "team": "t1",
        "role": "operator",
        "hire_type": "internal",
        "joined_on": "2026-11-01",
        "capacity": 300,
        "weight": "1.50",
    }
    response = client.post("/api/v1/staff/", payload, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert "password" not in body
    assert body == {
        "username": "newbie",
        "name": "小王",
        "team": "t1",
        "role": "operator",
        "status": "active",
        "hire_type": "internal",
        "joined_on": "2026-11-01",
        "left_on": None,
        "capacity": 300,
        "weight": 1.5,
        "team_history": [{"team": "t1", "since": None}],
        "wecom_userid": "",
    }
    user = get_user_model().objects.get(username="newbie")
    assert user.password != "long-enough-1"
    assert user.check_password("long-enough-1")
    login = api_client.post("/api/v1/auth/token/", {"username": "newbie", "password": "long-enough-1"}, format="json")
    assert login.status_code == 200


def test_staff_update_and_delete_by_username(client_for, manager, operator):
    TeamFactory(code="t2")
    client = client_for(manager)
    response = client.patch(
        "/api/v1/staff/op1/", {"team": "t2", "status": "exited", "left_on": "2026-11-20"}, format="json"
    )
    assert response.status_code == 200, response.json()
    operator.refresh_from_db()
    assert (operator.team.code, operator.status, operator.left_on) == ("t2", "exited", dt.date(2026, 11, 20))
    # An exited staff member can no longer sign in.
    assert operator.user.is_active is False

    assert client.delete("/api/v1/staff/op1/").status_code == 204
    assert not Staff.objects.filter(pk=operator.pk).exists()
    assert not get_user_model().objects.filter(username="op1").exists()


def test_password_is_refused_on_update(client_for, manager, operator):
    response = client_for(manager).patch("/api/v1/staff/op1/", {"password": "another-pass-1"}, format="json")
    assert response.status_code == 400
    assert "password" in response.json()


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"username": "x1", "password": "long-enough-1", "team": "nope"}, "team"),
        ({"username": "x1", "password": "long-enough-1", "role": "boss"}, "role"),
        ({"username": "x1", "password": "long-enough-1", "capacity": "many"}, "capacity"),
        ({"username": "x1", "password": ""}, "password"),
        ({"username": "x1"}, "password"),
        ({"username": "op1", "password": "long-enough-1"}, "username"),
        ({"username": "x1", "password": "long-enough-1", "joined_on": "2026-13-01"}, "joined_on"),
        (
            {"username": "x1", "password": "long-enough-1", "joined_on": "2026-11-02", "left_on": "2026-11-01"},
            "left_on",
        ),
    ],
)
def test_bad_staff_input_is_400_naming_the_field(client_for, manager, operator, payload, field):
    response = client_for(manager).post("/api/v1/staff/", payload, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not Staff.objects.filter(user__username="x1").exists()


def test_staff_scoping_by_role(client_for, manager, team_lead, operator):
    other_team = TeamFactory(code="t2")
    StaffFactory(user__username="op2", team=team_lead.team)
    StaffFactory(user__username="op9", team=other_team)

    # boss + lead + op1 + op2 + op9 = 5 for the manager; lead, op1, op2 for the lead; op1 alone for op1.
    assert client_for(manager).get("/api/v1/staff/").json()["count"] == 5
    lead_view = client_for(team_lead).get("/api/v1/staff/").json()
    assert sorted(row["username"] for row in lead_view["results"]) == ["lead", "op1", "op2"]
    assert client_for(team_lead).get("/api/v1/staff/op9/").status_code == 404
    op_view = client_for(operator).get("/api/v1/staff/").json()
    assert [row["username"] for row in op_view["results"]] == ["op1"]
    assert client_for(operator).get("/api/v1/staff/op2/").status_code == 404

    # Filters stay within scope: the lead filtering on the other team finds nobody.
    assert client_for(team_lead).get("/api/v1/staff/", {"team": "t2"}).json()["count"] == 0
    assert client_for(manager).get("/api/v1/staff/", {"team": "t2"}).json()["count"] == 1


def test_only_managers_write_staff(client_for, team_lead, operator):
    payload = {"username": "x1", "password": "long-enough-1"}
    assert client_for(team_lead).post("/api/v1/staff/", payload, format="json").status_code == 403
    assert client_for(team_lead).patch("/api/v1/staff/op1/", {"name": "x"}, format="json").status_code == 403
    assert client_for(operator).delete("/api/v1/staff/op1/").status_code == 403

"""The SOP API: templates (bad input named by field), tasks scoped by role, done by hand, the report."""

import datetime as dt

import pytest
from django.utils import timezone

from campaigns.sop.models import SopTask, SopTemplate
from customers.events.services import events_ingest
from customers.models import Customer
from tests.campaigns.factories import GroupFactory, SopTemplateFactory
from tests.campaigns.sop.factories import at, event, task
from tests.customers.factories import TagFactory
from tests.staff.factories import StaffFactory, TeamFactory

pytestmark = pytest.mark.django_db

GOOD = {
    "code": "welcome",
    "name": "新粉欢迎",
    "trigger": {"kind": "stage", "stage": "fan"},
    "steps": [{"day": 0, "time": "10:00", "action": "private_message", "content": "你好 {name}"}],
}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"steps": []}, "steps"),
        ({"steps": [{"day": -1, "time": "10:00", "action": "call"}]}, "steps"),
        ({"steps": [{"day": 0, "time": "25:00", "action": "call"}]}, "steps"),
        ({"steps": [{"day": 0, "time": "10:00", "action": "dance"}]}, "steps"),
        ({"trigger": {"kind": "stage", "stage": "famous"}}, "trigger"),
        ({"trigger": {"kind": "tag", "tag": "nope"}}, "trigger"),
        ({"trigger": {"kind": "group_joined", "group": "nope"}}, "trigger"),
        ({"trigger": {"kind": "weather"}}, "trigger"),
    ],
)
def test_bad_templates_are_400_naming_the_field_and_save_nothing(client_for, manager, change, field):
    response = client_for(manager).post("/api/v1/sop-templates/", {**GOOD, **change}, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not SopTemplate.objects.exists()


def test_templates_are_written_by_managers_and_default_active_from_to_now(client_for, manager, operator):
    TagFactory(code="knee")
    GroupFactory(code="vip")
    assert client_for(operator).post("/api/v1/sop-templates/", GOOD, format="json").status_code == 403
    before = timezone.now()
    response = client_for(manager).post("/api/v1/sop-templates/", GOOD, format="json")
    assert response.status_code == 201
    body = response.json()
    assert body["trigger"] == {"kind": "stage", "stage": "fan"}
    assert dt.datetime.fromisoformat(body["active_from"]) >= before
    tag = {**GOOD, "code": "knee", "trigger": {"kind": "tag", "tag": "knee"}}
    assert client_for(manager).post("/api/v1/sop-templates/", tag, format="json").json()["trigger"] == {
        "kind": "tag",
        "tag": "knee",
    }
    group = {**GOOD, "code": "vip", "trigger": {"kind": "group_joined", "group": "vip"}}
    assert client_for(manager).post("/api/v1/sop-templates/", group, format="json").status_code == 201
    assert client_for(operator).get("/api/v1/sop-templates/").json()["count"] == 3


def test_done_by_hand_scoping_and_409(client_for, manager, team_lead, operator):
    other_team = TeamFactory(code="t2")
    stranger = StaffFactory(user__username="op9", team=other_team)
    mine = task(staff=operator, due_at=at(2, 10))
    theirs = task(staff=stranger, due_at=at(2, 10))
    op = client_for(operator)
    assert op.post(f"/api/v1/sop-tasks/{theirs.pk}/done/").status_code == 404
    assert client_for(team_lead).post(f"/api/v1/sop-tasks/{theirs.pk}/done/").status_code == 404
    response = op.post(f"/api/v1/sop-tasks/{mine.pk}/done/")
    assert response.status_code == 200
    body = response.json()
    assert body["done_by"] == "op1" and body["status"] == "done_late"  # done after Nov 2 ended
    assert op.post(f"/api/v1/sop-tasks/{mine.pk}/done/").status_code == 409
    assert client_for(manager).post(f"/api/v1/sop-tasks/{theirs.pk}/done/").status_code == 200
    assert op.get("/api/v1/sop-tasks/").json()["count"] == 1
    assert client_for(team_lead).get("/api/v1/sop-tasks/", {"status": "done_late"}).json()["count"] == 1
    assert client_for(manager).get("/api/v1/sop-tasks/", {"staff": "op9"}).json()["count"] == 1


def test_from_events_to_the_report(client_for, manager, operator):
    SopTemplateFactory(
        code="w",
        name="w",
        trigger={"kind": "stage", "stage": "fan"},
        steps=[{"day": 0, "time": "12:00", "action": "private_message", "content": "hi {name}"}],
        active_from=at(1, 0),
    )
    phones = [f"1380000000{n}" for n in range(4)]
    events = [event(f"a{n}", "friend_added", 2, 9, phone=p, staff="op1") for n, p in enumerate(phones)]
    events += [
        event("m0", "message", 2, 11, phone=phones[0], direction="out"),  # on time
        event("m1", "message", 3, 9, phone=phones[1], direction="out"),  # late
    ]
    assert events_ingest(events=events).errors == []
    later = task(staff=operator, due_at=at(5, 10))  # outside the range
    response = client_for(manager).get("/api/v1/reports/sop/", {"date_from": "2026-11-01", "date_to": "2026-11-03"})
    assert response.status_code == 200
    row = next(r for r in response.json() if r["staff"] == "op1")
    # 4 due on Nov 2: one on time, one late, two never done (overdue counts as open).
    assert row == {
        "staff": "op1",
        "name": operator.name,
        "due": 4,
        "done_on_time": 1,
        "done_late": 1,
        "open": 2,
        "on_time_rate": 0.25,
    }
    listed = client_for(operator).get("/api/v1/sop-tasks/", {"status": "overdue", "due_to": "2026-11-02"}).json()
    assert listed["count"] == 2
    assert {r["content"] for r in listed["results"]} == {"hi "}
    assert SopTask.objects.filter(pk=later.pk).exists()
    bad = client_for(manager).get("/api/v1/reports/sop/", {"date_from": "2026-11-05", "date_to": "2026-11-01"})
    assert bad.status_code == 400 and "date_to" in bad.json()


def test_hand_edits_fire_stage_and_tag_templates(client_for, manager, operator):
    knee = TagFactory(code="knee")
    SopTemplateFactory(
        code="t",
        name="t",
        trigger={"kind": "tag", "tag": "knee", "tag_id": knee.pk},
        steps=[{"day": 1, "time": "09:00", "action": "call", "content": "call"}],
        active_from=at(1, 0),
    )
    SopTemplateFactory(
        code="b",
        name="b",
        trigger={"kind": "stage", "stage": "buyer"},
        steps=[{"day": 0, "time": "09:00", "action": "call", "content": "thanks"}],
        active_from=at(1, 0),
    )
    assert events_ingest(events=[event("r", "friend_request_sent", 2, staff="op1")]).errors == []
    customer_id = Customer.objects.get().pk
    response = client_for(manager).patch(
        f"/api/v1/customers/{customer_id}/", {"tags": ["knee"], "stage": "buyer", "owner": "op1"}, format="json"
    )
    assert response.status_code == 200
    assert sorted(SopTask.objects.values_list("template__code", "staff__user__username")) == [
        ("b", "op1"),
        ("t", "op1"),
    ]


def test_a_template_saved_without_a_trigger_is_listed_with_an_empty_one(client_for, manager):
    """The admin can save a template with no trigger (it fires for nobody); the API still lists it."""
    SopTemplateFactory(code="draft", trigger={})
    SopTemplateFactory(code="tagged", trigger={"kind": "tag", "tag": "knee", "tag_id": 7})
    response = client_for(manager).get("/api/v1/sop-templates/")
    assert response.status_code == 200
    triggers = {row["code"]: row["trigger"] for row in response.json()["results"]}
    assert triggers == {"draft": {}, "tagged": {"kind": "tag", "tag": "knee"}}


def test_steps_in_a_patch_are_whole_steps(client_for, manager):
    # A PATCH's steps replace the template's: each is read as in a create, required fields and defaults.
    client = client_for(manager)
    assert client.post("/api/v1/sop-templates/", GOOD, format="json").status_code == 201
    response = client.patch("/api/v1/sop-templates/welcome/", {"steps": [{"day": 1}]}, format="json")
    assert response.status_code == 400
    assert set(response.json()["steps"][0]) == {"time", "action"}
    assert SopTemplate.objects.get(code="welcome").steps == GOOD["steps"]
    step = {"day": 1, "time": "09:00", "action": "call"}
    response = client.patch("/api/v1/sop-templates/welcome/", {"steps": [step]}, format="json")
    assert response.status_code == 200
    assert SopTemplate.objects.get(code="welcome").steps == [{**step, "content": ""}]

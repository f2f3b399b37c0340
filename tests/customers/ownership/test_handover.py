"""Hand-over of a leaving staff member's customers (离职继承 / 在职转接) with each allocation rule."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from customers.models import Customer, OwnershipPeriod
from customers.ownership.handover import staff_handover
from customers.ownership.services import customers_assign_owner
from staff.models import HandoverAudit, Staff
from tests.customers.factories import CustomerFactory, TagFactory
from tests.staff.factories import StaffFactory, TeamFactory


@pytest.fixture
def setup(team, team_lead, operator):
    """op1 leaves with 6 customers; op2 (weight 1, capacity 3, owns 2) and op3 (weight 2, capacity 10) stay.

    An exited operator and the team lead never receive customers.
    """
    op2 = StaffFactory(team=team, user__username="op2", weight=Decimal(1), capacity=3)
    op3 = StaffFactory(team=team, user__username="op3", weight=Decimal(2), capacity=10)
    StaffFactory(team=team, user__username="op0", status=Staff.Status.EXITED)
    earlier = timezone.now() - dt.timedelta(days=30)
    tag = TagFactory(code="vip")
    leaving = [CustomerFactory(stage="grouped") for _ in range(6)]
    leaving[0].tags.add(tag)
    kept = [CustomerFactory() for _ in range(2)]
    customers_assign_owner(assignments={c.pk: operator.pk for c in leaving}, at=earlier, cause="import")
    customers_assign_owner(assignments={c.pk: op2.pk for c in kept}, at=earlier, cause="import")
    return {"leaver": operator, "op2": op2, "op3": op3, "leaving": [c.pk for c in leaving], "tag": tag}


def _owners(ids):
    owners = dict(Customer.objects.filter(pk__in=ids).values_list("pk", "owner__user__username"))
    return [owners[i] for i in ids]


def test_round_robin(setup, manager):
    result = staff_handover(staff=setup["leaver"], allocation="round_robin", performed_by=manager.user)
    # In turn by username: op2, op3, op2, op3, op2, op3
    assert _owners(setup["leaving"]) == ["op2", "op3", "op2", "op3", "op2", "op3"]
    assert (result.moved, result.unassigned, result.per_operator) == (6, 0, {"op2": 3, "op3": 3})


def test_weighted(setup, manager):
    result = staff_handover(staff=setup["leaver"], allocation="weighted", performed_by=manager.user)
    # Smooth weighted round robin with weights op2=1, op3=2 (Σ3): current weights per pick
    # [1,2]→op3, [2,1]→op2, [0,3]→op3, [1,2]→op3, [2,1]→op2, [0,3]→op3: op2 2, op3 4
    assert _owners(setup["leaving"]) == ["op3", "op2", "op3", "op3", "op2", "op3"]
    assert result.per_operator == {"op2": 2, "op3": 4}


def test_capacity_and_history(setup, manager):
    result = staff_handover(staff=setup["leaver"], allocation="capacity", performed_by=manager.user)
    # Least loaded first: op3 (0) → 1 customer; op3 (1) < op2 (2) → op3; op2 (2) ties op3 (2), op2 first
    # by username → op2 reaches its capacity 3; the last three go to op3 (loads 2, 3, 4).
    assert _owners(setup["leaving"]) == ["op3", "op3", "op2", "op3", "op3", "op3"]
    assert result.per_operator == {"op2": 1, "op3": 5}
    first = setup["leaving"][0]
    periods = list(
        OwnershipPeriod.objects.filter(customer_id=first)
        .order_by("started_at")
        .values_list("staff__user__username", "cause", "ended_at")
    )
    assert [(p[0], p[1]) for p in periods] == [("op1", "import"), ("op3", "handover")]
    assert periods[0][2] is not None and periods[1][2] is None
    customer = Customer.objects.get(pk=first)
    # Stage and tags untouched
    assert customer.stage == "grouped"
    assert list(customer.tags.values_list("code", flat=True)) == ["vip"]
    audit = HandoverAudit.objects.get()
    assert (audit.from_staff, audit.allocation, audit.customers_moved, audit.customers_unassigned) == (
        setup["leaver"],
        "capacity",
        6,
        0,
    )
    assert audit.performed_by == manager.user
    assert audit.details["per_operator"] == {"op2": 1, "op3": 5}


def test_capacity_full_leaves_the_rest_with_the_leaver_and_reports_them(setup, manager):
    Staff.objects.filter(pk=setup["op3"].pk).update(capacity=2)
    result = staff_handover(staff=setup["leaver"], allocation="capacity", performed_by=manager.user)
    # op3 takes 2 (its capacity), op2 takes 1 (2 owned + 1 = 3); 6 - 3 = 3 left with op1
    assert (result.moved, result.unassigned) == (3, 3)
    assert _owners(setup["leaving"]) == ["op3", "op3", "op2", "op1", "op1", "op1"]
    assert HandoverAudit.objects.get().customers_unassigned == 3
    # Once capacity frees up, running it again moves only the three left.
    Staff.objects.filter(pk=setup["op3"].pk).update(capacity=10)
    again = staff_handover(staff=setup["leaver"], allocation="capacity", performed_by=manager.user)
    assert (again.customers, again.moved, again.unassigned) == (3, 3, 0)
    assert Customer.objects.filter(owner=setup["leaver"]).count() == 0


def test_dry_run_changes_nothing(setup, manager):
    before = OwnershipPeriod.objects.count()
    result = staff_handover(staff=setup["leaver"], allocation="round_robin", performed_by=manager.user, dry_run=True)
    assert (result.dry_run, result.moved, result.per_operator) == (True, 6, {"op2": 3, "op3": 3})
    assert _owners(setup["leaving"]) == ["op1"] * 6
    assert OwnershipPeriod.objects.count() == before
    assert HandoverAudit.objects.count() == 0


def test_handover_api(setup, client_for, manager, team_lead):
    url = "/api/v1/staff/op1/handover/"
    assert client_for(team_lead).post(url, {"dry_run": True}, format="json").status_code == 403
    bad = client_for(manager).post(url, {"allocation": "lottery"}, format="json")
    assert bad.status_code == 400 and "allocation" in bad.json()
    assert client_for(manager).post("/api/v1/staff/ghost/handover/", {}, format="json").status_code == 404
    preview = client_for(manager).post(url, {"allocation": "capacity", "dry_run": True}, format="json").json()
    assert preview["per_operator"] == {"op2": 1, "op3": 5}
    assert preview["audit_id"] is None
    assert Customer.objects.filter(owner=setup["leaver"]).count() == 6
    done = client_for(manager).post(url, {}, format="json").json()
    # default rule: capacity
    assert (done["allocation"], done["moved"], done["dry_run"]) == ("capacity", 6, False)
    assert done["audit_id"] == HandoverAudit.objects.get().pk
    assert Customer.objects.filter(owner=setup["leaver"]).count() == 0


def test_exit_through_the_staff_api_hands_over(setup, client_for, manager):
    response = client_for(manager).patch(
        "/api/v1/staff/op1/", {"status": "exited", "handover_allocation": "round_robin"}, format="json"
    )
    assert response.status_code == 200, response.json()
    # round robin by username: op2, op3, op2, op3, op2, op3
    assert _owners(setup["leaving"]) == ["op2", "op3", "op2", "op3", "op2", "op3"]
    audit = HandoverAudit.objects.get()
    assert (audit.allocation, audit.reason, audit.customers_moved) == ("round_robin", "exited", 6)
    # A change that is not a departure hands nothing over.
    client_for(manager).patch("/api/v1/staff/op2/", {"capacity": 50}, format="json")
    assert HandoverAudit.objects.count() == 1


def test_transfer_to_another_team_hands_over_within_the_old_team(setup, client_for, manager):
    # An operator of the new team never receives op1's customers.
    StaffFactory(team=TeamFactory(code="t2"), user__username="newcomer")
    response = client_for(manager).patch("/api/v1/staff/op1/", {"status": "transferred", "team": "t2"}, format="json")
    assert response.status_code == 200, response.json()
    # default rule capacity, within t1 (the team op1 left): op2 1, op3 5 as in test_capacity_and_history
    assert _owners(setup["leaving"]) == ["op3", "op3", "op2", "op3", "op3", "op3"]
    assert HandoverAudit.objects.get().details["team"] == "t1"


def test_nothing_to_hand_over_writes_no_audit(team, manager):
    idle = StaffFactory(team=team, user__username="idle")
    result = staff_handover(staff=idle, performed_by=manager.user)
    assert (result.customers, result.moved, result.audit_id) == (0, 0, None)
    assert HandoverAudit.objects.count() == 0

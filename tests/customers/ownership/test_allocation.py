from collections import Counter
from decimal import Decimal

import pytest

from customers.ownership.allocation import AllocationDealer, allocation_plan
from staff.models import Staff
from tests.customers.factories import CustomerFactory
from tests.staff.factories import StaffFactory, TeamFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def crew(team):
    """Three active operators (ann, bob, cat), plus staff who must never be picked."""
    ops = {
        name: StaffFactory(user__username=name, team=team, role=Staff.Role.OPERATOR, capacity=cap, weight=w)
        for name, cap, w in [("bob", 4, Decimal("1")), ("ann", 3, Decimal("2")), ("cat", 5, Decimal("0"))]
    }
    StaffFactory(user__username="aaa-lead", team=team, role=Staff.Role.TEAM_LEAD)
    StaffFactory(user__username="aab-gone", team=team, role=Staff.Role.OPERATOR, status=Staff.Status.EXITED)
    StaffFactory(user__username="aac-other", team=TeamFactory(code="t2"), role=Staff.Role.OPERATOR)
    return ops


def _by_name(plan):
    names = dict(Staff.objects.values_list("pk", "user__username"))
    return Counter(names[sid] for sid in plan.assignments.values())


def test_round_robin_in_turn_by_username(team, crew):
    plan = allocation_plan(customer_ids=list(range(1, 8)), team=team, rule="round_robin")
    ann, bob, cat = crew["ann"].pk, crew["bob"].pk, crew["cat"].pk
    # 7 customers over ann, bob, cat in turn: ann 1,4,7; bob 2,5; cat 3,6.
    assert plan.assignments == {1: ann, 2: bob, 3: cat, 4: ann, 5: bob, 6: cat, 7: ann}
    assert plan.unassigned == []


def test_weighted_two_to_one_over_nine(team, crew):
    crew["cat"].delete()
    plan = allocation_plan(customer_ids=list(range(1, 10)), team=team, rule="weighted")
    # ann weight 2, bob weight 1: 9 × 2/3 = 6 and 9 × 1/3 = 3.
    assert _by_name(plan) == {"ann": 6, "bob": 3}
    # Smooth: ann, bob, ann repeating, never three of one in a row.
    ann, bob = crew["ann"].pk, crew["bob"].pk
    assert [plan.assignments[i] for i in range(1, 4)] == [ann, bob, ann]


def test_weighted_skips_zero_weight(team, crew):
    plan = allocation_plan(customer_ids=list(range(1, 4)), team=team, rule="weighted")
    # cat has weight 0: 3 customers split 2:1 between ann and bob.
    assert _by_name(plan) == {"ann": 2, "bob": 1}


def test_capacity_least_loaded_and_leftovers(team, crew):
    CustomerFactory.create_batch(2, owner=crew["ann"])
    CustomerFactory.create_batch(3, owner=crew["cat"])
    # Loads/capacities: ann 2/3, bob 0/4, cat 3/5 → room 1 + 4 + 2 = 7; 9 customers leave 2 over.
    plan = allocation_plan(customer_ids=list(range(1, 10)), team=team, rule="capacity")
    assert _by_name(plan) == {"ann": 1, "bob": 4, "cat": 2}
    assert plan.unassigned == [8, 9]
    # First pick: bob (load 0); then bob 1 vs ann 2 → bob; bob 2 ties ann 2 → ann (username first).
    bob, ann = crew["bob"].pk, crew["ann"].pk
    assert [plan.assignments[i] for i in (1, 2, 3)] == [bob, bob, ann]


def test_none_and_exclusions(team, crew, django_assert_max_num_queries):
    assert allocation_plan(customer_ids=[1, 2], team=team, rule="none").unassigned == [1, 2]
    with django_assert_max_num_queries(2):
        plan = allocation_plan(
            customer_ids=[1, 2, 3, 4],
            team=team,
            rule="capacity",
            exclude_staff_ids=[crew["bob"].pk, crew["cat"].pk],
        )
    # Only ann is left, with room for 3.
    assert set(plan.assignments.values()) == {crew["ann"].pk}
    assert plan.unassigned == [4]


def test_unknown_rule():
    with pytest.raises(ValueError, match="round_robin"):
        allocation_plan(customer_ids=[1], team=None, rule="random")


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        # ann, bob, cat in turn.
        ("round_robin", "abcabcabcabca"),
        # cat's weight is 0; ann 2, bob 1: ann, bob, ann repeating.
        ("weighted", "abaabaabaabaa"),
        # Loads/capacities ann 2/3, bob 0/4, cat 0/5: least loaded first, ties by username;
        # room for 1 + 4 + 5 = 10, the last 3 are nobody's (-).
        ("capacity", "bcbcabcbcc---"),
    ],
)
def test_dealer_in_parts_carries_its_turn(team, crew, rule, expected):
    CustomerFactory.create_batch(2, owner=crew["ann"])
    letters = {crew[name].pk: name[0] for name in ("ann", "bob", "cat")}
    dealer = AllocationDealer(team=team, rule=rule)
    # 13 customers in parts of 1, 5 and 7, as an import deals chunk by chunk.
    dealt = dealer.deal(1) + dealer.deal(5) + dealer.deal(7)
    assert "".join(letters.get(sid, "-") for sid in dealt) == expected

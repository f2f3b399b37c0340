"""Who gets which new customer (SPEC §5 allocation), planned without writing anything.

`allocation_plan` is pure and deterministic: the same customers, team state and rule give the same
plan. Imports apply the plan through the ownership service; the hand-over of leaving staff reuses it
with the leaver excluded.

Candidates are the team's active operators, ordered by username:
- `round_robin` 轮流: in turn, so no operator gets more than one customer above another per plan;
- `weighted` 按权重: smooth weighted round robin on `Staff.weight` (over any run of Σweight picks each
  operator gets exactly their weight, interleaved rather than in blocks);
- `capacity` 按容量: each customer to the least-loaded operator still below `capacity` (load = customers
  they own now plus those planned so far; ties by username); the rest stay unassigned;
- `none` 不分配: nobody is assigned.
"""

import heapq
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count

from customers.models import Customer
from staff.models import Staff, Team

RULES = ("none", "round_robin", "weighted", "capacity")


@dataclass
class AllocationPlan:
    assignments: dict[int, int] = field(default_factory=dict)
    unassigned: list[int] = field(default_factory=list)


def allocation_candidates(*, team: Team, exclude_staff_ids: Collection[int] = ()) -> list[Staff]:
    """The team's active operators, by username (one query)."""
    return list(
        Staff.objects.filter(team=team, role=Staff.Role.OPERATOR, status=Staff.Status.ACTIVE)
        .exclude(pk__in=list(exclude_staff_ids))
        .select_related("user")
        .order_by("user__username", "pk")
    )


def allocation_plan(
    *,
    customer_ids: Sequence[int],
    team: Team | None,
    rule: str,
    exclude_staff_ids: Collection[int] = (),
) -> AllocationPlan:
    """Plan owners for `customer_ids`, in the order given."""
    if rule not in RULES:
        raise ValueError(f"unknown allocation rule {rule!r}; expected one of {', '.join(RULES)}")
    customer_ids = list(customer_ids)
    if rule == "none" or team is None or not customer_ids:
        return AllocationPlan(unassigned=customer_ids)
    operators = allocation_candidates(team=team, exclude_staff_ids=exclude_staff_ids)
    if not operators:
        return AllocationPlan(unassigned=customer_ids)
    if rule == "round_robin":
        return _round_robin(customer_ids, [op.pk for op in operators])
    if rule == "weighted":
        return _weighted(customer_ids, [(op.pk, op.weight) for op in operators])
    loads = dict(
        Customer.objects.filter(owner_id__in=[op.pk for op in operators])
        .values_list("owner_id")
        .annotate(n=Count("id"))
        .values_list("owner_id", "n")
    )
    return _capacity(customer_ids, [(op.pk, loads.get(op.pk, 0), op.capacity) for op in operators])


def _round_robin(customer_ids: list[int], staff_ids: list[int]) -> AllocationPlan:
    n = len(staff_ids)
    return AllocationPlan(assignments={cid: staff_ids[i % n] for i, cid in enumerate(customer_ids)})


def _weighted(customer_ids: list[int], weights: list[tuple[int, Decimal]]) -> AllocationPlan:
    weights = [(sid, Decimal(w)) for sid, w in weights if w > 0]
    if not weights:
        return AllocationPlan(unassigned=customer_ids)
    total = sum(w for _, w in weights)
    current = [Decimal(0)] * len(weights)
    plan = AllocationPlan()
    for cid in customer_ids:
        best = 0
        for i, (_, w) in enumerate(weights):
            current[i] += w
            # Strictly greater: on a tie the operator earlier by username wins.
            if current[i] > current[best]:
                best = i
        current[best] -= total
        plan.assignments[cid] = weights[best][0]
    return plan


def _capacity(customer_ids: list[int], operators: list[tuple[int, int, int]]) -> AllocationPlan:
    # Heap of (load, position by username, staff id, capacity): least loaded first, ties by username.
    heap = [(load, pos, sid, cap) for pos, (sid, load, cap) in enumerate(operators) if load < cap]
    heapq.heapify(heap)
    plan = AllocationPlan()
    for index, cid in enumerate(customer_ids):
        if not heap:
            plan.unassigned.extend(customer_ids[index:])
            break
        load, pos, sid, cap = heapq.heappop(heap)
        plan.assignments[cid] = sid
        if load + 1 < cap:
            heapq.heappush(heap, (load + 1, pos, sid, cap))
    return plan

"""Who gets which new customer (docs/domain.md §Imports allocation), planned without writing anything.

`allocation_plan` is pure and deterministic: the same customers, team state and rule give the same
plan; `AllocationDealer` gives the same owners a chunk at a time. Imports deal their new customers
in file order; the hand-over of leaving staff reuses the plan with the leaver excluded.

Candidates are the team's active operators, ordered by username:
- `round_robin` 轮流: in turn, so no operator gets more than one customer above another per plan;
- `weighted` 按权重: smooth weighted round robin on `Staff.weight` (over any run of Σweight picks each
  operator gets exactly their weight, interleaved rather than in blocks);
- `capacity` 按容量: each customer to the least-loaded operator still below `capacity` (load = customers
  they own now plus those planned so far; ties by username); the rest stay unassigned;
- `none` 不分配: nobody is assigned.
"""

import heapq
import itertools
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count

from customers.models import Customer, ImportJob
from staff.models import Staff, Team

RULES = tuple(ImportJob.Allocation.values)


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


class AllocationDealer:
    """Deals owners to new customers one after another; the state carries over from one `deal` to the next.

    A large import deals chunk by chunk and ends with the owners one `allocation_plan` over all its
    new customers would give. The team (operators, and their loads for `capacity`) is read once, at
    the first `deal`.
    """

    def __init__(self, *, team: Team | None, rule: str, exclude_staff_ids: Collection[int] = ()):
        if rule not in RULES:
            raise ValueError(f"unknown allocation rule {rule!r}; expected one of {', '.join(RULES)}")
        self._team, self._rule, self._exclude_staff_ids = team, rule, exclude_staff_ids
        self._owners: Iterator[int | None] | None = None

    def deal(self, count: int) -> list[int | None]:
        """Staff ids of the next `count` customers; None for those nobody can take."""
        if self._owners is None:
            self._owners = self._owner_stream(self._team, self._rule, self._exclude_staff_ids)
        return list(itertools.islice(self._owners, count))

    @staticmethod
    def _owner_stream(team: Team | None, rule: str, exclude_staff_ids: Collection[int]) -> Iterator[int | None]:
        if rule == "none" or team is None:
            return itertools.repeat(None)
        operators = allocation_candidates(team=team, exclude_staff_ids=exclude_staff_ids)
        if not operators:
            return itertools.repeat(None)
        if rule == "round_robin":
            return itertools.cycle([op.pk for op in operators])
        if rule == "weighted":
            return _weighted([(op.pk, op.weight) for op in operators])
        loads = dict(
            Customer.objects.filter(owner_id__in=[op.pk for op in operators])
            .values_list("owner_id")
            .annotate(n=Count("id"))
            .values_list("owner_id", "n")
        )
        return _capacity([(op.pk, loads.get(op.pk, 0), op.capacity) for op in operators])


def allocation_plan(
    *,
    customer_ids: Sequence[int],
    team: Team | None,
    rule: str,
    exclude_staff_ids: Collection[int] = (),
) -> AllocationPlan:
    """Plan owners for `customer_ids`, in the order given."""
    dealer = AllocationDealer(team=team, rule=rule, exclude_staff_ids=exclude_staff_ids)
    plan = AllocationPlan()
    for cid, sid in zip(customer_ids, dealer.deal(len(customer_ids)), strict=True):
        if sid is None:
            plan.unassigned.append(cid)
        else:
            plan.assignments[cid] = sid
    return plan


def _weighted(weights: list[tuple[int, Decimal]]) -> Iterator[int | None]:
    weights = [(sid, Decimal(w)) for sid, w in weights if w > 0]
    if not weights:
        yield from itertools.repeat(None)
    total = sum(w for _, w in weights)
    current = [Decimal(0)] * len(weights)
    while True:
        best = 0
        for i, (_, w) in enumerate(weights):
            current[i] += w
            # Strictly greater: on a tie the operator earlier by username wins.
            if current[i] > current[best]:
                best = i
        current[best] -= total
        yield weights[best][0]


def _capacity(operators: list[tuple[int, int, int]]) -> Iterator[int | None]:
    # Heap of (load, position by username, staff id, capacity): least loaded first, ties by username.
    heap = [(load, pos, sid, cap) for pos, (sid, load, cap) in enumerate(operators) if load < cap]
    heapq.heapify(heap)
    while heap:
        load, pos, sid, cap = heapq.heappop(heap)
        yield sid
        if load + 1 < cap:
            heapq.heappush(heap, (load + 1, pos, sid, cap))
    yield from itertools.repeat(None)

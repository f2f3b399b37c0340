"""Customer hand-over when a staff member leaves or transfers (离职继承 / 在职转接, docs/domain.md §Evaluation).

The leaver's customers go to the team's other active operators by an allocation rule of docs/domain.md §Imports
(the planner in `customers.services.allocation`), through the ownership service so each customer's
history says who owned it from when to when. Stages and tags are not touched. Customers nobody can
take (every operator at capacity) stay with the leaver and are reported; running the hand-over
again once capacity frees up moves only those.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from customers.models import Customer, OwnershipPeriod
from customers.ownership.allocation import allocation_plan
from customers.ownership.services import customers_assign_owner
from staff.models import HANDOVER_RULES, HandoverAudit, Staff, Team


@dataclass
class HandoverResult:
    staff: str
    team: str | None
    allocation: str
    dry_run: bool
    customers: int = 0
    moved: int = 0
    unassigned: int = 0
    per_operator: dict[str, int] = field(default_factory=dict)
    audit_id: int | None = None


@transaction.atomic
def staff_handover(
    *,
    staff: Staff,
    allocation: str = "capacity",
    performed_by=None,
    dry_run: bool = False,
    team: Team | None = None,
    reason: str = "",
    at: dt.datetime | None = None,
) -> HandoverResult:
    """Reassign every customer `staff` owns to `team`'s (default: their team's) active operators.

    `dry_run` returns the plan and writes nothing. Otherwise the owners change from `at` (default now) and a
    `HandoverAudit` row records who did it, the rule and the counts (none when there was no customer).
    """
    if allocation not in HANDOVER_RULES:
        raise ValueError(
            gettext("未知分配规则 %(rule)s，可选：%(rules)s")
            % {"rule": repr(allocation), "rules": ", ".join(HANDOVER_RULES)}
        )
    team = team if team is not None else staff.team
    customer_ids = list(Customer.objects.filter(owner=staff).order_by("pk").values_list("pk", flat=True))
    plan = allocation_plan(customer_ids=customer_ids, team=team, rule=allocation, exclude_staff_ids=[staff.pk])
    counts: dict[int, int] = {}
    for staff_id in plan.assignments.values():
        counts[staff_id] = counts.get(staff_id, 0) + 1
    usernames = dict(Staff.objects.filter(pk__in=list(counts)).values_list("pk", "user__username"))
    result = HandoverResult(
        staff=staff.username,
        team=team.code if team else None,
        allocation=allocation,
        dry_run=dry_run,
        customers=len(customer_ids),
        moved=len(plan.assignments),
        unassigned=len(plan.unassigned),
        per_operator={usernames[sid]: n for sid, n in sorted(counts.items(), key=lambda kv: usernames[kv[0]])},
    )
    if dry_run or not customer_ids:
        # Nothing to hand over writes no audit row (which would also pin the staff member against deletion).
        return result
    customers_assign_owner(
        assignments=plan.assignments,
        at=at or timezone.now(),
        cause=OwnershipPeriod.Cause.HANDOVER,
        changed_by=performed_by,
    )
    audit = HandoverAudit.objects.create(
        from_staff=staff,
        performed_by=performed_by,
        allocation=allocation,
        reason=reason or staff.status,
        customers_moved=result.moved,
        customers_unassigned=result.unassigned,
        details={"team": result.team, "per_operator": result.per_operator, "unassigned_ids": plan.unassigned},
    )
    result.audit_id = audit.pk
    return result

"""Changing customers' owners, keeping every change as an ownership period (SPEC §2).

Every path that sets an owner (import allocation, a change by hand, hand-over, the first
friend_added event) goes through `customers_assign_owner`, so the owner on any past day can be told.
"""

import datetime as dt
from collections.abc import Mapping

from django.db import transaction
from django.db.models import Q

from customers.models import Customer, OwnershipPeriod


@transaction.atomic
def customers_assign_owner(
    *,
    assignments: Mapping[int, int | None],
    at: dt.datetime,
    cause: str,
    changed_by=None,
) -> int:
    """Give each customer id its new owner's staff id (None: no owner), from `at` on.

    Set-based: one update closes the open periods, one insert opens the new ones, one update per
    distinct new owner moves `Customer.owner`. Customers already owned by the given staff are left
    alone. Returns how many customers changed owner.
    """
    if not assignments:
        return 0
    current = dict(Customer.objects.filter(pk__in=list(assignments)).values_list("pk", "owner_id"))
    changed = {cid: sid for cid, sid in assignments.items() if cid in current and current[cid] != sid}
    if not changed:
        return 0
    OwnershipPeriod.objects.filter(customer_id__in=list(changed), ended_at__isnull=True).update(ended_at=at)
    OwnershipPeriod.objects.bulk_create(
        [
            OwnershipPeriod(customer_id=cid, staff_id=sid, started_at=at, cause=cause, changed_by=changed_by)
            for cid, sid in changed.items()
            if sid is not None
        ],
        batch_size=5000,
    )
    by_owner: dict[int | None, list[int]] = {}
    for cid, sid in changed.items():
        by_owner.setdefault(sid, []).append(cid)
    for sid, cids in by_owner.items():
        Customer.objects.filter(pk__in=cids).update(owner_id=sid)
    return len(changed)


def owner_periods_open_at(*, at: dt.datetime):
    """Ownership periods in force at `at` (started on or before, not yet ended)."""
    return OwnershipPeriod.objects.filter(Q(ended_at__isnull=True) | Q(ended_at__gt=at), started_at__lte=at)

"""What follows from newly stored events: group memberships and the owner rule (docs/domain.md §Vocabulary)."""

import datetime as dt

from django.utils import timezone

from campaigns.models import GroupMembership
from customers.events.parsing import GROUP_EVENTS
from customers.models import Customer, Event, EventType, OwnershipPeriod
from customers.ownership.services import customers_assign_owner
from sitadmin.bulk import rows_update

BULK_BATCH_SIZE = 2000


def group_memberships_refresh(*, events: list) -> None:
    """Set each touched (customer, group) membership from its latest join/leave by (at, id)."""
    if not events:
        return
    pairs = {(e.customer_id, e.group_id) for e in events}
    history = (
        Event.objects.filter(
            type__in=GROUP_EVENTS,
            customer_id__in={c for c, _ in pairs},
            group_id__in={g for _, g in pairs},
        )
        .order_by("at", "client_id")
        .values_list("customer_id", "group_id", "type", "at")
    )
    latest: dict[tuple[int, int], tuple[str, dt.datetime]] = {}
    last_join: dict[tuple[int, int], dt.datetime] = {}
    for customer_id, group_id, event_type, at in history:
        key = (customer_id, group_id)
        if key not in pairs:
            continue
        latest[key] = (event_type, at)
        if event_type == EventType.GROUP_JOINED:
            last_join[key] = at
    memberships = [
        GroupMembership(
            customer_id=customer_id,
            group_id=group_id,
            joined_at=last_join[(customer_id, group_id)],
            left_at=at if event_type == EventType.GROUP_LEFT else None,
        )
        for (customer_id, group_id), (event_type, at) in latest.items()
        if (customer_id, group_id) in last_join
    ]
    GroupMembership.objects.bulk_create(
        memberships,
        batch_size=BULK_BATCH_SIZE,
        update_conflicts=True,
        unique_fields=["group", "customer"],
        update_fields=["joined_at", "left_at"],
    )


def customers_owner_from_events(*, customer_ids: set[int]) -> int:
    """The owner rule of docs/domain.md §Vocabulary for these customers; returns how many owners were set or moved.

    A customer without an owner gets the staff of its first friend_added, from that event's time.
    An owner that came from this rule follows the earliest friend_added when an earlier one
    arrives late; owners set by import, by hand or by hand-over are left alone.
    """
    first_add: dict[int, tuple[dt.datetime, int]] = {}
    adds = (
        Event.objects.filter(customer_id__in=customer_ids, type=EventType.FRIEND_ADDED)
        .order_by("at", "client_id")
        .values_list("customer_id", "at", "staff_id")
    )
    for customer_id, at, staff_id in adds:
        first_add.setdefault(customer_id, (at, staff_id))
    if not first_add:
        return 0
    owners = dict(Customer.objects.filter(pk__in=list(first_add)).values_list("pk", "owner_id"))
    periods: dict[int, list[OwnershipPeriod]] = {}
    for period in OwnershipPeriod.objects.filter(customer_id__in=list(first_add)).order_by("started_at", "id"):
        periods.setdefault(period.customer_id, []).append(period)

    to_assign: dict[int, int] = {}
    to_fix: list[tuple[int, OwnershipPeriod, dt.datetime, int]] = []
    for customer_id, (at, staff_id) in first_add.items():
        history = periods.get(customer_id, [])
        closed_until = max((p.ended_at for p in history if p.ended_at), default=None)
        start = max(at, closed_until) if closed_until else at
        if owners.get(customer_id) is None:
            to_assign[customer_id] = staff_id
            to_fix.append((customer_id, None, start, staff_id))
            continue
        current = next((p for p in history if p.ended_at is None), None)
        if current is None or current.cause != OwnershipPeriod.Cause.EVENT:
            continue
        if (current.started_at, current.staff_id) != (start, staff_id) and start <= current.started_at:
            to_fix.append((customer_id, current, start, staff_id))
    if not to_fix:
        return 0

    now = timezone.now()
    customers_assign_owner(assignments=to_assign, at=now, cause=OwnershipPeriod.Cause.EVENT)
    # customers_assign_owner opens every period at one moment; each starts at its own first add.
    opened = {
        p.customer_id: p for p in OwnershipPeriod.objects.filter(customer_id__in=list(to_assign), ended_at__isnull=True)
    }
    fixed_periods = []
    moved_customers = []
    for customer_id, period, start, staff_id in to_fix:
        period = period or opened[customer_id]
        fixed_periods.append([period.pk, start, staff_id])
        if period.staff_id != staff_id:
            moved_customers.append([customer_id, staff_id])
    rows_update(model=OwnershipPeriod, columns=["id", "started_at", "staff_id"], rows=fixed_periods)
    rows_update(model=Customer, columns=["id", "owner_id"], rows=moved_customers)
    return len(to_fix)

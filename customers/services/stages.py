"""Lifecycle stages derived from history (docs/domain.md §Vocabulary), whatever order the events arrived in.

`lost` while the latest friend_added/friend_deleted (by at, then id) is a deletion; otherwise the
furthest stage reached: repeat_buyer (2+ orders), buyer (1), grouped, fan, requested, lead.
"""

import datetime as dt
from collections.abc import Iterable

from django.utils import timezone

from customers.models import Customer, Event, EventType, Order, Stage, StageTransition

_STAGE_EVENT_TYPES = [
    EventType.FRIEND_REQUEST_SENT,
    EventType.FRIEND_ADDED,
    EventType.FRIEND_DELETED,
    EventType.GROUP_JOINED,
]


def customers_with_stage_set_by_hand(*, customer_ids: Iterable[int]) -> set[int]:
    """Those of `customer_ids` whose stage was ever changed by hand. Any event of theirs ends such a
    change, a message too, so ingestion looks at them again even for events that decide no stage."""
    customer_ids = list(set(customer_ids))
    if not customer_ids:
        return set()
    return set(
        StageTransition.objects.filter(customer__pk__any_of=customer_ids, cause="manual")
        .order_by()
        .values_list("customer_id", flat=True)
        .distinct()
    )


def customer_stages_refresh(*, customer_ids: Iterable[int], cause: str = "event") -> int:
    """Recompute the stage of these customers from their events and orders.

    Writes a transition for every change, pointing at the latest event of the kind that decided
    the new stage (e.g. the latest order for `buyer`). A fixed number of queries for any number of
    customers. Returns how many customers changed stage.
    """
    customer_ids = list(set(customer_ids))
    if not customer_ids:
        return 0
    current = dict(Customer.objects.filter(pk__in=customer_ids).values_list("pk", "stage"))
    # Latest event of each stage-deciding type per customer, and the latest add-or-delete.
    latest: dict[tuple[int, str], tuple[dt.datetime, int]] = {}
    friendship: dict[int, str] = {}
    events = (
        Event.objects.filter(customer_id__in=customer_ids, type__in=_STAGE_EVENT_TYPES)
        .order_by("at", "client_id")
        .values_list("customer_id", "type", "at", "pk")
    )
    for customer_id, event_type, at, pk in events:
        latest[(customer_id, event_type)] = (at, pk)
        if event_type in (EventType.FRIEND_ADDED, EventType.FRIEND_DELETED):
            friendship[customer_id] = event_type
    order_counts: dict[int, int] = {}
    last_order: dict[int, tuple[dt.datetime, int | None]] = {}
    for customer_id, ordered_at, event_id in (
        Order.objects.filter(customer_id__in=customer_ids)
        .order_by("ordered_at", "pk")
        .values_list("customer_id", "ordered_at", "event_id")
    ):
        order_counts[customer_id] = order_counts.get(customer_id, 0) + 1
        last_order[customer_id] = (ordered_at, event_id)

    now = timezone.now()
    changes: dict[str, list[int]] = {}
    transitions = []
    for customer_id, old_stage in current.items():
        stage, (at, event_id) = _stage_of(
            customer_id=customer_id,
            latest=latest,
            friendship=friendship,
            orders=order_counts.get(customer_id, 0),
            last_order=last_order.get(customer_id),
            now=now,
        )
        if stage == old_stage:
            continue
        changes.setdefault(stage, []).append(customer_id)
        transitions.append(
            StageTransition(
                customer_id=customer_id,
                from_stage=old_stage,
                to_stage=stage,
                at=at,
                event_id=event_id,
                cause=cause,
            )
        )
    for stage, ids in changes.items():
        Customer.objects.filter(pk__in=ids).update(stage=stage, updated_at=now)
    StageTransition.objects.bulk_create(transitions, batch_size=2000)
    return len(transitions)


def _stage_of(*, customer_id: int, latest: dict, friendship: dict, orders: int, last_order, now: dt.datetime):
    """The stage of one customer, and (time, event id) of the event that decided it."""
    if friendship.get(customer_id) == EventType.FRIEND_DELETED:
        return Stage.LOST, latest[(customer_id, EventType.FRIEND_DELETED)]
    if orders >= 2:
        return Stage.REPEAT_BUYER, last_order
    if orders == 1:
        return Stage.BUYER, last_order
    for event_type, stage in (
        (EventType.GROUP_JOINED, Stage.GROUPED),
        (EventType.FRIEND_ADDED, Stage.FAN),
        (EventType.FRIEND_REQUEST_SENT, Stage.REQUESTED),
    ):
        if (customer_id, event_type) in latest:
            return stage, latest[(customer_id, event_type)]
    return Stage.LEAD, (now, None)

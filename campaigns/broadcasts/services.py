"""Broadcasts (群发): the audience, freezing it into recipients at the scheduled time, and the owners' tasks."""

import datetime as dt
from collections import Counter

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from campaigns.broadcasts.models import Broadcast, BroadcastRecipient
from campaigns.models import SopTask
from campaigns.sop.tasks_build import step_due
from customers.models import Customer
from staff.models import Staff

AUDIENCE_KEYS = ("tags", "stages", "sources", "owners")


def broadcast_audience_customers(*, audience: dict, team_id: int | None = None) -> QuerySet:
    """Customers matching every non-empty list of `audience` (any value within a list); a team's
    broadcast reaches only customers owned by that team's staff."""
    customers = Customer.objects.all()
    if audience.get("tags"):
        customers = customers.filter(tags__code__in=audience["tags"])
    if audience.get("stages"):
        customers = customers.filter(stage__in=audience["stages"])
    if audience.get("sources"):
        customers = customers.filter(source__code__in=audience["sources"])
    if audience.get("owners"):
        customers = customers.filter(owner__user__username__in=audience["owners"])
    if team_id is not None:
        customers = customers.filter(owner__team_id=team_id)
    return customers.distinct() if audience.get("tags") else customers


def broadcast_create(
    *,
    title: str,
    content: str,
    audience: dict,
    scheduled_at: dt.datetime,
    created_by: Staff | None,
    team_id: int | None,
) -> Broadcast:
    """Schedule a broadcast; one whose time has already come is sent once the transaction commits."""
    broadcast = Broadcast.objects.create(
        title=title,
        content=content,
        audience={key: list(audience.get(key) or []) for key in AUDIENCE_KEYS},
        scheduled_at=scheduled_at,
        created_by=created_by,
        team_id=team_id,
    )
    if scheduled_at <= timezone.now():
        from campaigns.broadcasts.tasks import broadcast_send_task

        transaction.on_commit(lambda: broadcast_send_task.delay(broadcast.pk))
    return broadcast


def broadcast_send(*, broadcast_id: int) -> int:
    """Freeze the audience into recipients and give each owner one task; returns the recipients.

    Idempotent: a broadcast already sent (or being sent by another worker, whose row lock this
    waits for) is left as it is and answers 0.
    """
    with transaction.atomic():
        broadcast = Broadcast.objects.select_for_update().filter(pk=broadcast_id).first()
        if broadcast is None or broadcast.status != Broadcast.Status.SCHEDULED:
            return 0
        members = list(
            broadcast_audience_customers(audience=broadcast.audience, team_id=broadcast.team_id)
            .order_by("pk")
            .values_list("pk", "owner_id")
        )
        owner_counts = Counter(owner_id for _, owner_id in members if owner_id)
        tasks = broadcast_tasks_create(broadcast=broadcast, owner_counts=owner_counts)
        BroadcastRecipient.objects.bulk_create(
            [
                BroadcastRecipient(broadcast=broadcast, customer_id=pk, owner_id=owner_id, task=tasks.get(owner_id))
                for pk, owner_id in members
            ],
            batch_size=2000,
            ignore_conflicts=True,
        )
        broadcast.status = Broadcast.Status.SENT
        broadcast.sent_at = timezone.now()
        broadcast.save(update_fields=["status", "sent_at"])
    return len(members)


def broadcast_tasks_create(*, broadcast: Broadcast, owner_counts: dict[int, int]) -> dict[int, SopTask]:
    """One `broadcast` task per owner, due at the broadcast's time, on time when done that day: send
    the content to their recipients (`owner_counts`: recipients per owner; the recipients point at
    the task). No template and no customer: an operator marks it done. One insert."""
    due_at, deadline, complete_after = step_due(trigger_at=broadcast.scheduled_at, day=0, time="00:00")
    tasks = [
        SopTask(
            staff_id=owner_id,
            customer=None,
            template=None,
            action=SopTask.Action.BROADCAST,
            content=f"{broadcast.content}\n\n（群发「{broadcast.title}」· {count} 位客户）",
            trigger_at=broadcast.scheduled_at,
            due_at=due_at,
            deadline=deadline,
            complete_after=complete_after,
        )
        for owner_id, count in sorted(owner_counts.items())
    ]
    return {task.staff_id: task for task in SopTask.objects.bulk_create(tasks)}


def broadcasts_send_due(*, now: dt.datetime | None = None) -> list[int]:
    """Send every scheduled broadcast whose time has come; returns their ids."""
    now = now or timezone.now()
    due = list(
        Broadcast.objects.filter(status=Broadcast.Status.SCHEDULED, scheduled_at__lte=now)
        .order_by("scheduled_at", "pk")
        .values_list("pk", flat=True)
    )
    for pk in due:
        broadcast_send(broadcast_id=pk)
    return due

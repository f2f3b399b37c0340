"""Broadcast reads: the list a viewer may see and each broadcast's delivery and reply figures."""

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.utils.translation import gettext

from campaigns.broadcasts.models import Broadcast, BroadcastRecipient
from customers.models import Event, EventType
from staff.models import Staff
from staff.roles import role_for, staff_for

WINDOW = dt.timedelta(hours=24)


def broadcast_team_for(*, user) -> int | None:
    """The team a user's broadcasts are limited to: None for a manager, their team for a team lead;
    anyone else may not broadcast (403)."""
    role = role_for(user)
    if role == Staff.Role.MANAGER:
        return None
    staff = staff_for(user)
    if role == Staff.Role.TEAM_LEAD and staff.team_id:
        return staff.team_id
    raise PermissionDenied(gettext("只有运营负责人和组长可以群发。"))


def broadcast_list_for(*, user) -> QuerySet:
    """Managers: every broadcast; team leads: their team's; others: none."""
    broadcasts = Broadcast.objects.select_related("created_by__user", "team")
    role = role_for(user)
    if role == Staff.Role.MANAGER:
        return broadcasts
    staff = staff_for(user)
    if role == Staff.Role.TEAM_LEAD and staff.team_id:
        return broadcasts.filter(team_id=staff.team_id)
    return broadcasts.none()


def broadcast_stats(*, broadcast_ids: list[int]) -> dict[int, dict]:
    """`{id: {recipients, delivered, replied, unassigned}}` in one aggregate query.

    A recipient is delivered by its first private `out` message in [scheduled_at, scheduled_at + 24 h],
    and replied by an `in` private message from it after that delivery and within 24 h of it.
    """
    first_out = (
        Event.objects.filter(
            customer=OuterRef("customer"),
            type=EventType.MESSAGE,
            direction=Event.Direction.OUT,
            group__isnull=True,
            at__gte=OuterRef("broadcast__scheduled_at"),
            at__lte=OuterRef("broadcast__scheduled_at") + WINDOW,
        )
        .order_by("at")
        .values("at")[:1]
    )
    reply = Event.objects.filter(
        customer=OuterRef("customer"),
        type=EventType.MESSAGE,
        direction=Event.Direction.IN,
        group__isnull=True,
        at__gt=OuterRef("delivered_at"),
        at__lte=OuterRef("delivered_at") + WINDOW,
    )
    rows = (
        BroadcastRecipient.objects.filter(broadcast_id__in=broadcast_ids)
        .annotate(delivered_at=Subquery(first_out))
        .annotate(replied=Exists(reply))
        .values("broadcast_id")
        .annotate(
            recipients=Count("pk"),
            delivered=Count("pk", filter=Q(delivered_at__isnull=False)),
            replied_count=Count("pk", filter=Q(replied=True)),
            unassigned=Count("pk", filter=Q(owner__isnull=True)),
        )
    )
    stats = {pk: {"recipients": 0, "delivered": 0, "replied": 0, "unassigned": 0} for pk in broadcast_ids}
    for row in rows:
        stats[row["broadcast_id"]] = {
            "recipients": row["recipients"],
            "delivered": row["delivered"],
            "replied": row["replied_count"],
            "unassigned": row["unassigned"],
        }
    for figures in stats.values():
        figures["delivery_rate"] = figures["delivered"] / figures["recipients"] if figures["recipients"] else None
        figures["reply_rate"] = figures["replied"] / figures["delivered"] if figures["delivered"] else None
    return stats

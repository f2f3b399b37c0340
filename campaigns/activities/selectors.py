"""Campaign reads: each participant's progress, computed from events in one aggregate query."""

import datetime as dt

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from campaigns.activities.models import Campaign, Referral
from customers.models import Customer, Event, EventType
from customers.selectors import customer_phone_for, phone_viewer_for


def _period(campaign: Campaign) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_default_timezone()
    start = dt.datetime.combine(campaign.starts_on, dt.time(), tzinfo=tz)
    end = dt.datetime.combine(campaign.ends_on + dt.timedelta(days=1), dt.time(), tzinfo=tz)
    return start, end


def campaign_participants(*, campaign: Campaign, customers: QuerySet | None = None) -> list[dict]:
    """Participants by progress (highest first, then customer id): `customer_id`, `progress`, `qualified`.

    Check-in: the distinct local days of the period on which the customer sent an `in` message
    containing the keyword (case-insensitive) in the campaign's group (any group when it has none).
    Referral: the customers whose first `friend_added` ever falls in the period and names them as
    referrer. `customers` narrows the result to a viewer's scope.
    """
    start, end = _period(campaign)
    if campaign.kind == Campaign.Kind.CHECKIN:
        rows = Event.objects.filter(
            type=EventType.MESSAGE, direction=Event.Direction.IN, at__gte=start, at__lt=end, group__isnull=False
        )
        if campaign.group_id:
            rows = rows.filter(group_id=campaign.group_id)
        if campaign.keyword:
            rows = rows.filter(text__icontains=campaign.keyword)
        rows = (
            rows.annotate(day=TruncDate("at", tzinfo=timezone.get_default_timezone()))
            .values("customer_id")
            .annotate(progress=Count("day", distinct=True))
        )
        key = "customer_id"
    else:
        earlier_add = Event.objects.filter(customer=OuterRef("customer"), type=EventType.FRIEND_ADDED).filter(
            Q(at__lt=OuterRef("at")) | Q(at=OuterRef("at"), client_id__lt=OuterRef("event__client_id"))
        )
        rows = (
            Referral.objects.filter(at__gte=start, at__lt=end)
            .filter(~Exists(earlier_add))
            .values("referrer_id")
            .annotate(progress=Count("customer_id", distinct=True))
        )
        key = "referrer_id"
    if customers is not None:
        rows = rows.filter(**{f"{key}__in": customers.values("pk")})
    result = [
        {"customer_id": row[key], "progress": row["progress"], "qualified": row["progress"] >= campaign.goal}
        for row in rows
    ]
    result.sort(key=lambda r: (-r["progress"], r["customer_id"]))
    return result


def customers_by_id(*, ids: list[int]) -> dict[int, Customer]:
    return {c.pk: c for c in Customer.objects.filter(pk__in=ids).select_related("owner__user")}


def participant_rows(*, campaign: Campaign, user, participants: list[dict]) -> list[dict]:
    """Participants as a viewer sees them: rank, name, phone masked unless theirs to see, owner."""
    customers = customers_by_id(ids=[p["customer_id"] for p in participants])
    viewer = phone_viewer_for(user=user)
    rows = []
    for rank, p in enumerate(participants, start=1):
        customer = customers[p["customer_id"]]
        rows.append(
            {
                **p,
                "rank": rank,
                "name": customer.name,
                "phone": customer_phone_for(customer=customer, viewer=viewer),
                "owner": customer.owner.user.username if customer.owner else None,
            }
        )
    return rows

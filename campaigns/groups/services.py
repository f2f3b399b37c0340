"""Group status (社群状态): `active`, `dormant` (沉寂), `archived` (归档).

The nightly job marks an active group dormant when its 7-day speaking rate stayed under
`GROUP_DORMANT_RATE` (default 5%) on every one of the last `GROUP_DORMANT_DAYS` (14) days, and
wakes a dormant group whose rate is back at or above it on the last day. Archived groups are left
alone (a manager archives by hand).

The 7-day speaking rate of a group on day D: distinct customers who wrote in the group (`in`
messages) on days D-6..D, over its members at the end of D (a member's latest join/leave of the
group up to then is a join). A group without members has no rate and counts as under it. It is
read from events here, one statement per day, since the KPI tables sit in a later layer.
"""

import datetime as dt

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from campaigns.models import Group
from customers.models import Event, EventType

_SPEAKERS_SQL = """
SELECT group_id, COUNT(DISTINCT customer_id) FROM customers_event
WHERE type = %s AND direction = %s AND group_id IS NOT NULL AND at >= %s AND at < %s
GROUP BY group_id
"""
_MEMBERS_SQL = """
SELECT group_id, COUNT(*) FROM (
  SELECT group_id, type, ROW_NUMBER() OVER (
    PARTITION BY customer_id, group_id ORDER BY at DESC, client_id DESC) AS latest
  FROM customers_event WHERE type IN (%s, %s) AND at < %s
) s WHERE latest = 1 AND type = %s GROUP BY group_id
"""


def group_speaking_rates_7d(*, day: dt.date) -> dict[int, float]:
    """The 7-day speaking rate of every group with members at the end of `day` (two statements)."""
    tz = timezone.get_default_timezone()
    end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    start = end - dt.timedelta(days=7)
    adapt = connection.ops.adapt_datetimefield_value
    with connection.cursor() as cursor:
        cursor.execute(_SPEAKERS_SQL, [EventType.MESSAGE, Event.Direction.IN, adapt(start), adapt(end)])
        speakers = dict(cursor.fetchall())
        cursor.execute(_MEMBERS_SQL, [EventType.GROUP_JOINED, EventType.GROUP_LEFT, adapt(end), EventType.GROUP_JOINED])
        members = dict(cursor.fetchall())
    return {group_id: speakers.get(group_id, 0) / count for group_id, count in members.items() if count}


@transaction.atomic
def groups_mark_dormant(*, day: dt.date) -> dict:
    """Judge every active or dormant group on the days up to `day`; returns the codes changed."""
    threshold = settings.GROUP_DORMANT_RATE
    days = [day - dt.timedelta(days=n) for n in range(settings.GROUP_DORMANT_DAYS)]
    quiet = set(Group.objects.filter(status="active").values_list("pk", flat=True))
    latest: dict[int, float] = {}
    for each in days:
        rates = group_speaking_rates_7d(day=each)
        if each == day:
            latest = rates
        quiet = {pk for pk in quiet if rates.get(pk, 0.0) < threshold}
    now = timezone.now()
    to_dormant = list(Group.objects.filter(status="active", pk__in=quiet).values_list("code", flat=True))
    to_active = list(
        Group.objects.filter(status="dormant")
        .filter(pk__in=[pk for pk, rate in latest.items() if rate >= threshold])
        .values_list("code", flat=True)
    )
    Group.objects.filter(code__in=to_dormant).update(status="dormant", status_changed_at=now)
    Group.objects.filter(code__in=to_active).update(status="active", status_changed_at=now)
    return {"day": day.isoformat(), "dormant": sorted(to_dormant), "active": sorted(to_active)}

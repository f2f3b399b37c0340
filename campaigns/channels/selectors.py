"""Channel-code reads: the list a viewer sees and the per-code report."""

import datetime as dt

from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.utils import timezone

from campaigns.channels.models import ChannelAdd, ChannelCode, ChannelScanCount
from customers.models import Event, EventType, Order

REPORT_FIELDS = ["scans", "adds", "new_fans", "grouped", "buyers"]


def local_day_bounds(*, date_from: dt.date, date_to: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """[start of `date_from`, start of the day after `date_to`) in the configured time zone."""
    tz = timezone.get_default_timezone()
    start = dt.datetime.combine(date_from, dt.time(), tzinfo=tz)
    end = dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time(), tzinfo=tz)
    return start, end


def channel_code_list():
    return ChannelCode.objects.select_related("source", "group", "sop").prefetch_related("staff__user", "tags")


def channel_code_report(*, date_from: dt.date, date_to: dt.date, codes: list[str] | None = None) -> list[dict]:
    """Per channel code over local days `date_from`..`date_to`: `scans`; `adds` (friend_added events
    carrying it); `new_fans` (of those adds, the customer's first add ever); `grouped` and `buyers`
    (of those new fans, who joined a group / ordered at or after that add, up to now).

    Three aggregate queries whatever the number of codes and events.
    """
    start, end = local_day_bounds(date_from=date_from, date_to=date_to)
    channel_codes = ChannelCode.objects.order_by("code")
    if codes is not None:
        channel_codes = channel_codes.filter(code__in=codes)
    rows = {
        c.pk: {"code": c.code, "name": c.name, "active": c.active, **dict.fromkeys(REPORT_FIELDS, 0)}
        for c in channel_codes
    }

    for code_id, scans in (
        ChannelScanCount.objects.filter(channel_code__in=rows, day__gte=date_from, day__lte=date_to)
        .values("channel_code")
        .annotate(total=Sum("scans"))
        .values_list("channel_code", "total")
    ):
        rows[code_id]["scans"] = scans

    earlier_add = Event.objects.filter(customer=OuterRef("customer"), type=EventType.FRIEND_ADDED).filter(
        Q(at__lt=OuterRef("at")) | Q(at=OuterRef("at"), client_id__lt=OuterRef("event__client_id"))
    )
    joined_since = Event.objects.filter(
        customer=OuterRef("customer"), type=EventType.GROUP_JOINED, at__gte=OuterRef("at")
    )
    ordered_since = Order.objects.filter(customer=OuterRef("customer"), ordered_at__gte=OuterRef("at"))
    adds = (
        ChannelAdd.objects.filter(channel_code__in=rows, at__gte=start, at__lt=end)
        .annotate(first=~Exists(earlier_add), joined=Exists(joined_since), ordered=Exists(ordered_since))
        .values("channel_code")
        .annotate(
            adds=Count("pk"),
            new_fans=Count("pk", filter=Q(first=True)),
            grouped=Count("pk", filter=Q(first=True, joined=True)),
            buyers=Count("pk", filter=Q(first=True, ordered=True)),
        )
    )
    for row in adds:
        rows[row["channel_code"]].update({key: row[key] for key in ("adds", "new_fans", "grouped", "buyers")})
    return list(rows.values())

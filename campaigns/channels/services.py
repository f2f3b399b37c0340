"""Channel codes: routing a scan to a staff member, contact QR images, and what an add through a code brings."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext

from campaigns.channels.models import ChannelAdd, ChannelCode, ChannelScanCount, StaffContactQr
from campaigns.sop.engine import sop_fire_for_channel
from customers.models import Customer
from staff.models import Staff

CONTACT_QR_MAX_BYTES = 1024 * 1024
# The first bytes of the image kinds a phone browser shows; nothing else is kept as a contact QR.
_IMAGE_SIGNATURES = {
    b"\x89PNG\r\n\x1a\n": "image/png",
    b"\xff\xd8\xff": "image/jpeg",
    b"GIF87a": "image/gif",
    b"GIF89a": "image/gif",
}


class ContactQrInvalid(ValueError):
    """An upload that is no PNG, JPEG or GIF image, or is too large."""


@dataclass(frozen=True)
class ChannelRoute:
    """The outcome of one scan: the staff member picked, or why nobody was."""

    staff: Staff | None
    reason: str = ""


def channel_code_route(*, channel_code: ChannelCode, now: dt.datetime | None = None) -> ChannelRoute:
    """Pick the staff member a scan goes to and count the scan, in one transaction.

    The code's counter rows of the day are locked (`SELECT … FOR UPDATE`) before they are read, so
    concurrent scans of one code queue up: two scans never both take a staff member's last slot.
    Round robin picks the fewest scans today, weighted the lowest (scans + 1) / weight; ties go to
    the first username. Staff who are not active or have reached `daily_cap` are passed over.
    """
    if not channel_code.active:
        return ChannelRoute(None, "inactive")
    now = now or timezone.now()
    day = timezone.localdate(now)
    members = list(
        channel_code.staff.filter(status=Staff.Status.ACTIVE).select_related("user").order_by("user__username")
    )
    if channel_code.routing == ChannelCode.Routing.WEIGHTED:
        members = [m for m in members if m.weight > 0]
    if not members:
        return ChannelRoute(None, "nobody")
    cap = channel_code.daily_cap
    with transaction.atomic():
        ChannelScanCount.objects.bulk_create(
            [
                ChannelScanCount(channel_code=channel_code, staff=m, day=day)
                for m in sorted(members, key=lambda m: m.pk)
            ],
            ignore_conflicts=True,
        )
        scans = dict(
            ChannelScanCount.objects.select_for_update()
            .filter(channel_code=channel_code, day=day, staff__in=members)
            .order_by("staff_id")
            .values_list("staff_id", "scans")
        )
        open_members = [m for m in members if cap is None or scans[m.pk] < cap]
        if not open_members:
            return ChannelRoute(None, "full")
        if channel_code.routing == ChannelCode.Routing.WEIGHTED:
            picked = min(open_members, key=lambda m: (Decimal(scans[m.pk] + 1) / m.weight, members.index(m)))
        else:
            picked = min(open_members, key=lambda m: (scans[m.pk], members.index(m)))
        counter = ChannelScanCount.objects.filter(channel_code=channel_code, staff=picked, day=day)
        if cap is not None:
            counter = counter.filter(scans__lt=cap)
        if counter.update(scans=F("scans") + 1) != 1:  # the lock above makes this unreachable; kept as a guard
            return ChannelRoute(None, "full")
    return ChannelRoute(picked)


def staff_contact_qr_upload(*, staff: Staff, upload) -> StaffContactQr:
    """Keep `upload` as the staff member's contact QR, replacing the previous one.

    A FileField with checks of our own instead of an ImageField: the first bytes must be a PNG, JPEG
    or GIF signature and the file at most `CONTACT_QR_MAX_BYTES`, so no imaging library is needed.
    """
    if upload.size > CONTACT_QR_MAX_BYTES:
        raise ContactQrInvalid(gettext("图片太大：超过 %(kb)s KB") % {"kb": CONTACT_QR_MAX_BYTES // 1024})
    head = upload.read(16)
    upload.seek(0)
    content_type = next((kind for sig, kind in _IMAGE_SIGNATURES.items() if head.startswith(sig)), None)
    if content_type is None:
        raise ContactQrInvalid(gettext("不是 PNG/JPEG/GIF 图片"))
    qr, _ = StaffContactQr.objects.get_or_create(staff=staff, defaults={"content_type": content_type})
    if qr.image:
        qr.image.delete(save=False)
    qr.image.save(f"{staff.pk}-{upload.name.rsplit('/', 1)[-1][-40:]}", upload, save=False)
    qr.content_type = content_type
    qr.save()
    return qr


def channel_codes_for_events(*, codes: set[str]) -> dict[str, tuple[int, str | None]]:
    """`{code: (id, lead-source code or None)}` for the channel codes events name, in one query."""
    if not codes:
        return {}
    rows = ChannelCode.objects.filter(code__in=codes).values_list("code", "pk", "source__code")
    return {code: (pk, source) for code, pk, source in rows}


def channel_adds_record(*, events: Iterable) -> list[tuple[int, int, dt.datetime]]:
    """Record the stored friend_added events that carry a channel code and give their customers the
    code's tags. `events` have `pk`, `customer_id`, `at` and `channel_code_id` (None when absent).
    Hands the adds of codes with an SOP template to the SOP engine (`sop_fire_for_channel`: fired
    when it is an active `channel` template) and returns those firings, `(customer id, template id,
    at)` sorted. Four queries at most, whatever the number of events, plus the engine's own when a
    code has a template."""
    adds = [e for e in events if getattr(e, "channel_code_id", None)]
    if not adds:
        return []
    ChannelAdd.objects.bulk_create(
        [
            ChannelAdd(event_id=e.pk, channel_code_id=e.channel_code_id, customer_id=e.customer_id, at=e.at)
            for e in adds
        ],
        ignore_conflicts=True,
    )
    code_ids = {e.channel_code_id for e in adds}
    code_tags: dict[int, list[int]] = {}
    for code_id, tag_id in ChannelCode.tags.through.objects.filter(channelcode_id__in=code_ids).values_list(
        "channelcode_id", "tag_id"
    ):
        code_tags.setdefault(code_id, []).append(tag_id)
    customer_tags = {(e.customer_id, tag_id) for e in adds for tag_id in code_tags.get(e.channel_code_id, [])}
    Customer.tags.through.objects.bulk_create(
        [Customer.tags.through(customer_id=c, tag_id=t) for c, t in sorted(customer_tags)], ignore_conflicts=True
    )
    sops = dict(ChannelCode.objects.filter(pk__in=code_ids, sop__isnull=False).values_list("pk", "sop_id"))
    firings = sorted(
        ((e.customer_id, sops[e.channel_code_id], e.at) for e in adds if e.channel_code_id in sops),
        key=lambda f: (f[2], f[0], f[1]),
    )
    if firings:
        sop_fire_for_channel(firings=firings)
    return firings

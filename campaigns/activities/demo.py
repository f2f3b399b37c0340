"""Demo data for acquisition: channel codes with scans and adds, broadcasts with replies, two running campaigns.

Called once by the demo seeding after the customers' journeys are in; everything follows from `seed`
and `last_day`, and the events go through event ingestion like any other.
"""

import datetime as dt
import io
import random

import qrcode
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from qrcode.image.pure import PyPNGImage

from campaigns.activities.models import Campaign
from campaigns.broadcasts.models import Broadcast
from campaigns.broadcasts.services import broadcast_create, broadcast_send
from campaigns.channels.models import ChannelCode, ChannelScanCount, StaffContactQr
from campaigns.channels.services import staff_contact_qr_upload
from campaigns.models import Group, GroupMembership, SopTask, SopTemplate
from customers.events.services import events_ingest
from customers.models import Customer, LeadSource, Tag
from staff.models import Staff

CHANNEL_DAYS = 14
# code, name, source, routing, daily cap, tags, operators' team, welcome
CHANNELS = [
    ("qr-ads", "信息流落地页活码", "ads", "round_robin", 40, ["arthritis"], "t1", "您好，送您一份护膝指南，回复1领取"),
    ("qr-shop", "商城包裹卡活码", "shop", "weighted", None, ["desk"], "t2", "感谢购买！加我领取使用说明和售后"),
    ("qr-live", "直播间活码", "intercept", "round_robin", 15, ["injury"], "t1", "直播福利已为您预留"),
]
REFERRED_RESERVE = 60  # leads kept back to be the referral campaign's invited friends
DEMO_BROADCASTS = ["会员日福利", "天气转凉提醒"]


def acquisition_demo_seed(*, seed: int, last_day: dt.date) -> dict:
    """Build the demo's channel codes, broadcasts and campaigns; returns what was made."""
    rng = random.Random(f"acquisition-{seed}")
    # Leads nobody has added yet come in through the codes (and as referred friends): no new customers.
    pool = sorted(c.phone for c in Customer.objects.filter(stage__in=["lead", "requested"], phone_index__isnull=False))
    rng.shuffle(pool)
    tz = timezone.get_default_timezone()
    operators = {
        team: list(
            Staff.objects.filter(role=Staff.Role.OPERATOR, status=Staff.Status.ACTIVE, team__code=team)
            .select_related("user")
            .order_by("user__username")
        )
        for team in ("t1", "t2")
    }
    events: list[dict] = []
    scans: list[ChannelScanCount] = []
    groups = list(Group.objects.order_by("code"))
    channels = []
    for code, name, source, routing, cap, tags, team, welcome in CHANNELS:
        channel, _ = ChannelCode.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "source": LeadSource.objects.filter(code=source).first(),
                "routing": routing,
                "daily_cap": cap,
                "welcome": welcome,
                "sop": SopTemplate.objects.filter(code="new-fan").first(),
                "group": groups[0] if groups else None,
            },
        )
        channel.staff.set(operators[team])
        channel.tags.set(Tag.objects.filter(code__in=tags))
        channels.append((channel, operators[team]))
    _contact_qrs_make(staff=[s for members in operators.values() for s in members])
    # Day by day, each code in turn, so that every code gets its share of the leads.
    for back in range(CHANNEL_DAYS):
        day = last_day - dt.timedelta(days=back)
        for channel, members in channels:
            code, cap = channel.code, channel.daily_cap
            for n, staff in enumerate(members):
                taken = rng.randint(3, cap or 20) if cap is None or cap > 3 else cap
                scans.append(ChannelScanCount(channel_code=channel, staff=staff, day=day, scans=taken))
                for i in range(int(taken * rng.uniform(0.4, 0.7))):
                    if len(pool) <= REFERRED_RESERVE:
                        break
                    phone = pool.pop()
                    at = dt.datetime.combine(day, dt.time(9), tzinfo=tz) + dt.timedelta(minutes=rng.randint(0, 720))
                    ext = f"demo-{code}-{day:%m%d}-{n}-{i}"
                    events.append(
                        _event(f"{ext}-add", "friend_added", at, phone, staff=staff.user.username, channel_code=code)
                    )
                    if groups and rng.random() < 0.45:
                        joined = at + dt.timedelta(hours=rng.randint(1, 48))
                        events.append(_event(f"{ext}-join", "group_joined", joined, phone, group=groups[0].code))
                    if rng.random() < 0.12:
                        ordered = at + dt.timedelta(hours=rng.randint(2, 96))
                        amount = rng.choice(["99.00", "199.00", "299.00"])
                        events.append(
                            _event(f"{ext}-order", "order", ordered, phone, amount=amount, order_no=f"{ext}-o")
                        )
    ChannelScanCount.objects.filter(channel_code__code__in=[c[0] for c in CHANNELS]).delete()
    ChannelScanCount.objects.bulk_create(scans)

    events += _campaign_events(rng=rng, last_day=last_day, tz=tz, groups=groups, operators=operators["t1"], pool=pool)
    result = events_ingest(events=events)
    broadcasts = _broadcasts_build(rng=rng, last_day=last_day, tz=tz)
    return {"channel_events": result.accepted, "errors": result.errors, "broadcasts": broadcasts}


def _contact_qrs_make(*, staff: list[Staff]) -> None:
    """A stand-in 联系我 image for each operator without one, so the channel pages show a QR code."""
    have = set(StaffContactQr.objects.filter(staff__in=staff).values_list("staff_id", flat=True))
    for member in staff:
        if member.pk in have:
            continue
        buffer = io.BytesIO()
        qrcode.make(f"sitadmin demo 联系我 {member.user.username}", image_factory=PyPNGImage, box_size=8).save(buffer)
        upload = SimpleUploadedFile(f"{member.user.username}.png", buffer.getvalue(), content_type="image/png")
        staff_contact_qr_upload(staff=member, upload=upload)


def _event(event_id: str, event_type: str, at: dt.datetime, phone: str, **fields) -> dict:
    return {"id": event_id, "type": event_type, "at": at.isoformat(), "phone": phone, **fields}


def _campaign_events(*, rng, last_day: dt.date, tz, groups, operators, pool: list[str]) -> list[dict]:
    """A check-in campaign in the first group and a referral campaign, both running over last_day."""
    starts_on, ends_on = last_day - dt.timedelta(days=9), last_day + dt.timedelta(days=10)
    group = groups[0] if groups else None
    Campaign.objects.update_or_create(
        code="checkin-21",
        defaults={
            "name": "21天关节养护打卡",
            "kind": "checkin",
            "starts_on": starts_on,
            "ends_on": ends_on,
            "goal": 5,
            "group": group,
            "keyword": "打卡",
            "prize": "护膝一副",
        },
    )
    Campaign.objects.update_or_create(
        code="invite-3",
        defaults={
            "name": "邀请3位好友领好礼",
            "kind": "referral",
            "starts_on": starts_on,
            "ends_on": ends_on,
            "goal": 3,
            "prize": "热敷贴一盒",
        },
    )
    events = []
    customers = sorted(c.phone for c in Customer.objects.filter(phone_index__isnull=False))[:60]
    # Check-ins are said in the campaign's group by its members, once they have joined (so its
    # speaking rate stays a rate).
    members = GroupMembership.objects.filter(group=group, left_at__isnull=True, customer__phone_index__isnull=False)
    players = sorted((m.customer.phone, m.joined_at) for m in members.select_related("customer"))[:40]
    for n, (phone, joined_at) in enumerate(players):
        for back in range(10):
            if rng.random() < 0.55:
                day = last_day - dt.timedelta(days=back)
                at = dt.datetime.combine(day, dt.time(7), tzinfo=tz) + dt.timedelta(minutes=rng.randint(0, 600))
                if at < joined_at:
                    continue
                events.append(
                    {
                        "id": f"demo-checkin-{n}-{back}",
                        "type": "message",
                        "direction": "in",
                        "at": at.isoformat(),
                        "phone": phone,
                        "group": group.code,
                        "text": rng.choice(["打卡", "今日打卡✅", f"打卡第{10 - back}天"]),
                    }
                )
    for n, phone in enumerate(customers[40:60]):
        for i in range(rng.randint(0, 4)):
            if not pool:
                break
            day = last_day - dt.timedelta(days=rng.randint(0, 9))
            at = dt.datetime.combine(day, dt.time(10), tzinfo=tz) + dt.timedelta(minutes=rng.randint(0, 600))
            ext = f"demo-ref-{n}-{i}"
            events.append(
                _event(
                    f"{ext}-add",
                    "friend_added",
                    at,
                    pool.pop(),
                    staff=operators[n % len(operators)].user.username,
                    referrer=phone,
                )
            )
    return events


def _broadcasts_build(*, rng, last_day: dt.date, tz) -> int:
    """One broadcast sent three days ago (with deliveries and replies), one scheduled for tomorrow."""
    old = Broadcast.objects.filter(title__in=DEMO_BROADCASTS)
    SopTask.objects.filter(pk__in=old.values("recipients__task")).delete()
    old.delete()
    sent_at = dt.datetime.combine(last_day - dt.timedelta(days=3), dt.time(19), tzinfo=tz)
    manager = Staff.objects.filter(role=Staff.Role.MANAGER).first()
    sent = broadcast_create(
        title=DEMO_BROADCASTS[0],
        content="会员日全场8折，老客加赠护膝一副",
        audience={"stages": ["fan", "grouped"], "owners": ["op1", "op2", "op5"]},
        scheduled_at=sent_at,
        created_by=manager,
        team_id=None,
    )
    broadcast_send(broadcast_id=sent.pk)
    broadcast_create(
        title=DEMO_BROADCASTS[1],
        content="降温了，注意关节保暖",
        audience={"tags": ["arthritis"]},
        scheduled_at=dt.datetime.combine(last_day + dt.timedelta(days=2), dt.time(19), tzinfo=tz),
        created_by=manager,
        team_id=None,
    )
    events = []
    recipients = sorted(
        (r.customer.phone or "", r.customer.external_id or "", r.owner.user.username if r.owner_id else None)
        for r in sent.recipients.select_related("customer", "owner__user")
    )
    for phone, external_id, owner in recipients:
        if owner is None or rng.random() > 0.7:
            continue
        who = {"phone": phone} if phone else {"external_id": external_id}
        out_at = sent_at + dt.timedelta(minutes=rng.randint(1, 600))
        events.append(
            {
                "id": f"demo-bc-{phone or external_id}-out",
                "type": "message",
                "direction": "out",
                "staff": owner,
                "at": out_at.isoformat(),
                "text": "会员日全场8折",
                **who,
            }
        )
        if rng.random() < 0.35:
            events.append(
                {
                    "id": f"demo-bc-{phone or external_id}-in",
                    "type": "message",
                    "direction": "in",
                    "at": (out_at + dt.timedelta(minutes=rng.randint(5, 900))).isoformat(),
                    "text": "好的，怎么买",
                    **who,
                }
            )
    events_ingest(events=events)
    return 2

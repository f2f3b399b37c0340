"""Demo data: a believable organisation and 60 days of customer journeys (`manage.py seed_demo`).

Everything follows from one seeded random generator, so the same `--seed` on the same day gives
the same data. Journeys are posted through `events_ingest`, so stages, owners and group
memberships are derived the way they are for real events.
"""

import datetime as dt
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Min, OuterRef, Q, Subquery
from django.utils import timezone

from campaigns.activities.demo import acquisition_demo_seed
from campaigns.alerts.demo import conduct_demo_seed
from campaigns.models import Group, Script, SopTask
from campaigns.sop.demo import sop_demo_templates_seed
from customers.events.services import events_ingest
from customers.models import Customer, Event, EventType, LeadSource, Stage, Tag, TagGroup
from customers.ownership.handover import staff_handover
from customers.privacy.crypto import phones_index
from sitadmin.bulk import rows_update
from staff.evaluations.scoring import evaluation_create
from staff.models import CompetencyDimension, Evaluation, RevenueTier, ReviewCycle, Staff, Team

DEMO_PASSWORD = "sitadmin-demo"  # noqa: S105 (the published demo login)
INGEST_BATCH = 10_000

TEAMS = {"t1": "一组", "t2": "二组"}
# username, name, team, role, days employed before the window ends (joined), days since leaving
STAFF = [
    ("manager", "王经理", None, Staff.Role.MANAGER, 900, None),
    ("lead1", "李组长", "t1", Staff.Role.TEAM_LEAD, 700, None),
    ("lead2", "赵组长", "t2", Staff.Role.TEAM_LEAD, 400, None),
    ("op1", "陈晓", "t1", Staff.Role.OPERATOR, 500, None),
    ("op2", "刘婷", "t1", Staff.Role.OPERATOR, 300, None),
    ("op3", "杨帆", "t1", Staff.Role.OPERATOR, 120, None),
    ("op4", "黄敏", "t1", Staff.Role.OPERATOR, 25, None),
    ("op5", "周琳", "t2", Staff.Role.OPERATOR, 450, None),
    ("op6", "吴昊", "t2", Staff.Role.OPERATOR, 200, None),
    ("op7", "郑洁", "t2", Staff.Role.OPERATOR, 90, None),
    ("op8", "孙磊", "t2", Staff.Role.OPERATOR, 260, 15),
]
SOURCES = [
    ("tele", "电销名单", LeadSource.Kind.TELESALES, 0.35),
    ("shop", "商城订单", LeadSource.Kind.ORDERS, 0.20),
    ("ads", "信息流广告", LeadSource.Kind.ADS, 0.30),
    ("intercept", "评论区截流", LeadSource.Kind.INTERCEPT, 0.15),
]
# code, name, greeting, acceptance rate
SCRIPTS = [
    ("care", "健康关怀", "您好，我是您的关节健康顾问，送您一份护膝指南。", 0.62),
    ("gift", "赠品邀请", "您好，您有一份赠品待领取，通过后发您。", 0.41),
    ("plain", "普通问候", "您好，加个好友。", 0.18),
]
GROUPS = [
    ("joint-1", "关节养护1群"),
    ("joint-2", "关节养护2群"),
    ("spine-1", "腰椎护理群"),
    ("neck-1", "颈椎舒缓群"),
    ("bone-1", "骨骼健康群"),
    ("office-1", "久坐办公族"),
    ("sport-1", "运动康复群"),
    ("vip-1", "老客福利群"),
]
TAG_GROUPS = {
    "病症": [("arthritis", "退行性关节炎"), ("lumbar", "腰椎病"), ("cervical", "颈椎病"), ("osteoporosis", "骨质疏松")],
    "场景": [("backache", "腰酸背痛"), ("desk", "久坐办公"), ("injury", "运动损伤")],
}
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉兰萍红鹏建华飞桂芝琴云志强"
PHONE_PREFIXES = ["138", "139", "135", "136", "150", "151", "158", "186", "187", "177", "199", "166"]
PRIVATE_TEXTS = ["在吗", "膝盖还是疼", "这个怎么用", "多少钱", "有优惠吗", "谢谢", "好的", "腰不舒服"]
GROUP_TEXTS = ["打卡", "今天练了", "老师好", "收到", "有效果", "请问这个适合我吗"]
REPLY_TEXTS = ["您好，我在", "建议每天热敷15分钟", "给您发了使用说明", "今天下单有赠品"]
AMOUNTS = ["99.00", "199.00", "299.00", "59.90", "399.00", "129.00"]


@dataclass
class DemoSummary:
    staff: int = 0
    customers: int = 0
    events: int = 0
    errors: list = field(default_factory=list)
    sop_tasks: int = 0
    evaluations: int = 0
    seconds: float = 0.0


def demo_seed(*, seed: int, customers: int, days: int, log: Callable[[str], None] = print) -> DemoSummary:
    """Build the demo organisation and `customers` customers with `days` days of journeys ending
    yesterday (in `TIME_ZONE`)."""
    started = time.monotonic()
    rng = random.Random(seed)
    tz = timezone.get_default_timezone()
    last_day = timezone.localdate() - dt.timedelta(days=1)
    first_day = last_day - dt.timedelta(days=days - 1)
    window_end = dt.datetime.combine(last_day + dt.timedelta(days=1), dt.time(), tzinfo=tz)
    summary = DemoSummary()

    with transaction.atomic():
        staff = _organisation_build(last_day=last_day)
        sources, scripts, groups, tags = _catalogue_build(sop_from=dt.datetime.combine(first_day, dt.time(), tzinfo=tz))
        _campaign_tools_build(staff=staff, sources=sources, scripts=scripts, groups=groups, last_day=last_day, tz=tz)
    summary.staff = len(staff)
    log(f"organisation: {len(staff)} staff in {len(TEAMS)} teams, {len(scripts)} scripts, {len(groups)} groups")

    people = _customers_build(rng=rng, count=customers, seed=seed, sources=sources, tags=tags)
    summary.customers = len(people)
    log(f"customers: {len(people)} ({time.monotonic() - started:.0f} s)")

    events = _journeys(
        rng=rng, seed=seed, people=people, staff=staff, first_day=first_day, window_end=window_end, tz=tz
    )
    events.sort(key=lambda e: (e["at"], e["id"]))
    for start in range(0, len(events), INGEST_BATCH):
        result = events_ingest(events=events[start : start + INGEST_BATCH])
        summary.events += result.accepted
        summary.errors.extend(result.errors)
        log(f"events: {min(start + INGEST_BATCH, len(events))}/{len(events)} ({time.monotonic() - started:.0f} s)")

    _entry_times_write(rng=rng, first_day=first_day, days=days, tz=tz)
    _remarks_write(rng=rng, phones=[p["phone"] for p in people])
    acquisition_demo_seed(seed=seed, last_day=last_day)
    for leaver in (s for s in staff.values() if s.left_on and Customer.objects.filter(owner=s).exists()):
        # Dated on the leaver's last day: from then on their customers, and their sales, are the receivers'.
        handover = staff_handover(
            staff=leaver,
            allocation="round_robin",
            performed_by=staff["manager"].user,
            reason="exit",
            at=dt.datetime.combine(leaver.left_on, dt.time(18), tzinfo=tz),
        )
        log(f"hand-over: {handover.moved} customers of {leaver.user.username} to {', '.join(handover.per_operator)}")
    summary.sop_tasks = SopTask.objects.count()
    log(f"SOP tasks: {summary.sop_tasks}")
    summary.evaluations = _evaluations_build(rng=rng, staff=staff, last_day=last_day)
    log(f"evaluations: {summary.evaluations} in last month's review cycle")
    summary.seconds = time.monotonic() - started
    return summary


def _organisation_build(*, last_day: dt.date) -> dict[str, Staff]:
    teams = {code: Team.objects.get_or_create(code=code, defaults={"name": name})[0] for code, name in TEAMS.items()}
    password = make_password(DEMO_PASSWORD)
    user_model = get_user_model()
    staff = {}
    for username, name, team, role, employed_days, left_days_ago in STAFF:
        user, _ = user_model.objects.get_or_create(username=username, defaults={"password": password})
        if username == "manager":
            user.is_staff = user.is_superuser = True
            user.save(update_fields=["is_staff", "is_superuser"])
        left_on = last_day - dt.timedelta(days=left_days_ago) if left_days_ago else None
        staff[username], _ = Staff.objects.get_or_create(
            user=user,
            defaults={
                "name": name,
                "team": teams.get(team),
                "role": role,
                "status": Staff.Status.EXITED if left_on else Staff.Status.ACTIVE,
                "hire_type": Staff.HireType.INTERNAL if role == Staff.Role.TEAM_LEAD else Staff.HireType.EXTERNAL,
                "joined_on": last_day - dt.timedelta(days=employed_days),
                "left_on": left_on,
                "capacity": 4000,
            },
        )
    start = last_day.replace(day=1)
    end = (start + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    ReviewCycle.objects.get_or_create(
        code=f"{start:%Y-%m}", defaults={"name": f"{start:%Y年%m月}考核", "starts_on": start, "ends_on": end}
    )
    return staff


def _evaluations_build(*, rng: random.Random, staff: dict[str, Staff], last_day: dt.date) -> int:
    """Last month's review cycle with revenue tiers, every active operator scored by their team lead."""
    end = last_day.replace(day=1) - dt.timedelta(days=1)
    start = end.replace(day=1)
    cycle, _ = ReviewCycle.objects.get_or_create(
        code=f"{start:%Y-%m}",
        defaults={
            "name": f"{start:%Y年%m月}考核",
            "starts_on": start,
            "ends_on": end,
            "revenue_baseline": Decimal("30000"),
        },
    )
    for name, min_revenue, reward in (("A 档", "30000", "奖金 2000 元"), ("B 档", "20000", "奖金 800 元")):
        RevenueTier.objects.get_or_create(
            cycle=cycle, name=name, defaults={"min_revenue": Decimal(min_revenue), "reward": reward}
        )
    leads = {person.team_id: person for person in staff.values() if person.role == Staff.Role.TEAM_LEAD}
    dimensions = list(CompetencyDimension.objects.filter(active=True).values_list("code", flat=True))
    scored = set(Evaluation.objects.filter(cycle=cycle).values_list("staff_id", flat=True))
    count = 0
    for person in staff.values():
        employed = person.joined_on <= cycle.ends_on and not (person.left_on and person.left_on < cycle.starts_on)
        if person.role != Staff.Role.OPERATOR or person.left_on or not employed or person.pk in scored:
            continue
        level = rng.uniform(3.5, 9.5)
        scores = {code: Decimal(str(round(min(10.0, max(0.0, rng.gauss(level, 1.0))), 1))) for code in dimensions}
        evaluation_create(staff=person, cycle=cycle, scores=scores, reviewer=leads[person.team_id].user)
        count += 1
    return count


def _catalogue_build(*, sop_from: dt.datetime):
    sources = {
        code: LeadSource.objects.get_or_create(code=code, defaults={"name": name, "kind": kind})[0]
        for code, name, kind, _ in SOURCES
    }
    scripts = {
        code: Script.objects.get_or_create(code=code, defaults={"name": name, "text": text})[0]
        for code, name, text, _ in SCRIPTS
    }
    groups = {code: Group.objects.get_or_create(code=code, defaults={"name": name})[0] for code, name in GROUPS}
    tags = {}
    for group_name, members in TAG_GROUPS.items():
        tag_group, _ = TagGroup.objects.get_or_create(name=group_name)
        for code, name in members:
            tags[code] = Tag.objects.get_or_create(code=code, defaults={"name": name, "group": tag_group})[0]
    sop_demo_templates_seed(active_from=sop_from)
    return sources, scripts, groups, tags


def _campaign_tools_build(*, staff, sources, scripts, groups, last_day, tz) -> None:
    """Group owners, keyword replies and sensitive words, so the admin shows them in use."""
    operators = [s for s in staff.values() if s.role == Staff.Role.OPERATOR and s.left_on is None]
    for n, group in enumerate(groups.values()):
        if group.owner_id is None:
            group.owner = operators[n % len(operators)]
            group.save(update_fields=["owner"])
    conduct_demo_seed()


def _customers_build(*, rng: random.Random, count: int, seed: int, sources, tags) -> list[dict]:
    source_codes = [code for code, *_ in SOURCES]
    source_weights = [weight for *_, weight in SOURCES]
    people = []
    for n in range(count):
        # 7919 is prime to 10^8, so the eight digits differ for every n.
        phone = f"{rng.choice(PHONE_PREFIXES)}{(n * 7919 + seed * 104729) % 10**8:08d}"
        people.append(
            {
                "n": n,
                "phone": phone,
                "name": rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2)))),
                "source": rng.choices(source_codes, source_weights)[0],
                "external_id": f"wm{seed:x}{n:07d}" if rng.random() < 0.5 else None,
            }
        )
    Customer.objects.bulk_create(
        [Customer(phone=p["phone"], name=p["name"], source=sources[p["source"]]) for p in people],
        batch_size=2000,
        ignore_conflicts=True,
    )
    index_of = dict(zip([p["phone"] for p in people], phones_index([p["phone"] for p in people]), strict=True))
    ids = dict(Customer.objects.filter(phone_index__in=index_of.values()).values_list("phone_index", "pk"))
    condition = [tags[code].pk for code, _ in TAG_GROUPS["病症"]]
    scene = [tags[code].pk for code, _ in TAG_GROUPS["场景"]]
    links = []
    for person in people:
        chosen = set()
        if rng.random() < 0.6:
            chosen.add(rng.choice(condition))
        if rng.random() < 0.4:
            chosen.add(rng.choice(scene))
        customer_id = ids[index_of[person["phone"]]]
        links.extend(Customer.tags.through(customer_id=customer_id, tag_id=tag_id) for tag_id in chosen)
    Customer.tags.through.objects.bulk_create(links, batch_size=2000, ignore_conflicts=True)
    return people


def _journeys(*, rng, seed, people, staff, first_day, window_end, tz) -> list[dict]:
    """Each one's events (request → accept → groups → talk → buy → repeat → some delete) inside the window."""
    operators = [s for s in staff.values() if s.role == Staff.Role.OPERATOR]
    script_rates = {code: rate for code, _, _, rate in SCRIPTS}
    window_start = dt.datetime.combine(first_day, dt.time(), tzinfo=tz)
    days = (window_end - window_start).days
    events: list[dict] = []
    counter = 0

    def add(person, event_type, at, **fields):
        nonlocal counter
        if at >= window_end:
            return
        counter += 1
        event = {"id": f"demo-{seed}-{counter}", "type": event_type, "at": at.isoformat(), "phone": person["phone"]}
        event.update(fields)
        events.append(event)

    for person in people:
        if rng.random() < 0.12:
            continue  # a lead nobody has contacted yet
        day = rng.randrange(days)
        at = window_start + dt.timedelta(days=day, hours=rng.uniform(9, 21))
        working = [
            s
            for s in operators
            if s.joined_on <= at.date() and (s.left_on is None or s.left_on > at.date() + dt.timedelta(days=3))
        ]
        operator = rng.choice(working or operators)
        username = operator.user.username
        script = rng.choices([code for code, *_ in SCRIPTS], [0.4, 0.35, 0.25])[0]
        add(person, "friend_request_sent", at, staff=username, script=script)
        if rng.random() < 0.08:
            add(person, "friend_request_sent", at + dt.timedelta(days=2), staff=username, script=script)
        if rng.random() >= script_rates[script]:
            continue
        at += dt.timedelta(hours=rng.expovariate(1 / 14))
        extra = {"external_id": person["external_id"]} if person["external_id"] else {}
        add(person, "friend_added", at, staff=username, **extra)
        added_at = at

        grouped = rng.random() < 0.6
        group = rng.choice(GROUPS)[0]
        in_group_from = in_group_until = None  # one speaks in a group only while a member
        if grouped:
            in_group_from = added_at + dt.timedelta(hours=rng.uniform(0.2, 60))
            add(person, "group_joined", in_group_from, group=group)
            if rng.random() < 0.15:
                second = rng.choice(GROUPS)[0]
                add(person, "group_joined", added_at + dt.timedelta(days=rng.uniform(3, 20)), group=second)
            if rng.random() < 0.12:
                in_group_until = added_at + dt.timedelta(days=rng.uniform(4, 30))
                add(person, "group_left", in_group_until, group=group)

        for _ in range(min(int(rng.expovariate(1 / 5)), 15)):
            talk_day = added_at + dt.timedelta(days=rng.uniform(0, 30))
            talk = dt.datetime.combine(talk_day.date(), dt.time(), tzinfo=tz) + dt.timedelta(hours=rng.uniform(8, 23.9))
            in_group = grouped and rng.random() < 0.35 and in_group_from <= talk < (in_group_until or window_end)
            for k in range(rng.choice((1, 1, 2, 3, 4))):
                at_msg = talk + dt.timedelta(minutes=4 * k)
                if in_group:
                    add(person, "message", at_msg, direction="in", group=group, text=rng.choice(GROUP_TEXTS))
                else:
                    add(person, "message", at_msg, direction="in", text=rng.choice(PRIVATE_TEXTS))
            if not in_group and rng.random() < 0.8:
                reply = talk + dt.timedelta(minutes=rng.expovariate(1 / 25))
                add(person, "message", reply, direction="out", staff=username, text=rng.choice(REPLY_TEXTS))

        buy_chance = 0.32 if grouped else 0.14
        if rng.random() < buy_chance:
            at = added_at + dt.timedelta(days=rng.uniform(0.5, 20))
            orders = 1 + (rng.random() < 0.35) + (rng.random() < 0.1)
            for k in range(orders):
                add(
                    person,
                    "order",
                    at + dt.timedelta(days=12 * k),
                    amount=rng.choice(AMOUNTS),
                    order_no=f"D{seed}-{person['n']}-{k}",
                )
        if rng.random() < 0.08:
            deleted_at = added_at + dt.timedelta(days=rng.uniform(1, 40))
            add(person, "friend_deleted", deleted_at, staff=username)
            if rng.random() < 0.2:
                add(person, "friend_added", deleted_at + dt.timedelta(days=rng.uniform(1, 5)), staff=username)
    return events


def _entry_times_write(*, rng: random.Random, first_day: dt.date, days: int, tz) -> None:
    """Customers arrive over the window: at their first event, or (uncontacted leads) on a random day."""
    first_event = Event.objects.filter(customer=OuterRef("pk")).order_by("at").values("at")[:1]
    Customer.objects.filter(events__isnull=False).update(created_at=Subquery(first_event))
    start = dt.datetime.combine(first_day, dt.time(9), tzinfo=tz)
    rows = [
        [pk, start + dt.timedelta(days=rng.randrange(days), hours=rng.uniform(0, 12))]
        for pk in Customer.objects.filter(events__isnull=True).order_by("pk").values_list("pk", flat=True)
    ]
    rows_update(model=Customer, columns=["id", "created_at"], rows=rows)


def _remarks_write(*, rng: random.Random, phones: list[str]) -> None:
    """Some operators keep remarks in the company format (`REMARK_FORMAT`: the day the customer
    was added, the name, the stage in Chinese), others free-form, others none."""
    labels = dict(Stage.choices)
    rows = []
    friends = (
        Customer.objects.filter(phone_index__in=phones_index(phones))
        .exclude(stage__in=[Stage.LEAD, Stage.REQUESTED])
        .annotate(added_at=Min("events__at", filter=Q(events__type=EventType.FRIEND_ADDED)))
        .order_by("pk")
    )
    for pk, name, stage, added_at in friends.values_list("pk", "name", "stage", "added_at"):
        roll = rng.random()
        if roll < 0.45 and added_at:
            date = timezone.localtime(added_at).date()
            rows.append([pk, settings.REMARK_FORMAT.format(date=date, name=name, stage=labels[stage])])
        elif roll < 0.6:
            rows.append([pk, rng.choice(["膝盖不好", "想了解护腰", "价格敏感", "家人代买"])])
    rows_update(model=Customer, columns=["id", "remark"], rows=rows)

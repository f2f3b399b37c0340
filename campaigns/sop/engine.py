"""The trigger engine: which customers meet which active templates, and since when.

Every path that changes a customer calls in here once per batch (event ingestion, imports, a change
by hand, channel codes): the work is a fixed number of statements per batch, whatever its size.
A template fires once per (template, customer); a trigger found earlier than the one a customer's
tasks were made from (an event that arrived late) moves the open tasks to the earlier time.

When a trigger "holds" (see docs/sop.md):
- stage: the first event, at or after `active_from`, after which the stage computed from the
  customer's events up to it is the template's stage or further along, having been behind it
  (`lost` counts as behind every stage); imported orders count as order events;
- group_joined: the first join (of that group, or of any) at or after `active_from`;
- tag: the customer carries the tag when an import, a change by hand or a channel code gives it;
- channel: a channel code whose `sop` is the template added the customer (`sop_fire_for_channel`).
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from campaigns.sop.completion import sop_tasks_complete_by_messages
from campaigns.sop.models import SopTemplate
from campaigns.sop.sql import ids_in
from campaigns.sop.tasks_build import sop_tasks_create
from customers.models import Customer, Event, EventType, Stage

# Stages a stage trigger may name, and their order (`lead` holds from the start, `lost` is no progress).
STAGE_RANK = {
    Stage.REQUESTED: 1,
    Stage.FAN: 2,
    Stage.GROUPED: 3,
    Stage.BUYER: 4,
    Stage.REPEAT_BUYER: 5,
}
_ID_CHUNK = 5000


@dataclass(frozen=True)
class Firing:
    template_id: int
    customer_id: int
    trigger_at: dt.datetime
    group_id: int | None = None


def sop_templates_active(*, kinds: Iterable[str] | None = None) -> list[SopTemplate]:
    templates = SopTemplate.objects.filter(active=True, active_from__isnull=False)
    return [t for t in templates if kinds is None or t.trigger_kind in set(kinds)]


def sop_after_events(*, customer_ids: Iterable[int], events: Iterable) -> int:
    """Fire stage and group templates for customers that got new events, then let the new `out`
    messages complete tasks. `events`: the events just stored (with `type`, `direction`, `customer_id`
    and `group_id`). Returns how many tasks were made."""
    customer_ids = sorted(set(customer_ids))
    templates = sop_templates_active(kinds=[SopTemplate.TriggerKind.STAGE, SopTemplate.TriggerKind.GROUP_JOINED])
    made = 0
    if templates and customer_ids:
        firings = _stage_firings(templates=templates, customer_ids=customer_ids)
        firings += _group_firings(templates=templates, customer_ids=customer_ids)
        made = sop_fire(firings=firings, templates=templates)
    message_customers, message_groups = _out_message_targets(events=events)
    if message_customers or message_groups:
        sop_tasks_complete_by_messages(customer_ids=message_customers, group_ids=message_groups)
    return made


def sop_after_hand_edit(*, customer: Customer, old_stage: str, at: dt.datetime) -> int:
    """A change by hand: stage templates the new stage reaches (the old one did not), tag templates
    whose tag the customer now carries."""
    templates = sop_templates_active(kinds=[SopTemplate.TriggerKind.STAGE, SopTemplate.TriggerKind.TAG])
    if not templates:
        return 0
    new_rank = STAGE_RANK.get(customer.stage, 0 if customer.stage != Stage.LOST else -1)
    old_rank = STAGE_RANK.get(old_stage, 0 if old_stage != Stage.LOST else -1)
    firings = []
    for template in templates:
        if template.active_from > at:
            continue
        if template.trigger_kind == SopTemplate.TriggerKind.STAGE:
            target = STAGE_RANK[template.trigger["stage"]]
            if new_rank >= target > old_rank:
                firings.append(Firing(template.pk, customer.pk, at))
    firings += _tag_firings(templates=templates, customer_ids=[customer.pk], at=at)
    return sop_fire(firings=firings, templates=templates)


def sop_fire_for_tagged(*, customer_tags_sql: str, params: list, at: dt.datetime) -> int:
    """Tag templates for customers given by a query answering (customer_id, tag_id) rows."""
    templates = sop_templates_active(kinds=[SopTemplate.TriggerKind.TAG])
    templates = [t for t in templates if t.active_from <= at]
    if not templates:
        return 0
    by_tag: dict[int, list[SopTemplate]] = {}
    for template in templates:
        by_tag.setdefault(template.trigger["tag_id"], []).append(template)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT DISTINCT q.customer_id, q.tag_id FROM ({customer_tags_sql}) q"  # noqa: S608 (caller's fixed text)
            f" WHERE q.tag_id IN ({', '.join(['%s'] * len(by_tag))})",
            [*params, *by_tag],
        )
        rows = cursor.fetchall()
    firings = [Firing(t.pk, customer_id, at) for customer_id, tag_id in rows for t in by_tag[tag_id]]
    return sop_fire(firings=firings, templates=templates)


def sop_fire_for_channel(*, firings: Iterable[tuple[int, int, dt.datetime]]) -> int:
    """(customer_id, template_id, added_at) of customers a channel code added: fire the code's template,
    when it is an active channel template and the add is at or after its `active_from`."""
    firings = list(firings)
    templates = {
        t.pk: t
        for t in sop_templates_active(kinds=[SopTemplate.TriggerKind.CHANNEL])
        if t.pk in {template_id for _, template_id, _ in firings}
    }
    kept = [
        Firing(template_id, customer_id, at)
        for customer_id, template_id, at in firings
        if template_id in templates and at >= templates[template_id].active_from
    ]
    return sop_fire(firings=kept, templates=list(templates.values()))


def sop_fire(*, firings: Iterable[Firing], templates: Iterable[SopTemplate]) -> int:
    """Make the tasks of these firings (the earliest per template and customer), then let messages
    already stored complete them. Returns how many tasks were made."""
    earliest: dict[tuple[int, int], Firing] = {}
    for firing in firings:
        key = (firing.template_id, firing.customer_id)
        if key not in earliest or firing.trigger_at < earliest[key].trigger_at:
            earliest[key] = firing
    if not earliest:
        return 0
    made, touched = sop_tasks_create(firings=list(earliest.values()), templates={t.pk: t for t in templates})
    if touched:
        sop_tasks_complete_by_messages(
            customer_ids={customer_id for customer_id, _ in touched},
            group_ids={group_id for _, group_id in touched if group_id},
        )
    return made


def _as_datetime(value) -> dt.datetime:
    if isinstance(value, str):
        value = parse_datetime(value)
    if timezone.is_naive(value):
        value = value.replace(tzinfo=dt.UTC)
    return value


_STAGE_SQL = """
WITH ev AS (
  SELECT e.customer_id AS cid, e.at AS at, e.client_id AS k, e.type AS type FROM customers_event e
  WHERE {events_in} AND e.type IN (%s, %s, %s, %s, %s)
  UNION ALL
  SELECT o.customer_id, o.ordered_at, '', %s FROM customers_order o WHERE {orders_in} AND o.event_id IS NULL
), w AS (
  SELECT cid, at, k, type,
    SUM(CASE WHEN type = %s THEN 1 ELSE 0 END) OVER win AS orders,
    MAX(CASE WHEN type = %s THEN 1 ELSE 0 END) OVER win AS joined,
    MAX(CASE WHEN type = %s THEN 1 ELSE 0 END) OVER win AS added,
    MAX(CASE WHEN type = %s THEN 1 ELSE 0 END) OVER win AS requested,
    SUM(CASE WHEN type IN (%s, %s) THEN 1 ELSE 0 END) OVER win AS friend_changes
  FROM ev WINDOW win AS (PARTITION BY cid ORDER BY at, k ROWS UNBOUNDED PRECEDING)
), s AS (
  SELECT cid, at, k, CASE
    WHEN first_value(type) OVER (PARTITION BY cid, friend_changes ORDER BY at, k) = %s THEN -1
    WHEN orders >= 2 THEN 5 WHEN orders = 1 THEN 4 WHEN joined = 1 THEN 3 WHEN added = 1 THEN 2
    WHEN requested = 1 THEN 1 ELSE 0 END AS stage_rank
  FROM w
), t AS (
  SELECT cid, at, stage_rank, LAG(stage_rank, 1, 0) OVER (PARTITION BY cid ORDER BY at, k) AS prev_rank FROM s
)
SELECT tpl.id, t.cid, MIN(t.at) FROM t JOIN ({templates}) tpl
  ON t.stage_rank >= tpl.target AND t.prev_rank < tpl.target AND t.at >= tpl.since
GROUP BY tpl.id, t.cid
"""


def _stage_firings(*, templates: list[SopTemplate], customer_ids: list[int]) -> list[Firing]:
    stage_templates = [t for t in templates if t.trigger_kind == SopTemplate.TriggerKind.STAGE]
    if not stage_templates:
        return []
    adapt = connection.ops.adapt_datetimefield_value
    select = " UNION ALL ".join(["SELECT %s AS id, %s AS target, %s AS since"] * len(stage_templates))
    template_params = [
        value for t in stage_templates for value in (t.pk, STAGE_RANK[t.trigger["stage"]], adapt(t.active_from))
    ]
    e = EventType
    firings = []
    for start in range(0, len(customer_ids), _ID_CHUNK):
        chunk = customer_ids[start : start + _ID_CHUNK]
        events_in, events_params = ids_in("e.customer_id", chunk)
        orders_in, orders_params = ids_in("o.customer_id", chunk)
        sql = _STAGE_SQL.format(events_in=events_in, orders_in=orders_in, templates=select)
        params = [
            *events_params,
            e.FRIEND_REQUEST_SENT,
            e.FRIEND_ADDED,
            e.FRIEND_DELETED,
            e.GROUP_JOINED,
            e.ORDER,
            e.ORDER,
            *orders_params,
            e.ORDER,
            e.GROUP_JOINED,
            e.FRIEND_ADDED,
            e.FRIEND_REQUEST_SENT,
            e.FRIEND_ADDED,
            e.FRIEND_DELETED,
            e.FRIEND_DELETED,
            *template_params,
        ]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            firings += [Firing(tid, cid, _as_datetime(at)) for tid, cid, at in cursor.fetchall()]
    return firings


def _group_firings(*, templates: list[SopTemplate], customer_ids: list[int]) -> list[Firing]:
    group_templates = [t for t in templates if t.trigger_kind == SopTemplate.TriggerKind.GROUP_JOINED]
    if not group_templates:
        return []
    since = min(t.active_from for t in group_templates)
    firings = []
    for start in range(0, len(customer_ids), _ID_CHUNK):
        chunk = customer_ids[start : start + _ID_CHUNK]
        ids_sql, ids_params = ids_in("customer_id", chunk)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT customer_id, group_id, at FROM customers_event"  # noqa: S608 (fixed text)
                f" WHERE {ids_sql} AND type = %s AND at >= %s ORDER BY at, client_id",
                [*ids_params, EventType.GROUP_JOINED, connection.ops.adapt_datetimefield_value(since)],
            )
            joins = [(cid, gid, _as_datetime(at)) for cid, gid, at in cursor.fetchall()]
        for template in group_templates:
            wanted = template.trigger.get("group_id")
            seen: set[int] = set()
            for customer_id, group_id, at in joins:
                if customer_id in seen or at < template.active_from or (wanted and group_id != wanted):
                    continue
                seen.add(customer_id)
                firings.append(Firing(template.pk, customer_id, at, group_id))
    return firings


def _tag_firings(*, templates: list[SopTemplate], customer_ids: list[int], at: dt.datetime) -> list[Firing]:
    tag_templates = [t for t in templates if t.trigger_kind == SopTemplate.TriggerKind.TAG and t.active_from <= at]
    if not tag_templates or not customer_ids:
        return []
    links = set(
        Customer.tags.through.objects.filter(
            customer_id__in=customer_ids, tag_id__in={t.trigger["tag_id"] for t in tag_templates}
        ).values_list("customer_id", "tag_id")
    )
    return [
        Firing(t.pk, customer_id, at)
        for t in tag_templates
        for customer_id in customer_ids
        if (customer_id, t.trigger["tag_id"]) in links
    ]


def _out_message_targets(*, events: Iterable) -> tuple[set[int], set[int]]:
    """Customers with new private `out` messages and groups with new `out` messages among these events."""
    customers, groups = set(), set()
    for event in events:
        if event.type == EventType.MESSAGE and event.direction == Event.Direction.OUT:
            if event.group_id:
                groups.add(event.group_id)
            else:
                customers.add(event.customer_id)
    return customers, groups

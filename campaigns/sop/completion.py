"""Tasks that close themselves, tasks closed by hand, and open tasks that follow their customer's owner.

A `private_message` task is done by the first private `out` message to its customer at or after its
`complete_after` (the start of its due day, never before the trigger); a `group_message` task that
has a group, by the first `out` message in that group likewise. One message may complete several
tasks. A message that arrives late but is earlier than the one that completed a task takes its place;
a task done by hand stays as it was done.
"""

import datetime as dt
from collections.abc import Iterable

from django.db import connection, transaction
from django.utils import timezone

from campaigns.sop.models import SopTask
from campaigns.sop.sql import ids_in
from customers.models import Event, EventType
from staff.models import Staff

_CHUNK = 5000

# {match}: the messages that may complete the task row `t` (correlated on it).
_COMPLETE_SQL = """
UPDATE campaigns_soptask SET
  done_at = (SELECT MIN(e.at) FROM customers_event e WHERE {match}),
  done_event_id = (SELECT e.id FROM customers_event e WHERE {match} ORDER BY e.at, e.client_id LIMIT 1)
WHERE action = %s AND done_by_staff_id IS NULL AND {target}
  AND EXISTS (SELECT 1 FROM customers_event e WHERE {match}
              AND (campaigns_soptask.done_at IS NULL OR e.at < campaigns_soptask.done_at))
"""
_PRIVATE_MATCH = (
    "e.customer_id = campaigns_soptask.customer_id AND e.type = %s AND e.direction = %s"
    " AND e.group_id IS NULL AND e.at >= campaigns_soptask.complete_after"
)
_GROUP_MATCH = (
    "e.group_id = campaigns_soptask.group_id AND e.type = %s AND e.direction = %s"
    " AND e.at >= campaigns_soptask.complete_after"
)


def sop_tasks_complete_by_messages(*, customer_ids: Iterable[int], group_ids: Iterable[int]) -> int:
    """Let the stored `out` messages complete the message tasks of these customers and groups; one
    statement per kind (and per 5,000 ids). Returns how many tasks changed."""
    changed = 0
    message = [EventType.MESSAGE, Event.Direction.OUT]
    for action, match, column, ids in (
        (SopTask.Action.PRIVATE_MESSAGE, _PRIVATE_MATCH, "customer_id", sorted(set(customer_ids))),
        (SopTask.Action.GROUP_MESSAGE, _GROUP_MATCH, "group_id", sorted(set(group_ids))),
    ):
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start : start + _CHUNK]
            target, target_params = ids_in(f"campaigns_soptask.{column}", chunk)
            sql = _COMPLETE_SQL.format(match=match, target=target)
            with connection.cursor() as cursor:
                cursor.execute(sql, [*message, *message, action, *target_params, *message])
                changed += cursor.rowcount
    return changed


def sop_tasks_follow_owner(*, customer_ids: Iterable[int] | None = None) -> int:
    """Give the open tasks of these customers (all customers: None) to the customer's current owner,
    tasks that waited for an owner included. One statement."""
    distinct = "IS DISTINCT FROM" if connection.vendor == "postgresql" else "IS NOT"
    owner = "(SELECT c.owner_id FROM customers_customer c WHERE c.id = campaigns_soptask.customer_id)"
    where = f"done_at IS NULL AND customer_id IS NOT NULL AND staff_id {distinct} {owner}"
    params: list = []
    if customer_ids is not None:
        ids = sorted(set(customer_ids))
        if not ids:
            return 0
        target, params = ids_in("customer_id", ids)
        where += f" AND {target}"
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE campaigns_soptask SET staff_id = {owner} WHERE {where}", params)  # noqa: S608
        return cursor.rowcount


class TaskAlreadyDone(Exception):
    pass


@transaction.atomic
def sop_task_mark_done(*, task_id: int, by: Staff | None, at: dt.datetime | None = None) -> SopTask:
    """Mark a task done by hand now; `TaskAlreadyDone` if it is done already (by hand or by a message)."""
    task = SopTask.objects.select_for_update().get(pk=task_id)
    if task.done_at is not None:
        raise TaskAlreadyDone
    task.done_at = at or timezone.now()
    task.done_by_staff = by
    task.save(update_fields=["done_at", "done_by_staff"])
    return task

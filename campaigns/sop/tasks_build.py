"""Turning a template's steps into tasks for the customers it fired for.

A step is due at its `time` on the trigger's local day + `day`, or at the trigger if that is later.
Its due day is the local day of `due_at`; a task done before that day ends is on time, and a message
completes it from the start of that day (but never before the trigger).
"""

import datetime as dt

from django.utils import timezone

from campaigns.sop.models import SopTask, SopTemplate
from customers.models import Customer
from sitadmin.bulk import rows_insert_ignoring_conflicts, rows_update


def step_due(*, trigger_at: dt.datetime, day: int, time: str) -> tuple[dt.datetime, dt.datetime, dt.datetime]:
    """(due_at, deadline, complete_after) of a step for a trigger at `trigger_at`."""
    tz = timezone.get_default_timezone()
    hour, minute = (int(part) for part in time.split(":"))
    local_day = trigger_at.astimezone(tz).date() + dt.timedelta(days=day)
    due_at = max(dt.datetime.combine(local_day, dt.time(hour, minute), tzinfo=tz), trigger_at)
    due_day = due_at.astimezone(tz).date()
    day_start = dt.datetime.combine(due_day, dt.time.min, tzinfo=tz)
    deadline = dt.datetime.combine(due_day + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    return due_at, deadline, max(day_start, trigger_at)


def schedule_preview(*, steps: list[dict], trigger_at: dt.datetime) -> list[dict]:
    """What a template's steps would be due at for a trigger at `trigger_at` (the template page's preview)."""
    return [
        {**step, "due_at": step_due(trigger_at=trigger_at, day=step["day"], time=step["time"])[0]} for step in steps
    ]


def sop_tasks_create(*, firings: list, templates: dict[int, SopTemplate]) -> tuple[int, set[tuple[int, int | None]]]:
    """Tasks for each firing (template, customer, trigger, group) not made before; open tasks of a
    firing seen again with an earlier trigger move to it. Returns (tasks made, (customer, group) pairs
    whose tasks were made or moved)."""
    customer_ids = {f.customer_id for f in firings}
    template_ids = {f.template_id for f in firings}
    # Plain tuples: most firings of a busy batch meet tasks made before, and only their times matter.
    existing: dict[tuple[int, int], list[tuple]] = {}
    for pk, template_id, customer_id, step, trigger_at, done_at in SopTask.objects.filter(
        customer_id__in=customer_ids, template_id__in=template_ids
    ).values_list("pk", "template_id", "customer_id", "step", "trigger_at", "done_at"):
        existing.setdefault((template_id, customer_id), []).append((pk, step, trigger_at, done_at))
    fresh = {f.customer_id for f in firings if (f.template_id, f.customer_id) not in existing}
    owners = dict(Customer.objects.filter(pk__in=fresh).values_list("pk", "owner_id")) if fresh else {}
    now = timezone.now()
    new, moved = [], []
    touched: set[tuple[int, int | None]] = set()
    for firing in firings:
        template = templates[firing.template_id]
        tasks = existing.get((firing.template_id, firing.customer_id))
        if tasks is None:
            for index, step in enumerate(template.steps):
                due_at, deadline, complete_after = step_due(trigger_at=firing.trigger_at, **_when(step))
                new.append(
                    [
                        template.pk,
                        index,
                        owners.get(firing.customer_id),
                        firing.customer_id,
                        firing.group_id,
                        step["action"],
                        step.get("content", ""),
                        firing.trigger_at,
                        due_at,
                        deadline,
                        complete_after,
                        now,
                    ]
                )
            touched.add((firing.customer_id, firing.group_id))
            continue
        for pk, step, trigger_at, done_at in tasks:
            if done_at is None and firing.trigger_at < trigger_at and step < len(template.steps):
                times = step_due(trigger_at=firing.trigger_at, **_when(template.steps[step]))
                moved.append([pk, firing.trigger_at, *times, firing.group_id])
                touched.add((firing.customer_id, firing.group_id))
    # One JSON recordset on PostgreSQL; a task made meanwhile by a concurrent batch is skipped.
    made = rows_insert_ignoring_conflicts(
        model=SopTask, columns=_TASK_COLUMNS, rows=new, conflict=None, returning=["id"]
    )
    rows_update(
        model=SopTask,
        columns=["id", "trigger_at", "due_at", "deadline", "complete_after", "group_id"],
        rows=moved,
    )
    return len(made), touched


_TASK_COLUMNS = [
    "template_id",
    "step",
    "staff_id",
    "customer_id",
    "group_id",
    "action",
    "content",
    "trigger_at",
    "due_at",
    "deadline",
    "complete_after",
    "created_at",
]


def _when(step: dict) -> dict:
    return {"day": int(step["day"]), "time": step["time"]}

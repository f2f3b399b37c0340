"""Everything about one customer in time order (客户时间线): events (requests, adds, messages with their
text, group joins and leaves, orders, deletion), stage changes, owner changes, SOP tasks and their status."""

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _

from campaigns.sop.models import SopTask, SopTaskStatus
from campaigns.sop.selectors import task_content_rendered
from customers.models import Customer, Event, EventType, OwnershipPeriod, StageTransition
from sitadmin.formats import money_text

TIMELINE_EVENTS = 500


@dataclass
class TimelineEntry:
    at: dt.datetime
    kind: str  # event / stage / owner / task
    title: str
    detail: str = ""
    status: str = ""


def customer_timeline(*, customer: Customer) -> list[TimelineEntry]:
    """Newest first; the latest `TIMELINE_EVENTS` events. Four queries."""
    events = (
        Event.objects.filter(customer=customer)
        .select_related("staff", "group", "script")
        .order_by("-at", "-client_id")[:TIMELINE_EVENTS]
    )
    entries = [TimelineEntry(event.at, "event", event.get_type_display(), _event_detail(event)) for event in events]
    for change in StageTransition.objects.filter(customer=customer).select_related("changed_by"):
        by = change.changed_by.username if change.changed_by else change.cause
        entries.append(
            TimelineEntry(
                change.at,
                "stage",
                _("阶段变化"),
                f"{change.get_from_stage_display() or '—'} → {change.get_to_stage_display()} ({by})",
            )
        )
    entries.extend(
        TimelineEntry(period.started_at, "owner", _("负责人变更"), f"{period.staff} · {period.get_cause_display()}")
        for period in OwnershipPeriod.objects.filter(customer=customer).select_related("staff")
    )
    tasks = SopTask.objects.filter(customer=customer).with_status().select_related("template", "staff", "customer")
    for task in tasks:
        status = SopTaskStatus(task.status_code)
        entries.append(
            TimelineEntry(
                task.due_at,
                "task",
                f"SOP · {task.template.name if task.template else ''} · {task.get_action_display()}",
                f"{task_content_rendered(task=task)} · {task.staff or '—'}",
                status=status.label,
            )
        )
    entries.sort(key=lambda entry: entry.at, reverse=True)
    return entries


def _event_detail(event: Event) -> str:
    parts = []
    if event.staff_id:
        parts.append(str(event.staff))
    if event.group_id:
        parts.append(_("社群 %(group)s") % {"group": event.group})
    if event.type == EventType.MESSAGE:
        parts.append(event.get_direction_display())
        if event.text:
            parts.append(event.text)
    if event.type == EventType.ORDER:
        parts.append(f"{money_text(event.amount)} · {event.order_no}")
    if event.script_id:
        parts.append(str(event.script))
    return " · ".join(parts)

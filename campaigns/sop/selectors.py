"""Reading SOP tasks: scoped lists, the operator's workbench, the on-time report."""

import datetime as dt

from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import Now
from django.utils import timezone

from campaigns.sop.models import SopTask
from customers.models import Stage
from staff.models import Staff
from staff.roles import scope_by_owner, scope_staff


def _day_bounds(day_from: dt.date, day_to: dt.date) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_default_timezone()
    return (
        dt.datetime.combine(day_from, dt.time.min, tzinfo=tz),
        dt.datetime.combine(day_to + dt.timedelta(days=1), dt.time.min, tzinfo=tz),
    )


def task_content_rendered(*, task: SopTask) -> str:
    """The step's content with `{name}`, `{owner}` and `{stage}` filled in for the task's customer."""
    customer, content = task.customer, task.content
    if customer is None:
        return content
    owner = task.staff.name if task.staff_id and task.staff.name else ""
    return (
        content.replace("{name}", customer.name or "")
        .replace("{owner}", owner)
        .replace("{stage}", str(Stage(customer.stage).label))
    )


def sop_task_list_for(*, user, filters: dict) -> QuerySet:
    tasks = scope_by_owner(SopTask.objects.all(), user, owner_field="staff").with_status()
    if filters.get("status"):
        tasks = tasks.status_in(filters["status"])
    if filters.get("staff"):
        tasks = tasks.filter(staff__user__username=filters["staff"])
    if filters.get("customer"):
        tasks = tasks.filter(customer_id=filters["customer"])
    if filters.get("due_from"):
        tasks = tasks.filter(due_at__gte=_day_bounds(filters["due_from"], filters["due_from"])[0])
    if filters.get("due_to"):
        tasks = tasks.filter(due_at__lt=_day_bounds(filters["due_to"], filters["due_to"])[1])
    return tasks.select_related("template", "group", "customer", "staff__user", "done_by_staff__user", "done_event")


def sop_task_get_for(*, user, task_id: int) -> SopTask:
    return scope_by_owner(SopTask.objects.all(), user, owner_field="staff").get(pk=task_id)


def sop_report(*, user, date_from: dt.date, date_to: dt.date, staff_ids: list[int] | None = None) -> list[dict]:
    """Per staff member the viewer may see: tasks due in the range, done on time, done late, still open,
    and `on_time_rate` = done_on_time / due (null without tasks due)."""
    start, end = _day_bounds(date_from, date_to)
    staff = scope_staff(Staff.objects.all(), user)
    if staff_ids is not None:
        staff = staff.filter(pk__in=staff_ids)
    due = Q(sop_tasks__due_at__gte=start, sop_tasks__due_at__lt=end)
    rows = (
        staff.annotate(
            due=Count("sop_tasks", filter=due),
            done_on_time=Count("sop_tasks", filter=due & Q(sop_tasks__done_at__lt=F("sop_tasks__deadline"))),
            done_late=Count("sop_tasks", filter=due & Q(sop_tasks__done_at__gte=F("sop_tasks__deadline"))),
            overdue=Count("sop_tasks", filter=due & Q(sop_tasks__done_at__isnull=True, sop_tasks__deadline__lte=Now())),
        )
        .values("pk", "user__username", "name", "due", "done_on_time", "done_late", "overdue")
        .order_by("user__username")
    )
    return [
        {
            "staff_id": row["pk"],
            "staff": row["user__username"],
            "name": row["name"],
            "due": row["due"],
            "done_on_time": row["done_on_time"],
            "done_late": row["done_late"],
            "open": row["due"] - row["done_on_time"] - row["done_late"],
            "overdue": row["overdue"],
            "on_time_rate": row["done_on_time"] / row["due"] if row["due"] else None,
        }
        for row in rows
    ]


def sop_overdue_tasks(*, user, date_from: dt.date, date_to: dt.date, limit: int = 50) -> list[SopTask]:
    """Tasks due in the range, still not done after their due day: what a lead chases; each carries
    `content_shown`, its content filled in for its customer ({name}, {owner}, {stage})."""
    start, end = _day_bounds(date_from, date_to)
    tasks = list(
        sop_task_list_for(user=user, filters={"status": "overdue"}).filter(due_at__gte=start, due_at__lt=end)[:limit]
    )
    for task in tasks:
        task.content_shown = task_content_rendered(task=task)
    return tasks


def sop_workbench(*, staff: Staff, now: dt.datetime | None = None) -> dict:
    """An operator's day: open tasks due today and overdue ones, grouped by customer (or group), with
    their content filled in, and how many are left."""
    now = now or timezone.now()
    _, end_of_today = _day_bounds(timezone.localdate(now), timezone.localdate(now))
    tasks = list(
        SopTask.objects.filter(staff=staff, done_at__isnull=True, due_at__lt=end_of_today)
        .with_status()
        .select_related("customer", "group", "template", "staff")
        .order_by("due_at", "id")[:200]
    )
    groups: dict[tuple, dict] = {}
    for task in tasks:
        key = ("customer", task.customer_id) if task.customer_id else ("group", task.group_id)
        entry = groups.setdefault(key, {"customer": task.customer, "group": task.group, "tasks": []})
        task.rendered = task_content_rendered(task=task)
        entry["tasks"].append(task)
    return {
        "by_customer": list(groups.values()),
        "left": len(tasks),
        "overdue": sum(1 for t in tasks if t.status_code == "overdue"),
    }


def sop_board_for(*, user, date_from: dt.date, date_to: dt.date) -> dict:
    """The staff board's SOP part: on-time rate per staff for the range and the overdue tasks."""
    return {
        "date_from": date_from,
        "date_to": date_to,
        "sop_rows": [row for row in sop_report(user=user, date_from=date_from, date_to=date_to) if row["due"]],
        "sop_overdue": sop_overdue_tasks(user=user, date_from=date_from, date_to=date_to),
    }

"""Reading alerts: the scoped, filtered list and the daily counts the staff evidence shows."""

import datetime as dt

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from campaigns.alerts.models import Alert
from staff.models import Staff
from staff.roles import role_for, staff_for


def local_day_start(day: dt.date) -> dt.datetime:
    """The start of `day` in TIME_ZONE, the zone every day of the product is counted in."""
    return dt.datetime.combine(day, dt.time.min, tzinfo=timezone.get_default_timezone())


def team_scope(queryset: QuerySet, *, user, team_field: str) -> QuerySet:
    """Managers see every row, team leads the rows whose `team_field` is their team, anyone else none."""
    role = role_for(user)
    if role == Staff.Role.MANAGER:
        return queryset
    staff = staff_for(user)
    if role == Staff.Role.TEAM_LEAD and staff.team_id:
        return queryset.filter(**{team_field: staff.team_id})
    return queryset.none()


def alert_scope(queryset: QuerySet, *, user) -> QuerySet:
    """Alerts of the team lead's staff, or all for a manager."""
    return team_scope(queryset, user=user, team_field="staff__team_id")


def alert_list_for(*, user, filters: dict) -> QuerySet:
    """Alerts `user` may see, newest first, narrowed by `kind`, `staff` (a Staff), `acknowledged`
    and the local days `date_from` … `date_to` of their time."""
    alerts = alert_scope(Alert.objects.select_related("staff__user", "event", "acknowledged_by"), user=user)
    if filters.get("kind"):
        alerts = alerts.filter(kind=filters["kind"])
    if filters.get("staff"):
        alerts = alerts.filter(staff=filters["staff"])
    if filters.get("acknowledged") is not None:
        alerts = alerts.filter(acknowledged_at__isnull=not filters["acknowledged"])
    if filters.get("date_from"):
        alerts = alerts.filter(at__gte=local_day_start(filters["date_from"]))
    if filters.get("date_to"):
        alerts = alerts.filter(at__lt=local_day_start(filters["date_to"] + dt.timedelta(days=1)))
    return alerts.order_by("-at", "-id")


def alert_daily_counts(*, staff: Staff, date_from: dt.date, date_to: dt.date) -> dict:
    """A staff member's alerts per local day in the range, by kind, with the totals (one query)."""
    rows = (
        Alert.objects.filter(
            staff=staff, at__gte=local_day_start(date_from), at__lt=local_day_start(date_to + dt.timedelta(days=1))
        )
        .annotate(day=TruncDate("at", tzinfo=timezone.get_default_timezone()))
        .values("day")
        .annotate(
            sensitive_word=Count("pk", filter=Q(kind=Alert.Kind.SENSITIVE_WORD)),
            loss=Count("pk", filter=Q(kind=Alert.Kind.LOSS)),
        )
        .order_by("day")
    )
    days = [
        {"date": row["day"].isoformat(), "sensitive_word": row["sensitive_word"], "loss": row["loss"]} for row in rows
    ]
    return {
        "sensitive_word": sum(day["sensitive_word"] for day in days),
        "loss": sum(day["loss"] for day in days),
        "days": days,
    }

"""Reading the audit log (managers only: the callers check the role)."""

import datetime as dt

from django.db.models import QuerySet
from django.utils import timezone

from staff.audit.models import AuditEntry


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def audit_list(
    *,
    action: str | None = None,
    username: str | None = None,
    object_repr: str | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> QuerySet[AuditEntry]:
    """Entries newest first; dates are calendar days in TIME_ZONE, both ends included."""
    entries = AuditEntry.objects.all()
    if action:
        entries = entries.filter(action=action)
    if username:
        entries = entries.filter(username=username)
    if object_repr:
        entries = entries.filter(object_repr=object_repr)
    if date_from:
        entries = entries.filter(at__gte=_day_start(date_from))
    if date_to:
        entries = entries.filter(at__lt=_day_start(date_to + dt.timedelta(days=1)))
    return entries.order_by("-at", "-id")

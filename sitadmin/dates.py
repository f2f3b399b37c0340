"""Calendar days in TIME_ZONE: the one place that turns a day into times and a range into days."""

import datetime as dt

from django.utils import timezone

# The longest range a KPI page or API answer covers: a year, leap day included.
MAX_RANGE_DAYS = 366


def day_bounds(day: dt.date, *, days: int = 1) -> tuple[dt.datetime, dt.datetime]:
    """Start of `day` and start of `day + days`, as aware datetimes in TIME_ZONE."""
    tz = timezone.get_default_timezone()
    start = dt.datetime.combine(day, dt.time.min, tzinfo=tz)
    end = dt.datetime.combine(day + dt.timedelta(days=days), dt.time.min, tzinfo=tz)
    return start, end


def kpi_days(date_from: dt.date, date_to: dt.date) -> list[dt.date]:
    """Every day from `date_from` to `date_to`, both included."""
    return [date_from + dt.timedelta(days=i) for i in range((date_to - date_from).days + 1)]

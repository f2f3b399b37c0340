"""Nightly group status job: a thin wrapper around `campaigns.groups.services.groups_mark_dormant`."""

import datetime as dt

from celery import shared_task
from django.db import OperationalError
from django.utils import timezone

from campaigns.groups.services import groups_mark_dormant


@shared_task(acks_late=True, expires=6 * 3600, autoretry_for=(OperationalError,), retry_backoff=5, max_retries=5)
def mark_dormant_groups(date: str | None = None) -> dict:
    """Judge the groups on the days up to `date` (YYYY-MM-DD; default yesterday). Idempotent."""
    day = dt.date.fromisoformat(date) if date else timezone.localdate() - dt.timedelta(days=1)
    return groups_mark_dormant(day=day)

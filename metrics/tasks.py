"""Celery tasks of the KPI engine: thin wrappers around `metrics.services.kpi_engine`.

They take ISO dates, are idempotent (a day's rows are replaced atomically), acknowledge late so a
lost worker's day runs again (also when only its pool child is killed: `reject_on_worker_lost`), and
retry only transient database errors.
"""

import datetime as dt

from celery import group, shared_task
from django.db import OperationalError

from metrics.engine.compute import kpi_recent_days, kpis_compute_day
from sitadmin.dates import kpi_days

# A day's computation queued for longer than this is superseded by a later run anyway.
TASK_EXPIRES_SECONDS = 6 * 3600


@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    expires=TASK_EXPIRES_SECONDS,
    autoretry_for=(OperationalError,),
    retry_backoff=5,
    retry_backoff_max=300,
    retry_jitter=True,
    max_retries=5,
)
def compute_daily_kpis(date: str) -> dict:
    """Compute and store the KPI rows of one day (YYYY-MM-DD)."""
    day = dt.date.fromisoformat(date)
    return {"date": date, "rows": kpis_compute_day(day=day)}


def _fan_out(days: list[dt.date]) -> dict:
    result = group(compute_daily_kpis.s(day.isoformat()) for day in days).apply_async()
    return {"days": [day.isoformat() for day in days], "task_ids": [child.id for child in result.results]}


@shared_task(acks_late=True, reject_on_worker_lost=True)
def compute_kpis_range(date_from: str, date_to: str) -> dict:
    """One `compute_daily_kpis` per day of the range, spread across the workers."""
    return _fan_out(kpi_days(dt.date.fromisoformat(date_from), dt.date.fromisoformat(date_to)))


@shared_task(acks_late=True, reject_on_worker_lost=True, expires=TASK_EXPIRES_SECONDS)
def recompute_recent_kpis() -> dict:
    """Nightly (beat, 02:00): recompute the last W days, so late events complete their cohorts."""
    return _fan_out(kpi_recent_days())

from celery import shared_task
from django.conf import settings

from customers.recovery.services import import_jobs_requeue_stale


@shared_task(name="customers.recovery.tasks.requeue_stale_imports", acks_late=True, expires=240)
def requeue_stale_imports() -> list[int]:
    """Beat, every 5 minutes: imports lost with their worker are queued again."""
    return import_jobs_requeue_stale(stale_minutes=settings.IMPORT_STALE_MINUTES)

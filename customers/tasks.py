"""Celery tasks of the customers app: thin wrappers around services, taking ids."""

from celery import shared_task

from customers.services.imports import import_job_run
from customers.wecom.tasks import wecom_callback_process  # noqa: F401  (registers the task with the worker)


@shared_task(acks_late=True)
def import_run(job_id: int) -> str:
    """Run one lead import; a finished job is left alone, so a redelivered message does nothing."""
    return import_job_run(job_id=job_id).status

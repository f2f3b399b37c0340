"""Celery tasks of the customers app: thin wrappers around services, taking ids."""

from celery import shared_task

from customers.imports.services import import_job_run
from customers.privacy.tasks import purge_import_files  # noqa: F401 (registered with the workers)
from customers.recovery.tasks import requeue_stale_imports  # noqa: F401  (registered with the worker)


@shared_task(acks_late=True, reject_on_worker_lost=True)
def import_run(job_id: int) -> str:
    """Run one lead import; a finished job is left alone, so a redelivered message does nothing."""
    return import_job_run(job_id=job_id).status

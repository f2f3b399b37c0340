"""Celery task of the personal-data package: a thin wrapper, idempotent (a second run finds nothing to delete)."""

from celery import shared_task

from customers.privacy.retention import import_files_purge


@shared_task(acks_late=True, expires=6 * 3600)
def purge_import_files() -> int:
    """Delete uploaded lead files past their retention (nightly beat entry)."""
    return import_files_purge()

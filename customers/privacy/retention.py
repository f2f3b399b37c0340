"""Uploaded lead files are personal data: kept only while their import may still need them.

A file is deleted as soon as its import is done; a failed or interrupted import keeps it for a retry
until `IMPORT_FILE_RETENTION_DAYS` after the upload, when `import_files_purge` (nightly, and
`manage.py purge_import_files`) deletes it. The job and its counts stay; its row report keeps the
phone cells encrypted.
"""

import datetime as dt
import logging

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from customers.imports.messages import FILE_PURGED
from customers.imports.readers import ImportFileError
from customers.models import ImportJob

logger = logging.getLogger(__name__)


def import_file_delete(*, job: ImportJob) -> None:
    """Delete the job's uploaded file, and forget its path."""
    if not job.file:
        return
    job.file.delete(save=False)
    ImportJob.objects.filter(pk=job.pk).update(file="")


def import_file_check_kept(*, job: ImportJob) -> None:
    """Raise `ImportFileError` when the job's file is gone (purged after the retention): upload it again."""
    if not job.file:
        raise ImportFileError(FILE_PURGED)


def import_files_purge(*, now: dt.datetime | None = None) -> int:
    """Delete the files of finished imports, and of any import uploaded more than
    `IMPORT_FILE_RETENTION_DAYS` ago; returns how many files were deleted."""
    cutoff = (now or timezone.now()) - dt.timedelta(days=settings.IMPORT_FILE_RETENTION_DAYS)
    jobs = ImportJob.objects.exclude(file="").filter(Q(status=ImportJob.Status.DONE) | Q(created_at__lt=cutoff))
    purged = 0
    for job in jobs.only("pk", "file").iterator(chunk_size=500):
        import_file_delete(job=job)
        purged += 1
    logger.info("import files purged: %s", purged)
    return purged

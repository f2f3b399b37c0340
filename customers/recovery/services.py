"""Finding imports whose worker died and queueing them again.

An import reports progress (and a heartbeat) after each chunk. A job still `running` whose heartbeat
is older than `IMPORT_STALE_MINUTES` lost its worker; it goes back to `queued` and a new task runs it.
A run is one transaction that merges at the end, so the lost run left nothing behind, and a run that
was merely slow is harmless too: the second run waits for its lock and then finds the job done.
"""

import datetime as dt

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from customers.models import ImportJob


def import_jobs_requeue_stale(*, stale_minutes: int, now: dt.datetime | None = None) -> list[int]:
    """Queue again every running job without a heartbeat for `stale_minutes`; returns their ids."""
    cutoff = (now or timezone.now()) - dt.timedelta(minutes=stale_minutes)
    stale = Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True, started_at__lt=cutoff)
    from customers.imports.tasks import import_run

    requeued = []
    with transaction.atomic():
        for job_id in ImportJob.objects.filter(stale, status=ImportJob.Status.RUNNING).values_list("pk", flat=True):
            # Conditional: a job that finished meanwhile is left alone.
            if ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.RUNNING).update(
                status=ImportJob.Status.QUEUED, progress=0
            ):
                requeued.append(job_id)
                transaction.on_commit(lambda job_id=job_id: import_run.delay(job_id))
    return requeued

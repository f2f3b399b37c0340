"""Lead imports (docs/domain.md §Imports): a file in, every data row accounted for, new customers allocated.

Each data row ends as exactly one of:
- created: a phone not seen before becomes a customer (stage `lead`, the job's source);
- updated: the phone is an existing customer: the file's tags are added to theirs, their name and
  remark are filled only where empty, their owner, source and stage are kept;
- duplicate: the phone appeared on an earlier row of the same file; the first row wins;
- invalid: the row cannot be imported; the error report gives its reason.

Order-source files also create one order per row (an order number already stored is skipped) and
move the customers' stage. There a repeated order number is invalid, while a repeated phone with
its own order number is a duplicate customer row whose order is still imported.

A run reads the file into temporary staging tables, then merges them in one transaction: a crash
leaves either nothing or the whole import, and `import_job_run` may simply run again.
"""

import logging
import queue
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from pathlib import Path

import pandas as pd
from django.conf import settings
from django.core.files import File
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.utils import timezone

from campaigns.sop.engine import sop_after_events
from customers.imports.messages import FAILED, message_stored
from customers.imports.readers import ImportFileError, import_file_check_size, import_file_chunks, import_file_inspect
from customers.imports.rows import CheckedChunk, rows_check
from customers.imports.staging import ImportStaging, staged_csv
from customers.models import ImportJob, LeadSource
from customers.ownership.allocation import AllocationDealer
from customers.privacy.import_scope import import_scope_for, import_team_for
from customers.privacy.retention import import_file_check_kept, import_file_delete
from customers.services.stages import customer_stages_refresh
from staff.models import Team

logger = logging.getLogger(__name__)

CHUNK_ROWS = 100_000
# Reading the file is this share of the progress bar; the merge transaction is the rest.
READ_SHARE = 80
# Customers per stage refresh: keeps each `IN (...)` list short on every database.
STAGE_REFRESH_BATCH = 5000
# Namespace of the advisory locks that keep two runs of one job apart (PostgreSQL).
_RUN_LOCK = 3

ProgressCallback = Callable[[int], None]


def import_job_create(
    *,
    file: File,
    file_name: str,
    source: LeadSource,
    team: Team | None = None,
    allocation: str = ImportJob.Allocation.NONE,
    created_by=None,
    dispatch: bool = True,
) -> ImportJob:
    """Store the upload as a queued job after checking the file; raise `ImportFileError` if it is unusable.

    With `dispatch`, small files (up to `IMPORT_INLINE_MAX_BYTES`) are imported before this returns
    and larger ones are handed to a Celery worker once the job is committed; without it the caller
    runs `import_job_run` itself.
    """
    size = file.size or 0
    team, allocation = import_team_for(created_by=created_by, team=team, allocation=allocation)
    # Before the upload is stored.
    import_file_check_size(size=size, max_bytes=settings.IMPORT_MAX_BYTES)
    inline = dispatch and size <= settings.IMPORT_INLINE_MAX_BYTES
    with transaction.atomic():
        job = ImportJob(
            file_name=file_name[:255],
            file_size=size,
            source=source,
            team=team,
            allocation=allocation,
            created_by=created_by,
        )
        # Stored under a short random name (the path column holds 100 characters); shown by file_name.
        job.file.save(f"{uuid.uuid4().hex}{Path(file_name).suffix.lower()[:10]}", file, save=False)
        try:
            import_file_inspect(
                path=job.file.path,
                file_name=file_name,
                max_bytes=settings.IMPORT_MAX_BYTES,
                needs_orders=source.kind == LeadSource.Kind.ORDERS,
            )
        except ImportFileError:
            job.file.delete(save=False)
            raise
        job.save()
        if dispatch and not inline:
            from customers.imports.tasks import import_run

            transaction.on_commit(lambda: import_run.delay(job.pk))
    if inline:
        import_job_run(job_id=job.pk)
        job.refresh_from_db()
    return job


def import_job_retry(*, job: ImportJob) -> ImportJob:
    """Queue a failed or interrupted job again; a finished job is left as it is."""
    if job.status == ImportJob.Status.DONE:
        return job
    from customers.imports.tasks import import_run

    ImportJob.objects.filter(pk=job.pk).exclude(status=ImportJob.Status.DONE).update(
        status=ImportJob.Status.QUEUED, progress=0, error=""
    )
    transaction.on_commit(lambda: import_run.delay(job.pk))
    job.refresh_from_db()
    return job


def import_job_run(*, job_id: int, chunk_rows: int = CHUNK_ROWS, progress: ProgressCallback | None = None) -> ImportJob:
    """Import the job's file; idempotent: a finished job is not imported twice.

    Any failure marks the job `failed` with its reason and leaves no customer, tag, order or owner
    written; running it again imports the file as if for the first time.
    """
    job = ImportJob.objects.select_related("source", "team").get(pk=job_id)
    now = timezone.now()
    started = _job_update(
        job_id, status=ImportJob.Status.RUNNING, progress=0, error="", started_at=now, heartbeat_at=now
    )
    if not started:
        return job
    allocate = job.allocation != ImportJob.Allocation.NONE and job.team_id is not None
    staging = ImportStaging(
        orders=job.source.kind == LeadSource.Kind.ORDERS,
        dealer=AllocationDealer(team=job.team, rule=job.allocation) if allocate else None,
        scope=import_scope_for(job=job),
    )
    try:
        staging.create()
        if staging.pipelined:
            # One transaction from the first chunk to the report: customers are inserted while the
            # file is still being read, and a failure anywhere leaves nothing behind.
            with transaction.atomic():
                if _lock_run(job_id):
                    counts = _stage_file(job=job, staging=staging, chunk_rows=chunk_rows, progress=progress)
                    _merge(job=job, staging=staging, counts=counts)
        else:
            counts = _stage_file(job=job, staging=staging, chunk_rows=chunk_rows, progress=progress)
            _merge(job=job, staging=staging, counts=counts)
    except Exception as exc:
        # Rows' phones must not reach the log: only the kind of failure is logged here.
        logger.error("import %s failed: %s", job_id, type(exc).__name__)
        _job_update(job_id, status=ImportJob.Status.FAILED, error=_failure_message(exc), finished_at=timezone.now())
    finally:
        staging.drop()
    if progress:
        progress(100)
    job.refresh_from_db()
    if job.status == ImportJob.Status.DONE:
        # The upload holds personal data: once imported it is no longer needed.
        import_file_delete(job=job)
    return job


def _stage_file(*, job: ImportJob, staging: ImportStaging, chunk_rows: int, progress: ProgressCallback | None) -> dict:
    """Check every row and stream the good ones into the staging tables; return the row counts."""
    import_file_check_kept(job=job)
    info = import_file_inspect(
        path=job.file.path,
        file_name=job.file_name,
        max_bytes=settings.IMPORT_MAX_BYTES,
        needs_orders=staging.orders,
    )
    counts = {"total_rows": 0, "duplicates": 0, "invalid": 0, "tags": set()}
    order_phones: set[str] | None = set() if staging.orders else None
    now = timezone.now()
    shown = 0
    with (
        _progress_writer(side_connection=staging.pipelined) as progress_update,
        closing(
            _checked_chunks(info, chunk_rows=chunk_rows, order_phones=order_phones, render=staging.postgres)
        ) as chunks,
    ):
        for rows, checked, share, texts in chunks:
            with transaction.atomic():
                for table, frame in _staged_frames(checked):
                    staging.write(table, frame, csv_text=texts.get(table))
                tag_texts = checked.tags["tag"].unique()
                if staging.pipelined:
                    staging.write_customers(job=job, now=now, tag_texts=tag_texts)
            counts["total_rows"] += rows
            counts["duplicates"] += checked.duplicates
            counts["invalid"] += checked.invalid
            counts["tags"].update(tag_texts)
            percent = int(share * READ_SHARE)
            if percent > shown:
                shown = percent
                progress_update(job.pk, percent)
                if progress:
                    progress(percent)
    return counts


def _staged_frames(checked: CheckedChunk) -> tuple[tuple[str, pd.DataFrame], ...]:
    """(staging table, frame) of each part of a checked chunk."""
    return (("import_row", checked.rows), ("import_row_tag", checked.tags), ("import_row_error", checked.errors))


def _checked_chunks(
    info, *, chunk_rows: int, order_phones: set[str] | None, render: bool
) -> Iterator[tuple[int, CheckedChunk, float, dict[str, str]]]:
    """(rows read, checked chunk, share of the file read, COPY texts) per chunk, made in a thread of its own.

    Parsing, checking and rendering the `COPY` text (`render`: PostgreSQL) are Python work while
    staging is database work: the reader thread runs while this one waits on the database. The queue
    holds two chunks at most, which bounds the memory.
    """
    chunks: queue.Queue = queue.Queue(maxsize=2)
    stop = threading.Event()

    def hand_over(item) -> bool:
        """Queue `item` unless the consumer has stopped (False): it may stop with the queue full."""
        while not stop.is_set():
            try:
                chunks.put(item, timeout=0.5)
                return True
            except queue.Full:
                continue
        return False

    def read() -> None:
        first_row: dict[str, int] = {}
        try:
            for frame, share in import_file_chunks(info, chunk_rows=chunk_rows):
                checked = rows_check(frame, first_row=first_row, order_phones=order_phones)
                parts = _staged_frames(checked) if render else ()
                texts = {table: staged_csv(table, part) for table, part in parts if not part.empty}
                if not hand_over((len(frame), checked, share, texts)):
                    return
            hand_over(None)
        except BaseException as exc:  # handed to the consuming thread, which raises it
            hand_over(exc)

    reader = threading.Thread(target=read, name="import-reader", daemon=True)
    reader.start()
    try:
        while (item := chunks.get()) is not None:
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        reader.join()


@contextmanager
def _progress_writer(*, side_connection: bool) -> Iterator[Callable[[int, int], None]]:
    """`update(job_id, percent)`; through a connection of its own while the run's transaction is open,
    so that the progress shows before the import commits."""
    if not side_connection:
        yield lambda job_id, percent: _job_update(job_id, progress=percent, heartbeat_at=timezone.now())
        return
    side = connections.create_connection(DEFAULT_DB_ALIAS)
    table = ImportJob._meta.db_table

    def update(job_id: int, percent: int) -> None:
        with side.cursor() as cursor:
            # SKIP LOCKED: should the run's own transaction hold the row, waiting for it would never end.
            cursor.execute(
                f"UPDATE {table} SET progress = %s, heartbeat_at = now() WHERE id IN"  # noqa: S608 (names only)
                f" (SELECT id FROM {table} WHERE id = %s AND status <> %s FOR UPDATE SKIP LOCKED)",
                [percent, job_id, ImportJob.Status.DONE],
            )

    try:
        yield update
    finally:
        side.close()


def _lock_run(job_id: int) -> bool:
    """One run of a job at a time: a second delivery of the task waits here, then finds the job done
    (False: nothing left to do).

    An advisory lock rather than a row lock: the run's progress updates the job row from another connection.
    """
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [_RUN_LOCK, job_id])
    return ImportJob.objects.filter(pk=job_id).exclude(status=ImportJob.Status.DONE).exists()


def _merge(*, job: ImportJob, staging: ImportStaging, counts: dict) -> None:
    now = timezone.now()
    with transaction.atomic():
        locked = ImportJob.objects.select_for_update().get(pk=job.pk)
        if locked.status == ImportJob.Status.DONE:
            return
        result = staging.merge(job=job, tag_texts=counts["tags"], now=now)
        ordered = result.ordered_customer_ids
        for start in range(0, len(ordered), STAGE_REFRESH_BATCH):
            customer_stages_refresh(customer_ids=ordered[start : start + STAGE_REFRESH_BATCH], cause="import")
            sop_after_events(customer_ids=ordered[start : start + STAGE_REFRESH_BATCH], events=[])
        created = result.created
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportJob.Status.DONE,
            progress=100,
            error="",
            total_rows=counts["total_rows"],
            created=created,
            updated=result.first_rows - created,
            duplicates=counts["duplicates"] + result.valid_rows - result.first_rows,
            invalid=counts["invalid"] + result.invalid_rows,
            unassigned=result.unassigned,
            orders_created=result.orders_created,
            held_elsewhere=result.held_elsewhere,
            finished_at=timezone.now(),
        )


def _job_update(job_id: int, **fields) -> bool:
    """Update a job that is not finished yet; False if it already is."""
    return bool(ImportJob.objects.filter(pk=job_id).exclude(status=ImportJob.Status.DONE).update(**fields))


def _failure_message(exc: Exception) -> str:
    if isinstance(exc, ImportFileError):
        return str(exc)
    return message_stored(FAILED, error=type(exc).__name__)

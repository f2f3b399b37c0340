"""A lead file read in many chunks ends exactly as when read in one.

On PostgreSQL lead files are written chunk by chunk inside the run's one transaction (customers, owners,
tag links, foreign-key checks), while a reader thread parses the next chunk.
"""

import threading
import time

import pytest
from django.core.files.base import ContentFile
from django.db import connection, transaction

from customers.imports.services import import_job_run
from customers.models import Customer, ImportJob, OwnershipPeriod, Tag
from customers.privacy.selectors import row_report_shown
from tests.customers.factories import CustomerFactory, ImportJobFactory, LeadSourceFactory
from tests.staff.factories import StaffFactory

pytestmark = pytest.mark.django_db

ROWS = [
    "phone,name,tags,remark",
    "13900000001,新一,高意向,",  # row 2
    "13900000002,新二,,",  # row 3
    "13800000000,老客,复购,补备注",  # row 4: existing customer, name kept, remark filled
    "139-0000-0001,重复,新客,",  # row 5: repeats row 2 from the previous chunk
    "12345,坏,,",  # row 6: invalid
    "+86 139 0000 0003,新三,高意向、新客,",  # row 7
    "13900000002,再重复,,",  # row 8: repeats row 3
    "13900000000,新四,,",  # row 9: the lowest phone, dealt last (file order)
]


def import_with(*, chunk_rows: int, team, source) -> tuple:
    existing = CustomerFactory(phone="13800000000", name="老名字", remark="", source=source)
    existing.tags.add(Tag.objects.get_or_create(code="vip", defaults={"name": "VIP"})[0])
    data = ("\n".join(ROWS) + "\n").encode()
    job = ImportJobFactory(
        file=ContentFile(data, name="leads.csv"),
        file_name="leads.csv",
        file_size=len(data),
        source=source,
        team=team,
        allocation=ImportJob.Allocation.ROUND_ROBIN,
    )
    job = import_job_run(job_id=job.pk, chunk_rows=chunk_rows)
    customers = {
        c.phone: (c.name, c.remark, c.owner.user.username if c.owner else None, sorted(t.code for t in c.tags.all()))
        for c in Customer.objects.select_related("owner__user").prefetch_related("tags")
    }
    rows = job.row_errors.order_by("row_number").values_list("row_number", "value", "phone_encrypted", "reason")
    report = list(row_report_shown(rows, full=True))
    counts = (job.status, job.total_rows, job.created, job.updated, job.duplicates, job.invalid, job.unassigned)
    periods = OwnershipPeriod.objects.filter(cause=OwnershipPeriod.Cause.IMPORT).count()
    return counts, customers, report, periods


def test_chunks_of_two_rows_end_as_one_chunk(team):
    source = LeadSourceFactory(code="tele")
    for name in ("ann", "bob"):
        StaffFactory(user__username=name, team=team, role="operator")
    whole = import_with(chunk_rows=100, team=team, source=source)
    Customer.objects.all().delete()
    OwnershipPeriod.objects.all().delete()
    chunked = import_with(chunk_rows=2, team=team, source=source)

    counts, customers, report, periods = chunked
    # 8 rows: 4 new phones created, 1 existing updated, 2 repeats, 1 invalid; 4 new over ann, bob.
    assert counts == ("done", 8, 4, 1, 2, 1, 0)
    assert periods == 4
    assert customers["13800000000"][:2] == ("老名字", "补备注")
    assert customers["13800000000"][3] == ["vip", "复购"]
    assert customers["13900000001"][3] == ["高意向"]
    assert customers["13900000003"][3] == ["新客", "高意向"]
    assert [row for row, _, _ in report] == [5, 6, 8]
    # New customers dealt in file order (rows 2, 3, 7, 9) over ann, bob, whatever chunk they are in.
    owners = {phone: owner for phone, (_, _, owner, _) in customers.items()}
    assert owners == {
        "13900000001": "ann",
        "13900000002": "bob",
        "13800000000": None,
        "13900000003": "ann",
        "13900000000": "bob",
    }
    # Same customers, tags, owners, report and counts whichever the chunk size.
    assert chunked == whole


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_second_run_waits_for_the_first_then_imports_nothing():
    source = LeadSourceFactory(code="tele")
    data = ("\n".join(ROWS) + "\n").encode()
    job = ImportJobFactory(
        file=ContentFile(data, name="leads.csv"), file_name="leads.csv", file_size=len(data), source=source
    )
    finished = {}

    def second_run():
        try:
            finished["job"] = import_job_run(job_id=job.pk)
        finally:
            connection.close()

    with transaction.atomic():
        # This transaction plays a first run holding the job's lock.
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(3, %s)", [job.pk])
        runner = threading.Thread(target=second_run)
        runner.start()
        deadline = time.monotonic() + 30
        while not _waiting_on_advisory_lock() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert _waiting_on_advisory_lock()
        ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.DONE)
    runner.join(timeout=30)

    assert finished["job"].status == "done"
    # The second run found the job done once the lock was free: no customer, no count written.
    assert Customer.objects.count() == 0
    assert (finished["job"].total_rows, finished["job"].created) == (0, 0)


def _waiting_on_advisory_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND NOT granted)")
        return cursor.fetchone()[0]


def test_customers_left_unchanged_still_get_their_tags(team):
    """A chunk's tag links take the ids its upsert wrote; customers it left as they were (name and
    remark already filled) are looked up instead, in the first run as in a run of the same file again."""
    source = LeadSourceFactory(code="tele")
    kept = CustomerFactory(phone="13700000000", name="老二", remark="已有", source=source)
    lines = ["phone,name,tags,remark", "13700000000,别名,宝妈,", "13900000001,新一,高意向,", "13900000002,新二,复购,"]
    data = ("\n".join(lines) + "\n").encode()

    def run() -> dict:
        job = ImportJobFactory(
            file=ContentFile(data, name="leads.csv"), file_name="leads.csv", file_size=len(data), source=source
        )
        import_job_run(job_id=job.pk, chunk_rows=2)
        return {c.phone: sorted(t.code for t in c.tags.all()) for c in Customer.objects.prefetch_related("tags")}

    first = run()
    kept.refresh_from_db()
    assert (kept.name, kept.remark) == ("老二", "已有")
    assert first == {"13700000000": ["宝妈"], "13900000001": ["高意向"], "13900000002": ["复购"]}
    # Again: every customer exists and nothing changes, so every link is looked up, and none is doubled.
    assert run() == first

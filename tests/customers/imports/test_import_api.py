"""Lead-import API: roles and scoping, the answer's shape, the row report, 400s, background runs, retry."""

import csv
import io
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from customers.imports import services as import_service
from customers.imports.services import import_job_run
from customers.models import Customer, ImportJob, OwnershipPeriod
from staff.models import Staff
from tests.customers.factories import ImportJobFactory, LeadSourceFactory
from tests.staff.factories import StaffFactory, TeamFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/imports/"


@pytest.fixture
def tele(db):
    return LeadSourceFactory(code="tele")


def upload(client, data: bytes, name: str = "leads.csv", **fields):
    payload = {"file": SimpleUploadedFile(name, data, content_type="text/csv"), "source": "tele", **fields}
    return client.post(URL, payload, format="multipart")


def lines(*rows: str) -> bytes:
    return ("\n".join(rows) + "\n").encode()


def test_manager_upload_answers_202_with_counts(client_for, manager, tele, team, operator):
    data = lines("phone,name", "13800000001,A", "13800000002,B", "13800000001,A", "123,x")
    response = upload(client_for(manager), data, team="t1", allocation="round_robin")
    assert response.status_code == 202
    body = response.json()
    # 4 rows: 2 created, 1 duplicate, 1 invalid; both new customers go to the only operator.
    assert {
        k: body[k] for k in ("status", "progress", "total_rows", "created", "updated", "duplicates", "invalid")
    } == {
        "status": "done",
        "progress": 100,
        "total_rows": 4,
        "created": 2,
        "updated": 0,
        "duplicates": 1,
        "invalid": 1,
    }
    assert (body["source"], body["team"], body["allocation"], body["unassigned"]) == ("tele", "t1", "round_robin", 0)
    assert set(Customer.objects.values_list("owner__user__username", flat=True)) == {"op1"}
    detail = client_for(manager).get(f"{URL}{body['id']}/").json()
    assert detail["created"] == 2

    report = client_for(manager).get(body["errors_url"])
    assert report.status_code == 200
    assert report["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(report.streaming_content).decode("utf-8-sig"))))
    assert rows == [
        ["行号", "值", "未导入原因"],
        ["4", "13800000001", "文件内重复，首次出现在第 2 行"],
        ["5", "123", "号码位数不对"],
    ]


def test_the_row_report_and_a_bad_file_answer_in_the_request_language(client_for, manager, tele):
    client = client_for(manager)
    client.cookies["django_language"] = "en"
    body = upload(client, lines("phone", "13800000001", "13800000001", "123")).json()
    report = client.get(body["errors_url"])
    rows = list(csv.reader(io.StringIO(b"".join(report.streaming_content).decode("utf-8-sig"))))
    assert rows == [
        ["row", "value", "reason"],
        ["3", "13800000001", "duplicate of row 2"],
        ["4", "123", "wrong number of digits"],
    ]
    # The same stored reasons read in Chinese for a Chinese reader.
    client.cookies["django_language"] = "zh-hans"
    rows = list(csv.reader(io.StringIO(b"".join(client.get(body["errors_url"]).streaming_content).decode("utf-8-sig"))))
    assert rows[1:] == [["3", "13800000001", "文件内重复，首次出现在第 2 行"], ["4", "123", "号码位数不对"]]
    client.cookies["django_language"] = "en"
    answer = upload(client, b"", name="leads.csv")
    assert answer.status_code == 400
    assert answer.json() == {"file": ["the file is empty"]}


def test_operator_forbidden(client_for, operator, tele):
    assert upload(client_for(operator), lines("phone", "13800000001")).status_code == 403
    assert client_for(operator).get(URL).status_code == 403
    assert Customer.objects.count() == 0


def test_team_lead_only_into_own_team(client_for, team_lead, operator, tele):
    other = TeamFactory(code="t2")
    StaffFactory(user__username="op2", team=other, role=Staff.Role.OPERATOR)
    lead = client_for(team_lead)
    assert upload(lead, lines("phone", "13800000001"), team="t2", allocation="round_robin").status_code == 403
    # Without a team the lead's own team is used, so allocation works.
    response = upload(lead, lines("phone", "13800000001"), allocation="round_robin")
    assert response.status_code == 202
    assert response.json()["team"] == "t1"
    assert Customer.objects.get().owner == operator


def test_list_and_detail_scoped(client_for, manager, team_lead, tele):
    other_lead = StaffFactory(user__username="lead2", team=TeamFactory(code="t2"), role=Staff.Role.TEAM_LEAD)
    mine = upload(client_for(team_lead), lines("phone", "13800000001")).json()["id"]
    theirs = upload(client_for(other_lead), lines("phone", "13800000002")).json()["id"]
    by_manager = upload(client_for(manager), lines("phone", "13800000003")).json()["id"]
    assert {j["id"] for j in client_for(manager).get(URL).json()["results"]} == {mine, theirs, by_manager}
    assert [j["id"] for j in client_for(team_lead).get(URL).json()["results"]] == [mine]
    assert client_for(team_lead).get(f"{URL}{theirs}/").status_code == 404
    assert client_for(team_lead).get(f"{URL}{theirs}/errors/").status_code == 404


def test_list_query_count(client_for, manager, tele, django_assert_max_num_queries):
    for i in range(3):
        upload(client_for(manager), lines("phone", f"1380000000{i}"))
    with django_assert_max_num_queries(4):
        response = client_for(manager).get(URL)
    assert response.json()["count"] == 3


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("leads.csv", b"", "文件是空的"),
        ("leads.txt", b"phone\n13800000001\n", "只接受 .csv 和 .xlsx"),
        ("leads.csv", b"name\nA\n", "phone / mobile / 手机号"),
        ("leads.csv", b"\xff\xfe\x00p\x00h\x00", "无法识别文件编码"),
    ],
)
def test_bad_files_are_400_with_a_reason(client_for, manager, tele, name, data, message):
    response = upload(client_for(manager), data, name=name)
    assert response.status_code == 400
    assert message in str(response.json())
    assert ImportJob.objects.count() == 0


def test_allocation_without_team_is_400(client_for, manager, tele):
    response = upload(client_for(manager), lines("phone", "13800000001"), allocation="weighted")
    assert response.status_code == 400
    assert "team" in response.json()


def test_large_file_goes_to_the_worker(client_for, manager, tele, settings, django_capture_on_commit_callbacks):
    settings.IMPORT_INLINE_MAX_BYTES = 10
    data = lines("phone", *[f"1390000{i:04d}" for i in range(50)])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = upload(client_for(manager), data)
    assert response.status_code == 202
    assert response.json()["status"] == "queued"
    assert response.json()["progress"] == 0
    assert len(callbacks) == 1
    callbacks[0]()  # the commit hands the job to Celery (eager in tests)
    job = ImportJob.objects.get()
    assert (job.status, job.total_rows, job.created, job.progress) == ("done", 50, 50, 100)


def snapshot():
    """Every customer by phone: name, owner, tags; and the open ownership periods."""
    customers = {
        c.phone: (c.name, c.owner.user.username if c.owner else None, sorted(t.name for t in c.tags.all()))
        for c in Customer.objects.select_related("owner__user").prefetch_related("tags")
    }
    periods = sorted(
        (p.customer.phone, p.staff.user.username)
        for p in OwnershipPeriod.objects.filter(ended_at__isnull=True).select_related("customer", "staff__user")
    )
    return customers, periods


def test_interrupted_import_rerun_equals_clean_run(
    client_for, manager, tele, team, monkeypatch, django_capture_on_commit_callbacks
):
    for name in ("ann", "bob"):
        StaffFactory(user__username=name, team=team, role=Staff.Role.OPERATOR)
    data = lines("phone,name,tags", *[f"1370000{i:04d},客户{i},t{i % 3}" for i in range(7)], "13700000000,again,")

    def crash(self, **kwargs):
        raise RuntimeError("worker lost")

    # Crash at the merge, after the customers' INSERT (chunk by chunk on PostgreSQL, with their owners):
    # the transaction must leave nothing.
    monkeypatch.setattr(import_service.ImportStaging, "merge", crash)
    response = upload(client_for(manager), data, team="t1", allocation="round_robin")
    job = ImportJob.objects.get(pk=response.json()["id"])
    assert job.status == "failed"
    assert "RuntimeError" in job.error
    assert Customer.objects.count() == 0
    assert job.row_errors.count() == 0
    monkeypatch.undo()

    with django_capture_on_commit_callbacks(execute=True):
        retried = client_for(manager).post(f"{URL}{job.pk}/retry/")
    assert retried.status_code == 202
    job.refresh_from_db()
    # 8 rows: 7 created, 1 duplicate; 7 round robin over ann, bob → 4 and 3.
    assert (job.status, job.total_rows, job.created, job.duplicates, job.unassigned) == ("done", 8, 7, 1, 0)
    after_rerun = snapshot()
    owners = [owner for _, owner, _ in after_rerun[0].values()]
    assert sorted(owners) == ["ann"] * 4 + ["bob"] * 3

    # A second run of a finished job changes nothing.
    assert import_job_run(job_id=job.pk).created == 7

    Customer.objects.all().delete()
    clean = upload(client_for(manager), data, team="t1", allocation="round_robin").json()
    assert clean["created"] == 7
    assert snapshot() == after_rerun


@pytest.mark.timeout(60)
def test_crash_on_first_chunk_after_the_whole_file_is_read(manager, tele, monkeypatch):
    """The reader has queued every chunk and is handing over its end mark when the run fails: it still ends."""
    data = lines("phone", *[f"1360000{i:04d}" for i in range(6)])
    real_write = import_service.ImportStaging.write

    def slow_failing_write(self, table, rows, **kwargs):
        if table == "import_row":
            # Time for the reader to fill the queue (2 chunks) and reach its end mark.
            time.sleep(0.5)
            raise ConnectionError("lost the database")
        return real_write(self, table, rows, **kwargs)

    monkeypatch.setattr(import_service.ImportStaging, "write", slow_failing_write)
    job = ImportJobFactory(
        file=SimpleUploadedFile("leads.csv", data), file_name="leads.csv", file_size=len(data), source=tele
    )
    failed = import_job_run(job_id=job.pk, chunk_rows=2)
    assert failed.status == "failed"
    assert Customer.objects.count() == 0


def test_crash_while_reading_then_rerun(manager, tele, monkeypatch):
    data = lines("phone", *[f"1360000{i:04d}" for i in range(10)])
    calls = {"n": 0}
    real_write = import_service.ImportStaging.write

    def flaky_write(self, table, rows, **kwargs):
        if table == "import_row":
            calls["n"] += 1
            if calls["n"] == 2:
                raise ConnectionError("lost the database mid-file")
        return real_write(self, table, rows, **kwargs)

    monkeypatch.setattr(import_service.ImportStaging, "write", flaky_write)
    source = tele
    job = ImportJobFactory(
        file=SimpleUploadedFile("leads.csv", data), file_name="leads.csv", file_size=len(data), source=source
    )
    failed = import_job_run(job_id=job.pk, chunk_rows=4)
    # The first chunk of 4 rows was staged, then the connection "dropped": nothing is written.
    assert failed.status == "failed"
    assert Customer.objects.count() == 0
    done = import_job_run(job_id=job.pk, chunk_rows=4)
    assert (done.status, done.total_rows, done.created) == ("done", 10, 10)
    assert Customer.objects.count() == 10

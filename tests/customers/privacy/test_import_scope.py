"""A team lead's import writes only to their team: customers owned elsewhere are held, not touched; the
row report shows phones as the viewer sees them; the uploaded file does not outlive the import."""

import csv
import datetime as dt
import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from customers.imports.services import import_job_run
from customers.models import Customer, ImportJob, Order
from customers.privacy.import_scope import HELD_ELSEWHERE
from tests.customers.factories import LeadSourceFactory, TagFactory
from tests.customers.privacy.factories import two_teams

pytestmark = pytest.mark.django_db
URL = "/api/v1/imports/"


def upload(client, text: str, source: str = "tele"):
    payload = {"file": SimpleUploadedFile("leads.csv", text.encode(), content_type="text/csv"), "source": source}
    return client.post(URL, payload, format="multipart")


def report(client, job_id: int) -> list[list[str]]:
    body = b"".join(client.get(f"{URL}{job_id}/errors/").streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body)))[1:]


def test_a_team_leads_import_never_writes_to_another_teams_customer(client_for):
    world = two_teams()
    LeadSourceFactory(code="tele")
    TagFactory(code="vip", name="vip")
    lead = client_for(world["lead1"])
    text = (
        "phone,name,tags,remark\n"
        "13987654321,改名,vip,备注\n"  # the other team's customer
        "13912344512,,vip,本组备注\n"  # the lead's own team's customer
        "13700000001,新客,vip,\n"  # a new phone
    )
    body = upload(lead, text).json()
    assert (body["status"], body["total_rows"], body["created"], body["updated"], body["held_elsewhere"]) == (
        "done",
        3,
        1,
        1,
        1,
    )
    other = Customer.objects.get(pk=world["c2"].pk)
    assert (other.name, other.remark, list(other.tags.all()), other.owner) == ("二组客户", "", [], world["op2"])
    own = Customer.objects.get(pk=world["c1"].pk)
    assert (own.remark, [t.code for t in own.tags.all()]) == ("本组备注", ["vip"])
    # The new customer is the team's: allocated to its operator (round robin, the lead's default).
    new = Customer.objects.exclude(pk__in=[world["c1"].pk, world["c2"].pk]).get()
    assert (new.phone, new.owner) == ("13700000001", world["op1"])
    # Reported without naming the team or the owner, the phone masked for the lead.
    assert report(lead, body["id"]) == [["2", "139****4321", HELD_ELSEWHERE]]
    for name in ("t2", "二组", "op2", "lead2"):
        assert name not in HELD_ELSEWHERE


def test_a_team_leads_order_file_adds_no_order_to_another_teams_customer(client_for):
    world = two_teams()
    LeadSourceFactory(code="shop", kind="orders")
    text = "phone,order_no,amount,ordered_at\n13987654321,SO-1,10,2026-11-20\n13912344512,SO-2,20,2026-11-20\n"
    body = upload(client_for(world["lead1"]), text, source="shop").json()
    assert (body["updated"], body["held_elsewhere"], body["orders_created"]) == (1, 1, 1)
    assert list(Order.objects.values_list("order_no", "customer_id")) == [("SO-2", world["c1"].pk)]


def test_the_row_report_masks_phones_for_all_but_managers(client_for):
    world = two_teams()
    LeadSourceFactory(code="tele")
    text = "phone\n13700000001\n13700000001\n1370000000\n"
    job_id = upload(client_for(world["manager"]), text).json()["id"]
    duplicate = "文件内重复，首次出现在第 2 行"
    assert [row[:2] for row in report(client_for(world["manager"]), job_id)] == [
        ["3", "13700000001"],
        ["4", "1370000000"],
    ]
    job = ImportJob.objects.get(pk=job_id)
    job.team = world["t1"]
    job.save()
    assert report(client_for(world["lead1"]), job_id) == [
        ["3", "137****0001", duplicate],
        ["4", "137***0000", "号码位数不对"],
    ]
    # Stored encrypted: a raw read of the report table shows no digits of the numbers.
    with connection.cursor() as cursor:
        cursor.execute("SELECT value, phone_encrypted FROM customers_importrowerror")
        raw = " ".join(" ".join(row) for row in cursor.fetchall())
    assert "1370000000" not in raw and "0000" not in raw


def test_the_uploaded_file_is_deleted_once_imported(client_for, settings):
    world = two_teams()
    LeadSourceFactory(code="tele")
    upload(client_for(world["manager"]), "phone\n13700000001\n")
    job = ImportJob.objects.get()
    assert (job.status, job.file.name) == ("done", "")
    assert list((settings.MEDIA_ROOT / "imports").rglob("*.*")) == []


def test_failed_imports_files_are_purged_after_the_retention(settings):
    settings.IMPORT_FILE_RETENTION_DAYS = 7
    source = LeadSourceFactory(code="tele")
    jobs = {}
    for name, days in (("old", 8), ("recent", 6)):
        job = ImportJob(file_name=f"{name}.csv", source=source, status=ImportJob.Status.FAILED)
        job.file.save(f"{name}.csv", ContentFile(b"phone\n13700000001\n"), save=False)
        job.save()
        ImportJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - dt.timedelta(days=days))
        jobs[name] = job
    call_command("purge_import_files", stdout=io.StringIO())
    old, recent = (ImportJob.objects.get(pk=jobs[n].pk) for n in ("old", "recent"))
    assert old.file.name == "" and not (settings.MEDIA_ROOT / jobs["old"].file.name).exists()
    assert recent.file.name != "" and (settings.MEDIA_ROOT / recent.file.name).exists()
    # Retrying the purged one says why it cannot run.
    failed = import_job_run(job_id=old.pk)
    assert (failed.status, failed.error) == (
        "failed",
        "上传的文件已过保留期被删除，请重新上传",
    )

"""A large-ish import through a real Celery worker on Redis: the API answers 202 at once."""

import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from customers.models import Customer, ImportJob
from tests.customers.factories import LeadSourceFactory

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def shared_media(monkeypatch, settings):
    """The worker process must read uploads from the test's media folder (env is copied at its start)."""
    monkeypatch.setenv("MEDIA_ROOT", str(settings.MEDIA_ROOT))


def test_worker_imports_in_the_background(shared_media, celery_worker_process, client_for, manager, settings):
    settings.IMPORT_INLINE_MAX_BYTES = 1024
    LeadSourceFactory(code="tele")
    # 20,000 distinct phones, then 2,000 repeats of the first ones and 500 bad rows.
    lines = [f"1370{i:07d},客户{i}" for i in range(20_000)]
    lines += [f"1370{i:07d},again" for i in range(2_000)]
    lines += ["123,bad"] * 500
    data = ("phone,name\n" + "\n".join(lines) + "\n").encode()
    response = client_for(manager).post(
        "/api/v1/imports/", {"file": SimpleUploadedFile("big.csv", data), "source": "tele"}, format="multipart"
    )
    assert response.status_code == 202
    assert response.json()["status"] == "queued"
    job_id = response.json()["id"]
    seen_progress = set()
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        body = client_for(manager).get(f"/api/v1/imports/{job_id}/").json()
        seen_progress.add(body["progress"])
        if body["status"] in ("done", "failed"):
            break
        time.sleep(0.2)
    job = ImportJob.objects.get(pk=job_id)
    assert job.error == ""
    # 22,500 rows = 20,000 created + 2,000 duplicates + 500 invalid.
    assert (job.status, job.total_rows, job.created, job.duplicates, job.invalid) == (
        "done",
        22_500,
        20_000,
        2_000,
        500,
    )
    assert job.progress == 100
    assert Customer.objects.count() == 20_000
    assert 100 in seen_progress

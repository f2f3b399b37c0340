"""The /imports/ page: upload form, progress partial, empty state, roles."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from customers.models import Customer, ImportJob
from tests.customers.factories import ImportJobFactory, LeadSourceFactory
from tests.staff.factories import StaffFactory, TeamFactory

pytestmark = pytest.mark.django_db


def browser_for(staff) -> Client:
    client = Client()
    client.force_login(staff.user)
    return client


def test_empty_state_for_manager(manager):
    LeadSourceFactory(code="tele")
    response = browser_for(manager).get("/imports/")
    assert response.status_code == 200
    assert 'data-testid="imports-empty"' in response.content.decode()


def test_a_team_lead_finds_their_team_chosen_by_name(team_lead):
    LeadSourceFactory(code="tele")
    page = browser_for(team_lead).get("/imports/").content.decode()
    assert '<option value="t1" selected>一组</option>' in page


def test_operator_is_refused(operator):
    assert browser_for(operator).get("/imports/").status_code == 403


def test_upload_redirects_to_progress_with_counts(manager, operator):
    LeadSourceFactory(code="tele", name="电销")
    client = browser_for(manager)
    data = b"phone,name\n13800000001,A\n13800000001,A\nabc,B\n"
    response = client.post(
        "/imports/",
        {"file": SimpleUploadedFile("list.csv", data), "source": "tele", "team": "t1", "allocation": "round_robin"},
    )
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/imports/?job={job.pk}"
    page = client.get(response["Location"]).content.decode()
    # 3 rows: 1 created, 1 duplicate, 1 invalid.
    assert 'data-count="created">1<' in page
    assert 'data-count="duplicates">1<' in page
    assert 'data-count="invalid">1<' in page
    assert f"/api/v1/imports/{job.pk}/errors/" in page
    assert Customer.objects.get().owner == operator


def test_bad_file_shows_the_reason(manager):
    LeadSourceFactory(code="tele")
    response = browser_for(manager).post(
        "/imports/", {"file": SimpleUploadedFile("list.csv", b"name\nA\n"), "source": "tele"}
    )
    assert response.status_code == 400
    assert "缺少手机号列" in response.content.decode()
    assert ImportJob.objects.count() == 0


def test_bad_file_reason_follows_the_chosen_language(manager):
    LeadSourceFactory(code="tele")
    client = browser_for(manager)
    client.cookies["django_language"] = "en"
    response = client.post("/imports/", {"file": SimpleUploadedFile("list.csv", b"name\nA\n"), "source": "tele"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "no phone column: the header must name one of phone / mobile / 手机号" in page
    assert "缺少手机号列" not in page


def test_progress_partial_polls_while_running(manager, team_lead):
    source = LeadSourceFactory(code="tele")
    job = ImportJobFactory(file="imports/x.csv", file_name="x.csv", source=source, status="running", progress=40)
    html = browser_for(manager).get(f"/imports/{job.pk}/progress/").content.decode()
    assert 'hx-trigger="every 1s"' in html
    assert 'value="40"' in html
    # Another team's lead does not see a manager's import without a team.
    other = StaffFactory(user__username="lead2", team=TeamFactory(code="t2"), role="team_lead")
    assert browser_for(other).get(f"/imports/{job.pk}/progress/").status_code == 404
    ImportJob.objects.filter(pk=job.pk).update(status="done", progress=100)
    assert "hx-trigger" not in browser_for(manager).get(f"/imports/{job.pk}/progress/").content.decode()


def test_page_query_count_does_not_grow_with_jobs(manager):
    source = LeadSourceFactory(code="tele")
    client = browser_for(manager)

    def queries_for_page() -> int:
        with CaptureQueriesContext(connection) as context:
            client.get("/imports/")
        return len(context)

    ImportJobFactory(file="imports/0.csv", file_name="0.csv", source=source)
    one = queries_for_page()
    for i in range(1, 6):
        ImportJobFactory(file=f"imports/{i}.csv", file_name=f"{i}.csv", source=source)
    assert queries_for_page() == one
    # Session, user, staff, jobs, source check, and the form's two select lists (PostgreSQL reads
    # those through server-side cursors: DECLARE, FETCH, CLOSE each).
    assert one <= 13

"""The audit log: who did what, from which IP, to what; managers read it, nobody changes it."""

import datetime as dt

import pytest
from django.db import connection, transaction
from django.test import Client

from staff.audit.models import AppendOnlyError, AuditEntry
from staff.audit.services import audit_record
from tests.staff.factories import DEMO_PASSWORD, ReviewCycleFactory, StaffFactory

pytestmark = pytest.mark.django_db

SCORES = {"user_ops": 9, "learning": 9, "execution": 9, "analysis": 9, "product_selection": 9}


@pytest.fixture
def cycle(db):
    return ReviewCycleFactory(
        code="2026-11", name="十一月", starts_on=dt.date(2026, 11, 1), ends_on=dt.date(2026, 11, 30)
    )


def _actions():
    return list(AuditEntry.objects.order_by("id").values_list("action", "username", "object_repr"))


def test_api_lists_entries_for_managers_only_with_filters(client_for, manager, team_lead):
    audit_record(action="export", user=manager.user, object_repr="kpis.csv")
    audit_record(action="import", user=team_lead.user, object_repr="import:1")
    old = audit_record(action="export", user=team_lead.user, object_repr="old.csv")
    AuditEntry.objects.filter(pk=old.pk).values("at")  # read only: the row keeps its time
    client = client_for(manager)

    everything = client.get("/api/v1/audit/").json()
    assert everything["count"] == 3
    assert set(everything["results"][0]) == {"id", "at", "user", "ip", "action", "object", "detail"}
    exports = client.get("/api/v1/audit/", {"action": "export"}).json()
    assert [row["object"] for row in exports["results"]] == ["old.csv", "kpis.csv"]
    by_lead = client.get("/api/v1/audit/", {"user": "lead"}).json()
    assert [row["object"] for row in by_lead["results"]] == ["old.csv", "import:1"]
    today = dt.date.today().isoformat()
    assert client.get("/api/v1/audit/", {"date_from": today, "date_to": today}).json()["count"] == 3
    assert client.get("/api/v1/audit/", {"date_to": "2000-01-01"}).json()["count"] == 0
    assert client.get("/api/v1/audit/", {"action": "nope"}).status_code == 400

    assert client_for(team_lead).get("/api/v1/audit/").status_code == 403
    # Read-only: no method changes the log.
    assert client.post("/api/v1/audit/", {}, format="json").status_code == 405
    assert client.delete("/api/v1/audit/").status_code == 405


def test_entries_cannot_be_changed_or_deleted(manager):
    entry = audit_record(action="export", user=manager.user, object_repr="kpis.csv")
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.update(username="x")


@pytest.mark.postgres
def test_the_database_refuses_changes_too(manager):
    audit_record(action="export", user=manager.user, object_repr="kpis.csv")
    with pytest.raises(Exception, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE staff_auditentry SET username = 'x'")
    with pytest.raises(Exception, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM staff_auditentry")
    assert AuditEntry.objects.get().username == "boss"


def test_admin_shows_the_log_read_only(manager):
    manager.user.is_superuser = manager.user.is_staff = True
    manager.user.save()
    entry = audit_record(action="export", user=manager.user, object_repr="kpis.csv")
    client = Client()
    client.force_login(manager.user)
    assert client.get("/admin/staff/auditentry/").status_code == 200
    assert client.get(f"/admin/staff/auditentry/{entry.pk}/delete/").status_code == 403
    assert client.post(f"/admin/staff/auditentry/{entry.pk}/change/", {"username": "x"}).status_code == 403
    assert AuditEntry.objects.get(action="export").username == "boss"


def test_page_and_token_logins_and_failures_are_recorded_with_the_ip(api_client, operator):
    page = Client(REMOTE_ADDR="10.1.2.3")
    page.post("/login/", {"username": "op1", "password": "wrong"})
    page.post("/login/", {"username": "op1", "password": DEMO_PASSWORD})
    api_client.post("/api/v1/auth/token/", {"username": "op1", "password": "wrong"}, format="json")
    api_client.post("/api/v1/auth/token/", {"username": "op1", "password": DEMO_PASSWORD}, format="json")
    rows = list(AuditEntry.objects.order_by("id").values_list("action", "username", "ip", "detail"))
    assert rows == [
        ("login_failed", "op1", "10.1.2.3", {"via": "page"}),
        ("login", "op1", "10.1.2.3", {"via": "page"}),
        ("login_failed", "op1", "127.0.0.1", {"via": "api"}),
        ("login", "op1", "127.0.0.1", {"via": "api"}),
    ]


def test_manager_page_filters_the_log(manager, operator):
    audit_record(action="export", user=manager.user, object_repr="kpis-daily.csv")
    audit_record(action="import", user=manager.user, object_repr="import:7")
    client = Client()
    client.force_login(manager.user)
    page = client.get("/audit/", {"action": "import"})
    assert page.status_code == 200
    text = page.content.decode()
    assert "import:7" in text and "kpis-daily.csv" not in text
    operator_client = Client()
    operator_client.force_login(operator.user)
    assert operator_client.get("/audit/").status_code == 403


def test_every_override_is_kept(client_for, manager, operator, cycle):
    client = client_for(manager)
    created = client.post(
        "/api/v1/evaluations/", {"staff": "op1", "cycle": "2026-11", "scores": SCORES}, format="json"
    ).json()
    url = f"/api/v1/evaluations/{created['id']}/"
    assert client.patch(url, {"final_decision": "keep", "override_reason": "新人"}, format="json").status_code == 200
    assert client.patch(url, {"final_decision": "exit", "override_reason": "违规"}, format="json").status_code == 200

    history = client.get(
        "/api/v1/audit/", {"action": "evaluation_override", "object": f"evaluation:{created['id']}"}
    ).json()["results"]
    # Newest first; both overrides are there with what they changed.
    assert [(row["detail"]["from"], row["detail"]["to"], row["detail"]["reason"]) for row in history] == [
        ("keep", "exit", "违规"),
        ("advance", "keep", "新人"),
    ]
    assert all(row["user"] == "boss" and row["detail"]["decision"] == "advance" for row in history)
    assert AuditEntry.objects.filter(action="evaluation_create", object_repr=f"evaluation:{created['id']}").count() == 1


def test_staff_changes_and_the_hand_over_they_trigger(client_for, manager, team):
    StaffFactory(user__username="op2", team=team)
    client = client_for(manager)
    created = client.post(
        "/api/v1/staff/",
        {"username": "newbie", "password": "Lanzhou-Noodles-42", "team": "t1", "role": "operator"},
        format="json",
    )
    assert created.status_code == 201
    client.patch("/api/v1/staff/newbie/", {"role": "team_lead"}, format="json")
    client.patch("/api/v1/staff/newbie/", {"status": "exited"}, format="json")
    rows = list(AuditEntry.objects.order_by("id").values_list("action", "object_repr", "detail"))
    assert rows[0][0:2] == ("staff_change", "staff:newbie")
    assert rows[0][2]["created"]["role"] == "operator"
    assert rows[1] == ("staff_change", "staff:newbie", {"role": ["operator", "team_lead"]})
    assert rows[2] == ("staff_change", "staff:newbie", {"status": ["active", "exited"]})
    assert rows[3] == ("handover", "staff:newbie", {"reason": "exited", "team": "t1"})


def test_exports_imports_and_recomputes_are_recorded(client_for, manager):
    client = client_for(manager)
    assert client.get("/api/v1/kpis/daily/", {"date_from": "2026-11-01", "date_to": "2026-11-02", "format": "csv"})
    client.get("/api/v1/kpis/summary/", {"date_from": "2026-11-01", "date_to": "2026-11-02", "format": "xlsx"})
    client.get("/api/v1/kpis/daily/", {"date_from": "2026-11-01", "date_to": "2026-11-02"})  # JSON: not an export
    client.post("/api/v1/kpis/recompute/", {"date_from": "2026-11-01", "date_to": "2026-11-02"}, format="json")
    assert _actions() == [
        ("export", "boss", "kpis-daily-org-2026-11-01-2026-11-02.csv"),
        ("export", "boss", "kpis-summary-org-2026-11-01-2026-11-02.xlsx"),
        ("kpi_recompute", "boss", "2026-11-01..2026-11-02"),
    ]


def test_hostile_text_is_stored_harmlessly(db):
    entry = audit_record(action="login_failed", user="a\x00b\ud800", object_repr="x\x00")
    entry.refresh_from_db()
    assert entry.username == "a\ufffdb\ufffd"
    assert entry.object_repr == "x\ufffd"

import pytest
from django.db import connection

from campaigns.archive import pagination
from campaigns.archive.selectors import message_search
from customers.events.services import events_ingest
from customers.models import Customer, Event
from customers.privacy.crypto import phone_index
from staff.audit.models import AuditEntry
from tests.staff.factories import StaffFactory, TeamFactory

URL = "/api/v1/messages/"


@pytest.fixture
def archive(operator):
    """Customer A (owned by op1, team t1) and B (owned by op9, team t2), six messages over three days."""
    StaffFactory(user__username="op9", team=TeamFactory(code="t2"))

    def msg(n, phone, at, text, direction="in", **extra):
        return {
            "id": f"m{n}",
            "type": "message",
            "phone": phone,
            "at": at,
            "direction": direction,
            "text": text,
        } | extra

    a, b = "13800000001", "13800000002"
    events_ingest(
        events=[
            {"id": "fa", "type": "friend_added", "phone": a, "at": "2026-11-01T08:00:00+08:00", "staff": "op1"},
            {"id": "fb", "type": "friend_added", "phone": b, "at": "2026-11-01T08:00:00+08:00", "staff": "op9"},
            msg(1, a, "2026-11-01T09:00:00+08:00", "膝盖还是疼"),
            msg(2, a, "2026-11-01T09:05:00+08:00", "建议每天热敷", "out", staff="op1"),
            msg(3, a, "2026-11-02T20:00:00+08:00", "我是VIP会员", group="g1"),
            msg(4, b, "2026-11-02T21:00:00+08:00", "vip价格是多少"),
            msg(5, b, "2026-11-03T00:30:00+08:00", "打折100%吗"),
            msg(6, b, "2026-11-03T07:00:00+08:00", "好的", "out", staff="op9"),
        ]
    )
    return {
        "a": Customer.objects.get(phone_index=phone_index(a)).pk,
        "b": Customer.objects.get(phone_index=phone_index(b)).pk,
    }


def _ids(answer):
    assert answer.status_code == 200, answer.content
    return [row["id"] for row in answer.json()["results"]]


@pytest.mark.django_db
def test_managers_read_everything_newest_first(client_for, manager, archive):
    answer = client_for(manager).get(URL)
    assert _ids(answer) == ["m6", "m5", "m4", "m3", "m2", "m1"]
    assert answer.json()["count"] == 6 and answer.json()["count_exact"] is True
    assert answer.json()["results"][3] == {
        "id": "m3",
        "at": "2026-11-02T20:00:00+08:00",
        "direction": "in",
        "customer": archive["a"],
        "staff": None,
        "group": "g1",
        "text": "我是VIP会员",
    }


@pytest.mark.django_db
def test_team_leads_read_their_teams_customers_and_operators_nothing(client_for, team_lead, operator, archive):
    assert _ids(client_for(team_lead).get(URL)) == ["m3", "m2", "m1"]
    assert client_for(operator).get(URL).status_code == 403


@pytest.mark.django_db
def test_filters(client_for, manager, archive):
    client = client_for(manager)
    assert _ids(client.get(URL, {"q": "vip"})) == ["m4", "m3"]  # case-insensitive
    assert _ids(client.get(URL, {"q": "100%"})) == ["m5"]  # % is a character, not a wildcard
    assert _ids(client.get(URL, {"q": "%", "customer": archive["b"]})) == ["m5"]
    assert _ids(client.get(URL, {"q": "好", "date_from": "2026-11-03"})) == ["m6"]
    short = client.get(URL, {"q": "好的"})  # too short for the index, and nothing else narrows it
    assert short.status_code == 400 and set(short.json()) == {"q"}
    assert _ids(client.get(URL, {"customer": archive["a"]})) == ["m3", "m2", "m1"]
    assert _ids(client.get(URL, {"staff": "op9"})) == ["m6"]
    assert _ids(client.get(URL, {"group": "g1"})) == ["m3"]
    # Days are Shanghai days: 00:30 on 3 November belongs to the 3rd.
    assert _ids(client.get(URL, {"date_from": "2026-11-02", "date_to": "2026-11-02"})) == ["m4", "m3"]
    assert _ids(client.get(URL, {"date_from": "2026-11-03"})) == ["m6", "m5"]
    assert _ids(client.get(URL, {"q": "vip", "customer": archive["b"]})) == ["m4"]
    assert _ids(client.get(URL, {"page_size": 2, "page": 2})) == ["m4", "m3"]
    for bad in ({"staff": "nobody"}, {"group": "nope"}, {"customer": "x"}, {"date_from": "2026-13-01"}):
        answer = client.get(URL, bad)
        assert answer.status_code == 400 and set(answer.json()) == set(bad)


@pytest.mark.django_db
def test_a_search_is_in_the_audit_log_with_its_filters(client_for, manager, archive):
    assert client_for(manager).get(URL, {"q": "vip", "date_from": "2026-11-02"}).status_code == 200
    entry = AuditEntry.objects.get(action="message_search")
    assert entry.username == manager.user.username
    assert entry.detail == {"q": "vip", "date_from": "2026-11-02"}


@pytest.mark.django_db
def test_the_count_stops_at_the_cap_and_says_so(client_for, manager, archive, monkeypatch):
    monkeypatch.setattr(pagination, "COUNT_CAP", 4)
    answer = client_for(manager).get(URL, {"page_size": 3})
    assert (answer.json()["count"], answer.json()["count_exact"]) == (4, False)
    assert _ids(client_for(manager).get(URL, {"page_size": 3, "page": 2})) == ["m3"]


@pytest.mark.django_db
def test_the_archive_page(client, team_lead, operator, archive):
    client.force_login(team_lead.user)
    body = client.get("/messages/", {"q": "膝盖还是"}).content.decode()
    assert 'data-id="m1"' in body and 'data-id="m2"' not in body
    assert 'data-testid="filter-errors"' in client.get("/messages/", {"q": "膝盖"}).content.decode()
    client.force_login(operator.user)
    assert client.get("/messages/").status_code == 403


@pytest.mark.postgres
@pytest.mark.django_db
def test_a_phrase_search_reads_the_trigram_index(manager, archive):
    """Among 5,000 other messages, a phrase of three or more characters is looked up in the trigram
    index rather than read through every message (bench/archive.py measures it at 10M)."""
    customer = Customer.objects.get(pk=archive["a"])
    at = Event.objects.get(client_id="m1").at
    Event.objects.bulk_create(
        Event(
            client_id=f"x{n}", type="message", direction="in", at=at, customer=customer, text=f"第{n}天打卡，今天练了"
        )
        for n in range(5000)
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT gin_clean_pending_list('event_message_text_trgm')")  # what autovacuum does
        cursor.execute("ANALYZE customers_event")
        cursor.execute("SET LOCAL enable_seqscan = off")  # 5,000 rows still fit in a few pages
        sql, params = message_search(user=manager.user, filters={"q": "膝盖还是疼"}).query.sql_with_params()
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Bitmap Index Scan on event_message_text_trgm" in plan, plan

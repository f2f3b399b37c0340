import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from campaigns.alerts.models import Alert, SensitiveWord
from campaigns.alerts.selectors import alert_daily_counts
from customers.events.services import events_ingest
from staff.evaluations.evidence import staff_evidence
from tests.campaigns.factories import AlertFactory, SensitiveWordFactory
from tests.staff.factories import ReviewCycleFactory, StaffFactory, TeamFactory

URL = "/api/v1/alerts/"
SHANGHAI = ZoneInfo("Asia/Shanghai")


def _at(day, hour=10):
    return dt.datetime(2026, 11, day, hour, tzinfo=SHANGHAI)


@pytest.fixture
def alerts(operator):
    """Two alerts of op1 (team t1) and one of op9 (another team)."""
    other = StaffFactory(user__username="op9", team=TeamFactory(code="t2"))
    return {
        "word": AlertFactory(kind="sensitive_word", staff=operator, word="转账", text="转账", at=_at(2)),
        "loss": AlertFactory(kind="loss", staff=operator, date=dt.date(2026, 11, 3), count=5, at=_at(3, 22)),
        "other": AlertFactory(kind="sensitive_word", staff=other, word="转账", text="转账", at=_at(4)),
    }


def _ids(answer):
    return [row["id"] for row in answer.json()["results"]]


@pytest.mark.django_db
def test_alerts_are_scoped_newest_first_and_closed_to_operators(client_for, manager, team_lead, operator, alerts):
    assert _ids(client_for(manager).get(URL)) == [alerts["other"].pk, alerts["loss"].pk, alerts["word"].pk]
    assert _ids(client_for(team_lead).get(URL)) == [alerts["loss"].pk, alerts["word"].pk]
    assert client_for(operator).get(URL).status_code == 403
    loss = client_for(team_lead).get(URL, {"kind": "loss"}).json()["results"]
    assert loss == [
        {
            "id": alerts["loss"].pk,
            "kind": "loss",
            "staff": "op1",
            "customer": None,
            "word": "",
            "text": "",
            "at": "2026-11-03T22:00:00+08:00",
            "date": "2026-11-03",
            "count": 5,
            "event": None,
            "acknowledged": False,
            "acknowledged_at": None,
            "acknowledged_by": None,
        }
    ]


@pytest.mark.django_db
def test_alert_filters(client_for, manager, alerts):
    client = client_for(manager)
    assert _ids(client.get(URL, {"staff": "op9"})) == [alerts["other"].pk]
    assert _ids(client.get(URL, {"date_from": "2026-11-03", "date_to": "2026-11-03"})) == [alerts["loss"].pk]
    assert _ids(client.get(URL, {"date_from": "2026-11-03"})) == [alerts["other"].pk, alerts["loss"].pk]
    assert client.get(URL, {"kind": "spam"}).status_code == 400
    bad = client.get(URL, {"date_from": "2026-11-05", "date_to": "2026-11-01"})
    assert bad.status_code == 400 and "date_to" in bad.json()


@pytest.mark.django_db
def test_acknowledge_marks_the_alert_once_within_scope(client_for, team_lead, alerts):
    client = client_for(team_lead)
    done = client.post(f"{URL}{alerts['word'].pk}/acknowledge/")
    assert done.status_code == 200
    assert (done.json()["acknowledged"], done.json()["acknowledged_by"]) == (True, "lead")
    first_at = done.json()["acknowledged_at"]
    assert client.post(f"{URL}{alerts['word'].pk}/acknowledge/").json()["acknowledged_at"] == first_at
    assert client.post(f"{URL}{alerts['other'].pk}/acknowledge/").status_code == 404
    assert _ids(client.get(URL, {"acknowledged": "false"})) == [alerts["loss"].pk]
    assert _ids(client.get(URL, {"acknowledged": "true"})) == [alerts["word"].pk]


@pytest.mark.django_db
def test_sensitive_words_api(client_for, manager, operator):
    client = client_for(manager)
    assert client.post("/api/v1/sensitive-words/", {"word": " 返现 "}, format="json").json()["word"] == "返现"
    again = client.post("/api/v1/sensitive-words/", {"word": "返现"}, format="json")
    assert again.status_code == 400 and "word" in again.json()
    assert client.post("/api/v1/sensitive-words/", {}, format="json").json().keys() == {"word"}
    assert client_for(operator).post("/api/v1/sensitive-words/", {"word": "x"}, format="json").status_code == 403
    assert SensitiveWord.objects.count() == 1


@pytest.mark.django_db
def test_the_page_shows_team_alerts_and_acknowledges_in_place(client, team_lead, operator, alerts):
    client.force_login(team_lead.user)
    page = client.get("/alerts/")
    assert page.status_code == 200
    body = page.content.decode()
    assert f'data-id="{alerts["word"].pk}"' in body and f'data-id="{alerts["other"].pk}"' not in body
    row = client.post(f"/alerts/{alerts['word'].pk}/acknowledge/").content.decode()
    assert "data-acknowledged" in row
    assert Alert.objects.get(pk=alerts["word"].pk).acknowledged_by == team_lead.user
    client.force_login(operator.user)
    assert client.get("/alerts/").status_code == 403


@pytest.mark.django_db
def test_from_events_to_the_staff_evidence_daily_counts(operator, team_lead):
    SensitiveWordFactory(word="赠品")
    events = [
        {"id": f"m{n}", "type": "message", "direction": "out", "staff": "op1", "phone": "13800000001", "text": text}
        | {"at": at}
        for n, (at, text) in enumerate(
            [
                ("2026-11-02T10:00:00+08:00", "下单有赠品"),
                ("2026-11-02T11:00:00+08:00", "还有赠品"),
                ("2026-11-04T23:59:00+08:00", "赠品明天发"),
                ("2026-11-04T12:00:00+08:00", "您好"),
            ]
        )
    ]
    events += [
        {"id": f"d{n}", "type": "friend_deleted", "at": f"2026-11-04T1{n}:00:00+08:00", "phone": f"1370000{n:04d}"}
        | {"staff": "op1"}
        for n in range(5)
    ]
    events_ingest(events=events)
    expected = {
        "sensitive_word": 3,
        "loss": 1,
        "days": [
            {"date": "2026-11-02", "sensitive_word": 2, "loss": 0},
            {"date": "2026-11-04", "sensitive_word": 1, "loss": 1},
        ],
    }
    assert alert_daily_counts(staff=operator, date_from=dt.date(2026, 11, 1), date_to=dt.date(2026, 11, 30)) == expected
    cycle = ReviewCycleFactory(
        code="2026-11", name="十一月", starts_on=dt.date(2026, 11, 1), ends_on=dt.date(2026, 11, 30)
    )
    assert staff_evidence(staff=operator, cycle=cycle)["alerts"] == expected
    assert alert_daily_counts(staff=operator, date_from=dt.date(2026, 11, 3), date_to=dt.date(2026, 11, 3)) == {
        "sensitive_word": 0,
        "loss": 0,
        "days": [],
    }

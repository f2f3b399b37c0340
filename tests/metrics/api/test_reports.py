"""Reports: script A/B statistics, funnel, group effect, repurchase (hand-computed)."""

import datetime as dt
import itertools
import math

import pytest
from django.utils import timezone

from customers.events.services import events_ingest
from customers.models import LeadSource
from metrics.reports.selectors import chi_square_p_value, wilson_interval
from tests.customers.factories import LeadSourceFactory
from tests.metrics.factories import DailyKpiFactory
from tests.staff.factories import StaffFactory

_ids = itertools.count(1)


def ingest(*events):
    result = events_ingest(events=[{"id": f"r{next(_ids)}", **e} for e in events])
    assert result.errors == []


def test_wilson_and_chi_square_by_hand():
    # 30 of 100: p = 0.3, z² = 3.841459; centre = (0.3 + z²/200) / (1 + z²/100) = 0.307399,
    # half = z·sqrt(0.3·0.7/100 + z²/40000) / (1 + z²/100) = 0.088451.
    low, high = wilson_interval(successes=30, trials=100)
    assert (round(low, 4), round(high, 4)) == (0.2189, 0.3958)
    # [[30, 70], [20, 80]]: x² = 200·(30·80 − 70·20)² / (100·100·50·150) = 2.666667; p = erfc(sqrt(x²/2)).
    assert chi_square_p_value(a=30, n1=100, b=20, n2=100) == pytest.approx(math.erfc(math.sqrt(4 / 3)))
    assert round(chi_square_p_value(a=30, n1=100, b=20, n2=100), 4) == 0.1025
    assert chi_square_p_value(a=3, n1=10, b=0, n2=0) is None  # no other scripts
    assert chi_square_p_value(a=0, n1=10, b=0, n2=10) is None  # nobody converted
    assert wilson_interval(successes=0, trials=0) == (None, None)


@pytest.mark.django_db
def test_script_report_api(manager, team_lead, client_for):
    now = timezone.now()
    for day, key, n, x in ((1, "sa", 60, 20), (2, "sa", 40, 10), (1, "sb", 100, 20), (1, "sc", 0, 0)):
        DailyKpiFactory(
            date=dt.date(2026, 10, day), dimension="script", key=key, requests=n, requests_converted=x, computed_at=now
        )
    response = client_for(manager).get("/api/v1/reports/scripts/", {"date_from": "2026-10-01", "date_to": "2026-10-02"})
    assert response.status_code == 200
    body = response.json()
    assert "coverage" in body
    rows = {r["script"]: r for r in body["results"]}
    assert (rows["sa"]["requests"], rows["sa"]["requests_converted"]) == (100, 30)  # 60 + 40, 20 + 10
    assert rows["sa"]["fan_rate"] == 0.3
    assert round(rows["sa"]["ci_low"], 4) == 0.2189
    # sa (30/100) against sb + sc (20/100): the table worked out above.
    assert round(rows["sa"]["p_value"], 4) == 0.1025
    assert rows["sc"]["fan_rate"] is None and rows["sc"]["ci_low"] is None and rows["sc"]["p_value"] is None
    assert client_for(team_lead).get("/api/v1/reports/scripts/").status_code == 403


@pytest.fixture
def customers(db):
    amy = StaffFactory(user__username="amy")
    LeadSourceFactory(code="tele", name="tele", kind=LeadSource.Kind.TELESALES)
    today = timezone.localdate()
    t = f"{(today - dt.timedelta(days=1)).isoformat()}T10:00:00+08:00"
    ingest(
        # 1: a lead only.
        {"type": "message", "at": t, "phone": "13900000001", "direction": "in", "source": "tele"},
        # 2: requested.
        {"type": "friend_request_sent", "at": t, "phone": "13900000002", "staff": "amy", "source": "tele"},
        # 3: requested, added, in a group.
        {"type": "friend_request_sent", "at": t, "phone": "13900000003", "staff": "amy", "source": "tele"},
        {"type": "friend_added", "at": t, "phone": "13900000003", "staff": "amy"},
        {"type": "group_joined", "at": t, "phone": "13900000003", "group": "g1"},
        # 4: added, in a group, two orders.
        {"type": "friend_added", "at": t, "phone": "13900000004", "staff": "amy", "source": "tele"},
        {"type": "group_joined", "at": t, "phone": "13900000004", "group": "g1"},
        {"type": "order", "at": t, "phone": "13900000004", "amount": "10", "order_no": "A1"},
        {"type": "order", "at": t, "phone": "13900000004", "amount": "20", "order_no": "A2"},
        # 5: added, no group, one order.
        {"type": "friend_added", "at": t, "phone": "13900000005", "staff": "amy", "source": "tele"},
        {"type": "order", "at": t, "phone": "13900000005", "amount": "5", "order_no": "A3"},
    )
    return {"amy": amy, "from": today - dt.timedelta(days=1), "to": today}


@pytest.mark.django_db
def test_funnel_report(customers, manager, client_for):
    params = {"date_from": customers["from"].isoformat(), "date_to": customers["to"].isoformat()}
    body = client_for(manager).get("/api/v1/reports/funnel/", params).json()
    assert "computed_at" in body
    tele = next(r for r in body["results"] if r["source"] == "tele")
    # Furthest stages: 1 lead, 2 requested, 3 grouped, 4 repeat_buyer, 5 buyer; a stage counts
    # everyone at it or beyond, so 5 (a buyer who never joined a group) counts as grouped too.
    assert [tele[s] for s in ("lead", "requested", "fan", "grouped", "buyer", "repeat_buyer")] == [5, 4, 3, 3, 2, 1]
    assert tele["conversion"]["requested_to_fan"] == pytest.approx(3 / 4)
    assert tele["conversion"]["buyer_to_repeat_buyer"] == 0.5
    assert body["results"][-1]["source"] == "" and body["results"][-1]["lead"] == 5


@pytest.mark.django_db
def test_group_effect_report(customers, manager, client_for):
    params = {"date_from": customers["from"].isoformat(), "date_to": customers["to"].isoformat()}
    body = client_for(manager).get("/api/v1/reports/group-effect/", params).json()["results"]
    # Fans: 3, 4 (members; 4 bought), 5 (not a member; bought).
    assert body["members"] == {"customers": 2, "buyers": 1, "conversion_rate": 0.5}
    assert body["non_members"] == {"customers": 1, "buyers": 1, "conversion_rate": 1.0}
    assert body["lift"] == 0.5


@pytest.mark.django_db
def test_repurchase_report(customers, manager, team_lead, operator, client_for):
    params = {"date_from": customers["from"].isoformat(), "date_to": customers["to"].isoformat()}
    rows = client_for(manager).get("/api/v1/reports/repurchase/", params).json()["results"]
    by_key = {(r["dimension"], r["key"]): r for r in rows}
    # Buyers: 4 (two orders) and 5 (one): 1 repeat of 2.
    assert by_key[("org", "")] == {
        "dimension": "org",
        "key": "",
        "buyers": 2,
        "repeat_buyers": 1,
        "repurchase_rate": 0.5,
    }
    assert by_key[("source", "tele")]["repurchase_rate"] == 0.5
    assert by_key[("staff", "amy")]["buyers"] == 2
    # amy is not in the operator's team: they see no row; an operator sees only their own.
    assert client_for(operator).get("/api/v1/reports/repurchase/", params).json()["results"] == []
    assert client_for(team_lead).get("/api/v1/reports/funnel/", params).status_code == 403

"""Revenue tiers, baseline and the leaderboard of a review cycle (考核 / 嘉奖); the cycle overview."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from staff.models import ReviewCycle
from tests.metrics.factories import DailyKpiFactory
from tests.staff.factories import RevenueTierFactory, ReviewCycleFactory, StaffFactory, TeamFactory

D1, D2, D3 = dt.date(2026, 11, 1), dt.date(2026, 11, 2), dt.date(2026, 11, 3)


def _revenue(date, username, amount):
    DailyKpiFactory(
        date=date, dimension="staff", key=username, revenue=Decimal(amount), headcount=1, computed_at=timezone.now()
    )


@pytest.fixture
def cycle(team, team_lead, operator):
    StaffFactory(team=team, user__username="op2")
    StaffFactory(team=team, user__username="op3")
    StaffFactory(team=TeamFactory(code="t2"), user__username="far")
    cycle = ReviewCycleFactory(code="nov", name="十一月", starts_on=D1, ends_on=D2, revenue_baseline=Decimal("10000"))
    RevenueTierFactory(cycle=cycle, name="A", min_revenue=Decimal("10000"), reward="¥1000")
    RevenueTierFactory(cycle=cycle, name="B", min_revenue=Decimal("5000"), reward="¥300")
    _revenue(D1, "op2", "5000")
    _revenue(D2, "op2", "7000")
    _revenue(D2, "far", "9000")
    _revenue(D2, "op3", "8000")
    _revenue(D1, "op1", "3000")
    _revenue(D3, "op1", "100000")  # after the cycle: not counted
    _revenue(D2, "lead", "0")  # no revenue: not ranked
    return cycle


def test_leaderboard_first_place_clears_baseline(client_for, manager, cycle, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        body = client_for(manager).get("/api/v1/review-cycles/nov/leaderboard/").json()
    # op2 5000 + 7000 = 12000 ≥ 10000 baseline → first place, tier A; gap to far (9000) = 3000
    rows = [(r["rank"], r["staff"], r["revenue"], r["tier"], r["first_place"]) for r in body["rows"]]
    assert rows == [
        (1, "op2", 12000.0, "A", True),
        (2, "far", 9000.0, "B", False),
        (3, "op3", 8000.0, "B", False),
        (4, "op1", 3000.0, None, False),
    ]
    assert body["first_place_awarded"] is True
    assert body["first_place"] == ["op2"]
    assert body["gap_first_second"] == 3000.0
    assert body["rows"][0]["reward"] == "¥1000"


def test_no_first_place_below_baseline(client_for, manager, cycle):
    ReviewCycle.objects.filter(pk=cycle.pk).update(revenue_baseline=Decimal("15000"))
    body = client_for(manager).get("/api/v1/review-cycles/nov/leaderboard/").json()
    # 12000 < 15000: nobody is first; the gap 12000 - 9000 = 3000 is still shown
    assert body["first_place_awarded"] is False
    assert body["first_place"] == []
    assert not any(r["first_place"] for r in body["rows"])
    assert body["gap_first_second"] == 3000.0


def test_team_lead_sees_their_team_rows_of_the_full_ranking(client_for, team_lead, cycle):
    body = client_for(team_lead).get("/api/v1/review-cycles/nov/leaderboard/").json()
    assert [(r["rank"], r["staff"]) for r in body["rows"]] == [(1, "op2"), (3, "op3"), (4, "op1")]


def test_team_lead_is_not_told_another_teams_first_place(client_for, team_lead, cycle):
    _revenue(D1, "far", "6000")  # far (team t2): 9000 + 6000 = 15000, ahead of op2's 12000
    body = client_for(team_lead).get("/api/v1/review-cycles/nov/leaderboard/").json()
    assert body["first_place_awarded"] is True
    assert body["first_place"] == []
    assert "far" not in str(body)
    assert [(r["rank"], r["staff"], r["first_place"]) for r in body["rows"]] == [
        (2, "op2", False),
        (3, "op3", False),
        (4, "op1", False),
    ]


def _evaluate(client, username, score):
    scores = dict.fromkeys(["user_ops", "learning", "execution", "analysis", "product_selection"], score)
    response = client.post("/api/v1/evaluations/", {"staff": username, "cycle": "nov", "scores": scores}, format="json")
    assert response.status_code == 201
    return response.json()


def test_cycle_overview_and_xlsx(client_for, manager, operator, cycle, django_assert_max_num_queries):
    client = client_for(manager)
    _evaluate(client, "op1", 8.5)  # 85.0 advance
    _evaluate(client, "op2", 6.5)  # 65.0 keep
    third = _evaluate(client, "far", 3)  # 30.0 exit
    client.patch(
        f"/api/v1/evaluations/{third['id']}/", {"final_decision": "transfer", "override_reason": "转岗"}, format="json"
    )
    with django_assert_max_num_queries(8):
        body = client.get("/api/v1/review-cycles/nov/overview/").json()
    # Non-manager staff: lead, op1, op2, op3, far = 5; 3 evaluated
    assert (body["staff"], body["evaluated"]) == (5, 3)
    assert body["decision_counts"] == {"advance": 1, "keep": 1, "transfer": 0, "exit": 1}
    assert body["final_decision_counts"] == {"advance": 1, "keep": 1, "transfer": 1, "exit": 0}
    buckets = {b["bucket"]: b["count"] for b in body["distribution"]}
    assert (buckets["80-90"], buckets["60-70"], buckets["30-40"], sum(buckets.values())) == (1, 1, 1, 3)
    rows = {r["staff"]: r for r in body["rows"]}
    assert rows["op3"]["total"] is None
    assert rows["far"]["final_decision"] == "transfer" and rows["far"]["decision"] == "exit"

    export = client.get("/api/v1/review-cycles/nov/overview/", {"format": "xlsx"})
    assert export.status_code == 200
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(export.content)).active
    values = {row[0]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert values["op1"][4] == 85.0
    assert values["far"][7] == "转岗"

    assert client_for(operator).get("/api/v1/review-cycles/nov/overview/").status_code == 403


def test_tiers_of_a_cycle_have_names_of_their_own(client_for, manager, cycle):
    client = client_for(manager)
    tiers = [{"name": "A", "min_revenue": 20000}, {"name": " A ", "min_revenue": 1000}]
    answer = client.patch("/api/v1/review-cycles/nov/", {"tiers": tiers}, format="json")
    assert answer.status_code == 400 and set(answer.json()) == {"tiers"}
    assert sorted(cycle.tiers.values_list("name", flat=True)) == ["A", "B"]
    tiers[1]["name"] = "C"
    assert client.patch("/api/v1/review-cycles/nov/", {"tiers": tiers}, format="json").status_code == 200
    assert sorted(cycle.tiers.values_list("name", flat=True)) == ["A", "C"]


def test_tiers_in_a_patch_are_whole_tiers(client_for, manager, cycle):
    # A PATCH's tiers replace the cycle's: each is read as in a create, required fields and defaults.
    client = client_for(manager)
    answer = client.patch("/api/v1/review-cycles/nov/", {"tiers": [{"min_revenue": 100}]}, format="json")
    assert answer.status_code == 400
    assert set(answer.json()["tiers"][0]) == {"name"}
    assert sorted(cycle.tiers.values_list("name", flat=True)) == ["A", "B"]
    answer = client.patch("/api/v1/review-cycles/nov/", {"tiers": [{"name": "S", "min_revenue": 100}]}, format="json")
    assert answer.status_code == 200
    assert list(cycle.tiers.values_list("name", "min_revenue", "reward")) == [("S", Decimal("100.00"), "")]

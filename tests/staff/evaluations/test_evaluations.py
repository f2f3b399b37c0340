"""Evaluations (docs/domain.md §Evaluation): arithmetic, bands, weight snapshots, permissions, duplicates, override."""

import datetime as dt
from decimal import Decimal

import pytest

from staff.evaluations.scoring import evaluation_decision, evaluation_total
from staff.models import CompetencyDimension, Evaluation, EvaluationScore, Staff
from tests.staff.factories import ReviewCycleFactory, StaffFactory, TeamFactory

URL = "/api/v1/evaluations/"
ALL_EIGHT = {"user_ops": 8, "learning": 8, "execution": 8, "analysis": 8, "product_selection": 8}


@pytest.fixture
def cycle(db):
    return ReviewCycleFactory(
        code="2026q4", name="2026 Q4", starts_on=dt.date(2026, 10, 1), ends_on=dt.date(2026, 12, 31)
    )


def _post(client, staff, cycle, scores, **extra):
    return client.post(URL, {"staff": staff.username, "cycle": cycle.code, "scores": scores, **extra}, format="json")


def test_weighted_total_and_decision(client_for, manager, operator, cycle):
    CompetencyDimension.objects.filter(code="user_ops").update(weight=2)
    scores = {"user_ops": 8, "learning": 7, "execution": 9, "analysis": 6, "product_selection": 10}
    response = _post(client_for(manager), operator, cycle, scores, notes="稳定")
    assert response.status_code == 201, response.json()
    body = response.json()
    # 10 × (2×8 + 7 + 9 + 6 + 10) / (2+1+1+1+1) = 10 × 48 / 6 = 80.0 → advance (80 is inclusive)
    assert body["total"] == 80.0
    assert body["decision"] == "advance"
    assert body["final_decision"] == "advance"
    assert body["override_reason"] == ""
    assert body["staff"] == "op1" and body["cycle"] == "2026q4" and body["reviewer"] == "boss"
    assert body["scores"] == {k: float(v) for k, v in scores.items()}
    assert isinstance(body["id"], int)


def test_rounding_half_up_to_one_decimal(client_for, manager, operator, cycle):
    scores = {"user_ops": 7.3, "learning": 7.3, "execution": 7.3, "analysis": 7.3, "product_selection": 7.4}
    response = _post(client_for(manager), operator, cycle, scores)
    # 10 × (4×7.3 + 7.4) / 5 = 10 × 36.6 / 5 = 73.2
    assert response.json()["total"] == 73.2
    # 10 × (7.9 + 8.0) / 2 = 79.5
    assert evaluation_total(weighted_scores=[(Decimal(1), Decimal("7.9")), (Decimal(1), Decimal("8.0"))]) == Decimal(
        "79.5"
    )
    # 10 × (7.9 + 7.9 + 8.0) / 3 = 79.333… → 79.3
    assert evaluation_total(
        weighted_scores=[(Decimal(1), Decimal("7.9")), (Decimal(1), Decimal("7.9")), (Decimal(1), Decimal("8.0"))]
    ) == Decimal("79.3")
    # 10 × (3×7.9 + 8.0) / 4 = 10 × 31.7 / 4 = 79.25 → half up → 79.3 (banker's rounding would give 79.2)
    assert evaluation_total(weighted_scores=[(Decimal(3), Decimal("7.9")), (Decimal(1), Decimal("8.0"))]) == Decimal(
        "79.3"
    )


@pytest.mark.parametrize(
    ("total", "decision"),
    [
        ("100.0", "advance"),
        ("80.0", "advance"),
        ("79.9", "keep"),
        ("60.0", "keep"),
        ("59.9", "transfer"),
        ("40.0", "transfer"),
        ("39.9", "exit"),
        ("0.0", "exit"),
    ],
)
def test_band_edges(total, decision):
    assert evaluation_decision(total=Decimal(total)) == decision


def test_band_edges_through_the_api(client_for, manager, cycle, team):
    # All five scores equal s give total 10 × 5s / 5 = 10s: 6.0 → 60.0 keep, 5.9 → 59.0 transfer, 4.0 → 40.0 transfer
    expected = {"6": ("60.0", "keep"), "5.9": ("59.0", "transfer"), "4": ("40.0", "transfer"), "3.9": ("39.0", "exit")}
    client = client_for(manager)
    for score, (total, decision) in expected.items():
        member = StaffFactory(team=team)
        body = _post(client, member, cycle, dict.fromkeys(ALL_EIGHT, score)).json()
        assert (Decimal(str(body["total"])), body["decision"]) == (Decimal(total), decision)


def test_weight_change_does_not_move_past_totals(client_for, manager, operator, team, cycle):
    client = client_for(manager)
    scores = {"user_ops": 10, "learning": 5, "execution": 5, "analysis": 5, "product_selection": 5}
    first = _post(client, operator, cycle, scores).json()
    # 10 × (10 + 4×5) / 5 = 60.0
    assert first["total"] == 60.0
    response = client.patch("/api/v1/dimensions/user_ops/", {"weight": "3"}, format="json")
    assert response.status_code == 200
    other = StaffFactory(team=team)
    second = _post(client, other, cycle, scores).json()
    # 10 × (3×10 + 4×5) / 7 = 500/7 = 71.428… → 71.4
    assert second["total"] == 71.4
    again = client.get(f"{URL}{first['id']}/").json()
    assert again["total"] == 60.0
    assert {d["code"]: d["weight"] for d in again["dimensions"]}["user_ops"] == 1.0
    assert EvaluationScore.objects.get(evaluation_id=second["id"], dimension__code="user_ops").weight == 3


def test_new_dimension_and_inactive_dimension(client_for, manager, operator, team, cycle):
    client = client_for(manager)
    created = client.post(
        "/api/v1/dimensions/",
        {"code": "service", "name_zh": "服务意识", "name_en": "Service", "weight": "2", "active": True},
        format="json",
    )
    assert created.status_code == 201
    # After the five seeded ones (positions 1..5)
    assert created.json()["position"] == 6
    client.patch("/api/v1/dimensions/analysis/", {"active": False}, format="json")
    missing = _post(client, operator, cycle, ALL_EIGHT)
    assert missing.status_code == 400
    # analysis is off, so scoring it is refused; service is new and required
    assert set(missing.json()["scores"]) == {"analysis", "service"}
    scores = {"user_ops": 8, "learning": 8, "execution": 8, "product_selection": 8, "service": 5}
    body = _post(client, operator, cycle, scores).json()
    # 10 × (8+8+8+8 + 2×5) / (1+1+1+1+2) = 10 × 42 / 6 = 70.0
    assert body["total"] == 70.0


def test_operator_cannot_write_dimensions(client_for, operator):
    response = client_for(operator).patch("/api/v1/dimensions/user_ops/", {"weight": "5"}, format="json")
    assert response.status_code == 403
    assert client_for(operator).get("/api/v1/dimensions/").json()["count"] == 5


@pytest.mark.parametrize(
    ("scores", "field", "code"),
    [
        ({k: v for k, v in ALL_EIGHT.items() if k != "learning"}, "scores", "learning"),
        ({**ALL_EIGHT, "learning": 10.5}, "scores", "learning"),
        ({**ALL_EIGHT, "learning": -1}, "scores", "learning"),
        ({**ALL_EIGHT, "learning": 7.25}, "scores", "learning"),
        ({**ALL_EIGHT, "learning": "abc"}, "scores", "learning"),
        ({**ALL_EIGHT, "learning": None}, "scores", "learning"),
        ({**ALL_EIGHT, "charm": 9}, "scores", "charm"),
    ],
)
def test_bad_scores_are_400_naming_the_dimension_and_save_nothing(
    client_for, team_lead, operator, cycle, scores, field, code
):
    response = _post(client_for(team_lead), operator, cycle, scores)
    assert response.status_code == 400
    assert code in response.json()[field]
    assert Evaluation.objects.count() == 0
    assert EvaluationScore.objects.count() == 0


def test_unknown_staff_or_cycle_is_400(client_for, manager, operator, cycle):
    client = client_for(manager)
    body = client.post(URL, {"staff": "ghost", "cycle": cycle.code, "scores": ALL_EIGHT}, format="json")
    assert body.status_code == 400 and "staff" in body.json()
    body = client.post(URL, {"staff": operator.username, "cycle": "nope", "scores": ALL_EIGHT}, format="json")
    assert body.status_code == 400 and "cycle" in body.json()


def test_duplicate_is_400(client_for, manager, team_lead, operator, cycle):
    assert _post(client_for(team_lead), operator, cycle, ALL_EIGHT).status_code == 201
    second = _post(client_for(manager), operator, cycle, ALL_EIGHT)
    assert second.status_code == 400
    assert "cycle" in second.json()
    assert Evaluation.objects.count() == 1


def test_permissions(client_for, manager, team_lead, operator, cycle):
    other_team = TeamFactory(code="t2")
    outsider = StaffFactory(team=other_team, user__username="outsider")
    # operators evaluate no one
    assert _post(client_for(operator), outsider, cycle, ALL_EIGHT).status_code == 403
    # a team lead scores their own team, not another team, not themselves
    assert _post(client_for(team_lead), outsider, cycle, ALL_EIGHT).status_code == 403
    assert _post(client_for(team_lead), team_lead, cycle, ALL_EIGHT).status_code == 403
    assert _post(client_for(team_lead), operator, cycle, ALL_EIGHT).status_code == 201
    # managers anyone
    assert _post(client_for(manager), outsider, cycle, ALL_EIGHT).status_code == 201
    assert _post(client_for(manager), team_lead, cycle, ALL_EIGHT).status_code == 201
    assert Evaluation.objects.count() == 3
    # reading: manager 3, lead their team (op1 + themselves), operator only their own
    assert client_for(manager).get(URL).json()["count"] == 3
    assert {e["staff"] for e in client_for(team_lead).get(URL).json()["results"]} == {"op1", "lead"}
    assert [e["staff"] for e in client_for(operator).get(URL).json()["results"]] == ["op1"]
    outsider_eval = Evaluation.objects.get(staff=outsider)
    assert client_for(team_lead).get(f"{URL}{outsider_eval.pk}/").status_code == 404


def test_candidates_are_scored_the_same_way(client_for, team_lead, team, cycle):
    candidate = StaffFactory(
        team=team, status=Staff.Status.CANDIDATE, hire_type=Staff.HireType.INTERNAL, user__username="cand"
    )
    body = _post(client_for(team_lead), candidate, cycle, dict.fromkeys(ALL_EIGHT, 8.5)).json()
    # 10 × 5×8.5 / 5 = 85.0 → advance
    assert (body["total"], body["decision"]) == (85.0, "advance")


def test_override_requires_reason_and_keeps_decision(client_for, manager, team_lead, operator, cycle):
    created = _post(client_for(team_lead), operator, cycle, dict.fromkeys(ALL_EIGHT, 5)).json()
    # 10 × 25 / 5 = 50.0 → transfer
    assert created["decision"] == "transfer"
    url = f"{URL}{created['id']}/"
    assert (
        client_for(team_lead).patch(url, {"final_decision": "keep", "override_reason": "x"}, format="json").status_code
        == 403
    )
    no_reason = client_for(manager).patch(url, {"final_decision": "keep"}, format="json")
    assert no_reason.status_code == 400 and "override_reason" in no_reason.json()
    blank = client_for(manager).patch(url, {"final_decision": "keep", "override_reason": "  "}, format="json")
    assert blank.status_code == 400 and "override_reason" in blank.json()
    bad = client_for(manager).patch(url, {"final_decision": "promote", "override_reason": "r"}, format="json")
    assert bad.status_code == 400 and "final_decision" in bad.json()
    assert Evaluation.objects.get().final_decision == "transfer"
    ok = client_for(manager).patch(url, {"final_decision": "keep", "override_reason": "新人保护期"}, format="json")
    assert ok.status_code == 200
    body = ok.json()
    assert (body["decision"], body["final_decision"], body["override_reason"]) == ("transfer", "keep", "新人保护期")
    assert body["overridden_by"] == "boss"


def test_list_filters_and_query_count(client_for, manager, team, cycle, django_assert_max_num_queries):
    client = client_for(manager)
    other = TeamFactory(code="t2")
    for i in range(6):
        member = StaffFactory(team=team if i % 2 else other, user__username=f"m{i}")
        # scores 9 → 90.0 advance; 5 → 50.0 transfer
        _post(client, member, cycle, dict.fromkeys(ALL_EIGHT, 9 if i < 3 else 5))
    later = ReviewCycleFactory(
        code="2027q1", name="2027 Q1", starts_on=dt.date(2027, 1, 1), ends_on=dt.date(2027, 3, 31)
    )
    _post(client, Staff.objects.get(user__username="m0"), later, ALL_EIGHT)
    assert client.get(URL, {"cycle": "2027q1"}).json()["count"] == 1
    assert client.get(URL, {"cycle": "2026q4", "decision": "advance"}).json()["count"] == 3
    assert client.get(URL, {"team": "t1"}).json()["count"] == 3
    assert [e["staff"] for e in client.get(URL, {"staff": "m0"}).json()["results"]] == ["m0", "m0"]
    with django_assert_max_num_queries(6):
        assert client.get(URL).json()["count"] == 7


def test_review_cycles_api(client_for, manager, operator):
    body = {
        "code": "2026-11",
        "name": "十一月",
        "starts_on": "2026-11-01",
        "ends_on": "2026-11-30",
        "revenue_baseline": "5000",
        "tiers": [{"name": "A", "min_revenue": "10000", "reward": "¥1000"}, {"name": "B", "min_revenue": "5000"}],
    }
    assert client_for(operator).post("/api/v1/review-cycles/", body, format="json").status_code == 403
    created = client_for(manager).post("/api/v1/review-cycles/", body, format="json")
    assert created.status_code == 201, created.json()
    assert [t["name"] for t in created.json()["tiers"]] == ["A", "B"]
    bad = client_for(manager).post(
        "/api/v1/review-cycles/", {**body, "code": "x", "ends_on": "2026-10-01"}, format="json"
    )
    assert bad.status_code == 400 and "ends_on" in bad.json()
    got = client_for(operator).get("/api/v1/review-cycles/2026-11/").json()
    assert got["revenue_baseline"] == 5000.0

"""Evaluation pages: scoped list and overview, the form with its evidence, detail and override."""

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from customers.models import Customer
from staff.models import Evaluation
from tests.customers.factories import CustomerFactory
from tests.metrics.factories import DailyKpiFactory
from tests.staff.factories import ReviewCycleFactory, StaffFactory, TeamFactory

FIVE = ["user_ops", "learning", "execution", "analysis", "product_selection"]


@pytest.fixture
def cycle(db):
    return ReviewCycleFactory(code="nov", name="十一月", starts_on=dt.date(2026, 11, 1), ends_on=dt.date(2026, 11, 2))


def _browser(staff) -> Client:
    client = Client()
    client.force_login(staff.user)
    return client


def _form(score, **extra):
    return {**{f"score_{code}": score for code in FIVE}, "notes": "ok", **extra}


def test_lead_scores_through_the_form(team_lead, operator, cycle):
    DailyKpiFactory(
        date=dt.date(2026, 11, 2),
        dimension="staff",
        key="op1",
        requests=4,
        requests_converted=3,
        fan_rate=0.75,
        revenue=Decimal("10"),
        headcount=1,
        computed_at=timezone.now(),
    )
    CustomerFactory(owner=operator, remark="20261120-张三-已加粉", phone="13811112222")
    client = _browser(team_lead)
    page = client.get("/evaluations/new/", {"staff": "op1", "cycle": "nov"})
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="evidence"' in html
    assert "75.0%" in html  # fan rate 3/4
    assert "1 / 1" in html  # remarks: 1 of 1 complies
    response = client.post(
        "/evaluations/new/", _form("7.5", staff="op1", cycle="nov", note_learning="进步快"), follow=True
    )
    evaluation = Evaluation.objects.get()
    # 10 × 5×7.5 / 5 = 75.0 → keep
    assert (evaluation.total, evaluation.decision) == (Decimal("75.0"), "keep")
    assert evaluation.scores.get(dimension__code="learning").note == "进步快"
    assert response.redirect_chain[-1][0] == f"/evaluations/{evaluation.pk}/"
    assert "75.0" in response.content.decode()
    # A second visit to the form goes to the existing evaluation.
    assert client.get("/evaluations/new/", {"staff": "op1", "cycle": "nov"}).status_code == 302


def test_form_errors_inline_and_nothing_saved(team_lead, operator, cycle):
    data = _form("8", staff="op1", cycle="nov")
    data["score_learning"] = "11"
    data["score_analysis"] = ""
    response = _browser(team_lead).post("/evaluations/new/", data)
    assert response.status_code == 400
    html = response.content.decode()
    assert 'data-testid="error-learning"' in html and 'data-testid="error-analysis"' in html
    assert 'value="8"' in html  # what was typed is kept
    assert Evaluation.objects.count() == 0


@pytest.mark.parametrize(
    ("language", "too_high", "missing"),
    [("zh-hans", "必须在 0 到 10 之间", "必须打分"), ("en", "Must be between 0 and 10", "A score is required")],
)
def test_form_errors_speak_the_page_language(team_lead, operator, cycle, language, too_high, missing):
    data = _form("8", staff="op1", cycle="nov")
    data["score_learning"] = "11"
    data["score_analysis"] = ""
    client = _browser(team_lead)
    client.cookies["django_language"] = language
    html = client.post("/evaluations/new/", data).content.decode()
    assert f'data-testid="error-learning">{too_high}</div>' in html
    assert f'data-testid="error-analysis">{missing}</div>' in html


def test_form_permissions(manager, team_lead, operator, cycle):
    assert _browser(operator).get("/evaluations/new/", {"staff": "op1", "cycle": "nov"}).status_code == 403
    outsider = StaffFactory(team=TeamFactory(code="t2"), user__username="outsider")
    # The outsider is not among the lead's choices: the picker is shown, not the form.
    picker = _browser(team_lead).get("/evaluations/new/", {"staff": outsider.username, "cycle": "nov"})
    assert picker.status_code == 200
    assert 'data-testid="pick"' in picker.content.decode()
    assert 'data-testid="evaluation-form"' not in picker.content.decode()
    assert _browser(manager).get("/evaluations/new/", {"staff": "outsider", "cycle": "nov"}).status_code == 200


def test_overview_page_for_manager(manager, team, cycle, django_assert_max_num_queries):
    client = _browser(manager)
    for i in range(8):
        member = StaffFactory(team=team, user__username=f"m{i}")
        client.post("/evaluations/new/", _form(str(4 + i * 0.5), staff=member.username, cycle="nov"))
    assert Evaluation.objects.count() == 8
    with django_assert_max_num_queries(16):
        page = client.get("/evaluations/", {"cycle": "nov"})
    html = page.content.decode()
    assert page.status_code == 200
    for marker in ('data-testid="overview"', 'data-testid="distribution"', 'data-testid="leaderboard"', "format=xlsx"):
        assert marker in html


def test_operator_sees_only_their_evaluations(manager, operator, team, cycle):
    other = StaffFactory(team=team, user__username="other")
    _browser(manager).post("/evaluations/new/", _form("6", staff="op1", cycle="nov"))
    _browser(manager).post("/evaluations/new/", _form("6", staff="other", cycle="nov"))
    page = _browser(operator).get("/evaluations/").content.decode()
    assert 'data-testid="my-evaluations"' in page
    assert f"/evaluations/{Evaluation.objects.get(staff=operator).pk}/" in page
    theirs = Evaluation.objects.get(staff=other)
    assert _browser(operator).get(f"/evaluations/{theirs.pk}/").status_code == 404


def test_override_on_detail_page(manager, team_lead, operator, cycle):
    _browser(team_lead).post("/evaluations/new/", _form("5", staff="op1", cycle="nov"))
    evaluation = Evaluation.objects.get()
    url = f"/evaluations/{evaluation.pk}/"
    assert _browser(team_lead).post(url, {"final_decision": "keep", "override_reason": "x"}).status_code == 403
    missing = _browser(manager).post(url, {"final_decision": "keep", "override_reason": ""})
    assert missing.status_code == 400 and 'data-testid="override-error"' in missing.content.decode()
    done = _browser(manager).post(url, {"final_decision": "keep", "override_reason": "试用期延长"})
    assert done.status_code == 302
    evaluation.refresh_from_db()
    # 10 × 25 / 5 = 50.0 → transfer, overridden to keep; both kept
    assert (evaluation.decision, evaluation.final_decision, evaluation.override_reason) == (
        "transfer",
        "keep",
        "试用期延长",
    )


def test_detail_previews_the_hand_over_of_an_exit(manager, team, operator, cycle):
    receiver = StaffFactory(team=team, user__username="op9")
    for _ in range(3):
        CustomerFactory(owner=operator)
    _browser(manager).post("/evaluations/new/", _form("3", staff="op1", cycle="nov"))
    evaluation = Evaluation.objects.get()
    # 10 × 15 / 5 = 30.0 → exit: the detail previews handing op1's 3 customers to op9
    assert evaluation.decision == "exit"
    html = _browser(manager).get(f"/evaluations/{evaluation.pk}/").content.decode()
    assert 'data-testid="handover-preview"' in html
    assert f"{receiver.username}: 3" in html
    assert Customer.objects.filter(owner=operator).count() == 3

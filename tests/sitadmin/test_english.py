"""Every page, rendered in English for each role, shows no Chinese text the data did not bring.

The data here is all ASCII (names, codes), so any CJK character on an English page is an untranslated
template string, label, enum or message.
"""

import re

import pytest
from django.test import Client

from staff.evaluations.scoring import evaluation_create
from staff.models import CompetencyDimension, Staff
from tests.customers.factories import CustomerFactory
from tests.staff.factories import ReviewCycleFactory, StaffFactory, TeamFactory

CJK = re.compile(r"[\u3400-\u9fff\uff01-\uff5e\u3000-\u303f]+")
PAGES = {
    "manager": [
        "/",
        "/dashboard/",
        "/funnel/",
        "/scripts/",
        "/groups/",
        "/staff-board/",
        "/customers/",
        "/evaluations/",
        "/imports/",
        "/channels/",
        "/broadcasts/",
        "/activities/",
        "/alerts/",
        "/messages/",
        "/keywords/",
        "/no-such-page/",
        "/evaluations/new/?staff=op1&cycle=2026-11",
        "/evaluations/{evaluation}/",
        "/customers/{customer}/",
        "/sop/templates/",
        "/sop/templates/new/",
    ],
    "team_lead": [
        "/",
        "/dashboard/",
        "/staff-board/",
        "/customers/",
        "/evaluations/",
        "/imports/",
        "/evaluations/new/?staff=op1&cycle=2026-11",
        "/evaluations/{evaluation}/",
        "/customers/{customer}/",
    ],
    "operator": ["/", "/customers/", "/dashboard/", "/customers/{customer}/"],
}


def _visible_text(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    html = re.sub(r"<option[^>]*>(简体中文)</option>", " ", html)  # the language switcher names itself
    return re.sub(r"<[^>]+>", " ", html)


@pytest.fixture
def world(db):
    team = TeamFactory(code="t1", name="Team One")
    people = {
        "manager": StaffFactory(user__username="boss", name="Boss", role=Staff.Role.MANAGER, team=None),
        "team_lead": StaffFactory(user__username="lead", name="Lead", role=Staff.Role.TEAM_LEAD, team=team),
        "operator": StaffFactory(user__username="op1", name="Op One", role=Staff.Role.OPERATOR, team=team),
    }
    customer = CustomerFactory(name="Ann", owner=people["operator"])
    ReviewCycleFactory(code="2026-11", name="November")
    # Scored in an earlier cycle, so the form for November still opens rather than redirecting.
    october = ReviewCycleFactory(code="2026-10", name="October")
    codes = CompetencyDimension.objects.filter(active=True).values_list("code", flat=True)
    evaluation = evaluation_create(
        staff=people["operator"], cycle=october, scores=dict.fromkeys(codes, 7), reviewer=people["manager"].user
    )
    return {**people, "ids": {"customer": customer.pk, "evaluation": evaluation.pk}}


@pytest.mark.parametrize("role", ["manager", "team_lead", "operator"])
def test_pages_in_english_have_no_untranslated_text(world, role):
    client = Client()
    client.force_login(world[role].user)
    client.cookies["django_language"] = "en"
    untranslated, statuses = {}, {}
    for page in PAGES[role]:
        url = page.format(**world["ids"])
        response = client.get(url)
        statuses[url] = response.status_code
        found = sorted(set(CJK.findall(_visible_text(response.content.decode()))))
        if found:
            untranslated[url] = found
    assert untranslated == {}
    assert {url for url, code in statuses.items() if code != 200} <= {"/no-such-page/", "/dashboard/"}

"""Every page, rendered in English for each role, shows no Chinese text the data did not bring.

The data here is all ASCII (names, codes), so any CJK character on an English page is an untranslated
template string, label, enum or message.
"""

import re

import pytest
from django.test import Client

from staff.models import Staff
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
    ],
    "team_lead": ["/", "/dashboard/", "/staff-board/", "/customers/", "/evaluations/", "/imports/"],
    "operator": ["/", "/customers/", "/dashboard/"],
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
    CustomerFactory(name="Ann", owner=people["operator"])
    ReviewCycleFactory(code="2026-11", name="November")
    return people


@pytest.mark.parametrize("role", ["manager", "team_lead", "operator"])
def test_pages_in_english_have_no_untranslated_text(world, role):
    client = Client()
    client.force_login(world[role].user)
    client.cookies["django_language"] = "en"
    untranslated = {}
    for url in PAGES[role]:
        found = sorted(set(CJK.findall(_visible_text(client.get(url).content.decode()))))
        if found:
            untranslated[url] = found
    print("UNTRANSLATED", role, untranslated)
    assert untranslated == {}

"""The team history page: each period with its first and last day, scoped like the staff API."""

import pytest
from django.test import Client

from tests.staff.factories import StaffFactory, TeamFactory

pytestmark = pytest.mark.django_db


def _browser(staff) -> Client:
    client = Client()
    client.force_login(staff.user)
    return client


def test_the_page_lists_the_periods(client_for, manager):
    t1, t2 = TeamFactory(code="t1"), TeamFactory(code="t2")
    StaffFactory(user__username="ben", team=t1)
    client_for(manager).patch("/api/v1/staff/ben/", {"team": "t2", "team_since": "2026-11-07"}, format="json")
    html = _browser(manager).get("/staff/ben/teams/").content.decode()
    assert f'<tr data-team="t1"><td class="text">{t1.name}</td>' in html
    assert "2026-11-07" in html and html.index('data-team="t1"') < html.index('data-team="t2"')
    other = StaffFactory(user__username="cat", team=t2)
    assert _browser(other).get("/staff/ben/teams/").status_code == 404  # an operator sees only themselves
    assert _browser(other).get("/staff/cat/teams/").status_code == 200

"""Every link a role's navigation bar offers leads to a page that role can use."""

import re

import pytest
from django.test import Client

NAV = re.compile(r'<nav class="topnav">(.*?)</nav>', re.S)
LINK = re.compile(r'href="(/[^"#?]*)"')


def _nav_links(client) -> list[str]:
    body = client.get("/").content.decode()
    nav = NAV.search(body).group(1)
    return [href for href in LINK.findall(nav) if not href.startswith(("/i18n/", "/logout/"))]


@pytest.mark.parametrize("role", ["manager", "team_lead", "operator"])
def test_every_nav_link_answers_200(request, role):
    staff = request.getfixturevalue(role)
    client = Client()
    client.force_login(staff.user)
    links = _nav_links(client)
    assert "/customers/" in links
    statuses = {href: client.get(href).status_code for href in links}
    assert {href: status for href, status in statuses.items() if status != 200} == {}


def test_team_leads_are_not_offered_company_wide_pages(team_lead):
    client = Client()
    client.force_login(team_lead.user)
    links = _nav_links(client)
    assert "/dashboard/" in links and "/staff-board/" in links
    assert not {"/funnel/", "/scripts/", "/groups/"} & set(links)

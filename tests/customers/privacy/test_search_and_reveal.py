"""Whoever sees a masked phone finds customers by the whole number or its last four digits only, and
may reveal it (team leads their team's, managers any), audited and rate-limited."""

import pytest
from django.conf import settings
from django.core.cache import cache

from customers.privacy import services as reveal_services
from staff.audit.models import AuditEntry
from tests.customers.privacy.factories import two_teams

pytestmark = pytest.mark.django_db
URL = "/api/v1/customers/"


def found(client, term: str) -> set[str]:
    return {row["name"] for row in client.get(URL, {"search": term}).json()["results"]}


def test_a_team_lead_cannot_complete_a_masked_number_from_its_middle_digits(client_for):
    world = two_teams()
    lead = client_for(world["lead1"])
    # What the lead sees of their team's customer: 139****4512.
    assert lead.get(f"{URL}{world['c1'].pk}/").json()["phone"] == "139****4512"
    # Digits 3–7 (and any other run but the whole number or the last four) find nothing.
    for piece in ("1234", "91234", "12344", "3912344", "139123", "1391234451"):
        assert found(lead, piece) == set(), piece
    assert found(lead, "4512") == {"一组客户"}
    assert found(lead, "139 1234 4512") == {"一组客户"}
    assert found(lead, "+86 139-1234-4512") == {"一组客户"}
    # Managers search the same way: no partial match for anyone.
    boss = client_for(world["manager"])
    assert found(boss, "1234") == set()
    assert found(boss, "4321") == {"二组客户"}
    # Scope holds: the other team's number finds nothing for the lead, even whole.
    assert found(lead, "13987654321") == set()


@pytest.fixture
def reveal_rate(monkeypatch):
    """Reveal throttling at 3 a minute for these tests, with no history left from earlier ones."""
    monkeypatch.setitem(settings.API_THROTTLE_RATES, "phone_reveal", "3/min")

    def clear(*staff):
        cache.delete_many([f"throttle_phone_reveal_{s.user.pk}" for s in staff])

    return clear


def test_reveal_for_team_leads_and_managers_audited(client_for, monkeypatch, reveal_rate):
    world = two_teams()
    reveal_rate(world["lead1"], world["manager"], world["op1"])
    audited = []
    monkeypatch.setattr(
        reveal_services,
        "phone_reveal_audit",
        lambda *, user, customer_id, request=None: audited.append((user.username, customer_id)),
    )
    c1, c2 = world["c1"], world["c2"]
    lead = client_for(world["lead1"])
    answer = lead.post(f"{URL}{c1.pk}/reveal-phone/")
    assert (answer.status_code, answer.json()) == (200, {"phone": "13912344512"})
    # Another team's customer is not the lead's to see.
    assert lead.post(f"{URL}{c2.pk}/reveal-phone/").status_code == 404
    assert client_for(world["manager"]).post(f"{URL}{c2.pk}/reveal-phone/").json() == {"phone": "13987654321"}
    # Operators see their own customers' numbers already; they reveal none.
    assert client_for(world["op1"]).post(f"{URL}{c1.pk}/reveal-phone/").status_code == 403
    assert audited == [("lead1", c1.pk), ("boss", c2.pk)]


def test_reveal_is_rate_limited(client_for, reveal_rate):
    world = two_teams()
    reveal_rate(world["lead1"])
    lead = client_for(world["lead1"])
    codes = [lead.post(f"{URL}{world['c1'].pk}/reveal-phone/").status_code for _ in range(4)]
    reveal_rate(world["lead1"])
    assert codes == [200, 200, 200, 429]


def test_the_default_reveal_rate_is_sixty_an_hour(client_for):
    """At the shipped rate (no override): 60 reveals in an hour, then 429 until the hour is over."""
    assert settings.API_THROTTLE_RATES["phone_reveal"] == "60/hour"
    world = two_teams()
    key = f"throttle_phone_reveal_{world['manager'].user.pk}"
    cache.delete(key)
    manager = client_for(world["manager"])
    url = f"{URL}{world['c1'].pk}/reveal-phone/"
    codes = [manager.post(url).status_code for _ in range(61)]
    refused = manager.post(url)
    cache.delete(key)
    assert codes == [200] * 60 + [429]
    assert refused.status_code == 429
    assert 3500 < int(refused["Retry-After"]) <= 3600


def test_a_reveal_is_in_the_audit_log_without_the_number(client_for, reveal_rate):
    world = two_teams()
    reveal_rate(world["manager"])
    c1 = world["c1"]
    assert client_for(world["manager"]).post(f"{URL}{c1.pk}/reveal-phone/").status_code == 200
    entry = AuditEntry.objects.get(action="phone_reveal")
    assert (entry.username, entry.object_repr) == ("boss", f"customer:{c1.pk}")
    assert "4512" not in str(entry.detail)


def test_the_customer_page_offers_the_reveal_to_those_who_see_the_number_masked(client, monkeypatch):
    world = two_teams()
    audited = []
    monkeypatch.setattr(
        reveal_services, "phone_reveal_audit", lambda *, user, customer_id, request=None: audited.append(customer_id)
    )
    c1 = world["c1"]
    client.force_login(world["lead1"].user)
    page = client.get(f"/customers/{c1.pk}/").content.decode()
    assert "139****4512" in page and "13912344512" not in page and 'data-testid="reveal-phone"' in page
    revealed = client.post(f"/customers/{c1.pk}/reveal-phone/")
    assert (revealed.status_code, "13912344512" in revealed.content.decode(), audited) == (200, True, [c1.pk])
    assert client.post(f"/customers/{world['c2'].pk}/reveal-phone/").status_code == 404
    # The owner sees the number in full: nothing to reveal, and no reveal for operators.
    client.force_login(world["op1"].user)
    assert 'data-testid="reveal-phone"' not in client.get(f"/customers/{c1.pk}/").content.decode()
    assert client.post(f"/customers/{c1.pk}/reveal-phone/").status_code == 403

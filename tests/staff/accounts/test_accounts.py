"""Expiring, revocable, hashed API tokens; lockout after failed sign-ins; throttles; password rules."""

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone
from knox.models import AuthToken

from staff.models import Staff
from tests.staff.factories import DEMO_PASSWORD, StaffFactory

pytestmark = pytest.mark.django_db
TOKEN_URL = "/api/v1/auth/token/"


def _login(client, password=DEMO_PASSWORD, username="op1"):
    return client.post(TOKEN_URL, {"username": username, "password": password}, format="json")


def test_token_expires_after_api_token_hours(api_client, operator):
    before = timezone.now()
    answer = _login(api_client).json()
    expires_at = dt.datetime.fromisoformat(answer["expires_at"])
    assert dt.timedelta(hours=24) <= expires_at - before < dt.timedelta(hours=24, seconds=30)

    AuthToken.objects.update(expiry=timezone.now() - dt.timedelta(seconds=1))
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {answer['token']}")
    assert api_client.get("/api/v1/staff/").status_code == 401


def test_delete_revokes_only_the_token_sent(api_client, operator):
    first = _login(api_client).json()["token"]
    second = _login(api_client).json()["token"]
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {first}")
    assert api_client.delete(TOKEN_URL).status_code == 204
    assert api_client.get("/api/v1/staff/").status_code == 401
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {second}")
    assert api_client.get("/api/v1/staff/").status_code == 200
    api_client.credentials()
    assert api_client.delete(TOKEN_URL).status_code == 401


def test_only_a_hash_of_the_token_is_stored(api_client, operator):
    token = _login(api_client).json()["token"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT digest, token_key FROM knox_authtoken")
        (digest, key_prefix), *_ = cursor.fetchall()
    assert token not in digest and len(key_prefix) == 15 and token.startswith(key_prefix)
    assert "authtoken_token" not in connection.introspection.table_names()


def test_api_lockout_after_ten_failures_even_with_the_right_password(api_client, operator):
    for _ in range(9):
        assert _login(api_client, password="wrong").status_code == 400
    assert _login(api_client, password="wrong").status_code == 429
    locked = _login(api_client)
    assert locked.status_code == 429
    assert locked.json()["detail"] == "登录失败次数过多，账号暂时锁定 15 分钟。"


def test_page_and_admin_lockout(operator):
    operator.user.is_staff = True
    operator.user.save()
    page = Client()
    for _ in range(10):
        page.post("/login/", {"username": "op1", "password": "wrong"})
    assert page.post("/login/", {"username": "op1", "password": DEMO_PASSWORD}).status_code == 429

    from axes.utils import reset

    reset()
    admin = Client()
    assert admin.post("/admin/login/", {"username": "op1", "password": DEMO_PASSWORD}).status_code == 302
    admin = Client()
    for _ in range(10):
        admin.post("/admin/login/", {"username": "op1", "password": "wrong"})
    assert admin.post("/admin/login/", {"username": "op1", "password": DEMO_PASSWORD}).status_code == 429


def test_token_and_events_endpoints_are_throttled(settings, api_client, client_for, manager, operator):
    from django.core.cache import cache

    cache.clear()
    settings.API_THROTTLE_RATES = {**settings.API_THROTTLE_RATES, "auth_token": "3/minute", "events": "2/minute"}
    assert [_login(api_client).status_code for _ in range(4)] == [200, 200, 200, 429]
    client = client_for(manager)
    assert [client.post("/api/v1/events/", [], format="json").status_code for _ in range(3)] == [200, 200, 429]
    cache.clear()


def test_password_validators_apply_to_new_staff(client_for, manager):
    client = client_for(manager)
    for weak in ["x", "12345678901", "password123", "newbie1234"]:
        answer = client.post("/api/v1/staff/", {"username": "newbie", "password": weak}, format="json")
        assert answer.status_code == 400, weak
        assert "password" in answer.json()
    strong = client.post("/api/v1/staff/", {"username": "newbie", "password": "Lanzhou-Noodles-42"}, format="json")
    assert strong.status_code == 201


def test_sessions_read_through_the_cache_end_with_deactivation_password_change_and_sign_out(operator, team):
    """Sessions are read from the cache (`cached_db`), yet the user's row decides on every request."""
    other = StaffFactory(user__username="op2", role=Staff.Role.OPERATOR, team=team)

    def signed_in(username: str) -> Client:
        browser = Client()
        assert browser.post("/login/", {"username": username, "password": DEMO_PASSWORD}).status_code == 302
        assert browser.get("/").status_code == 200
        return browser

    signed_out, password_changed, deactivated = signed_in("op1"), signed_in("op1"), signed_in("op2")
    signed_out.post("/logout/")
    assert signed_out.get("/").status_code == 302
    assert password_changed.get("/").status_code == 200
    operator.user.set_password("another-long-password-1")
    operator.user.save()
    assert password_changed.get("/").status_code == 302
    assert deactivated.get("/").status_code == 200
    other.user.is_active = False
    other.user.save()
    assert deactivated.get("/").status_code == 302

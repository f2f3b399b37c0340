import pytest
from django.contrib.auth import get_user_model
from rest_framework.test import APIClient

from tests.staff.factories import DEMO_PASSWORD

pytestmark = pytest.mark.django_db


def test_token_for_good_credentials_authenticates_later_calls(api_client, operator):
    response = api_client.post("/api/v1/auth/token/", {"username": "op1", "password": DEMO_PASSWORD}, format="json")
    assert response.status_code == 200
    token = response.json()["token"]
    assert len(token) == 64

    # A second login issues a second token; each is revoked on its own.
    again = api_client.post("/api/v1/auth/token/", {"username": "op1", "password": DEMO_PASSWORD}, format="json")
    assert again.json()["token"] != token

    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    me = api_client.get("/api/v1/staff/")
    assert me.status_code == 200
    assert [row["username"] for row in me.json()["results"]] == ["op1"]


def test_wrong_password_is_400_naming_the_problem(api_client, operator):
    response = api_client.post("/api/v1/auth/token/", {"username": "op1", "password": "nope"}, format="json")
    assert response.status_code == 400
    assert "password" in response.json()


def test_missing_username_is_400_naming_the_field(api_client):
    response = api_client.post("/api/v1/auth/token/", {"password": "x"}, format="json")
    assert response.status_code == 400
    assert "username" in response.json()


def test_anonymous_and_bad_token_are_refused(api_client, operator):
    assert api_client.get("/api/v1/customers/").status_code == 401
    api_client.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    assert api_client.get("/api/v1/customers/").status_code == 401


def test_a_user_who_is_not_staff_sees_nothing(db):
    stranger = get_user_model().objects.create_user(username="stranger", password=DEMO_PASSWORD)
    client = APIClient()
    client.force_authenticate(stranger)
    refused = client.get("/api/v1/customers/")
    assert refused.status_code == 403
    assert refused.json()["detail"] == "需要员工账号。"
    assert client.get("/api/v1/tags/").status_code == 403

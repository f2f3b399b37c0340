"""GET /healthz: what a load balancer polls, without a database query or a login."""

import pytest


@pytest.mark.django_db
def test_healthz_answers_ok_without_a_query(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        answer = client.get("/healthz")
    assert answer.status_code == 200
    assert answer.json() == {"status": "ok"}


@pytest.mark.django_db
def test_healthz_takes_only_get(client):
    assert client.post("/healthz").status_code == 405

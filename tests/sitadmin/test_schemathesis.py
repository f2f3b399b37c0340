"""A bounded, seeded schemathesis run against the live server, as a manager: no server error, and
every status, content type and body the API answers is the one its OpenAPI schema documents."""

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from knox.models import AuthToken

from customers.models import LeadSource
from tests.customers.factories import CustomerFactory, LeadSourceFactory
from tests.staff.factories import ReviewCycleFactory, StaffFactory, TeamFactory

ST = Path(shutil.which("st") or Path(__file__).resolve().parents[2] / ".venv/bin/st")
CHECKS = "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.timeout(240)
def test_schemathesis_finds_no_server_error_and_no_undocumented_answer(live_server, tmp_path):
    team = TeamFactory(code="t1", name="一组")
    StaffFactory(user__username="op1", team=team)
    LeadSourceFactory(code="tele", name="电销", kind=LeadSource.Kind.TELESALES)
    CustomerFactory()
    ReviewCycleFactory(code="c1", name="c1", starts_on=dt.date(2026, 11, 1), ends_on=dt.date(2026, 11, 30))
    # A superuser without a staff row: the run cannot delete or demote the account it runs as.
    admin = get_user_model().objects.create_superuser("st-admin", password="St-admin-password-1")
    _, token = AuthToken.objects.create(user=admin, expiry=None)

    run = subprocess.run(
        [
            str(ST),
            "run",
            f"{live_server.url}/api/schema/",
            "--header",
            f"Authorization: Token {token}",
            "--checks",
            CHECKS,
            "--phases",
            "examples,fuzzing",
            "--max-examples",
            "5",
            "--seed",
            "17",
            "--workers",
            "2",
            "--max-time",
            "75",
            "--request-timeout",
            "30",
            # Revoking the run's own token would turn every later answer into a 401.
            "--exclude-operation-id",
            "v1_auth_token_destroy",
            "--no-color",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=220,
    )
    summary = run.stdout[-6000:]
    assert run.returncode == 0, summary
    assert "failures" not in summary.splitlines()[-1], summary

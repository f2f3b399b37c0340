"""A bounded, seeded schemathesis run against the live server, as a manager: no server error; every
status, content type and body the API answers is the one its OpenAPI schema documents; every request
the schema calls valid is accepted and every one it calls invalid is rejected.

schemathesis.toml chooses the checks and says, operation by operation, where the run sends values the
schema cannot describe (existing rows, pairs of dates) and where a check is off, and why; st_hooks.py
keeps the run from creating a code twice or deleting the rows it refers to."""

import datetime as dt
import os
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from knox.models import AuthToken

from campaigns.models import GroupMembership
from customers.models import LeadSource
from tests.campaigns.factories import GroupFactory, SopTemplateFactory
from tests.customers.factories import CustomerFactory, LeadSourceFactory, TagFactory
from tests.staff.factories import ReviewCycleFactory, StaffFactory, TeamFactory

ST = Path(shutil.which("st") or Path(__file__).resolve().parents[2] / ".venv/bin/st")
CONFIG = Path(__file__).with_name("schemathesis.toml")
HOOKS = Path(__file__).with_name("st_hooks.py")
CHECKS = {
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_schema_conformance",
    "positive_data_acceptance",
    "negative_data_rejection",
}


def test_the_run_enables_exactly_these_checks():
    checks = tomllib.loads(CONFIG.read_text())["checks"]
    assert checks.pop("enabled") is False
    assert {name for name, setting in checks.items() if setting["enabled"]} == CHECKS


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.timeout(240)
def test_schemathesis_finds_no_server_error_and_no_undocumented_answer(live_server, tmp_path):
    # The rows schemathesis.toml draws references from: the customer keeps them in use (a delete is a
    # 409), and st_hooks.py keeps the run from deleting them.
    team = TeamFactory(code="t1", name="一组")
    op1 = StaffFactory(user__username="op1", team=team)
    source = LeadSourceFactory(code="tele", name="电销", kind=LeadSource.Kind.TELESALES)
    customer = CustomerFactory(owner=op1, source=source)
    customer.tags.add(TagFactory(code="vip"))
    GroupMembership.objects.create(
        group=GroupFactory(code="g1", owner=op1), customer=customer, joined_at=timezone.now()
    )
    SopTemplateFactory(code="sop1", trigger={"kind": "channel"}, steps=[{"day": 0, "time": "09:00", "action": "call"}])
    ReviewCycleFactory(code="c1", name="c1", starts_on=dt.date(2026, 11, 1), ends_on=dt.date(2026, 11, 30))
    # A superuser without a staff row: the run cannot delete or demote the account it runs as.
    admin = get_user_model().objects.create_superuser("st-admin", password="St-admin-password-1")
    _, token = AuthToken.objects.create(user=admin, expiry=None)

    run = subprocess.run(
        [
            str(ST),
            "--config-file",
            str(CONFIG),
            "run",
            f"{live_server.url}/api/schema/",
            "--header",
            f"Authorization: Token {token}",
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
        env={**os.environ, "SCHEMATHESIS_HOOKS": str(HOOKS)},
        capture_output=True,
        text=True,
        timeout=220,
    )
    summary = run.stdout[-6000:]
    assert run.returncode == 0, summary
    assert "failures" not in summary.splitlines()[-1], summary

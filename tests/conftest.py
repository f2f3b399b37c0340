import importlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.apps import apps as django_apps
from django.conf import settings
from django.db import connection
from rest_framework.test import APIClient

from sitadmin.celery import app as celery_app
from staff.models import Staff
from tests.staff.factories import StaffFactory, TeamFactory

ROOT = Path(__file__).resolve().parent.parent
DIMENSIONS_MIGRATION = importlib.import_module("staff.migrations.0002_competency_dimensions")
IN_CI = os.environ.get("CI") == "true"


def pytest_configure(config):
    # A password hash is meant to be slow (PBKDF2, about 0.4 s here); the tests make hundreds of
    # users, so they hash with MD5. What the hasher protects is Django's own, tested upstream.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    if IN_CI and not settings.IS_POSTGRES:
        raise pytest.UsageError("CI=true: the suite must run on PostgreSQL (DATABASE_URL is not PostgreSQL)")
    if IN_CI and not settings.REDIS_URL:
        raise pytest.UsageError("CI=true: the suite needs Redis (REDIS_URL is not set)")


def pytest_collection_modifyitems(config, items):
    skip_pg = pytest.mark.skip(reason="needs PostgreSQL (DATABASE_URL)")
    skip_redis = pytest.mark.skip(reason="needs Redis (REDIS_URL)")
    for item in items:
        if "postgres" in item.keywords and not settings.IS_POSTGRES:
            item.add_marker(skip_pg)
        if "redis" in item.keywords and not settings.REDIS_URL:
            item.add_marker(skip_redis)


@pytest.fixture(autouse=True)
def _eager_celery():
    """Tasks run in-process in tests, except where a test starts a real worker.

    With the CELERY settings namespace the key Celery reads is CELERY_TASK_ALWAYS_EAGER.
    """
    celery_app.conf.CELERY_TASK_ALWAYS_EAGER = True
    yield
    celery_app.conf.CELERY_TASK_ALWAYS_EAGER = True


@pytest.fixture(autouse=True)
def _data_migration_rows(request, _django_db_helper, django_db_blocker):
    """Transactional tests (live server, Celery worker) flush every table at teardown, the rows that
    data migrations made included; put the five competency dimensions back for every database test."""
    uses_db = request.node.get_closest_marker("django_db") or {"db", "transactional_db", "live_server"} & set(
        request.fixturenames
    )
    if uses_db:
        with django_db_blocker.unblock():
            DIMENSIONS_MIGRATION.create_dimensions(django_apps, None)


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture
def team(db):
    return TeamFactory(code="t1", name="一组")


@pytest.fixture
def manager(db):
    return StaffFactory(user__username="boss", role=Staff.Role.MANAGER, team=None)


@pytest.fixture
def team_lead(team):
    return StaffFactory(user__username="lead", role=Staff.Role.TEAM_LEAD, team=team)


@pytest.fixture
def operator(team):
    return StaffFactory(user__username="op1", role=Staff.Role.OPERATOR, team=team)


@pytest.fixture
def client_for():
    """`client_for(staff)`: an API client authenticated as that staff member."""

    def make(staff):
        client = APIClient()
        client.force_authenticate(staff.user)
        return client

    return make


@pytest.fixture
def celery_worker_process(transactional_db):
    """A real Celery worker on Redis, working on the test database; tasks sent to it are not eager."""
    env = dict(os.environ)
    env["DATABASE_URL"] = _database_url_for_test_db()
    env["REDIS_URL"] = settings.REDIS_URL
    env["CELERY_TASK_ALWAYS_EAGER"] = "false"
    queue = f"test-{os.getpid()}"
    proc = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "sitadmin", "worker", "-P", "solo", "-Q", queue, "-l", "warning"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    celery_app.conf.CELERY_TASK_ALWAYS_EAGER = False
    old_queue = celery_app.conf.task_default_queue
    celery_app.conf.CELERY_TASK_DEFAULT_QUEUE = queue
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise RuntimeError(f"celery worker exited: {proc.stderr.read().decode()[-2000:]}")
            replies = celery_app.control.ping(timeout=0.5, destination=None) or []
            if replies:
                break
        else:
            raise RuntimeError("celery worker did not answer within 30 s")
        yield queue
    finally:
        celery_app.conf.CELERY_TASK_DEFAULT_QUEUE = old_queue
        celery_app.conf.CELERY_TASK_ALWAYS_EAGER = True
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def database_url(name: str) -> str:
    """The URL of database `name` on the test database's server (a scratch database, `postgres`)."""
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"


def _database_url_for_test_db() -> str:
    return database_url(connection.settings_dict["NAME"])

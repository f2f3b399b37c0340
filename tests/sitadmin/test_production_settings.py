"""DEBUG=false turns on HTTPS-only settings, and Django's deployment check passes without a warning."""

import base64
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
# The commands run against the test database, which exists once the session has set it up.
pytestmark = pytest.mark.django_db


def _test_database_url() -> str:
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _run(code_or_args: list[str], **env) -> subprocess.CompletedProcess:
    environment = {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": "k" * 20 + "-Zq8#x!p2@Lm5^rT9&vB3*nW7(yC1)uE",
        # A production deployment names its phone keys (no development defaults with DEBUG off).
        "PHONE_ENCRYPTION_KEYS": "k1:" + base64.b64encode(b"K" * 32).decode(),
        "PHONE_INDEX_KEY": base64.b64encode(b"I" * 32).decode(),
        "DATABASE_URL": _test_database_url(),
        **env,
    }
    environment.pop("DJANGO_SETTINGS_MODULE", None)
    # The browser tests let Django's ORM run beside Playwright's event loop; a deployment never does.
    environment.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return subprocess.run(
        [sys.executable, *code_or_args], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_is_clean_with_debug_off():
    result = _run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], ALLOWED_HOSTS="sitadmin.example.com")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_debug_off_means_https_only():
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'sitadmin.settings'; django.setup();"
        "from django.conf import settings as s;"
        "print(s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS,"
        " s.SECURE_PROXY_SSL_HEADER)"
    )
    result = _run(["-c", code])
    assert result.stdout.strip() == "True True True 31536000 ('HTTP_X_FORWARDED_PROTO', 'https')", result.stderr


def test_debug_off_without_a_secret_key_refuses_to_start():
    result = _run(["manage.py", "check"], SECRET_KEY="")
    assert result.returncode != 0

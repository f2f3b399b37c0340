"""`make backup` writes a pg_dump archive; `make restore` loads it into a scratch database."""

import os
import subprocess
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from staff.audit.services import audit_record
from tests.conftest import database_url
from tests.staff.factories import TeamFactory

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_backup_restores_into_a_scratch_database(tmp_path):
    TeamFactory(code="t7", name="七组")
    audit_record(action="export", user="boss", object_repr="kpis.csv")
    env = {**os.environ, "DATABASE_URL": database_url(connection.settings_dict["NAME"]), "BACKUP_DIR": str(tmp_path)}
    backup = subprocess.run(["make", "-s", "backup"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert backup.returncode == 0, backup.stderr
    archive = Path(backup.stdout.strip().splitlines()[-1])
    assert archive.read_bytes()[:5] == b"PGDMP"  # pg_dump's custom format

    scratch = f"{connection.settings_dict['NAME']}_restore"
    with psycopg.connect(database_url("postgres"), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{scratch}"')
        admin.execute(f'CREATE DATABASE "{scratch}"')
    try:
        restore = subprocess.run(
            ["make", "-s", "restore", f"FILE={archive}"],
            cwd=ROOT,
            env={**env, "DATABASE_URL": database_url(scratch)},
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert restore.returncode == 0, restore.stderr
        with psycopg.connect(database_url(scratch)) as restored:
            assert restored.execute("SELECT name FROM staff_team WHERE code = 't7'").fetchone() == ("七组",)
            assert restored.execute("SELECT object_repr FROM staff_auditentry").fetchall() == [("kpis.csv",)]
    finally:
        with psycopg.connect(database_url("postgres"), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{scratch}"')

"""Phones at rest: encrypted with their key id, unique through the blind index, never in plain text."""

import base64
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction

from customers.events.services import events_ingest
from customers.models import Customer, ImportJob, ImportRowError
from customers.privacy.crypto import PhoneDecryptionError, phone_decrypt, phone_encrypt, phone_index
from tests.customers.factories import CustomerFactory, LeadSourceFactory
from tests.staff.factories import StaffFactory

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[3]

KEY_A = "a:" + base64.b64encode(b"A" * 32).decode()
KEY_B = "b:" + base64.b64encode(b"B" * 32).decode()


def _raw_customer_text() -> str:
    """Every column of customers_customer as text, read with plain SQL as a dump would show it."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM customers_customer")
        return " ".join(str(value) for row in cursor.fetchall() for value in row)


def test_a_raw_read_of_the_customer_table_shows_no_phone_digits():
    CustomerFactory(phone="13912344512")
    LeadSourceFactory(code="unknown")
    StaffFactory(user__username="op1")
    result = events_ingest(
        events=[
            {
                "id": "e1",
                "type": "friend_added",
                "at": "2026-11-20T10:00:00+08:00",
                "phone": "13788776655",
                "staff": "op1",
            }
        ]
    )
    assert result.errors == []
    raw = _raw_customer_text()
    assert Customer.objects.count() == 2
    for phone in ("13912344512", "13788776655"):
        assert phone not in raw
        # Nor the middle digits a masked number hides.
        assert phone[3:7] not in raw
    # Yet both read back in full through the model.
    assert sorted(c.phone for c in Customer.objects.all()) == ["13788776655", "13912344512"]


def test_each_value_carries_its_key_id_and_equal_numbers_never_look_alike(settings):
    settings.PHONE_ENCRYPTION_KEYS, settings.PHONE_ENCRYPTION_KEY_ID = KEY_A, "a"
    first, second = phone_encrypt("13912344512"), phone_encrypt("13912344512")
    assert first.startswith("a:") and second.startswith("a:")
    assert first != second
    assert phone_decrypt(first) == phone_decrypt(second) == "13912344512"
    # The index of a number is stable, so it can be unique and searched.
    assert phone_index("13912344512") == phone_index("13912344512") != phone_index("13912344513")


def test_a_tampered_value_does_not_decrypt():
    stored = phone_encrypt("13912344512")
    body = bytearray(base64.b64decode(stored.partition(":")[2]))
    body[-1] ^= 1
    with pytest.raises(PhoneDecryptionError):
        phone_decrypt(stored.partition(":")[0] + ":" + base64.b64encode(bytes(body)).decode())


def test_the_blind_index_keeps_phones_unique():
    CustomerFactory(phone="13912344512")
    with pytest.raises(IntegrityError), transaction.atomic():
        CustomerFactory(phone="13912344512")


def test_rotate_phone_key_re_encrypts_every_stored_phone(settings):
    settings.PHONE_ENCRYPTION_KEYS, settings.PHONE_ENCRYPTION_KEY_ID = KEY_A, "a"
    customers = [CustomerFactory(phone=f"1391234451{n}") for n in range(5)]
    CustomerFactory(phone=None, external_id="wm-only")
    job_error = ImportRowError.objects.create(
        job=_job(), row_number=2, phone_encrypted=phone_encrypt("1391234"), reason="号码位数不对"
    )
    index_before = {c.pk: c.phone_index for c in customers}
    settings.PHONE_ENCRYPTION_KEYS, settings.PHONE_ENCRYPTION_KEY_ID = f"{KEY_A},{KEY_B}", "b"
    call_command("rotate_phone_key", "--batch-size", "2", stdout=io.StringIO())
    # The old key can go now: every value is under key b and reads the same.
    settings.PHONE_ENCRYPTION_KEYS = KEY_B
    stored = dict(Customer.objects.exclude(phone_encrypted=None).values_list("pk", "phone_encrypted"))
    assert all(value.startswith("b:") for value in stored.values()) and len(stored) == 5
    assert {c.pk: Customer.objects.get(pk=c.pk).phone for c in customers} == {
        c.pk: f"1391234451{n}" for n, c in enumerate(customers)
    }
    assert dict(Customer.objects.exclude(phone_index=None).values_list("pk", "phone_index")) == index_before
    job_error.refresh_from_db()
    assert job_error.phone_encrypted.startswith("b:") and phone_decrypt(job_error.phone_encrypted) == "1391234"


def _job() -> ImportJob:
    job = ImportJob(file_name="x.csv", source=LeadSourceFactory(code="tele"))
    job.file.save("x.csv", ContentFile(b"phone\n"), save=False)
    job.save()
    return job


def test_a_deployment_without_phone_keys_does_not_start():
    env = {k: v for k, v in os.environ.items() if not k.startswith("PHONE_")}
    env.update(DEBUG="false", SECRET_KEY="x" * 50, DJANGO_SETTINGS_MODULE="sitadmin.settings")
    run = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert run.returncode != 0 and "PHONE_ENCRYPTION_KEYS" in run.stderr
    env.update(PHONE_ENCRYPTION_KEYS=KEY_A, PHONE_INDEX_KEY=base64.b64encode(b"I" * 32).decode())
    run = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr

"""The migrations encrypt phones stored before them, customers' and the row reports' alike."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from customers.models import Customer, ImportRowError
from customers.privacy.crypto import phone_decrypt, phone_index, phone_last4_index
from customers.privacy.keys import keyring

BEFORE = [("customers", "0007_phone_encrypted_columns")]
AFTER = None  # every app's latest migration: the tables the other tests expect


def _migrate(targets) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets if targets is not None else executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_existing_phones_are_encrypted_by_the_migration():
    _migrate(BEFORE)
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO customers_leadsource (code, name, kind) VALUES ('tele', 'tele', 'telesales') RETURNING id"
            )
            source_id = cursor.fetchone()[0]
            cursor.execute(
                "INSERT INTO customers_customer (phone, name, remark, source_id, stage, created_at, updated_at)"
                " VALUES ('13912344512', 'old', '', %s, 'lead', now(), now()) RETURNING id",
                [source_id],
            )
            customer_id = cursor.fetchone()[0]
            cursor.execute(
                "INSERT INTO customers_importjob (file, file_name, file_size, source_id, allocation, status, error,"
                " total_rows, created, updated, duplicates, invalid, unassigned, orders_created, held_elsewhere,"
                " progress, created_at) VALUES ('', 'x.csv', 0, %s, 'none', 'done', '', 0, 0, 0, 0, 0, 0, 0, 0, 100,"
                " now()) RETURNING id",
                [source_id],
            )
            job_id = cursor.fetchone()[0]
            cursor.execute(
                "INSERT INTO customers_importrowerror (job_id, row_number, value, phone_encrypted, reason) VALUES"
                " (%s, 3, '13912344512', '', '文件内重复 duplicate of row 2'),"
                " (%s, 4, 'SO-1', '', '订单号重复 duplicate order_no, first on row 2')",
                [job_id, job_id],
            )
    finally:
        _migrate(AFTER)
    customer = Customer.objects.get(pk=customer_id)
    assert customer.phone_encrypted.partition(":")[0] == keyring().current_id
    assert (customer.phone, customer.phone_index, customer.phone_last4) == (
        "13912344512",
        phone_index("13912344512"),
        phone_last4_index("4512"),
    )
    rows = {e.row_number: e for e in ImportRowError.objects.filter(job_id=job_id)}
    assert (rows[3].value, phone_decrypt(rows[3].phone_encrypted)) == ("", "13912344512")
    # An order number is no phone: left as it was.
    assert (rows[4].value, rows[4].phone_encrypted) == ("SO-1", "")

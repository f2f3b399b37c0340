"""Encrypt the phones already stored: customers' numbers, and the phone cells of import row reports.

Batches of 5,000 rows in id order, each read, encrypted and indexed in Python and written back in
one batched statement; the reverse decrypts them into the plain columns again.
"""

from django.db import migrations

from customers.privacy.crypto import phone_decrypt, phones_encrypt, phones_index, phones_last4_index

BATCH = 5000
# Reasons of the row report whose value is the phone cell (lead and order files alike).
PHONE_REASONS = ("缺少手机号", "号码位数不对", "不是大陆手机号", "文件内重复")


def _batches(cursor, sql: str):
    last = 0
    while True:
        cursor.execute(sql, [last, BATCH])
        rows = cursor.fetchall()
        if not rows:
            return
        yield rows
        last = rows[-1][0]


def encrypt_phones(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        read = "SELECT id, phone FROM customers_customer WHERE id > %s AND phone IS NOT NULL ORDER BY id LIMIT %s"
        for rows in _batches(cursor, read):
            phones = [phone for _, phone in rows]
            cursor.executemany(
                "UPDATE customers_customer SET phone_encrypted = %s, phone_index = %s, phone_last4 = %s WHERE id = %s",
                list(
                    zip(phones_encrypt(phones), phones_index(phones), phones_last4_index(phones), [i for i, _ in rows])
                ),
            )
        phone_reason = " OR ".join(["reason LIKE %s"] * len(PHONE_REASONS))
        read = (
            "SELECT id, value FROM customers_importrowerror WHERE id > %s AND value <> ''"  # noqa: S608 (fixed text)
            f" AND ({phone_reason}) ORDER BY id LIMIT %s"
        )
        last = 0
        while True:
            cursor.execute(read, [last, *[f"{r}%" for r in PHONE_REASONS], BATCH])
            rows = cursor.fetchall()
            if not rows:
                break
            cursor.executemany(
                "UPDATE customers_importrowerror SET phone_encrypted = %s, value = '' WHERE id = %s",
                list(zip(phones_encrypt([value for _, value in rows]), [i for i, _ in rows])),
            )
            last = rows[-1][0]


def decrypt_phones(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        read = (
            "SELECT id, phone_encrypted FROM customers_customer WHERE id > %s AND phone_encrypted IS NOT NULL"
            " ORDER BY id LIMIT %s"
        )
        for rows in _batches(cursor, read):
            cursor.executemany(
                "UPDATE customers_customer SET phone = %s WHERE id = %s",
                [(phone_decrypt(stored), pk) for pk, stored in rows],
            )
        read = (
            "SELECT id, phone_encrypted FROM customers_importrowerror WHERE id > %s AND phone_encrypted <> ''"
            " ORDER BY id LIMIT %s"
        )
        for rows in _batches(cursor, read):
            cursor.executemany(
                "UPDATE customers_importrowerror SET value = %s WHERE id = %s",
                [(phone_decrypt(stored)[:255], pk) for pk, stored in rows],
            )


class Migration(migrations.Migration):
    dependencies = [
        ("customers", "0007_phone_encrypted_columns"),
    ]

    operations = [migrations.RunPython(encrypt_phones, decrypt_phones)]

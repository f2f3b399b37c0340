"""Revealing a masked phone to someone entitled to it, and re-encrypting phones under a new key."""

from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.utils.translation import gettext

from customers.models import Customer
from customers.privacy.audit import phone_reveal_audit
from customers.privacy.crypto import phone_decrypt, phones_encrypt
from customers.privacy.keys import keyring
from staff.models import Staff
from staff.roles import role_for, scope_by_owner

REVEALERS = (Staff.Role.MANAGER, Staff.Role.TEAM_LEAD)
ROTATE_BATCH = 5000


def phone_reveal_allowed(*, user) -> bool:
    """Whether `user` may reveal the masked numbers of the customers they see (managers, team leads)."""
    return role_for(user) in REVEALERS


def customer_phone_reveal(*, user, customer_id: int, request=None) -> str | None:
    """The full phone of a customer: managers any customer's, team leads their team's; audited.

    Operators see their own customers' numbers in full already and reveal none (PermissionDenied); a
    customer outside the user's scope is `Customer.DoesNotExist`. None for a customer without a phone
    (nothing is revealed, nothing recorded).
    """
    if not phone_reveal_allowed(user=user):
        raise PermissionDenied(gettext("只有运营负责人和组长可以查看完整号码。"))
    customer = scope_by_owner(Customer.objects.all(), user).only("pk", "phone_encrypted").get(pk=customer_id)
    phone = customer.phone
    if phone is not None:
        phone_reveal_audit(user=user, customer_id=customer.pk, request=request)
    return phone


def customer_phones_rotate(*, batch_size: int = ROTATE_BATCH, progress=None) -> int:
    """Re-encrypt with the current key every phone (customers' and row reports') under an older key.

    Set-based in batches in id order, each batch its own transaction, so a stopped run resumes where it
    was; the blind indexes do not change. Returns the number of values re-encrypted.
    """
    current = keyring().current_id
    done = 0
    for table in (Customer._meta.db_table, "customers_importrowerror"):
        last = 0
        while True:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT id, phone_encrypted FROM {table}"  # noqa: S608 (a model's table name)
                    " WHERE id > %s AND phone_encrypted IS NOT NULL AND phone_encrypted <> ''"
                    " AND phone_encrypted NOT LIKE %s ORDER BY id LIMIT %s FOR UPDATE",
                    [last, f"{current}:%", batch_size],
                )
                rows = cursor.fetchall()
                if not rows:
                    break
                fresh = phones_encrypt([phone_decrypt(stored) for _, stored in rows])
                cursor.executemany(
                    f"UPDATE {table} SET phone_encrypted = %s WHERE id = %s",  # noqa: S608 (a model's table name)
                    [(value, pk) for value, (pk, _) in zip(fresh, rows, strict=True)],
                )
            done += len(rows)
            last = rows[-1][0]
            if progress:
                progress(done)
    return done

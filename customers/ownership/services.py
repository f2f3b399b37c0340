"""Changing customers' owners, keeping every change as an ownership period (docs/domain.md §Vocabulary).

Every path that sets an owner (a change by hand, hand-over, the first friend_added event, import
allocation) goes through `customers_assign_owner` or `customers_assign_owner_bulk`, so the owner on any
past day can be told; a lead file on PostgreSQL opens its new customers' periods in the statement that
inserts them (`customers.services.import_staging`).
"""

import datetime as dt
from collections.abc import Mapping

from django.db import connection, transaction

from campaigns.sop.completion import sop_tasks_follow_owner
from customers.models import Customer, OwnershipPeriod
from sitadmin.bulk import rows_update


@transaction.atomic
def customers_assign_owner(
    *,
    assignments: Mapping[int, int | None],
    at: dt.datetime,
    cause: str,
    changed_by=None,
) -> int:
    """Give each customer id its new owner's staff id (None: no owner), from `at` on.

    Set-based: one update closes the open periods, one insert opens the new ones, one update moves
    `Customer.owner` (one statement whatever the number of distinct owners). Customers already owned
    by the given staff are left alone. Returns how many customers changed owner.
    """
    if not assignments:
        return 0
    current = dict(Customer.objects.filter(pk__in=list(assignments)).values_list("pk", "owner_id"))
    changed = {cid: sid for cid, sid in assignments.items() if cid in current and current[cid] != sid}
    if not changed:
        return 0
    OwnershipPeriod.objects.filter(customer_id__in=list(changed), ended_at__isnull=True).update(ended_at=at)
    OwnershipPeriod.objects.bulk_create(
        [
            OwnershipPeriod(customer_id=cid, staff_id=sid, started_at=at, cause=cause, changed_by=changed_by)
            for cid, sid in changed.items()
            if sid is not None
        ],
        batch_size=5000,
    )
    rows_update(model=Customer, columns=["id", "owner_id"], rows=[[cid, sid] for cid, sid in sorted(changed.items())])
    sop_tasks_follow_owner(customer_ids=changed)
    return len(changed)


@transaction.atomic
def customers_assign_owner_bulk(
    *,
    assignments: Mapping[int, int],
    at: dt.datetime,
    cause: str,
    changed_by=None,
) -> int:
    """`customers_assign_owner` for hundreds of thousands of customers at once (e.g. a large import).

    Same history rule: a customer whose owner changes gets its open period closed at `at` and a new
    one opened. The assignments go through a temporary table (`COPY` on PostgreSQL), then three
    set-based statements; the size of the mapping does not change the number of statements.
    Every value must be a staff id. Returns how many customers changed owner.
    """
    if not assignments:
        return 0
    at_value = connection.ops.adapt_datetimefield_value(at)
    changed_by_id = getattr(changed_by, "pk", None)
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS owner_assignment")
        cursor.execute("CREATE TEMPORARY TABLE owner_assignment (customer_id bigint PRIMARY KEY, staff_id bigint)")
        rows = list(assignments.items())
        if connection.vendor == "postgresql":
            with cursor.copy("COPY owner_assignment (customer_id, staff_id) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            cursor.executemany("INSERT INTO owner_assignment (customer_id, staff_id) VALUES (%s, %s)", rows)
        moving = (
            "SELECT a.customer_id FROM owner_assignment a JOIN customers_customer c ON c.id = a.customer_id"
            " WHERE c.owner_id IS NULL OR c.owner_id <> a.staff_id"
        )
        cursor.execute(
            f"UPDATE customers_ownershipperiod SET ended_at = %s WHERE ended_at IS NULL AND customer_id IN ({moving})",  # noqa: S608
            [at_value],
        )
        cursor.execute(
            "INSERT INTO customers_ownershipperiod (customer_id, staff_id, started_at, cause, changed_by_id)"
            " SELECT a.customer_id, a.staff_id, %s, %s, %s FROM owner_assignment a"
            " JOIN customers_customer c ON c.id = a.customer_id"
            " WHERE c.owner_id IS NULL OR c.owner_id <> a.staff_id",
            [at_value, cause, changed_by_id],
        )
        cursor.execute(
            "UPDATE customers_customer SET owner_id = a.staff_id FROM owner_assignment a"
            " WHERE a.customer_id = customers_customer.id"
            " AND (customers_customer.owner_id IS NULL OR customers_customer.owner_id <> a.staff_id)"
        )
        changed = cursor.rowcount
        cursor.execute("DROP TABLE owner_assignment")
    sop_tasks_follow_owner()
    return changed

"""Staging tables and the one set-based merge of an import.

Rows that passed the row checks are streamed into temporary tables (`COPY` on PostgreSQL, batched
inserts on SQLite); `ImportStaging.merge` then moves them into the real tables inside the caller's
transaction with a handful of statements whose number does not depend on the file size. A crash
before that transaction commits leaves the real tables untouched, so a re-run starts clean.
"""

import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd
from django.db import DatabaseError, connection, transaction
from django.db.models import Q
from django.utils import timezone

from campaigns.sop.engine import sop_fire_for_tagged
from customers.imports.messages import ORDER_TAKEN
from customers.imports.staging_sql import (
    _CHUNK_TABLES,
    _COLUMNS,
    _INSERT_CUSTOMERS,
    _TABLES,
    _TEXT_COLUMNS,
    _UPDATE_CUSTOMERS,
    _upsert_customers_sql,
    tagged_sql,
)
from customers.models import ImportJob, OwnershipPeriod, Tag
from customers.ownership.allocation import AllocationDealer
from customers.ownership.services import customers_assign_owner_bulk
from customers.privacy.import_scope import ImportScope, import_rows_hold

logger = logging.getLogger(__name__)
# One statement per this many rows on SQLite (7 columns × 2,000 stays under its parameter limit).
_SQLITE_BATCH = 2000


@dataclass
class MergeResult:
    created: int
    unassigned: int  # new customers left without an owner (all of them without an allocation)
    valid_rows: int
    first_rows: int  # valid rows speaking for their customer; the others repeat a phone
    invalid_rows: int
    orders_created: int
    ordered_customer_ids: list[int]
    held_elsewhere: int  # rows of customers owned outside a team lead's team: nothing written


class ImportStaging:
    """The temporary tables of one import run, on the current database connection.

    `import_row.first_of_phone` marks the row that speaks for its customer (name, remark, created
    or updated): every row of a lead file, the first row of each phone in an order file.
    """

    def __init__(self, *, orders: bool, dealer: AllocationDealer | None = None, scope: ImportScope | None = None):
        self.orders = orders
        self.dealer = dealer  # deals the new customers' owners, in file order; None: no allocation
        self.scope = scope  # a team lead's: customers owned outside it are held, not written; None: any
        self.postgres = connection.vendor == "postgresql"
        # Lead files on PostgreSQL write their customers chunk by chunk inside the run's one
        # transaction, so the database inserts while the next chunk is read (`write_customers`).
        self.pipelined = self.postgres and not orders
        self.created = 0
        self.unassigned = 0
        self.held = 0
        self.chunked_rows = 0  # every one the first of its phone: repeats of a lead file are not staged
        self.created_chunks = 0  # chunks written by `write_customers`

    def create(self) -> None:
        with connection.cursor() as cursor:
            if self.postgres:
                self._widen_temp_buffers(cursor)
            for table, columns in _TABLES.items():
                cursor.execute(f"DROP TABLE IF EXISTS {table}")
                cursor.execute(f"CREATE TEMPORARY TABLE {table} ({columns})")

    @staticmethod
    def _widen_temp_buffers(cursor) -> None:
        """Keep the staging tables in memory (8 MB by default); possible only before a session's first one."""
        try:
            with transaction.atomic():
                cursor.execute("SET temp_buffers = '256MB'")
        except DatabaseError:
            logger.info("temp_buffers already fixed for this session; staging may spill to disk")

    def drop(self) -> None:
        with connection.cursor() as cursor:
            for table in _TABLES:
                cursor.execute(f"DROP TABLE IF EXISTS {table}")

    def write(self, table: str, frame: pd.DataFrame, *, csv_text: str | None = None) -> None:
        """Append a DataFrame holding the table's columns to a staging table.

        `csv_text`: the frame's `staged_csv`, when it was rendered ahead (PostgreSQL).
        """
        if frame.empty:
            return
        if self.pipelined and table in _CHUNK_TABLES:
            # Held apart until `write_customers` has written the chunk's customers.
            table = _CHUNK_TABLES[table]
            if table == "import_chunk":
                self.chunked_rows += len(frame)
        columns = _COLUMNS[table]
        with connection.cursor() as cursor:
            if self.postgres:
                # CSV through COPY: FORCE_NOT_NULL keeps empty text as "".
                text = staged_csv(table, frame) if csv_text is None else csv_text
                not_null = ", ".join(c for c in columns if c in _TEXT_COLUMNS)
                with cursor.copy(
                    f"COPY {table} ({', '.join(columns)}) FROM STDIN WITH (FORMAT csv, FORCE_NOT_NULL ({not_null}))"
                ) as copy:
                    copy.write(text)
                return
            placeholders = ", ".join(["%s"] * len(columns))
            sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders})"  # noqa: S608
            rows = [_sqlite_row(row) for row in frame[list(columns)].itertuples(index=False, name=None)]
            for start in range(0, len(rows), _SQLITE_BATCH):
                cursor.executemany(sql, rows[start : start + _SQLITE_BATCH])

    def write_customers(self, *, job: ImportJob, now: dt.datetime, tag_texts: Iterable[str]) -> None:
        """Write the customers, owners and tag links of the chunk just staged (pipelined runs, inside their
        transaction).

        Repeated phones never reach here, so a phone already stored is a customer that existed before the run.
        """
        stamp = connection.ops.adapt_datetimefield_value(now)
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL work_mem = '256MB'")
            # Foreign keys checked by each statement rather than all at the commit: the checks then run
            # while the reader thread parses the next chunk.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            if not self.created_chunks:
                # Column statistics for the planner, once: the chunks are alike, and the planner takes
                # each one's size from its pages (a TRUNCATE forgets the row count, not the statistics).
                cursor.execute("ANALYZE import_chunk")
                cursor.execute("ANALYZE import_chunk_tag")
            if self.scope:
                self.held += import_rows_hold(cursor, scope=self.scope, rows="import_chunk", tags="import_chunk_tag")
            if self.dealer:
                self._deal_chunk(cursor)
            cursor.execute(
                _upsert_customers_sql(dealt=self.dealer is not None),
                {
                    "source": job.source_id,
                    "now": stamp,
                    "cause": OwnershipPeriod.Cause.IMPORT,
                    "changed_by": job.created_by_id,
                },
            )
            created, unassigned = cursor.fetchone()
            if not self.created_chunks:
                cursor.execute("ANALYZE import_chunk_id")
            self.created_chunks += 1
            self._merge_tags(cursor, tag_texts, tags="import_chunk_tag", chunk=True)
            # Back to Django's deferred foreign keys for whatever else the transaction holds.
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            cursor.execute("TRUNCATE import_chunk, import_chunk_tag, import_chunk_owner, import_chunk_id")
        self.created += created
        self.unassigned += unassigned

    def _deal_chunk(self, cursor) -> None:
        """Deal owners to the chunk's new phones, in file order, into `import_chunk_owner`.

        Should another writer store one of those phones before the chunk is written, that customer is
        updated instead and the owner dealt to it goes unused.
        """
        cursor.execute(
            "SELECT r.row_no FROM import_chunk r WHERE r.first_of_phone"
            " AND NOT EXISTS (SELECT 1 FROM customers_customer c WHERE c.phone_index = r.phone_index) ORDER BY r.row_no"
        )
        rows = [row for (row,) in cursor.fetchall()]
        owners = self.dealer.deal(len(rows))
        with cursor.copy("COPY import_chunk_owner (row_no, staff_id) FROM STDIN") as copy:
            for row, staff_id in zip(rows, owners, strict=True):
                if staff_id is not None:
                    copy.write_row((row, staff_id))
        cursor.execute("ANALYZE import_chunk_owner")

    def _write_customers(self, cursor, *, job: ImportJob, now: dt.datetime) -> tuple[int, int]:
        """(created, unassigned) of the customers staged in `import_row` (runs merged after reading)."""
        stamp = connection.ops.adapt_datetimefield_value(now)
        cursor.execute(_UPDATE_CUSTOMERS, [stamp])
        insert = _INSERT_CUSTOMERS
        if not self.dealer:
            cursor.execute(insert, [job.source_id, stamp, stamp])
            return cursor.rowcount, cursor.rowcount
        cursor.execute(f"{insert} RETURNING id", [job.source_id, stamp, stamp])
        # sqlite3 counts RETURNING rows only once they are fetched.
        created = {row[0] for row in cursor.fetchall()}
        # Dealt in file order, as a pipelined run deals them chunk by chunk.
        cursor.execute(
            "SELECT c.id FROM import_row r JOIN customers_customer c ON c.phone_index = r.phone_index"
            " WHERE r.first_of_phone ORDER BY r.row_no"
        )
        new_ids = [cid for (cid,) in cursor.fetchall() if cid in created]
        assignments = {
            cid: staff_id
            for cid, staff_id in zip(new_ids, self.dealer.deal(len(new_ids)), strict=True)
            if staff_id is not None
        }
        customers_assign_owner_bulk(
            assignments=assignments, at=now, cause=OwnershipPeriod.Cause.IMPORT, changed_by=job.created_by
        )
        return len(created), len(created) - len(assignments)

    def merge(self, *, job: ImportJob, tag_texts: Iterable[str], now: dt.datetime) -> MergeResult:
        """Write customers, owners, tags, orders and the row report of `job`; call inside a transaction.

        A pipelined run has written its customers, owners and tags already (`write_customers`).
        """
        with connection.cursor() as cursor:
            if self.postgres:
                # Room for the hash joins and the sort of a million staged rows in memory.
                cursor.execute("SET LOCAL work_mem = '256MB'")
                # The commit does not wait for its WAL flush: a crash right after it may lose the whole
                # import (the job then stays `running` and is re-run), never half of it.
                cursor.execute("SET LOCAL synchronous_commit = off")
            held = self.held
            if self.pipelined:
                valid = firsts = self.chunked_rows - held
                invalid = 0
                created, unassigned = self.created, self.unassigned
            else:
                if self.postgres:
                    cursor.execute("ANALYZE import_row")
                if self.scope:
                    held = import_rows_hold(cursor, scope=self.scope, rows="import_row", tags="import_row_tag")
                invalid = self._drop_taken_orders(cursor) if self.orders else 0
                cursor.execute(
                    "SELECT COUNT(*), COALESCE(SUM(CASE WHEN first_of_phone THEN 1 ELSE 0 END), 0) FROM import_row"
                )
                valid, firsts = cursor.fetchone()
                created, unassigned = self._write_customers(cursor, job=job, now=now)
                self._merge_tags(cursor, tag_texts, tags="import_row_tag")
            orders_created, ordered_ids = self._merge_orders(cursor, job) if self.orders else (0, [])
            cursor.execute("DELETE FROM customers_importrowerror WHERE job_id = %s", [job.pk])
            cursor.execute(
                "INSERT INTO customers_importrowerror (job_id, row_number, value, phone_encrypted, reason)"
                " SELECT %s, row_no, value, COALESCE(phone_encrypted, ''), reason FROM import_row_error"
                " WHERE TRUE ORDER BY row_no",
                [job.pk],
            )
        return MergeResult(
            created=created,
            unassigned=unassigned,
            valid_rows=valid,
            first_rows=firsts,
            invalid_rows=invalid,
            orders_created=orders_created,
            ordered_customer_ids=ordered_ids,
            held_elsewhere=held,
        )

    def _drop_taken_orders(self, cursor) -> int:
        """Rows whose order number already belongs to another customer become invalid rows."""
        cursor.execute(
            "INSERT INTO import_row_error (row_no, value, reason)"
            " SELECT r.row_no, r.order_no, %s FROM import_row r"
            " JOIN customers_order o ON o.order_no = r.order_no"
            " JOIN customers_customer c ON c.id = o.customer_id"
            " WHERE c.phone_index IS NULL OR c.phone_index <> r.phone_index",
            [ORDER_TAKEN],
        )
        taken = cursor.rowcount
        if taken:
            reason_filter = "SELECT row_no FROM import_row_error WHERE reason = %s"
            cursor.execute(f"DELETE FROM import_row WHERE row_no IN ({reason_filter})", [ORDER_TAKEN])  # noqa: S608
            cursor.execute(f"DELETE FROM import_row_tag WHERE row_no IN ({reason_filter})", [ORDER_TAKEN])  # noqa: S608
            # The first row of a phone may have gone: its next row now speaks for the customer.
            cursor.execute(
                "UPDATE import_row SET first_of_phone = TRUE"
                " WHERE row_no IN (SELECT MIN(row_no) FROM import_row GROUP BY phone_index)"
            )
        return taken

    def _merge_tags(self, cursor, tag_texts: Iterable[str], *, tags: str, chunk: bool = False) -> None:
        """Link the customers of staging table `tags` (row_no, phone_index, tag) to their tags.

        `chunk`: a pipelined lead chunk just written (`tagged_sql`).
        """
        texts = set(tag_texts)
        if not texts:
            return
        tag_ids = _tags_for(texts)
        cursor.execute("DELETE FROM import_tag_id")
        self.write("import_tag_id", pd.DataFrame(sorted(tag_ids.items()), columns=["tag", "tag_id"]))
        if chunk:
            # Customers the chunk created have no links yet: nothing to skip, and no conflict to look
            # for (a third of the insert's time).
            _insert_links(cursor, tagged_sql(tags, chunk=True, created=True), skip_existing=False)
            _insert_links(cursor, tagged_sql(tags, chunk=True, created=False))
        else:
            _insert_links(cursor, tagged_sql(tags, chunk=False))
        sop_fire_for_tagged(customer_tags_sql=tagged_sql(tags, chunk=chunk), params=[], at=timezone.now())

    def _merge_orders(self, cursor, job: ImportJob) -> tuple[int, list[int]]:
        cursor.execute(
            "INSERT INTO customers_order (order_no, customer_id, amount, ordered_at, import_job_id)"
            " SELECT r.order_no, c.id, r.amount, r.ordered_at, %s FROM import_row r"
            " JOIN customers_customer c ON c.phone_index = r.phone_index"
            " WHERE NOT EXISTS (SELECT 1 FROM customers_order o WHERE o.order_no = r.order_no)"
            " ORDER BY r.row_no ON CONFLICT DO NOTHING RETURNING customer_id",
            [job.pk],
        )
        customer_ids = [row[0] for row in cursor.fetchall()]
        return len(customer_ids), sorted(set(customer_ids))


def _insert_links(cursor, tagged: str, *, skip_existing: bool = True) -> None:
    """Store the (customer_id, tag_id) rows of query `tagged` as tag links, each once."""
    cursor.execute(
        "INSERT INTO customers_customertag (customer_id, tag_id)"  # noqa: S608 (fixed statement text)
        f" SELECT DISTINCT q.customer_id, q.tag_id FROM ({tagged}) q WHERE TRUE ORDER BY q.customer_id, q.tag_id"
        # Links the customer has already are skipped by the primary key, not by an anti-join:
        # that would read all of customers_customertag for every chunk of a pipelined run.
        + (" ON CONFLICT DO NOTHING" if skip_existing else "")
    )


def staged_csv(table: str, frame: pd.DataFrame) -> str:
    """The CSV text that `ImportStaging.write` copies into PostgreSQL for a frame of `table`'s columns
    (pandas renders it in C)."""
    return frame[list(_COLUMNS[table])].to_csv(header=False, index=False)


def _tags_for(texts: set[str]) -> dict[str, int]:
    """Tag id for each text: the tag with that code, else with that name, else a new tag."""
    by_code: dict[str, int] = {}
    by_name: dict[str, int] = {}
    for pk, code, name in Tag.objects.filter(Q(code__in=texts) | Q(name__in=texts)).values_list("pk", "code", "name"):
        by_code[code] = pk
        by_name.setdefault(name, pk)
    missing = sorted(texts - by_code.keys() - by_name.keys())
    if missing:
        Tag.objects.bulk_create([Tag(code=text, name=text) for text in missing], ignore_conflicts=True)
        by_code.update(Tag.objects.filter(code__in=missing).values_list("code", "pk"))
    return {text: by_code.get(text) or by_name[text] for text in texts}


def _sqlite_row(row: tuple) -> tuple:
    return tuple(_sqlite_value(value) for value in row)


def _sqlite_value(value):
    if isinstance(value, dt.datetime):
        return connection.ops.adapt_datetimefield_value(value)
    if hasattr(value, "item"):
        # numpy scalars (row numbers, flags) as plain Python values for sqlite3.
        return value.item()
    return value

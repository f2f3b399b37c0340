"""Set-based writes the ORM has no call for: INSERT … ON CONFLICT DO NOTHING RETURNING, and UPDATE
from a list of (key, values) rows.

On PostgreSQL the rows travel as one JSON parameter (`jsonb_to_recordset`), so a 10,000-row write
is one short statement; on SQLite rows go as VALUES lists in chunks. Table and column names come
from the model's metadata and are quoted by the backend; values are always bound parameters.
"""

import datetime as dt
import json
from decimal import Decimal

from django.db import connection

# Rows per VALUES statement on SQLite: 2,000 rows of 14 columns stay under its 32,766 parameters.
SQLITE_CHUNK_ROWS = 2000


def _fields(model, columns: list[str]):
    by_attname = {f.attname: f for f in model._meta.concrete_fields}
    return [by_attname[column] for column in columns]


def _json_value(value):
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"cannot send {type(value).__name__} as a row value")


def _pg_recordset(fields, rows: list[list]) -> tuple[str, list]:
    """`jsonb_to_recordset(%s) AS v(c0 type, …)` and its one parameter: the rows as JSON, encoded
    in C and parsed by the server, much cheaper than one bound parameter per value."""
    names = [f"c{n}" for n in range(len(fields))]
    columns = ", ".join(f"{name} {f.db_type(connection)}" for name, f in zip(names, fields, strict=True))
    payload = json.dumps([dict(zip(names, row, strict=True)) for row in rows], default=_json_value, ensure_ascii=False)
    return f"jsonb_to_recordset(%s::jsonb) AS v({columns})", [payload]


def rows_insert_ignoring_conflicts(
    *, model, columns: list[str], rows: list[list], conflict: str | None, returning: list[str]
) -> list[tuple]:
    """Insert `rows` (values in `columns` order), skipping those whose `conflict` column is taken (None:
    that break any unique constraint); returns the `returning` columns of the rows this call stored."""
    if not rows:
        return []
    qn = connection.ops.quote_name
    fields = _fields(model, columns)
    head = f"INSERT INTO {qn(model._meta.db_table)} ({', '.join(qn(f.column) for f in fields)}) "
    target = f"({qn(conflict)}) " if conflict else ""
    tail = f" ON CONFLICT {target}DO NOTHING RETURNING {', '.join(qn(c) for c in returning)}"
    stored = []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            source, params = _pg_recordset(fields, rows)
            cursor.execute(head + f"SELECT * FROM {source}" + tail, params)  # noqa: S608 (names only)
            return cursor.fetchall()
        for start in range(0, len(rows), SQLITE_CHUNK_ROWS):
            chunk = rows[start : start + SQLITE_CHUNK_ROWS]
            values = ", ".join(["(" + ", ".join(["%s"] * len(fields)) + ")"] * len(chunk))
            params = [f.get_db_prep_save(v, connection) for row in chunk for f, v in zip(fields, row, strict=True)]
            cursor.execute(head + "VALUES " + values + tail, params)
            stored.extend(cursor.fetchall())
    return stored


def rows_update(*, model, columns: list[str], rows: list[list]) -> None:
    """Set `columns[1:]` of the rows whose primary key (`columns[0]`) is the first value of a row."""
    if not rows:
        return
    qn = connection.ops.quote_name
    fields = _fields(model, columns)
    table = qn(model._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            source, params = _pg_recordset(fields, rows)
            assignments = ", ".join(f"{qn(f.column)} = v.c{n + 1}" for n, f in enumerate(fields[1:]))
            cursor.execute(
                f"UPDATE {table} SET {assignments} FROM {source} "  # noqa: S608 (names only)
                f"WHERE {table}.{qn(fields[0].column)} = v.c0",
                params,
            )
            return
        # SQLite names the columns of a VALUES list column1, column2, …
        assignments = ", ".join(f"{qn(f.column)} = v.column{n + 2}" for n, f in enumerate(fields[1:]))
        for start in range(0, len(rows), SQLITE_CHUNK_ROWS):
            chunk = rows[start : start + SQLITE_CHUNK_ROWS]
            values = ", ".join(["(" + ", ".join(["%s"] * len(fields)) + ")"] * len(chunk))
            params = [f.get_db_prep_save(v, connection) for row in chunk for f, v in zip(fields, row, strict=True)]
            cursor.execute(
                f"UPDATE {table} SET {assignments} FROM (VALUES {values}) AS v "  # noqa: S608 (names only)
                f"WHERE {table}.{qn(fields[0].column)} = v.column1",
                params,
            )

"""A list of ids in a WHERE clause on either database (an array on PostgreSQL, a list elsewhere)."""

from django.db import connection


def ids_in(column: str, ids: list[int]) -> tuple[str, list]:
    if connection.vendor == "postgresql":
        # Typed: psycopg would send small ids as smallint[], which no bigint index matches.
        return f"{column} = ANY(%s::bigint[])", [ids]
    return f"{column} IN ({', '.join(['%s'] * len(ids))})", list(ids)

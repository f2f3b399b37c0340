"""What every benchmark does first: a PostgreSQL database of its own, and Django set up on it."""

import os
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parent.parent


def bench_database_url(name: str, *, fresh: bool) -> str:
    """The URL of database `name` on the server of `DATABASE_URL`, dropped and created anew if `fresh`.

    `BENCH_DB_SUFFIX` is appended to the name, so engineers sharing a server each measure on their own copy.
    """
    name += os.environ.get("BENCH_DB_SUFFIX", "")
    base = urlsplit(os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/sitadmin"))
    if fresh:
        admin_url = urlunsplit(base._replace(path="/postgres"))
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return urlunsplit(base._replace(path=f"/{name}"))


def django_setup(*, database_url: str) -> None:
    """Point Django at the benchmark database, quiet its logging, and set it up."""
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sitadmin.settings")
    os.environ["LOG_LEVEL"] = "WARNING"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()

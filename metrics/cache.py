"""KPI reads cached under the version of the KPI tables (docs/metrics.md §Reading the KPI tables).

`DailyKpi` changes only when a day is computed, yet the summary of a year is read by every page view
and report client. `kpi_cached` keeps a selector's answer in the cache (Redis in production) under
`KpiRowsVersion.token`, which statement triggers draw anew on every change of `DailyKpi` or
`KpiComputation`; reading the token is one primary-key lookup. An answer can never outlive the rows
it was read from: a reader that fetched the token before a change committed stores rows at least as
new as that token.

On SQLite (the embedded `make run`) there is no trigger, and reads go straight to the tables.
"""

import functools
import hashlib
from collections.abc import Callable
from contextvars import ContextVar

from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import connection

# Long enough for a working day; old versions are never read again, so they may expire at leisure.
TIMEOUT_SECONDS = 24 * 3600


# Within one request the token is read once, however many KPI reads a page makes; outside a request
# (Celery, commands) it is read every time.
_request_memo: ContextVar[dict | None] = ContextVar("kpi_rows_version_memo", default=None)


def kpi_rows_version() -> str | None:
    """The current token, or None where reads are not cached (SQLite, or no version row yet)."""
    if connection.vendor != "postgresql":
        return None
    memo = _request_memo.get()
    if memo is not None and "token" in memo:
        return memo["token"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT token FROM metrics_kpirowsversion WHERE id = 1")
        row = cursor.fetchone()
    token = str(row[0]) if row else None
    if memo is not None and token is not None:
        memo["token"] = token
    return token


def kpi_rows_version_forget() -> None:
    """Read the token again at the next KPI read of this request (after writing KPI rows in it)."""
    memo = _request_memo.get()
    if memo is not None:
        memo.clear()


def _request_begins(**kwargs) -> None:
    _request_memo.set({})


def _request_ends(**kwargs) -> None:
    _request_memo.set(None)


request_started.connect(_request_begins, dispatch_uid="metrics.cache.request_begins")
request_finished.connect(_request_ends, dispatch_uid="metrics.cache.request_ends")


def _normalised(value):
    if isinstance(value, set | frozenset | list | tuple):
        return tuple(sorted(value))
    return value


def kpi_cached(selector: Callable) -> Callable:
    """Cache `selector` (keyword arguments only) under the rows' version; each call gets its own copy."""

    @functools.wraps(selector)
    def cached(**kwargs):
        version = kpi_rows_version()
        if version is None:
            return selector(**kwargs)
        arguments = repr(sorted((name, _normalised(value)) for name, value in kwargs.items()))
        digest = hashlib.sha256(arguments.encode()).hexdigest()
        key = f"kpi:{selector.__name__}:{version}:{digest}"
        answer = cache.get(key)
        if answer is None:
            answer = selector(**kwargs)
            cache.set(key, answer, TIMEOUT_SECONDS)
        return answer

    return cached

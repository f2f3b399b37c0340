"""KPI reads cached under the version of the KPI rows (docs/metrics.md §Reading the KPI tables).

`DailyKpi` changes only when a day is computed, yet the summary of a year is read by every page view
and report client. `kpi_cached` keeps a selector's answer in the cache (Redis in production) under
`KpiRowsVersion.token`, which statement triggers draw anew on every change of `DailyKpi` or
`KpiComputation`; reading the token is one primary-key lookup. An answer can never outlive the rows it was read from: a
reader that fetched the token before a change committed stores rows at least as new as that token.

On SQLite (the embedded `make run`) there is no trigger, and reads go straight to the tables.
"""

import functools
import hashlib
from collections.abc import Callable

from django.core.cache import cache
from django.db import connection

# Long enough for a working day; old versions are never read again, so they may expire at leisure.
TIMEOUT_SECONDS = 24 * 3600


def kpi_rows_version() -> str | None:
    """The current token, or None where reads are not cached (SQLite, or no version row yet)."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT token FROM metrics_kpirowsversion WHERE id = 1")
        row = cursor.fetchone()
    return str(row[0]) if row else None


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

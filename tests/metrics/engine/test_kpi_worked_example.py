"""The worked example of docs/metrics.md, end to end: the staff's team changes go through the staff API, its events
through `events_ingest`, the engine computes
2026-11-02..2026-11-10, and every daily row and range summary must match to 6 decimals; every
(date, dimension, key) the example does not list must hold only zeros."""

import datetime as dt
import random

import pytest
from django.contrib.auth import get_user_model
from rest_framework.test import APIClient

from customers.events.services import events_ingest
from customers.models import Customer
from metrics.catalog import ALL_METRICS, DIMENSION_METRICS, RATE_OF_SUMS
from metrics.engine.compute import kpis_compute_days
from metrics.models import DailyKpi
from metrics.selectors import kpi_summary
from sitadmin.dates import kpi_days
from staff.models import Staff
from tests.worked_example import worked_example, worked_example_team_changes, worked_example_world

EXAMPLE = worked_example()
DATE_FROM = dt.date.fromisoformat(EXAMPLE["date_from"])
DATE_TO = dt.date.fromisoformat(EXAMPLE["date_to"])


def _close(actual, expected) -> bool:
    if expected is None or actual is None:
        return expected is None and actual is None
    return round(float(actual), 6) == pytest.approx(round(float(expected), 6), abs=1e-6)


def _compare(actual: dict, expected: dict, where: str) -> list[str]:
    problems = []
    for metric in ALL_METRICS:
        want = expected.get(metric)
        if not _close(actual[metric], want):
            problems.append(f"{where} {metric}: got {actual[metric]!r}, expected {want!r}")
    return problems


def _zero_row(dimension: str) -> dict:
    """What an unlisted row means: zeros for counts, null rates, null for what is not carried."""
    carried = DIMENSION_METRICS[dimension]
    rates = set(RATE_OF_SUMS) | {"first_reply_minutes", "revenue_per_head", "fans_per_head", "speaking_rate_7d"}
    return {m: (0 if m in carried and m not in rates else None) for m in ALL_METRICS}


@pytest.mark.django_db
@pytest.mark.parametrize("arrival", ["as_listed", "shuffled"])
def test_worked_example(arrival):
    worked_example_world(EXAMPLE)
    # A superuser counts as a manager without being staff (headcount stays the example's).
    client = APIClient()
    client.force_authenticate(get_user_model().objects.create_superuser("root", password="x-long-enough-1"))
    worked_example_team_changes(EXAMPLE, client)
    events = list(EXAMPLE["events"])
    if arrival == "shuffled":
        random.Random(4).shuffle(events)
        # Arriving in two batches, the later one first, must not change a number either.
        result_late = events_ingest(events=events[12:])
        result_early = events_ingest(events=events[:12])
        assert result_late.errors == [] and result_early.errors == []
    else:
        assert events_ingest(events=events).errors == []

    owners = {
        c.phone: c.owner.user.username if c.owner else None for c in Customer.objects.select_related("owner__user")
    }
    assert owners == EXAMPLE["expected_owner"]

    kpis_compute_days(days=kpi_days(DATE_FROM, DATE_TO))

    stored = {(r.date.isoformat(), r.dimension, r.key): r for r in DailyKpi.objects.all()}
    problems = []
    listed = set()
    for expected in EXAMPLE["expected_daily"]:
        where = (expected["date"], expected["dimension"], expected["key"])
        listed.add(where)
        row = stored.get(where)
        actual = {m: getattr(row, m) for m in ALL_METRICS} if row else _zero_row(expected["dimension"])
        full = {m: expected.get(m) for m in ALL_METRICS}
        problems += _compare(actual, full, f"daily {where}")
    for where, row in stored.items():
        if where not in listed:
            problems += _compare(
                {m: getattr(row, m) for m in ALL_METRICS}, _zero_row(row.dimension), f"unlisted {where}"
            )
    assert {r.date for r in DailyKpi.objects.all()} <= set(kpi_days(DATE_FROM, DATE_TO))

    summaries = {}
    for dimension in DIMENSION_METRICS:
        for row in kpi_summary(dimension=dimension, date_from=DATE_FROM, date_to=DATE_TO):
            summaries[(dimension, row["key"])] = row
    for expected in EXAMPLE["expected_summary"]:
        where = (expected["dimension"], expected["key"])
        actual = summaries.pop(where, None)
        assert actual is not None, f"no summary for {where}"
        problems += _compare(actual, {m: expected.get(m) for m in ALL_METRICS}, f"summary {where}")
    for where, row in summaries.items():
        problems += _compare(row, _zero_row(where[0]), f"unlisted summary {where}")
    assert problems == []
    assert len(EXAMPLE["expected_daily"]) == 97 and len(EXAMPLE["expected_summary"]) == 14
    assert len(stored) >= len(EXAMPLE["expected_daily"])
    assert Staff.objects.count() == 4

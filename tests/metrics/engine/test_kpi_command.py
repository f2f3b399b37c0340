import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from customers.events.services import events_ingest
from metrics.models import KpiComputation
from metrics.selectors import kpi_coverage
from tests.staff.factories import StaffFactory


def _days_ago(n: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=n)


@pytest.mark.django_db
def test_compute_kpis_range_and_missing():
    StaffFactory(user__username="amy")
    first = _days_ago(10)
    result = events_ingest(
        events=[
            {
                "id": "c1",
                "type": "friend_added",
                "at": f"{first.isoformat()}T10:00:00+08:00",
                "phone": "13800000001",
                "staff": "amy",
            }
        ]
    )
    assert result.errors == []

    out = StringIO()
    call_command(
        "compute_kpis", "--date-from", _days_ago(12).isoformat(), "--date-to", _days_ago(11).isoformat(), stdout=out
    )
    assert "computed 2 day(s)" in out.getvalue()

    # From the first event's day (10 days ago) to yesterday nothing is computed yet: 10 days.
    out = StringIO()
    call_command("compute_kpis", "--missing", stdout=out)
    assert "computed 10 day(s)" in out.getvalue()
    # Later starts recompute only the last W = 7 days.
    out = StringIO()
    call_command("compute_kpis", "--missing", stdout=out)
    assert "computed 7 day(s)" in out.getvalue()
    assert KpiComputation.objects.count() == 12

    with pytest.raises(CommandError):
        call_command("compute_kpis", "--date-from", "2026-11-05", "--date-to", "2026-11-01")
    with pytest.raises(CommandError):
        call_command("compute_kpis")


@pytest.mark.django_db
def test_provisional_days_are_the_last_w_minus_1_days():
    call_command(
        "compute_kpis",
        "--date-from",
        _days_ago(7).isoformat(),
        "--date-to",
        _days_ago(1).isoformat(),
        stdout=StringIO(),
    )
    coverage = kpi_coverage(date_from=_days_ago(8), date_to=_days_ago(1))
    # W = 7: the cohorts of 6 days ago close at the end of today; those of 7 days ago are complete.
    assert coverage["provisional_days"][0] == _days_ago(8)  # never computed
    assert coverage["provisional_days"][1:] == [_days_ago(n) for n in range(6, 0, -1)]
    assert coverage["missing_days"] == [_days_ago(8)]
    assert coverage["computed_at_min"] is not None

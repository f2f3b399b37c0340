"""Reads of the precomputed KPI tables (docs/metrics.md). Nothing here touches events: only `DailyKpi` and
`KpiComputation`, a handful of queries whatever the length of the range."""

import datetime as dt
from collections.abc import Collection
from decimal import Decimal

from django.conf import settings
from django.db.models import F, Sum
from django.utils import timezone

from metrics.cache import kpi_cached
from metrics.catalog import ALL_METRICS, CENT, DIMENSION_METRICS, METRICS, RATE_OF_SUMS, STATE_AT_END, Metric, ratio
from metrics.models import DailyKpi, Dimension, KpiComputation
from metrics.reports.selectors import funnel_report, group_effect_report, repurchase_report, script_report
from sitadmin.dates import day_bounds, kpi_days
from staff.models import Staff
from staff.roles import role_for, staff_for

__all__ = [
    "funnel_report",
    "group_effect_report",
    "kpi_coverage",
    "kpi_daily",
    "kpi_keys_visible",
    "kpi_summary",
    "repurchase_report",
    "script_report",
]

# Summed over a range: the additive counts, and the state counts a ratio of sums divides by.
SUMMED_METRICS = tuple(
    m.name
    for m in METRICS
    if not m.is_rate and (m.fold == "sum" or m.name in {part for pair in RATE_OF_SUMS.values() for part in pair})
)


def _rows(*, dimension: str, date_from: dt.date, date_to: dt.date, keys: Collection[str] | None):
    qs = DailyKpi.objects.filter(dimension=dimension, date__gte=date_from, date__lte=date_to)
    if keys is not None:
        qs = qs.filter(key__in=list(keys))
    return qs


@kpi_cached
def kpi_daily(
    *, dimension: str, date_from: dt.date, date_to: dt.date, keys: Collection[str] | None = None
) -> list[dict]:
    """Stored daily rows, ordered by date then key: `date`, `dimension`, `key` and every metric.

    Metrics the dimension does not carry are None. A (date, key) without a row holds only zeros.
    """
    qs = _rows(dimension=dimension, date_from=date_from, date_to=date_to, keys=keys)
    return list(qs.order_by("date", "key").values("date", "dimension", "key", *ALL_METRICS))


RATES = tuple(m for m in METRICS if m.is_rate)


def _folded_rate(metric: Metric, *, row: dict, sums: dict) -> float | None:
    """A rate over a range, by its catalogue fold: never an average of daily rates."""
    if metric.fold == "ratio_of_sums":
        return ratio(sums[f"sum_{metric.numerator}"], sums[f"sum_{metric.denominator}"])
    if metric.fold == "weighted_mean":  # first_reply_minutes, weighted by the replied chats
        return ratio(sums["reply_minutes"], sums[f"sum_{metric.denominator}"])
    # ratio_at_end and per_head: the range's numerator (a sum, or a state at the last day) over the
    # denominator at the last day.
    return ratio(row[metric.numerator], row[metric.denominator])


@kpi_cached
def kpi_summary(
    *,
    dimension: str,
    date_from: dt.date,
    date_to: dt.date,
    keys: Collection[str] | None = None,
    denominators: bool = False,
) -> list[dict]:
    """One row per key with a daily row in the range: the range summary of docs/metrics.md.

    Counts are summed over the days (`buyers`, `active_customers` as customer-days), `fans_total`,
    `group_members` and `headcount` are taken at `date_to`, every rate is a ratio of sums
    (`activity_rate = Σactive_customers / Σfans_total`, ...), `first_reply_minutes` is the mean
    weighted by `chats_replied`, `revenue_per_head = Σrevenue / headcount at date_to` and
    `fans_per_head = fans_total at date_to / headcount at date_to`; `speakers_7d` is taken at `date_to`
    and `speaking_rate_7d = speakers_7d / group_members`, both at `date_to`.

    With `denominators`, each row also maps every rate of RATE_OF_SUMS it carries to the sum it
    divides by (`activity_rate` → Σfans_total, not the `fans_total` at date_to), for hover titles.
    """
    carried = DIMENSION_METRICS[dimension]
    qs = _rows(dimension=dimension, date_from=date_from, date_to=date_to, keys=keys)
    sums = (
        qs.values("key")
        .annotate(
            **{f"sum_{m}": Sum(m) for m in SUMMED_METRICS},
            reply_minutes=Sum(F("first_reply_minutes") * F("chats_replied")),
        )
        .order_by("key")
    )
    at_end = {
        row["key"]: row
        for row in _rows(dimension=dimension, date_from=date_to, date_to=date_to, keys=keys).values(
            "key", *STATE_AT_END
        )
    }
    result = []
    for agg in sums:
        row: dict = {"dimension": dimension, "key": agg["key"]}
        end = at_end.get(agg["key"], {})
        for metric in ALL_METRICS:
            row[metric] = None
        for metric in SUMMED_METRICS:
            if metric in carried:
                row[metric] = agg[f"sum_{metric}"] or 0
        if row["revenue"] is not None:
            # SQLite sums decimals as floats: back to exact cents.
            row["revenue"] = Decimal(str(row["revenue"])).quantize(CENT)
        for metric in STATE_AT_END:
            if metric in carried:
                row[metric] = end.get(metric) or 0
        for metric in RATES:
            if metric.name in carried:
                row[metric.name] = _folded_rate(metric, row=row, sums=agg)
        if denominators:
            row["denominators"] = {
                rate: agg[f"sum_{den}"] or 0 for rate, (_num, den) in RATE_OF_SUMS.items() if rate in carried
            }
        result.append(row)
    return result


def kpi_provisional_since(*, today: dt.date | None = None) -> dt.date:
    """First day whose cohort window (D..D+W-1) has not passed yet: today - (W-1)."""
    today = today or timezone.localdate()
    return today - dt.timedelta(days=settings.KPI_COHORT_DAYS - 1)


def kpi_coverage(*, date_from: dt.date, date_to: dt.date) -> dict:
    """Which days of the range are computed, when, and which are provisional.

    A day is provisional while its cohort window has not passed (the last W-1 days before today,
    and today), or when it was last computed before its window closed (a nightly recompute
    completes it).
    """
    return _kpi_coverage(date_from=date_from, date_to=date_to, today=timezone.localdate())


@kpi_cached
def _kpi_coverage(*, date_from: dt.date, date_to: dt.date, today: dt.date) -> dict:
    computations = list(
        KpiComputation.objects.filter(date__gte=date_from, date__lte=date_to)
        .order_by("date")
        .values_list("date", "computed_at")
    )
    computed_at = dict(computations)
    since = kpi_provisional_since(today=today)
    provisional, missing = [], []
    for day in kpi_days(date_from, date_to):
        at = computed_at.get(day)
        if at is None:
            missing.append(day)
        _, window_closes = day_bounds(day, days=settings.KPI_COHORT_DAYS)
        if day >= since or at is None or at < window_closes:
            provisional.append(day)
    return {
        "date_from": date_from,
        "date_to": date_to,
        "computed_days": [d for d, _ in computations],
        "missing_days": missing,
        "provisional_days": provisional,
        "computed_at_min": min(computed_at.values(), default=None),
        "computed_at_max": max(computed_at.values(), default=None),
    }


def kpi_keys_visible(*, user, dimension: str) -> set[str] | None:
    """Keys of `dimension` the user may read; None means all.

    Managers see everything. A team lead sees their own team (dimension `team`) and its members
    (dimension `staff`); an operator only their own `staff` row. Every other case is the empty set.
    """
    role = role_for(user)
    if role == Staff.Role.MANAGER:
        return None
    staff = staff_for(user)
    if staff is None:
        return set()
    if role == Staff.Role.TEAM_LEAD and staff.team_id:
        if dimension == Dimension.TEAM:
            return {staff.team.code}
        if dimension == Dimension.STAFF:
            members = set(Staff.objects.filter(team_id=staff.team_id).values_list("user__username", flat=True))
            return members | {staff.user.username}
        return set()
    if dimension == Dimension.STAFF:
        return {staff.user.username}
    return set()

"""Which KPI metrics each dimension carries (docs/metrics.md); a metric it does not carry is null there."""

from decimal import Decimal

from metrics.models import COUNT_METRICS, RATE_METRICS, Dimension

CENT = Decimal("0.01")  # revenue is kept in exact cents

COHORT_METRICS = (
    "requests",
    "requests_converted",
    "new_fans",
    "new_fans_grouped",
    "fan_rate",
    "group_join_rate",
    # Same-day cohorts: final at the end of D, the like-for-like reading of a provisional day.
    "requests_converted_d0",
    "new_fans_grouped_d0",
    "fan_rate_d0",
    "group_join_rate_d0",
)
STATE_METRICS = (
    "fans_total",
    "group_members",
    "active_customers",
    "speakers",
    "lost",
    "chats",
    "chats_replied",
    "activity_rate",
    "speaking_rate",
    "reply_rate",
    "first_reply_minutes",
    "speakers_7d",
    "speaking_rate_7d",
)
SALES_METRICS = ("orders", "revenue", "buyers")
HEADCOUNT_METRICS = ("headcount", "revenue_per_head", "fans_per_head")
GROUP_METRICS = ("group_members", "speakers", "speaking_rate", "speakers_7d", "speaking_rate_7d", "joins", "leaves")

ALL_METRICS = COUNT_METRICS + RATE_METRICS

_PEOPLE = COHORT_METRICS + STATE_METRICS + SALES_METRICS + HEADCOUNT_METRICS
DIMENSION_METRICS: dict[str, frozenset[str]] = {
    Dimension.ORG: frozenset(_PEOPLE),
    Dimension.TEAM: frozenset(_PEOPLE),
    Dimension.STAFF: frozenset(_PEOPLE),
    Dimension.SOURCE: frozenset(COHORT_METRICS + STATE_METRICS + SALES_METRICS),
    Dimension.SCRIPT: frozenset(COHORT_METRICS),
    Dimension.GROUP: frozenset(GROUP_METRICS),
}

# Summary rules: state counts are taken at the last day; every rate is a ratio of sums.
STATE_AT_END = ("fans_total", "group_members", "headcount", "speakers_7d")
RATE_OF_SUMS = {
    "fan_rate": ("requests_converted", "requests"),
    "group_join_rate": ("new_fans_grouped", "new_fans"),
    "fan_rate_d0": ("requests_converted_d0", "requests"),
    "group_join_rate_d0": ("new_fans_grouped_d0", "new_fans"),
    "activity_rate": ("active_customers", "fans_total"),
    "speaking_rate": ("speakers", "group_members"),
    "reply_rate": ("chats_replied", "chats"),
}
# Rates of two states: over a range, both taken at the last day (周讲话率 = speakers_7d / group_members at D2).
RATE_AT_END = {"speaking_rate_7d": ("speakers_7d", "group_members")}


def ratio(numerator, denominator) -> float | None:
    """A rate, null on a zero (or missing) denominator, never 0."""
    if numerator is None or not denominator:
        return None
    return float(numerator) / float(denominator)

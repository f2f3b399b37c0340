"""The metric catalogue: every KPI sitadmin keeps, once (docs/metrics.md says the same in words).

One `Metric` record per column of the daily KPI table. The table's columns, the rate and range rules
the engine and the selectors apply, which dimensions carry what, the API's field lists, the labels on
the pages and the headers of the exports are all derived from `METRICS`. Adding a metric touches this
file, the SQL that counts it (`metrics/engine/sql.py`) and a migration, nothing else.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

CENT = Decimal("0.01")  # revenue is kept in exact cents


class Dimension(models.TextChoices):
    ORG = "org", _("全公司")
    TEAM = "team", _("团队")
    STAFF = "staff", _("员工")
    SOURCE = "source", _("线索来源")
    SCRIPT = "script", _("话术")
    GROUP = "group", _("社群")


_PEOPLE = frozenset({Dimension.ORG, Dimension.TEAM, Dimension.STAFF, Dimension.SOURCE})
_COHORTS = _PEOPLE | {Dimension.SCRIPT}
_PAYROLL = frozenset({Dimension.ORG, Dimension.TEAM, Dimension.STAFF})
_GROUPED = _PEOPLE | {Dimension.GROUP}


@dataclass(frozen=True)
class Metric:
    """One KPI column.

    `kind`, how it reads: `count`, `money` (yuan), `rate` (a fraction, 0..1), `minutes`, `ratio` (a
    per-head count). Rates (those with a numerator) are stored as floats, money counts as exact decimals.
    `fold`, how a range summary of D1..D2 folds the daily rows: `sum`, `at_end` (the value at D2),
    `ratio_of_sums` (Σnumerator / Σdenominator), `ratio_at_end` (numerator at D2 / denominator at D2),
    `per_head` (the range's numerator over the denominator at D2), `weighted_mean` (the daily values
    weighted by `denominator`).
    """

    name: str
    label: str
    family: str  # cohort, state, sales, efficiency, group
    kind: str
    fold: str
    dimensions: frozenset
    numerator: str | None = None
    denominator: str | None = None
    higher_is_better: bool | None = True

    @property
    def is_rate(self) -> bool:
        return self.numerator is not None


def _count(name, label, family, dimensions, fold="sum", higher_is_better=True):
    return Metric(name, label, family, "count", fold, dimensions, higher_is_better=higher_is_better)


def _rate(name, label, family, dimensions, numerator, denominator, fold="ratio_of_sums", kind="rate", better=True):
    return Metric(name, label, family, kind, fold, dimensions, numerator, denominator, better)


METRICS: tuple[Metric, ...] = (
    # Cohorts: start on D with a customer's first request / first add, convert by D+W-1.
    _count("requests", _("申请数"), "cohort", _COHORTS),
    _count("requests_converted", _("申请转粉数"), "cohort", _COHORTS),
    _count("new_fans", _("新增粉丝"), "cohort", _COHORTS),
    _count("new_fans_grouped", _("新粉进群数"), "cohort", _COHORTS),
    # Same-day cohorts: final at the end of D, the like-for-like reading of a provisional day.
    _count("requests_converted_d0", _("当日转粉数"), "cohort", _COHORTS),
    _count("new_fans_grouped_d0", _("当日进群数"), "cohort", _COHORTS),
    # State at the end of D.
    _count("fans_total", _("粉丝总数"), "state", _PEOPLE, fold="at_end"),
    _count("group_members", _("群成员"), "state", _GROUPED, fold="at_end"),
    _count("active_customers", _("活跃客户"), "state", _PEOPLE),
    _count("speakers", _("讲话人数"), "state", _GROUPED),
    _count("speakers_7d", _("7日讲话人数"), "state", _GROUPED, fold="at_end"),
    _count("lost", _("流失数"), "state", _PEOPLE, higher_is_better=False),
    _count("chats", _("私聊客户"), "state", _PEOPLE),
    _count("chats_replied", _("已回复私聊"), "state", _PEOPLE),
    # Sales and efficiency.
    _count("orders", _("订单数"), "sales", _PEOPLE),
    Metric("revenue", _("成交额"), "sales", "money", "sum", _PEOPLE),
    _count("buyers", _("成交客户"), "sales", _PEOPLE),
    _count("headcount", _("在职人数"), "efficiency", _PAYROLL, fold="at_end", higher_is_better=None),
    # Groups.
    _count("joins", _("进群次数"), "group", frozenset({Dimension.GROUP})),
    _count("leaves", _("退群次数"), "group", frozenset({Dimension.GROUP}), higher_is_better=False),
    # Rates, each a ratio of two counts above.
    _rate("fan_rate", _("转粉率"), "cohort", _COHORTS, "requests_converted", "requests"),
    _rate("group_join_rate", _("进群率"), "cohort", _COHORTS, "new_fans_grouped", "new_fans"),
    _rate("fan_rate_d0", _("当日转粉率"), "cohort", _COHORTS, "requests_converted_d0", "requests"),
    _rate("group_join_rate_d0", _("当日进群率"), "cohort", _COHORTS, "new_fans_grouped_d0", "new_fans"),
    _rate("activity_rate", _("活跃度"), "state", _PEOPLE, "active_customers", "fans_total"),
    _rate("speaking_rate", _("讲话率"), "state", _GROUPED, "speakers", "group_members"),
    _rate("speaking_rate_7d", _("周讲话率"), "state", _GROUPED, "speakers_7d", "group_members", fold="ratio_at_end"),
    _rate("reply_rate", _("回复率"), "state", _PEOPLE, "chats_replied", "chats"),
    _rate(
        "first_reply_minutes",
        _("首次回复(分钟)"),
        "state",
        _PEOPLE,
        "reply_seconds",
        "chats_replied",
        fold="weighted_mean",
        kind="minutes",
        better=False,
    ),
    _rate("revenue_per_head", _("人效"), "efficiency", _PAYROLL, "revenue", "headcount", "per_head", "money"),
    _rate("fans_per_head", _("人均粉丝"), "efficiency", _PAYROLL, "fans_total", "headcount", "per_head", "ratio"),
)

BY_NAME: dict[str, Metric] = {m.name: m for m in METRICS}

# Column order of the KPI table and of every API row: the stored counts, then the rates.
COUNT_METRICS = tuple(m.name for m in METRICS if not m.is_rate)
RATE_METRICS = tuple(m.name for m in METRICS if m.is_rate)
ALL_METRICS = COUNT_METRICS + RATE_METRICS

DIMENSION_METRICS: dict[str, frozenset[str]] = {
    dimension: frozenset(m.name for m in METRICS if dimension in m.dimensions) for dimension in Dimension.values
}

# Range folding (docs/metrics.md "Range summaries").
SUMMED_METRICS = tuple(m.name for m in METRICS if m.fold == "sum")
STATE_AT_END = tuple(m.name for m in METRICS if m.fold == "at_end")
RATE_OF_SUMS = {m.name: (m.numerator, m.denominator) for m in METRICS if m.fold == "ratio_of_sums"}
RATE_AT_END = {m.name: (m.numerator, m.denominator) for m in METRICS if m.fold == "ratio_at_end"}


def ratio(numerator, denominator) -> float | None:
    """A rate, null on a zero (or missing) denominator, never 0."""
    if numerator is None or not denominator:
        return None
    return float(numerator) / float(denominator)


def metric_label(name: str) -> str:
    """The metric's label in the active language."""
    return str(BY_NAME[name].label)


def kpi_field(metric: Metric) -> models.Field:
    """The KPI table's column for `metric`: null where its dimension does not carry it."""
    if metric.is_rate:
        return models.FloatField(null=True)
    if metric.kind == "money":
        return models.DecimalField(max_digits=14, decimal_places=2, null=True)
    return models.IntegerField(null=True)


def metric_columns(*names: str) -> tuple[tuple[str, str, str], ...]:
    """`(name, label, kind)` for the named metrics, for tables and exports."""
    return tuple((name, BY_NAME[name].label, BY_NAME[name].kind) for name in names)

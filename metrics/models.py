from django.db import models


class Dimension(models.TextChoices):
    ORG = "org", "全公司 org"
    TEAM = "team", "团队 team"
    STAFF = "staff", "员工 staff"
    SOURCE = "source", "线索来源 source"
    SCRIPT = "script", "话术 script"
    GROUP = "group", "社群 group"


# The additive metrics (counts and revenue), then the rates derived from them, in column order.
COUNT_METRICS = (
    "requests",
    "requests_converted",
    "new_fans",
    "new_fans_grouped",
    "fans_total",
    "group_members",
    "active_customers",
    "speakers",
    "lost",
    "chats",
    "chats_replied",
    "orders",
    "revenue",
    "buyers",
    "headcount",
    "joins",
    "leaves",
    "requests_converted_d0",
    "new_fans_grouped_d0",
    "speakers_7d",
)
RATE_METRICS = (
    "fan_rate",
    "group_join_rate",
    "activity_rate",
    "speaking_rate",
    "reply_rate",
    "first_reply_minutes",
    "revenue_per_head",
    "fans_per_head",
    "fan_rate_d0",
    "group_join_rate_d0",
    "speaking_rate_7d",
)


class DailyKpi(models.Model):
    """One row per (date, dimension, key): the KPIs of docs/metrics.md (null where the dimension lacks it)."""

    date = models.DateField()
    dimension = models.CharField(max_length=8, choices=Dimension.choices)
    key = models.CharField(max_length=150, blank=True)

    requests = models.IntegerField(null=True)
    requests_converted = models.IntegerField(null=True)
    new_fans = models.IntegerField(null=True)
    new_fans_grouped = models.IntegerField(null=True)
    fans_total = models.IntegerField(null=True)
    group_members = models.IntegerField(null=True)
    active_customers = models.IntegerField(null=True)
    speakers = models.IntegerField(null=True)
    lost = models.IntegerField(null=True)
    chats = models.IntegerField(null=True)
    chats_replied = models.IntegerField(null=True)
    orders = models.IntegerField(null=True)
    revenue = models.DecimalField(max_digits=14, decimal_places=2, null=True)
    buyers = models.IntegerField(null=True)
    headcount = models.IntegerField(null=True)
    joins = models.IntegerField(null=True)
    leaves = models.IntegerField(null=True)
    # Same-day cohorts (final at the end of D) and the week's group speakers (D-6..D).
    requests_converted_d0 = models.IntegerField(null=True)
    new_fans_grouped_d0 = models.IntegerField(null=True)
    speakers_7d = models.IntegerField(null=True)

    fan_rate = models.FloatField(null=True)
    group_join_rate = models.FloatField(null=True)
    activity_rate = models.FloatField(null=True)
    speaking_rate = models.FloatField(null=True)
    reply_rate = models.FloatField(null=True)
    first_reply_minutes = models.FloatField(null=True)
    revenue_per_head = models.FloatField(null=True)
    fans_per_head = models.FloatField(null=True)
    fan_rate_d0 = models.FloatField(null=True)
    group_join_rate_d0 = models.FloatField(null=True)
    speaking_rate_7d = models.FloatField(null=True)

    computed_at = models.DateTimeField()

    class Meta:
        ordering = ["date", "dimension", "key"]
        verbose_name = "每日指标 daily KPI"
        constraints = [models.UniqueConstraint(fields=["date", "dimension", "key"], name="one_kpi_row_per_day_key")]
        indexes = [models.Index(fields=["dimension", "key", "date"])]

    def __str__(self) -> str:
        return f"{self.date} {self.dimension}:{self.key}"


class KpiComputation(models.Model):
    """When each day's KPI rows were last computed, and how long it took."""

    date = models.DateField(unique=True)
    computed_at = models.DateTimeField()
    duration_ms = models.PositiveIntegerField(default=0)
    rows = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-date"]
        verbose_name = "指标计算记录 KPI computation"

from django.db import models
from django.utils.translation import pgettext_lazy

from metrics.catalog import COUNT_METRICS, METRICS, RATE_METRICS, Dimension, kpi_field

__all__ = ["COUNT_METRICS", "RATE_METRICS", "DailyKpi", "Dimension", "KpiComputation"]


class DailyKpi(models.Model):
    """One row per (date, dimension, key): the KPIs of docs/metrics.md (null where the dimension lacks it).

    One column per metric of the catalogue (`metrics.catalog.METRICS`), added below the class.
    """

    date = models.DateField()
    dimension = models.CharField(max_length=8, choices=Dimension.choices)
    key = models.CharField(max_length=150, blank=True)

    computed_at = models.DateTimeField()

    class Meta:
        ordering = ["date", "dimension", "key"]
        verbose_name = pgettext_lazy("model", "每日指标")
        verbose_name_plural = pgettext_lazy("models", "每日指标")
        constraints = [models.UniqueConstraint(fields=["date", "dimension", "key"], name="one_kpi_row_per_day_key")]
        indexes = [models.Index(fields=["dimension", "key", "date"])]

    def __str__(self) -> str:
        return f"{self.date} {self.dimension}:{self.key}"


for _metric in METRICS:
    DailyKpi.add_to_class(_metric.name, kpi_field(_metric))


class KpiComputation(models.Model):
    """When each day's KPI rows were last computed, and how long it took."""

    date = models.DateField(unique=True)
    computed_at = models.DateTimeField()
    duration_ms = models.PositiveIntegerField(default=0)
    rows = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-date"]
        verbose_name = pgettext_lazy("model", "指标计算记录")
        verbose_name_plural = pgettext_lazy("models", "指标计算记录")


class KpiRowsVersion(models.Model):
    """One row whose `token` is drawn anew by every statement that changes `DailyKpi` or
    `KpiComputation` (statement triggers on PostgreSQL, migration 0005): KPI reads are cached under it
    (`metrics.cache`).

    A random token, not a counter: a rolled-back write or a database made again never brings back a
    version whose cached answers hold other rows.
    """

    token = models.UUIDField()

    class Meta:
        verbose_name = pgettext_lazy("model", "指标版本")
        verbose_name_plural = pgettext_lazy("models", "指标版本")

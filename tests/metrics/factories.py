"""Factories for the metrics app: stored daily KPI rows and their computation records."""

import datetime as dt

import factory


class DailyKpiFactory(factory.django.DjangoModelFactory):
    """A stored daily KPI row; tests set the metrics they need (the rest stay null)."""

    class Meta:
        model = "metrics.DailyKpi"
        django_get_or_create = ("date", "dimension", "key")

    date = dt.date(2026, 11, 10)
    dimension = "org"
    key = ""
    computed_at = factory.LazyFunction(lambda: dt.datetime.now(dt.UTC))


class KpiComputationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "metrics.KpiComputation"
        django_get_or_create = ("date",)

    date = dt.date(2026, 11, 10)
    computed_at = factory.LazyFunction(lambda: dt.datetime.now(dt.UTC))

"""factory_boy factories for every app's models; tests build their data from these."""

import datetime as dt

import factory
from django.contrib.auth import get_user_model

from campaigns.models import Group, Script
from customers.models import Customer, LeadSource, Tag
from staff.models import Staff, Team

DEMO_PASSWORD = "pass-1234"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password(DEMO_PASSWORD)


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"team{n}")
    name = factory.LazyAttribute(lambda o: f"Team {o.code}")


class StaffFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Staff

    user = factory.SubFactory(UserFactory)
    name = factory.LazyAttribute(lambda o: o.user.username)
    team = factory.SubFactory(TeamFactory)
    role = Staff.Role.OPERATOR
    joined_on = dt.date(2025, 1, 1)


class LeadSourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LeadSource
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"src{n}")
    name = factory.LazyAttribute(lambda o: f"Source {o.code}")
    kind = LeadSource.Kind.TELESALES


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tag
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"tag{n}")
    name = factory.LazyAttribute(lambda o: o.code)


class CustomerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Customer

    phone = factory.Sequence(lambda n: f"139{n:08d}")
    name = factory.Sequence(lambda n: f"客户{n}")
    source = factory.SubFactory(LeadSourceFactory)


class ScriptFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Script
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"script{n}")
    name = factory.LazyAttribute(lambda o: f"Script {o.code}")


class GroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Group
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"group{n}")
    name = factory.LazyAttribute(lambda o: f"Group {o.code}")


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

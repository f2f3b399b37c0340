"""Factories for the staff app: users, teams, staff and review cycles."""

import datetime as dt
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model

from staff.models import Evaluation, RevenueTier, ReviewCycle, Staff, Team

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


class ReviewCycleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReviewCycle
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"cycle{n}")
    name = factory.LazyAttribute(lambda o: f"Cycle {o.code}")
    starts_on = dt.date(2026, 11, 1)
    ends_on = dt.date(2026, 11, 30)


class RevenueTierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RevenueTier

    cycle = factory.SubFactory(ReviewCycleFactory)
    name = factory.Sequence(lambda n: f"tier{n}")
    min_revenue = Decimal("0")


class EvaluationFactory(factory.django.DjangoModelFactory):
    """An evaluation kept as decided (`final_decision` follows `decision`), without dimension scores."""

    class Meta:
        model = Evaluation

    staff = factory.SubFactory(StaffFactory)
    cycle = factory.SubFactory(ReviewCycleFactory)
    reviewer = factory.SubFactory(UserFactory)
    total = Decimal("70.0")
    decision = "keep"
    final_decision = factory.LazyAttribute(lambda o: o.decision)

"""Factories for the customers app: lead sources, tags, customers, events, orders and import jobs."""

from decimal import Decimal

import factory
from django.utils import timezone

from customers.models import Customer, Event, EventType, ImportJob, LeadSource, Order, Tag


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


class EventFactory(factory.django.DjangoModelFactory):
    """A stored event, written directly (no ingestion effects): for tests of readers of the event table."""

    class Meta:
        model = Event

    client_id = factory.Sequence(lambda n: f"ev-{n}")
    type = EventType.MESSAGE
    at = factory.LazyFunction(timezone.now)
    customer = factory.SubFactory(CustomerFactory)


class OrderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Order

    order_no = factory.Sequence(lambda n: f"SO-{n}")
    customer = factory.SubFactory(CustomerFactory)
    amount = Decimal("100.00")
    ordered_at = factory.LazyFunction(timezone.now)


class ImportJobFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ImportJob

    file = "imports/leads.csv"
    file_name = "leads.csv"
    source = factory.SubFactory(LeadSourceFactory)

"""Factories for the campaigns app: scripts, groups, SOP templates, sensitive words and alerts,
check-in and referral campaigns, broadcasts."""

import datetime as dt

import factory
from django.utils import timezone

from campaigns.activities.models import Campaign
from campaigns.alerts.models import Alert, SensitiveWord
from campaigns.broadcasts.models import Broadcast
from campaigns.models import Group, Script
from campaigns.sop.models import SopTemplate


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


class SopTemplateFactory(factory.django.DjangoModelFactory):
    """A template without trigger or steps unless given: it fires for nobody."""

    class Meta:
        model = SopTemplate
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"sop{n}")
    name = factory.LazyAttribute(lambda o: f"SOP {o.code}")


class SensitiveWordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SensitiveWord
        django_get_or_create = ("word",)

    word = factory.Sequence(lambda n: f"敏感词{n}")


class AlertFactory(factory.django.DjangoModelFactory):
    """A sensitive-word alert unless `kind` says otherwise; the staff member, time and word are the test's."""

    class Meta:
        model = Alert

    kind = Alert.Kind.SENSITIVE_WORD
    at = factory.LazyFunction(timezone.now)


class CampaignFactory(factory.django.DjangoModelFactory):
    """A week-long check-in campaign from 2026-11-01 unless told otherwise."""

    class Meta:
        model = Campaign
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"campaign{n}")
    name = factory.LazyAttribute(lambda o: f"Campaign {o.code}")
    kind = Campaign.Kind.CHECKIN
    starts_on = dt.date(2026, 11, 1)
    ends_on = dt.date(2026, 11, 7)


class BroadcastFactory(factory.django.DjangoModelFactory):
    """A broadcast to everyone, due a minute ago unless `scheduled_at` is given."""

    class Meta:
        model = Broadcast

    title = factory.Sequence(lambda n: f"broadcast {n}")
    content = "hi"
    audience = factory.LazyFunction(dict)
    scheduled_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(minutes=1))

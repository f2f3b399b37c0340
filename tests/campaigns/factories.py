"""Factories for the campaigns app: add-friend scripts and groups."""

import factory

from campaigns.models import Group, Script


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

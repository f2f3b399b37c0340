"""The filter backend of every list: django-filter, with a boolean filter that refuses a value it
cannot read (`?active=maybe` is a 400 naming `active`, not every row)."""

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters

TRUE = ("true", "True", "1")
FALSE = ("false", "False", "0")


class StrictBooleanField(forms.NullBooleanField):
    widget = forms.TextInput

    def to_python(self, value):
        if value in (None, ""):
            return None
        if value in TRUE:
            return True
        if value in FALSE:
            return False
        raise forms.ValidationError(_("需要 true 或 false"), code="invalid")

    def validate(self, value):
        pass


class StrictBooleanFilter(filters.BooleanFilter):
    field_class = StrictBooleanField

    def __init__(self, *args, **kwargs):
        # The text as sent: django-filter's BooleanWidget turns any other word into "no filter".
        kwargs["widget"] = forms.TextInput
        super().__init__(*args, **kwargs)


class FilterSet(filters.FilterSet):
    FILTER_DEFAULTS = {**filters.FilterSet.FILTER_DEFAULTS, models.BooleanField: {"filter_class": StrictBooleanFilter}}


class FilterBackend(filters.DjangoFilterBackend):
    filterset_base = FilterSet

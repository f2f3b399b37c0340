"""Validation of the KPI and report query parameters; every error names its parameter."""

import datetime as dt

from django.utils import timezone
from rest_framework import serializers

from metrics.models import Dimension
from sitadmin.dates import MAX_RANGE_DAYS

FORMATS = ("json", "csv", "xlsx")


class DateRangeSerializer(serializers.Serializer):
    """`date_from`, `date_to` (YYYY-MM-DD, days in TIME_ZONE); by default the last 7 days to yesterday."""

    date_from = serializers.DateField(required=False)
    date_to = serializers.DateField(required=False)

    def validate(self, attrs):
        date_to = attrs.get("date_to") or timezone.localdate() - dt.timedelta(days=1)
        date_from = attrs.get("date_from") or date_to - dt.timedelta(days=6)
        if date_from > date_to:
            raise serializers.ValidationError({"date_from": "date_from is after date_to."})
        if (date_to - date_from).days + 1 > MAX_RANGE_DAYS:
            raise serializers.ValidationError({"date_to": f"the range is longer than {MAX_RANGE_DAYS} days."})
        return {**attrs, "date_from": date_from, "date_to": date_to}


class KpiQuerySerializer(DateRangeSerializer):
    dimension = serializers.ChoiceField(choices=Dimension.values, default=Dimension.ORG)
    key = serializers.CharField(required=False, allow_blank=True)
    format = serializers.ChoiceField(choices=FORMATS, default="json")


class RecomputeSerializer(DateRangeSerializer):
    """`date_from` and `date_to` (YYYY-MM-DD), both required: the days to recompute."""

    date_from = serializers.DateField()
    date_to = serializers.DateField()

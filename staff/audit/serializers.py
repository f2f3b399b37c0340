from django.utils.translation import gettext
from rest_framework import serializers

from staff.audit.models import AuditAction, AuditEntry


class AuditFilterSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=AuditAction.choices, required=False)
    user = serializers.CharField(max_length=150, required=False)
    object = serializers.CharField(max_length=200, required=False, help_text="e.g. evaluation:12, staff:op1")
    date_from = serializers.DateField(required=False)
    date_to = serializers.DateField(required=False)

    def validate(self, attrs):
        if attrs.get("date_from") and attrs.get("date_to") and attrs["date_to"] < attrs["date_from"]:
            raise serializers.ValidationError({"date_to": gettext("结束日期早于开始日期")})
        return attrs


class AuditEntrySerializer(serializers.ModelSerializer):
    user = serializers.CharField(source="username")
    object = serializers.CharField(source="object_repr")
    detail = serializers.JSONField()

    class Meta:
        model = AuditEntry
        fields = ["id", "at", "user", "ip", "action", "object", "detail"]
        read_only_fields = fields

from django.utils.translation import gettext
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from customers.models import LeadSource, Stage, Tag
from staff.models import Staff


class AudienceSerializer(serializers.Serializer):
    """`{"tags", "stages", "sources", "owners"}`: at least one non-empty list; every value must exist."""

    tags = serializers.ListField(child=serializers.CharField(), required=False, default=list)
    stages = serializers.ListField(child=serializers.ChoiceField(choices=Stage.choices), required=False, default=list)
    sources = serializers.ListField(child=serializers.CharField(), required=False, default=list)
    owners = serializers.ListField(child=serializers.CharField(), required=False, default=list)

    def _known(self, value: list[str], found, message: str) -> list[str]:
        unknown = sorted(set(value) - set(found))
        if unknown:
            raise serializers.ValidationError(message % {"codes": ", ".join(unknown)})
        return sorted(set(value))

    def validate_tags(self, value):
        return self._known(
            value, Tag.objects.filter(code__in=value).values_list("code", flat=True), gettext("未知标签：%(codes)s")
        )

    def validate_sources(self, value):
        return self._known(
            value,
            LeadSource.objects.filter(code__in=value).values_list("code", flat=True),
            gettext("未知来源：%(codes)s"),
        )

    def validate_owners(self, value):
        owners = Staff.objects.filter(user__username__in=value)
        team_id = self.context.get("team_id")
        if team_id is not None:
            owners = owners.filter(team_id=team_id)
        return self._known(value, owners.values_list("user__username", flat=True), gettext("未知本组员工：%(codes)s"))

    def validate_stages(self, value):
        return sorted(set(value))

    def validate(self, attrs):
        if not any(attrs.get(key) for key in ("tags", "stages", "sources", "owners")):
            raise serializers.ValidationError(gettext("受众为空：至少选择一个标签、阶段、来源或负责人"))
        return attrs


def _values(description: str, item: dict | None = None) -> dict:
    return {"type": "array", "items": item or {"type": "string"}, "description": description}


AUDIENCE_SCHEMA = {
    "type": "object",
    "properties": {
        "tags": _values("tag codes"),
        "stages": _values("stages", {"type": "string", "enum": Stage.values}),
        "sources": _values("lead-source codes"),
        "owners": _values("owners' usernames"),
    },
    # An empty audience is a 400: at least one list has a value.
    "anyOf": [
        {"required": [name], "properties": {name: {"minItems": 1}}} for name in ("tags", "stages", "sources", "owners")
    ],
}


@extend_schema_field(AUDIENCE_SCHEMA)
class AudienceField(serializers.JSONField):
    """`{"tags", "stages", "sources", "owners"}`, checked by AudienceSerializer."""


class AudiencePreviewSerializer(serializers.Serializer):
    audience = AudienceField()


class BroadcastCreateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    content = serializers.CharField()
    audience = AudienceField()
    scheduled_at = serializers.DateTimeField()


class BroadcastSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    content = serializers.CharField()
    audience = AudienceField()
    scheduled_at = serializers.DateTimeField()
    status = serializers.CharField()
    sent_at = serializers.DateTimeField(allow_null=True)
    team = serializers.CharField(source="team.code", default=None, allow_null=True)
    created_by = serializers.CharField(source="created_by.user.username", default=None, allow_null=True)
    recipients = serializers.IntegerField(source="stats.recipients")
    delivered = serializers.IntegerField(source="stats.delivered")
    replied = serializers.IntegerField(source="stats.replied")
    unassigned = serializers.IntegerField(source="stats.unassigned")
    delivery_rate = serializers.FloatField(source="stats.delivery_rate", allow_null=True)
    reply_rate = serializers.FloatField(source="stats.reply_rate", allow_null=True)

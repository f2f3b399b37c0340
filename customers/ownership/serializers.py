"""Hand-over input."""

from rest_framework import serializers

from staff.models import HANDOVER_RULES


class HandoverInputSerializer(serializers.Serializer):
    allocation = serializers.ChoiceField(choices=HANDOVER_RULES, default="capacity")
    dry_run = serializers.BooleanField(default=False)

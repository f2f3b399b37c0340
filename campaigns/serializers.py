from rest_framework import serializers

from campaigns.models import Group, Script
from staff.fields import StaffUsernameField


class ScriptSerializer(serializers.ModelSerializer):
    class Meta:
        model = Script
        fields = ["code", "name", "text", "active"]


class GroupSerializer(serializers.ModelSerializer):
    owner = StaffUsernameField(required=False, allow_null=True)

    class Meta:
        model = Group
        fields = ["code", "name", "owner", "wecom_chat_id", "purpose", "status", "status_changed_at", "created_at"]
        read_only_fields = ["status_changed_at", "created_at"]

from rest_framework import serializers

from campaigns.models import Group
from customers.models import Event
from staff.serializers import StaffUsernameField

from ..alerts.serializers import DateRangeSerializer


class MessageFilterSerializer(DateRangeSerializer):
    customer = serializers.IntegerField(required=False, min_value=1)
    staff = StaffUsernameField(required=False)
    group = serializers.SlugRelatedField(slug_field="code", queryset=Group.objects.all(), required=False)
    q = serializers.CharField(required=False, max_length=100)


class MessageSerializer(serializers.ModelSerializer):
    id = serializers.CharField(source="client_id", read_only=True)
    staff = serializers.CharField(source="staff.user.username", default=None, read_only=True)
    group = serializers.CharField(source="group.code", default=None, read_only=True)

    class Meta:
        model = Event
        fields = ["id", "at", "direction", "customer", "staff", "group", "text"]
        read_only_fields = fields

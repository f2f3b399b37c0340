from django.utils.translation import gettext_lazy
from rest_framework import serializers

from campaigns.alerts.serializers import DateRangeSerializer
from campaigns.archive.selectors import TRIGRAM_LENGTH
from campaigns.models import Group
from customers.models import Event
from staff.fields import StaffUsernameField

SHORT_PHRASE_MESSAGE = gettext_lazy("少于 3 个字时请同时选择客户、员工、社群或日期")


class MessageFilterSerializer(DateRangeSerializer):
    customer = serializers.IntegerField(required=False, min_value=1)
    staff = StaffUsernameField(required=False)
    group = serializers.SlugRelatedField(slug_field="code", queryset=Group.objects.all(), required=False)
    q = serializers.CharField(required=False, max_length=100)

    def validate(self, attrs):
        """A phrase of one or two characters would be looked for in every message: it needs another
        filter (customer, staff, group or dates) to narrow the messages read."""
        attrs = super().validate(attrs)
        narrowed = any(attrs.get(name) for name in ("customer", "staff", "group", "date_from", "date_to"))
        if attrs.get("q") and len(attrs["q"]) < TRIGRAM_LENGTH and not narrowed:
            raise serializers.ValidationError({"q": [SHORT_PHRASE_MESSAGE]})
        return attrs


class MessageSerializer(serializers.ModelSerializer):
    id = serializers.CharField(source="client_id", read_only=True)
    staff = serializers.CharField(source="staff.user.username", default=None, read_only=True)
    group = serializers.CharField(source="group.code", default=None, read_only=True)

    class Meta:
        model = Event
        fields = ["id", "at", "direction", "customer", "staff", "group", "text"]
        read_only_fields = fields

from django.utils.translation import gettext
from rest_framework import serializers

from campaigns.alerts.models import Alert, SensitiveWord
from staff.fields import StaffUsernameField


class SensitiveWordSerializer(serializers.ModelSerializer):
    class Meta:
        model = SensitiveWord
        fields = ["id", "word", "active", "created_at"]
        read_only_fields = ["created_at"]

    def validate_word(self, word: str) -> str:
        word = word.strip()
        duplicates = SensitiveWord.objects.filter(word__iexact=word)
        if self.instance is not None:
            duplicates = duplicates.exclude(pk=self.instance.pk)
        if duplicates.exists():
            raise serializers.ValidationError(gettext("该敏感词已存在"))
        return word


class AlertSerializer(serializers.ModelSerializer):
    staff = serializers.CharField(source="staff.user.username", default=None, read_only=True)
    event = serializers.CharField(source="event.client_id", default=None, read_only=True)
    acknowledged = serializers.SerializerMethodField()
    acknowledged_by = serializers.CharField(source="acknowledged_by.username", default=None, read_only=True)

    class Meta:
        model = Alert
        fields = [
            "id",
            "kind",
            "staff",
            "customer",
            "word",
            "text",
            "at",
            "date",
            "count",
            "event",
            "acknowledged",
            "acknowledged_at",
            "acknowledged_by",
        ]
        read_only_fields = fields

    def get_acknowledged(self, alert: Alert) -> bool:
        return alert.acknowledged_at is not None


class DateRangeSerializer(serializers.Serializer):
    date_from = serializers.DateField(required=False)
    date_to = serializers.DateField(required=False)

    def validate(self, attrs):
        if attrs.get("date_from") and attrs.get("date_to") and attrs["date_from"] > attrs["date_to"]:
            raise serializers.ValidationError({"date_to": [gettext("不能早于开始日期")]})
        return attrs


class AlertFilterSerializer(DateRangeSerializer):
    kind = serializers.ChoiceField(choices=Alert.Kind.choices, required=False)
    staff = StaffUsernameField(required=False)
    acknowledged = serializers.BooleanField(required=False, allow_null=True, default=None)

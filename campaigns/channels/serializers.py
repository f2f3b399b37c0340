from django.utils.translation import gettext, gettext_lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from campaigns.channels.models import ChannelCode
from campaigns.models import Group, SopTemplate
from customers.models import LeadSource, Tag
from staff.fields import StaffUsernameField
from staff.models import Staff


@extend_schema_field({"type": "array", "items": {"type": "string", "description": "username"}, "minItems": 1})
class StaffUsernamesField(serializers.ManyRelatedField):
    """Usernames, at least one."""


class ChannelCodeSerializer(serializers.ModelSerializer):
    source = serializers.SlugRelatedField(
        slug_field="code", queryset=LeadSource.objects.all(), required=False, allow_null=True
    )
    staff = StaffUsernamesField(child_relation=StaffUsernameField())
    tags = serializers.SlugRelatedField(slug_field="code", queryset=Tag.objects.all(), many=True, required=False)
    group = serializers.SlugRelatedField(
        slug_field="code", queryset=Group.objects.all(), required=False, allow_null=True
    )
    sop = serializers.SlugRelatedField(
        slug_field="code", queryset=SopTemplate.objects.all(), required=False, allow_null=True
    )
    url = serializers.SerializerMethodField()

    class Meta:
        model = ChannelCode
        fields = [
            "code",
            "name",
            "source",
            "staff",
            "routing",
            "daily_cap",
            "welcome",
            "tags",
            "group",
            "sop",
            "active",
            "url",
            "created_at",
        ]
        read_only_fields = ["created_at"]
        # The bound is in the schema too; the message says how to have no cap.
        extra_kwargs = {
            "daily_cap": {"min_value": 1, "error_messages": {"min_value": gettext_lazy("至少为 1（留空表示不限）")}}
        }

    def get_url(self, obj) -> str:
        return f"/c/{obj.code}/"

    def validate_staff(self, value):
        if not value:
            raise serializers.ValidationError(gettext("至少一名员工"))
        gone = sorted(s.user.username for s in value if s.status in (Staff.Status.EXITED, Staff.Status.CANDIDATE))
        if gone:
            raise serializers.ValidationError(
                gettext("员工已离职或未入职：%(usernames)s") % {"usernames": ", ".join(gone)}
            )
        return value


class ChannelRouteSerializer(serializers.Serializer):
    staff = serializers.CharField()
    welcome = serializers.CharField(allow_blank=True)


class ReportRangeSerializer(serializers.Serializer):
    date_from = serializers.DateField()
    date_to = serializers.DateField()

    def validate(self, attrs):
        if attrs["date_to"] < attrs["date_from"]:
            raise serializers.ValidationError({"date_to": gettext("不能早于开始日期")})
        if (attrs["date_to"] - attrs["date_from"]).days > 366:
            raise serializers.ValidationError({"date_to": gettext("最多 366 天")})
        return attrs


class ChannelCodeReportRowSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    active = serializers.BooleanField()
    scans = serializers.IntegerField()
    adds = serializers.IntegerField()
    new_fans = serializers.IntegerField()
    grouped = serializers.IntegerField()
    buyers = serializers.IntegerField()


class ContactQrUploadSerializer(serializers.Serializer):
    image = serializers.FileField()

from django.utils.translation import gettext, gettext_lazy
from rest_framework import serializers

from campaigns.activities.models import Campaign, CampaignDraw
from campaigns.models import Group


class CampaignSerializer(serializers.ModelSerializer):
    group = serializers.SlugRelatedField(
        slug_field="code", queryset=Group.objects.all(), required=False, allow_null=True
    )

    class Meta:
        model = Campaign
        fields = ["code", "name", "kind", "starts_on", "ends_on", "goal", "group", "keyword", "prize", "created_at"]
        read_only_fields = ["created_at"]
        # The schema states the least goal (a campaign's 0 would qualify everyone).
        extra_kwargs = {"goal": {"min_value": 1, "error_messages": {"min_value": gettext_lazy("至少为 1")}}}

    def validate(self, attrs):
        starts_on = attrs.get("starts_on", getattr(self.instance, "starts_on", None))
        ends_on = attrs.get("ends_on", getattr(self.instance, "ends_on", None))
        if starts_on and ends_on and ends_on < starts_on:
            raise serializers.ValidationError({"ends_on": gettext("活动结束日期早于开始日期")})
        kind = attrs.get("kind", getattr(self.instance, "kind", None))
        if kind == Campaign.Kind.CHECKIN and not attrs.get("keyword", getattr(self.instance, "keyword", "打卡")):
            attrs["keyword"] = "打卡"
        return attrs


class ParticipantSerializer(serializers.Serializer):
    rank = serializers.IntegerField()
    customer = serializers.IntegerField(source="customer_id")
    name = serializers.CharField()
    phone = serializers.CharField(allow_null=True)
    owner = serializers.CharField(allow_null=True)
    progress = serializers.IntegerField()
    qualified = serializers.BooleanField()


class DrawRequestSerializer(serializers.Serializer):
    winners = serializers.IntegerField(min_value=1, max_value=10_000)
    seed = serializers.CharField(max_length=64, required=False)


class DrawSerializer(serializers.ModelSerializer):
    drawn_by = serializers.CharField(source="drawn_by.username", default=None)

    class Meta:
        model = CampaignDraw
        fields = ["id", "seed", "winners_wanted", "qualified", "winners", "drawn_at", "drawn_by"]

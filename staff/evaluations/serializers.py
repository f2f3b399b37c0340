"""Validation and shape of the evaluation API (docs/domain.md §Evaluation); the writes happen in services."""

from django.utils.translation import gettext, gettext_lazy
from rest_framework import serializers

from sitadmin.drf import RoundedDecimalField, WholeItemMixin
from staff.models import CompetencyDimension, Decision, Evaluation, RevenueTier, ReviewCycle


class DimensionSerializer(serializers.ModelSerializer):
    weight = RoundedDecimalField(max_digits=6, decimal_places=2, min_value=0)

    class Meta:
        model = CompetencyDimension
        fields = ["code", "name_zh", "name_en", "weight", "active", "position"]
        extra_kwargs = {"position": {"required": False}}


class RevenueTierSerializer(WholeItemMixin, serializers.ModelSerializer):
    min_revenue = RoundedDecimalField(max_digits=14, decimal_places=2, min_value=0)

    class Meta:
        model = RevenueTier
        fields = ["name", "min_revenue", "reward"]


class ReviewCycleSerializer(serializers.ModelSerializer):
    revenue_baseline = RoundedDecimalField(
        max_digits=14, decimal_places=2, min_value=0, required=False, allow_null=True
    )
    tiers = RevenueTierSerializer(many=True, required=False)

    class Meta:
        model = ReviewCycle
        fields = ["code", "name", "starts_on", "ends_on", "revenue_baseline", "tiers"]

    def validate(self, attrs):
        starts_on = attrs.get("starts_on", getattr(self.instance, "starts_on", None))
        ends_on = attrs.get("ends_on", getattr(self.instance, "ends_on", None))
        if starts_on and ends_on and ends_on < starts_on:
            raise serializers.ValidationError({"ends_on": [gettext("结束日期不能早于开始日期")]})
        names = [tier["name"] for tier in attrs.get("tiers", [])]
        if len(names) != len(set(names)):
            raise serializers.ValidationError({"tiers": [gettext("档位名称重复")]})
        return attrs


class EvaluationInputSerializer(serializers.Serializer):
    """The request body; scores are checked against the active dimensions by `evaluation_create`."""

    staff = serializers.CharField(help_text="username")
    cycle = serializers.CharField(help_text="review cycle code")
    scores = serializers.DictField(help_text="{dimension code: score 0..10, one decimal}")
    notes = serializers.CharField(required=False, allow_blank=True, default="")
    dimension_notes = serializers.DictField(child=serializers.CharField(allow_blank=True), required=False, default=dict)


class EvaluationOverrideSerializer(serializers.Serializer):
    final_decision = serializers.ChoiceField(choices=Decision.choices)
    override_reason = serializers.CharField(
        error_messages={
            "blank": gettext_lazy("调整结论必须填写原因"),
            "required": gettext_lazy("调整结论必须填写原因"),
        }
    )


class EvaluationSerializer(serializers.ModelSerializer):
    staff = serializers.CharField(source="staff.user.username")
    staff_name = serializers.CharField(source="staff.name")
    team = serializers.SerializerMethodField()
    cycle = serializers.CharField(source="cycle.code")
    reviewer = serializers.CharField(source="reviewer.username")
    scores = serializers.SerializerMethodField()
    dimensions = serializers.SerializerMethodField()
    overridden_by = serializers.SerializerMethodField()

    class Meta:
        model = Evaluation
        fields = [
            "id",
            "staff",
            "staff_name",
            "team",
            "cycle",
            "reviewer",
            "scores",
            "dimensions",
            "total",
            "decision",
            "final_decision",
            "override_reason",
            "overridden_by",
            "overridden_at",
            "notes",
            "created_at",
        ]

    def get_team(self, obj) -> str | None:
        return obj.staff.team.code if obj.staff.team_id else None

    def get_scores(self, obj) -> dict[str, float]:
        return {s.dimension.code: s.score for s in self._scores(obj)}

    def get_dimensions(self, obj) -> list[dict]:
        """Each score with the weight it was given then and the evaluator's note."""
        return [
            {
                "code": s.dimension.code,
                "name_zh": s.dimension.name_zh,
                "name_en": s.dimension.name_en,
                "score": s.score,
                "weight": s.weight,
                "note": s.note,
            }
            for s in self._scores(obj)
        ]

    def get_overridden_by(self, obj) -> str | None:
        return obj.overridden_by.username if obj.overridden_by_id else None

    @staticmethod
    def _scores(obj):
        return sorted(obj.scores.all(), key=lambda s: (s.dimension.position, s.dimension.code))


class EvidenceQuerySerializer(serializers.Serializer):
    staff = serializers.CharField()
    cycle = serializers.CharField()

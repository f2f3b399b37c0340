"""The evaluation API (docs/domain.md §Evaluation): dimensions, review cycles, evaluations, evidence, overview,
leaderboard and hand-over. Thin: validate, call one service or selector, shape the answer."""

from django.db.models import Max
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
from rest_framework.response import Response

from metrics.models import Dimension
from metrics.selectors import kpi_keys_visible
from sitadmin.drf import FixedCodeMixin
from sitadmin.spreadsheets import XLSX_TYPE, XlsxRenderer, wants_xlsx
from staff.audit.services import audit_evaluation_create, audit_evaluation_override, audit_record
from staff.evaluations.evidence import staff_evidence
from staff.evaluations.scoring import EvaluationError, evaluation_create, evaluation_override
from staff.evaluations.selectors import (
    cycle_overview,
    cycle_overview_xlsx,
    evaluation_can_score,
    evaluation_list_for,
)
from staff.evaluations.serializers import (
    DimensionSerializer,
    EvaluationInputSerializer,
    EvaluationOverrideSerializer,
    EvaluationSerializer,
    EvidenceQuerySerializer,
    ReviewCycleSerializer,
)
from staff.evaluations.tiers import cycle_leaderboard, review_cycle_save
from staff.models import CompetencyDimension, Decision, ReviewCycle, Staff
from staff.permissions import IsManagerOrReadOnly, IsStaffMember
from staff.roles import is_manager, role_for, scope_staff


class DimensionViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    FixedCodeMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """能力维度: everyone reads, managers add dimensions and change weights (a dimension in use is
    switched off with `active: false`, never deleted, so past evaluations keep it)."""

    queryset = CompetencyDimension.objects.order_by("position", "code")
    serializer_class = DimensionSerializer
    permission_classes = [IsManagerOrReadOnly]
    lookup_field = "code"
    lookup_value_regex = "[^/]+"

    def perform_create(self, serializer):
        # A new dimension goes after the existing ones unless a position is given.
        if "position" not in serializer.validated_data:
            last = CompetencyDimension.objects.aggregate(last=Max("position"))["last"] or 0
            serializer.validated_data["position"] = last + 1
        serializer.save()


class ReviewCycleViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    FixedCodeMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """考核周期 with its revenue baseline and tiers; managers write."""

    queryset = ReviewCycle.objects.prefetch_related("tiers").order_by("-starts_on", "code")
    serializer_class = ReviewCycleSerializer
    permission_classes = [IsManagerOrReadOnly]
    lookup_field = "code"
    lookup_value_regex = "[^/]+"

    def perform_create(self, serializer):
        serializer.instance = review_cycle_save(data=dict(serializer.validated_data))

    def perform_update(self, serializer):
        serializer.instance = review_cycle_save(cycle=serializer.instance, data=dict(serializer.validated_data))

    @extend_schema(
        parameters=[OpenApiParameter("format", str, enum=["json", "xlsx"])],
        description="Every visible staff member's total, decision and final decision; counts; distribution.",
        responses={(200, "application/json"): OpenApiTypes.OBJECT, (200, XLSX_TYPE): OpenApiTypes.BINARY},
    )
    @action(detail=True, methods=["get"], renderer_classes=[JSONRenderer, BrowsableAPIRenderer, XlsxRenderer])
    def overview(self, request, code=None):
        if role_for(request.user) not in (Staff.Role.MANAGER, Staff.Role.TEAM_LEAD):
            raise PermissionDenied(gettext("只有运营负责人和组长可以查看周期总览"))
        cycle = self.get_object()
        overview = cycle_overview(cycle=cycle, user=request.user)
        if wants_xlsx(request):
            response = HttpResponse(cycle_overview_xlsx(overview=overview), content_type=XLSX_TYPE)
            audit_record(action="export", request=request, object_repr=f"evaluations-{cycle.code}.xlsx")
            response["Content-Disposition"] = f'attachment; filename="evaluations-{cycle.code}.xlsx"'
            return response
        return Response(overview)

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    @action(detail=True, methods=["get"])
    def leaderboard(self, request, code=None):
        """Revenue leaderboard with tiers; first place only at or above the baseline."""
        cycle = self.get_object()
        visible = kpi_keys_visible(user=request.user, dimension=Dimension.STAFF)
        return Response(cycle_leaderboard(cycle=cycle, visible_usernames=visible))


class EvaluationViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """考核. Managers see and score everyone, team leads their own team, operators only read their
    own evaluations and may not score (403). Only managers override (PATCH)."""

    serializer_class = EvaluationSerializer
    permission_classes = [IsStaffMember]

    def get_queryset(self):
        params = self.request.query_params
        for name in ("decision", "final_decision"):
            if params.get(name) and params[name] not in Decision.values:
                raise ValidationError({name: [gettext("可选：%(values)s") % {"values": ", ".join(Decision.values)}]})
        return evaluation_list_for(user=self.request.user, filters=params)

    @extend_schema(
        parameters=[
            OpenApiParameter("cycle", str, description="review cycle code"),
            OpenApiParameter("staff", str, description="username"),
            OpenApiParameter("team", str, description="team code"),
            OpenApiParameter("decision", str, enum=Decision.values),
            OpenApiParameter("final_decision", str, enum=Decision.values),
        ]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=EvaluationInputSerializer, responses={201: EvaluationSerializer})
    def create(self, request, *args, **kwargs):
        if role_for(request.user) not in (Staff.Role.MANAGER, Staff.Role.TEAM_LEAD):
            raise PermissionDenied(gettext("运营专员不能考核"))
        data = EvaluationInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        staff = Staff.objects.select_related("user", "team").filter(user__username=values["staff"]).first()
        if staff is None:
            raise ValidationError({"staff": [gettext("未知员工 %(staff)s") % {"staff": repr(values["staff"])}]})
        cycle = ReviewCycle.objects.filter(code=values["cycle"]).first()
        if cycle is None:
            raise ValidationError({"cycle": [gettext("未知考核周期 %(cycle)s") % {"cycle": repr(values["cycle"])}]})
        if not evaluation_can_score(user=request.user, staff=staff):
            raise PermissionDenied(gettext("组长只能考核本组成员"))
        try:
            evaluation = evaluation_create(
                staff=staff,
                cycle=cycle,
                scores=values["scores"],
                notes=values["notes"],
                dimension_notes=values["dimension_notes"],
                reviewer=request.user,
            )
        except EvaluationError as exc:
            raise ValidationError(exc.errors) from None
        audit_evaluation_create(request=request, evaluation=evaluation)
        evaluation = evaluation_list_for(user=request.user).get(pk=evaluation.pk)
        return Response(EvaluationSerializer(evaluation).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=EvaluationOverrideSerializer, responses={200: EvaluationSerializer})
    def partial_update(self, request, *args, **kwargs):
        if not is_manager(request.user):
            raise PermissionDenied(gettext("只有运营负责人可以调整结论"))
        evaluation = self.get_object()
        data = EvaluationOverrideSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        previous = evaluation.final_decision
        try:
            evaluation_override(
                evaluation=evaluation,
                final_decision=data.validated_data["final_decision"],
                override_reason=data.validated_data["override_reason"],
                by=request.user,
            )
        except EvaluationError as exc:
            raise ValidationError(exc.errors) from None
        audit_evaluation_override(request=request, evaluation=evaluation, previous=previous)
        # evaluation_override sets the saved fields on this instance; its relations are already loaded.
        return Response(EvaluationSerializer(evaluation).data)

    @extend_schema(parameters=[EvidenceQuerySerializer], responses={200: dict})
    @action(detail=False, methods=["get"])
    def evidence(self, request):
        """KPIs vs team median with daily series, remark compliance, SOP on time, suggested scores."""
        query = EvidenceQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        staff = get_object_or_404(
            scope_staff(Staff.objects.select_related("user", "team"), request.user),
            user__username=query.validated_data["staff"],
        )
        cycle = ReviewCycle.objects.filter(code=query.validated_data["cycle"]).first()
        if cycle is None:
            raise ValidationError(
                {"cycle": [gettext("未知考核周期 %(cycle)s") % {"cycle": repr(query.validated_data["cycle"])}]}
            )
        return Response(staff_evidence(staff=staff, cycle=cycle))

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission
from rest_framework.response import Response

from campaigns.alerts.models import Alert, SensitiveWord
from campaigns.alerts.selectors import alert_list_for, alert_scope
from campaigns.alerts.serializers import AlertFilterSerializer, AlertSerializer, SensitiveWordSerializer
from campaigns.alerts.services import alert_acknowledge
from staff.models import Staff
from staff.permissions import IsManagerOrReadOnly
from staff.roles import role_for


class IsTeamLeadOrManager(BasePermission):
    message = gettext_lazy("只有组长和运营负责人可以查看告警")

    def has_permission(self, request, view) -> bool:
        return role_for(request.user) in (Staff.Role.MANAGER, Staff.Role.TEAM_LEAD)


@extend_schema_view(
    list=extend_schema(summary="敏感词 sensitive words", tags=["alerts"]),
    create=extend_schema(summary="新增敏感词 add a word (managers)", tags=["alerts"]),
    retrieve=extend_schema(tags=["alerts"]),
    update=extend_schema(tags=["alerts"]),
    partial_update=extend_schema(tags=["alerts"]),
    destroy=extend_schema(tags=["alerts"]),
)
class SensitiveWordViewSet(viewsets.ModelViewSet):
    """Sensitive words (敏感词): every staff member reads, managers write. Each stored `out` message
    containing an active word (ignoring case) raises one alert per word."""

    queryset = SensitiveWord.objects.all()
    serializer_class = SensitiveWordSerializer
    permission_classes = [IsManagerOrReadOnly]
    filterset_fields = ["active"]


@extend_schema_view(
    list=extend_schema(
        summary="告警 alerts", parameters=[AlertFilterSerializer], tags=["alerts"], responses=AlertSerializer(many=True)
    ),
    retrieve=extend_schema(tags=["alerts"]),
)
class AlertViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Alerts (告警), newest first: `sensitive_word` (a watched word in a staff message) and `loss`
    (a staff member deleted by `LOSS_ALERT_THRESHOLD` or more customers on one day). Managers see
    all, team leads their team's, operators none (`403`)."""

    serializer_class = AlertSerializer
    permission_classes = [IsTeamLeadOrManager]

    def get_queryset(self):
        if self.action != "list":
            return alert_scope(
                Alert.objects.select_related("staff__user", "event", "acknowledged_by"), user=self.request.user
            )
        filters = AlertFilterSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        return alert_list_for(user=self.request.user, filters=filters.validated_data)

    @extend_schema(
        summary="确认告警 acknowledge",
        request=None,
        responses={200: AlertSerializer, 404: OpenApiResponse(description="not an alert you can see")},
        tags=["alerts"],
    )
    @action(detail=True, methods=["post"])
    def acknowledge(self, request, pk=None):
        alert = alert_acknowledge(alert=self.get_object(), user=request.user)
        return Response(AlertSerializer(alert).data)

"""SOP templates (managers write), tasks (scoped like customers) and the on-time report."""

from django.utils.translation import gettext
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from campaigns.sop.completion import TaskAlreadyDone, sop_task_mark_done
from campaigns.sop.models import SopTask, SopTemplate
from campaigns.sop.selectors import sop_report, sop_task_get_for, sop_task_list_for
from campaigns.sop.serializers import (
    SopReportFilterSerializer,
    SopReportRowSerializer,
    SopTaskFilterSerializer,
    SopTaskSerializer,
    SopTemplateSerializer,
)
from campaigns.sop.services import sop_template_create, sop_template_update
from sitadmin.drf import FixedCodeMixin
from staff.permissions import IsManagerOrReadOnly, IsStaffMember
from staff.roles import staff_for


class SopTemplateViewSet(FixedCodeMixin, viewsets.ModelViewSet):
    """SOP templates by `code`: every staff member reads, managers write."""

    queryset = SopTemplate.objects.all()
    serializer_class = SopTemplateSerializer
    permission_classes = [IsManagerOrReadOnly]
    lookup_field = "code"
    lookup_value_regex = "[^/]+"

    def perform_create(self, serializer):
        serializer.instance = sop_template_create(data=serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = sop_template_update(template=serializer.instance, data=serializer.validated_data)


class SopTaskViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """SOP tasks: operators see their own, team leads their team's, managers all."""

    permission_classes = [IsStaffMember]
    serializer_class = SopTaskSerializer
    queryset = SopTask.objects.none()

    def get_queryset(self):
        filters = SopTaskFilterSerializer(data={k: v for k, v in self.request.query_params.items() if v != ""})
        filters.is_valid(raise_exception=True)
        return sop_task_list_for(user=self.request.user, filters=filters.validated_data)

    def get_object(self) -> SopTask:
        try:
            return sop_task_list_for(user=self.request.user, filters={}).get(pk=int(self.kwargs["pk"]))
        except (SopTask.DoesNotExist, ValueError) as exc:
            raise NotFound(gettext("没有这个任务")) from exc

    @extend_schema(request=None, responses=SopTaskSerializer)
    @action(detail=True, methods=["post"])
    def done(self, request, pk=None):
        """Mark the task done now (its assignee, their team lead, a manager); a done task again is 409."""
        try:
            task = sop_task_get_for(user=request.user, task_id=int(pk))
        except (SopTask.DoesNotExist, ValueError) as exc:
            raise NotFound(gettext("没有这个任务")) from exc
        try:
            sop_task_mark_done(task_id=task.pk, by=staff_for(request.user))
        except TaskAlreadyDone:
            return Response({"detail": gettext("任务已完成")}, status=status.HTTP_409_CONFLICT)
        return Response(SopTaskSerializer(self.get_object()).data)


class SopReportView(APIView):
    """Per staff: tasks due in the range, done on time, done late, open, and the on-time rate."""

    permission_classes = [IsStaffMember]

    @extend_schema(parameters=[SopReportFilterSerializer], responses=SopReportRowSerializer(many=True))
    def get(self, request):
        filters = SopReportFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        rows = sop_report(user=request.user, **filters.validated_data)
        return Response(SopReportRowSerializer(rows, many=True).data)

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework.generics import ListAPIView

from staff.audit.selectors import audit_list
from staff.audit.serializers import AuditEntrySerializer, AuditFilterSerializer
from staff.permissions import IsManager


class IsManagerForAudit(IsManager):
    message = gettext_lazy("只有运营负责人可以查看审计日志")


class AuditListApi(ListAPIView):
    """The audit log, newest first (read-only: there is no way to change or delete an entry)."""

    serializer_class = AuditEntrySerializer
    permission_classes = [IsManagerForAudit]
    filter_backends: list = []

    def get_queryset(self):
        filters = AuditFilterSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        data = filters.validated_data
        return audit_list(
            action=data.get("action"),
            username=data.get("user"),
            object_repr=data.get("object"),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )

    @extend_schema(parameters=[AuditFilterSerializer])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

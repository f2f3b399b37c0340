from drf_spectacular.utils import extend_schema
from rest_framework import generics

from campaigns.alerts.api import IsTeamLeadOrManager
from campaigns.archive.pagination import MessagePagination
from campaigns.archive.selectors import message_search
from campaigns.archive.serializers import MessageFilterSerializer, MessageSerializer
from staff.audit.services import audit_record


class MessageListApi(generics.ListAPIView):
    """The message archive (会话存档): stored messages, newest first. Managers read all, team leads
    the messages of their team's customers, operators none (`403`). `q` is a case-insensitive
    substring of the text; `date_from`/`date_to` are days in TIME_ZONE. `count` is exact up to
    10,000 (`count_exact`)."""

    serializer_class = MessageSerializer
    permission_classes = [IsTeamLeadOrManager]
    pagination_class = MessagePagination

    def get_queryset(self):
        filters = MessageFilterSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        return message_search(user=self.request.user, filters=filters.validated_data)

    @extend_schema(
        summary="会话存档搜索 message archive search", parameters=[MessageFilterSerializer], tags=["messages"]
    )
    def get(self, request, *args, **kwargs):
        audit_record(action="message_search", request=request, detail=dict(request.query_params.items()))
        return super().get(request, *args, **kwargs)

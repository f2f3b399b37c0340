from django.utils.translation import gettext
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from campaigns.broadcasts.models import Broadcast
from campaigns.broadcasts.selectors import broadcast_list_for, broadcast_stats, broadcast_team_for
from campaigns.broadcasts.serializers import (
    AudiencePreviewSerializer,
    AudienceSerializer,
    BroadcastCreateSerializer,
    BroadcastSerializer,
)
from campaigns.broadcasts.services import broadcast_audience_customers, broadcast_create
from staff.permissions import IsStaffMember
from staff.roles import staff_for


def _audience(data, team_id: int | None) -> dict:
    audience = AudienceSerializer(data=data, context={"team_id": team_id})
    if not isinstance(data, dict) or not audience.is_valid():
        errors = audience.errors if isinstance(data, dict) else [gettext("需要一个对象")]
        raise serializers.ValidationError({"audience": errors})
    return audience.validated_data


class BroadcastViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Broadcasts (群发): managers all, team leads within their team; operators none."""

    permission_classes = [IsStaffMember]
    serializer_class = BroadcastSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Broadcast.objects.none()
        broadcast_team_for(user=self.request.user)
        return broadcast_list_for(user=self.request.user)

    def _with_stats(self, broadcasts) -> list:
        stats = broadcast_stats(broadcast_ids=[b.pk for b in broadcasts])
        for broadcast in broadcasts:
            broadcast.stats = stats[broadcast.pk]
        return broadcasts

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.get_serializer(self._with_stats(list(page)), many=True).data)

    def retrieve(self, request, *args, **kwargs):
        return Response(self.get_serializer(self._with_stats([self.get_object()])[0]).data)

    @extend_schema(request=BroadcastCreateSerializer, responses={201: BroadcastSerializer})
    def create(self, request, *args, **kwargs):
        team_id = broadcast_team_for(user=request.user)
        data = BroadcastCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        audience = _audience(data.validated_data["audience"], team_id)
        if not broadcast_audience_customers(audience=audience, team_id=team_id).exists():
            raise serializers.ValidationError({"audience": [gettext("没有匹配的客户")]})
        broadcast = broadcast_create(
            title=data.validated_data["title"],
            content=data.validated_data["content"],
            audience=audience,
            scheduled_at=data.validated_data["scheduled_at"],
            created_by=staff_for(request.user),
            team_id=team_id,
        )
        broadcast.refresh_from_db()
        return Response(self.get_serializer(self._with_stats([broadcast])[0]).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=AudiencePreviewSerializer,
        responses={200: {"type": "object", "properties": {"count": {"type": "integer"}}}},
    )
    @action(detail=False, methods=["post"])
    def preview(self, request):
        """The number of customers an audience reaches now."""
        team_id = broadcast_team_for(user=request.user)
        data = AudiencePreviewSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        audience = _audience(data.validated_data["audience"], team_id)
        return Response({"count": broadcast_audience_customers(audience=audience, team_id=team_id).count()})

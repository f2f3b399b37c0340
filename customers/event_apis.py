"""POST /api/v1/events/ (SPEC §3): a thin layer over `events_ingest`."""

from django.conf import settings
from drf_spectacular.utils import OpenApiExample, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from customers.services.events import events_ingest
from staff.roles import is_manager


class IsManager(BasePermission):
    message = "Only managers may post events."

    def has_permission(self, request, view) -> bool:
        return is_manager(request.user)


class EventsIngestApi(APIView):
    """Take up to `EVENTS_MAX_BATCH` events; valid items are stored even when others are rejected."""

    permission_classes = [IsManager]

    @extend_schema(
        request=inline_serializer("EventBatch", {"events": serializers.ListField(child=serializers.DictField())}),
        responses=inline_serializer(
            "EventIngestResult",
            {
                "accepted": serializers.IntegerField(),
                "duplicates": serializers.IntegerField(),
                "errors": serializers.ListField(child=serializers.DictField()),
            },
        ),
        examples=[
            OpenApiExample(
                "One friend request",
                value=[
                    {
                        "id": "wx-1",
                        "type": "friend_request_sent",
                        "at": "2026-11-02T10:00:00+08:00",
                        "phone": "13800000001",
                        "staff": "amy",
                        "script": "sa",
                    }
                ],
                request_only=True,
            )
        ],
    )
    def post(self, request):
        events = _events_from_body(request.data)
        result = events_ingest(events=events)
        return Response(result.as_dict(), status=status.HTTP_200_OK)


def _events_from_body(data) -> list[dict]:
    events = data.get("events") if isinstance(data, dict) else data
    if not isinstance(events, list):
        raise ValidationError({"events": 'The body must be a JSON list of events or {"events": [...]}.'})
    for index, item in enumerate(events):
        if not isinstance(item, dict):
            raise ValidationError({"events": f"item {index}: must be an object"})
    if len(events) > settings.EVENTS_MAX_BATCH:
        raise ValidationError({"events": f"at most {settings.EVENTS_MAX_BATCH} events per request, got {len(events)}"})
    return events

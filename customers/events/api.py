"""POST /api/v1/events/ (docs/domain.md §Events): a thin layer over `events_ingest`."""

from django.conf import settings
from drf_spectacular.utils import OpenApiExample, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from customers.events.services import events_ingest
from customers.models import EventType
from sitadmin.parsers import DepthLimitedJSONParser
from staff import permissions
from staff.accounts.throttling import SettingsScopedRateThrottle


class IsManager(permissions.IsManager):
    message = "Only managers may post events."


class EventItemSchema(serializers.Serializer):
    """One event as the API docs show it; items are checked one by one by `event_parse`, so a bad
    item is reported in `errors` instead of failing the batch."""

    id = serializers.CharField(max_length=64)
    type = serializers.ChoiceField(choices=EventType.choices)
    at = serializers.DateTimeField(help_text="ISO 8601; without an offset it is read in TIME_ZONE")
    phone = serializers.CharField(required=False, help_text="mainland mobile; or external_id")
    external_id = serializers.CharField(required=False, max_length=128)
    staff = serializers.CharField(required=False, help_text="username")
    script = serializers.CharField(required=False, help_text="script code, on friend_request_sent")
    group = serializers.CharField(required=False, help_text="group code; unknown codes create the group")
    direction = serializers.ChoiceField(choices=["in", "out"], required=False, help_text="for message")
    text = serializers.CharField(required=False)
    amount = serializers.DecimalField(max_digits=12, decimal_places=2, required=False, help_text="for order")
    order_no = serializers.CharField(required=False, max_length=64, help_text="for order, unique")
    source = serializers.CharField(required=False, help_text="lead-source code")


class EventsIngestApi(APIView):
    """Take up to `EVENTS_MAX_BATCH` events (a JSON list or `{"events": [...]}`); valid items are
    stored even when others are rejected, and ids seen before count as duplicates."""

    permission_classes = [IsManager]
    parser_classes = [DepthLimitedJSONParser]
    per_item_text_check = True  # a NUL or a lone surrogate is an error for its item only
    throttle_classes = [SettingsScopedRateThrottle]
    throttle_scope = "events"

    @extend_schema(
        request=EventItemSchema(many=True),
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
                # The request is `many`: the example is one item, and the schema shows it as a list.
                value={
                    "id": "wx-1",
                    "type": "friend_request_sent",
                    "at": "2026-11-02T10:00:00+08:00",
                    "phone": "13800000001",
                    "staff": "amy",
                    "script": "sa",
                },
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

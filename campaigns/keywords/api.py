from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from campaigns.keywords.models import KeywordReply
from campaigns.keywords.serializers import KeywordMatchAnswerSerializer, KeywordMatchSerializer, KeywordReplySerializer
from campaigns.keywords.services import (
    keyword_reply_create,
    keyword_reply_delete,
    keyword_reply_match,
    keyword_reply_update,
    keyword_rules_with_hits,
)
from staff.permissions import IsManagerOrReadOnly, IsStaffMember


@extend_schema_view(
    list=extend_schema(summary="关键词回复规则 keyword reply rules", tags=["keyword replies"]),
    create=extend_schema(summary="新建规则 create a rule (managers)", tags=["keyword replies"]),
    retrieve=extend_schema(tags=["keyword replies"]),
    update=extend_schema(tags=["keyword replies"]),
    partial_update=extend_schema(tags=["keyword replies"]),
    destroy=extend_schema(tags=["keyword replies"]),
)
class KeywordReplyViewSet(viewsets.ModelViewSet):
    """Keyword reply rules (关键词回复): every staff member reads, managers write. `keywords` is a
    non-empty list; `match` is `contains` (anywhere in the text) or `exact` (the whole trimmed text),
    both ignoring case; the highest `priority` wins, then the lowest id."""

    queryset = KeywordReply.objects.all()  # the schema's model; requests read get_queryset()
    serializer_class = KeywordReplySerializer
    permission_classes = [IsManagerOrReadOnly]
    filterset_fields = ["active", "match"]

    def get_queryset(self):
        return keyword_rules_with_hits()

    def perform_create(self, serializer):
        serializer.instance = keyword_reply_create(**serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = keyword_reply_update(rule=serializer.instance, **serializer.validated_data)

    def perform_destroy(self, instance):
        keyword_reply_delete(rule=instance)

    @extend_schema(
        summary="匹配文本 match a text",
        description="The best active rule for `text` and its reply, or nulls; each answer with a rule counts a hit.",
        request=KeywordMatchSerializer,
        responses=KeywordMatchAnswerSerializer,
        tags=["keyword replies"],
    )
    @action(detail=False, methods=["post"], permission_classes=[IsStaffMember])
    def match(self, request):
        serializer = KeywordMatchSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        rule_id, reply = keyword_reply_match(text=serializer.validated_data["text"])
        return Response({"rule": rule_id, "reply": reply})

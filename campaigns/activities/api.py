import secrets

from drf_spectacular.utils import extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from campaigns.activities.models import Campaign
from campaigns.activities.selectors import campaign_participants, participant_rows
from campaigns.activities.serializers import (
    CampaignSerializer,
    DrawRequestSerializer,
    DrawSerializer,
    ParticipantSerializer,
)
from campaigns.activities.services import campaign_draw
from customers.models import Customer
from sitadmin.drf import FixedCodeMixin, ProtectedDestroyMixin
from staff.permissions import IsManager, IsManagerOrReadOnly
from staff.roles import scope_by_owner


class CampaignViewSet(FixedCodeMixin, ProtectedDestroyMixin, viewsets.ModelViewSet):
    """Check-in (打卡) and referral (任务宝) campaigns by `code`: every staff member reads, managers write."""

    queryset = Campaign.objects.select_related("group")
    serializer_class = CampaignSerializer
    permission_classes = [IsManagerOrReadOnly]
    filterset_fields = ["kind"]
    lookup_field = "code"
    lookup_value_regex = "[^/]+"

    @extend_schema(responses=ParticipantSerializer(many=True))
    @action(detail=True, methods=["get"])
    def participants(self, request, code=None):
        """Participants by progress (the leaderboard), scoped to the customers the viewer may see."""
        campaign = self.get_object()
        scope = scope_by_owner(Customer.objects.all(), request.user)
        participants = campaign_participants(campaign=campaign, customers=scope)
        page = self.paginate_queryset(participants)
        rows = participant_rows(campaign=campaign, user=request.user, participants=page)
        offset = self.paginator.page.start_index() - 1 if page else 0
        for row in rows:
            row["rank"] += offset
        return self.get_paginated_response(ParticipantSerializer(rows, many=True).data)

    @extend_schema(request=DrawRequestSerializer, responses={201: DrawSerializer})
    @action(detail=True, methods=["post"], permission_classes=[IsManager])
    def draw(self, request, code=None):
        """Draw winners among the qualified; without a `seed` one is made. The draw is kept."""
        campaign = self.get_object()
        data = DrawRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        seed = data.validated_data.get("seed") or secrets.token_hex(8)
        drawn = campaign_draw(campaign=campaign, winners=data.validated_data["winners"], seed=seed, user=request.user)
        return Response(DrawSerializer(drawn).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=DrawSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None)
    def draws(self, request, code=None):
        """The draws kept for this campaign, newest first."""
        campaign = self.get_object()
        return Response(DrawSerializer(campaign.draws.select_related("drawn_by"), many=True).data)

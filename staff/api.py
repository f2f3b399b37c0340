import django_filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from sitadmin.drf import ProtectedDestroyMixin
from staff.models import Staff, Team
from staff.permissions import IsManagerOrReadOnly
from staff.roles import is_manager, scope_staff, staff_for
from staff.serializers import (
    StaffInputSerializer,
    StaffOutputSerializer,
    TeamSerializer,
    TokenRequestSerializer,
    TokenSerializer,
)
from staff.services import staff_create, staff_delete, staff_update


class TokenApi(APIView):
    """Exchange a username and password for the API token (`Authorization: Token <token>`)."""

    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(request=TokenRequestSerializer, responses={200: TokenSerializer}, auth=[])
    def post(self, request):
        serializer = TokenRequestSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        token, _ = Token.objects.get_or_create(user=serializer.validated_data["user"])
        return Response(TokenSerializer({"token": token.key}).data)


class TeamViewSet(ProtectedDestroyMixin, viewsets.ModelViewSet):
    """Teams by `code`: managers see and change all; everyone else sees their own team."""

    serializer_class = TeamSerializer
    permission_classes = [IsManagerOrReadOnly]
    lookup_field = "code"
    lookup_value_regex = "[^/]+"

    def get_queryset(self):
        teams = Team.objects.all()
        if is_manager(self.request.user):
            return teams
        staff = staff_for(self.request.user)
        return teams.filter(pk=staff.team_id) if staff and staff.team_id else teams.none()


class StaffFilter(django_filters.FilterSet):
    team = django_filters.CharFilter(field_name="team__code")

    class Meta:
        model = Staff
        fields = ["team", "role", "status", "hire_type"]


@extend_schema_view(
    create=extend_schema(request=StaffInputSerializer, responses={201: StaffOutputSerializer}),
    update=extend_schema(request=StaffInputSerializer, responses={200: StaffOutputSerializer}),
    partial_update=extend_schema(request=StaffInputSerializer, responses={200: StaffOutputSerializer}),
)
class StaffViewSet(ProtectedDestroyMixin, viewsets.ModelViewSet):
    """Staff by `username`. Managers create, change and delete; team leads read their team, operators themselves."""

    serializer_class = StaffOutputSerializer
    permission_classes = [IsManagerOrReadOnly]
    filterset_class = StaffFilter
    lookup_field = "user__username"
    lookup_url_kwarg = "username"
    lookup_value_regex = "[^/]+"

    def get_queryset(self):
        staff = Staff.objects.select_related("user", "team").prefetch_related("team_memberships__team")
        return scope_staff(staff, self.request.user)

    def create(self, request, *args, **kwargs):
        serializer = StaffInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        staff = staff_create(**serializer.validated_data)
        return Response(StaffOutputSerializer(staff).data, status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        staff = self.get_object()
        serializer = StaffInputSerializer(staff, data=request.data, partial=kwargs.get("partial", False))
        serializer.is_valid(raise_exception=True)
        staff = staff_update(staff=staff, data=serializer.validated_data, performed_by=request.user)
        # Read again: the team history prefetched with the staff member may have grown.
        return Response(StaffOutputSerializer(self.get_queryset().get(pk=staff.pk)).data)

    def perform_destroy(self, instance):
        staff_delete(staff=instance)

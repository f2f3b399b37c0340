import django_filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.response import Response

from sitadmin.drf import FixedCodeMixin, ProtectedDestroyMixin
from staff.audit.services import audit_record, audit_staff_change, staff_snapshot
from staff.models import Staff, Team
from staff.permissions import IsManagerOrReadOnly
from staff.roles import is_manager, scope_staff, staff_for
from staff.serializers import (
    StaffInputSerializer,
    StaffOutputSerializer,
    StaffUpdateSerializer,
    TeamSerializer,
)
from staff.services import staff_create, staff_delete, staff_update


class TeamViewSet(FixedCodeMixin, ProtectedDestroyMixin, viewsets.ModelViewSet):
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
    update=extend_schema(request=StaffUpdateSerializer, responses={200: StaffOutputSerializer}),
    partial_update=extend_schema(request=StaffUpdateSerializer, responses={200: StaffOutputSerializer}),
)
class StaffViewSet(FixedCodeMixin, ProtectedDestroyMixin, viewsets.ModelViewSet):
    """Staff by `username`. Managers create, change and delete; team leads read their team, operators themselves."""

    owned_relations = ("team_memberships",)  # the team history goes with the staff member
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
        audit_staff_change(request=request, staff=staff, before=None)
        return Response(StaffOutputSerializer(staff).data, status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        staff = self.get_object()
        serializer = StaffUpdateSerializer(staff, data=request.data, partial=kwargs.get("partial", False))
        serializer.is_valid(raise_exception=True)
        before = staff_snapshot(staff)
        staff = staff_update(staff=staff, data=serializer.validated_data, performed_by=request.user)
        audit_staff_change(request=request, staff=staff, before=before)
        # Read again: the team history prefetched with the staff member may have grown.
        return Response(StaffOutputSerializer(self.get_queryset().get(pk=staff.pk)).data)

    def perform_destroy(self, instance):
        staff_delete(staff=instance)
        audit_record(
            action="staff_change",
            request=self.request,
            object_repr=f"staff:{instance.username}",
            detail={"deleted": True},
        )

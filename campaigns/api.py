from rest_framework import viewsets

from campaigns.models import Group, Script
from campaigns.serializers import GroupSerializer, ScriptSerializer
from sitadmin.drf import FixedCodeMixin, ProtectedDestroyMixin
from staff.permissions import IsManagerOrReadOnly


class ScriptViewSet(FixedCodeMixin, ProtectedDestroyMixin, viewsets.ModelViewSet):
    """Add-friend scripts (话术) by `code`: every staff member reads, managers write."""

    queryset = Script.objects.all()
    serializer_class = ScriptSerializer
    permission_classes = [IsManagerOrReadOnly]
    filterset_fields = ["active"]
    lookup_field = "code"
    lookup_value_regex = "[^/]+"


class GroupViewSet(FixedCodeMixin, ProtectedDestroyMixin, viewsets.ModelViewSet):
    """Customer groups (社群) by `code`, with the owning staff's username: every staff member reads, managers write."""

    queryset = Group.objects.select_related("owner__user")
    serializer_class = GroupSerializer
    permission_classes = [IsManagerOrReadOnly]
    lookup_field = "code"
    lookup_value_regex = "[^/]+"

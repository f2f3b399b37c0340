"""Serializer fields every app uses to name staff."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from staff.models import Staff


@extend_schema_field(OpenApiTypes.STR)
class StaffUsernameField(serializers.SlugRelatedField):
    """A staff member named by their username; an unknown username is a 400 naming it."""

    default_error_messages = {
        "does_not_exist": _("没有这个员工：{value}"),
        "invalid": _("需要用户名"),
    }

    def __init__(self, **kwargs):
        if not kwargs.get("read_only"):
            kwargs.setdefault("queryset", Staff.objects.select_related("user", "team"))
        super().__init__(slug_field="user__username", **kwargs)

    def to_representation(self, obj):
        return obj.user.username

"""Small DRF pieces shared by the apps' APIs."""

from django.db import models
from django.db.models import ProtectedError
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response


def references_to(instance: models.Model, owned: tuple[str, ...] = ()) -> list[str]:
    """The kinds of rows that still point at `instance` (members of a team, customers carrying a tag,
    a staff member's evaluations, owned customers and events…), whatever their delete rule.
    `owned` names relations (by accessor) that are part of the record itself and go with it."""
    found = set()
    for relation in instance._meta.related_objects:
        if relation.one_to_one and relation.parent_link:
            continue
        if relation.get_accessor_name() in owned:
            continue
        related = relation.related_model
        if related._default_manager.filter(**{relation.field.name: instance}).exists():
            found.add(str(related._meta.verbose_name))
    return sorted(found)


class ProtectedDestroyMixin:
    """Deleting a record that other rows still point at is a 409 saying which, never a silent cascade
    (a team's members left team-less, a tag stripped from customers, a staff member's evaluations gone).
    `owned_relations` (accessor names) are the record's own rows, deleted with it."""

    owned_relations: tuple[str, ...] = ()

    def destroy(self, request, *args, **kwargs):
        instance = self.get_object()
        used_by = references_to(instance, self.owned_relations)
        if not used_by:
            try:
                self.perform_destroy(instance)
            except ProtectedError as exc:
                used_by = sorted({str(obj._meta.verbose_name) for obj in exc.protected_objects})
        if used_by:
            return Response(
                {"detail": _("%(record)s 仍被使用：%(used_by)s") % {"record": instance, "used_by": ", ".join(used_by)}},
                status=status.HTTP_409_CONFLICT,
            )
        return Response(status=status.HTTP_204_NO_CONTENT)


class FixedCodeMixin:
    """A record's `code` (a staff member's `username`) names it in URLs and KPI keys: PUT and PATCH may
    repeat it but not change it (400 naming the field)."""

    def update(self, request, *args, **kwargs):
        field = self.lookup_url_kwarg or self.lookup_field
        field = "username" if field == "user__username" else field
        if isinstance(request.data, dict) and field in request.data:
            current = self.kwargs[self.lookup_url_kwarg or self.lookup_field]
            if request.data[field] != current:
                message = _("不能修改 %(field)s，请新建一条记录。") % {"field": field}
                raise ValidationError({field: [message]})
        return super().update(request, *args, **kwargs)

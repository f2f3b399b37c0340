"""Small DRF pieces shared by the apps' APIs."""

from django.db.models import ProtectedError
from rest_framework import status
from rest_framework.response import Response


class ProtectedDestroyMixin:
    """A delete blocked by rows that still point at the object is a 409 saying so, not a 500."""

    def destroy(self, request, *args, **kwargs):
        instance = self.get_object()
        try:
            self.perform_destroy(instance)
        except ProtectedError as exc:
            used_by = sorted({obj._meta.verbose_name for obj in exc.protected_objects})
            return Response(
                {"detail": f"{instance} 仍被使用 is still referenced by: {', '.join(map(str, used_by))}"},
                status=status.HTTP_409_CONFLICT,
            )
        return Response(status=status.HTTP_204_NO_CONTENT)

"""The hand-over API."""

from django.http import Http404
from django.utils.translation import gettext
from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from customers.ownership.handover import staff_handover
from customers.ownership.serializers import HandoverInputSerializer
from staff.audit.services import audit_record
from staff.models import Staff
from staff.permissions import IsStaffMember
from staff.roles import is_manager


class HandoverApi(APIView):
    """客户交接: a manager hands a staff member's customers to their team's active operators.
    `dry_run` shows the plan (per receiving operator, unassigned) and changes nothing."""

    permission_classes = [IsStaffMember]

    @extend_schema(request=HandoverInputSerializer, responses={200: dict})
    def post(self, request, username: str):
        if not is_manager(request.user):
            raise PermissionDenied(gettext("只有运营负责人可以交接客户"))
        staff = Staff.objects.select_related("user", "team").filter(user__username=username).first()
        if staff is None:
            raise Http404
        data = HandoverInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        result = staff_handover(
            staff=staff,
            allocation=data.validated_data["allocation"],
            dry_run=data.validated_data["dry_run"],
            performed_by=request.user,
        )
        if not data.validated_data["dry_run"]:
            audit_record(action="handover", request=request, object_repr=f"staff:{username}", detail=result.__dict__)
        return Response(result.__dict__)

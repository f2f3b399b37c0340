from django.utils.translation import gettext, gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from campaigns.channels.selectors import channel_code_list, channel_code_report
from campaigns.channels.serializers import (
    ChannelCodeReportRowSerializer,
    ChannelCodeSerializer,
    ChannelRouteSerializer,
    ContactQrUploadSerializer,
    ReportRangeSerializer,
)
from campaigns.channels.services import ContactQrInvalid, channel_code_route, staff_contact_qr_upload
from sitadmin.drf import FixedCodeMixin, ProtectedDestroyMixin
from staff.models import Staff
from staff.permissions import IsManager, IsManagerOrReadOnly, IsStaffMember
from staff.roles import is_manager, staff_for

NOBODY_LEFT = {
    "inactive": gettext_lazy("渠道码已停用"),
    "nobody": gettext_lazy("渠道码没有在职员工"),
    "full": gettext_lazy("今日名额已满"),
}


class ChannelCodeViewSet(FixedCodeMixin, ProtectedDestroyMixin, viewsets.ModelViewSet):
    """Channel codes (渠道活码) by `code`: every staff member reads, managers write."""

    queryset = channel_code_list()
    serializer_class = ChannelCodeSerializer
    permission_classes = [IsManagerOrReadOnly]
    filterset_fields = ["active", "routing"]
    lookup_field = "code"
    lookup_value_regex = "[^/]+"

    @extend_schema(
        request=None,
        responses={200: ChannelRouteSerializer, 409: OpenApiResponse(description="nobody left to route to")},
    )
    @action(detail=True, methods=["post"], permission_classes=[IsManager])
    def route(self, request, code=None):
        """Route one scan (for a bridge): the staff member picked and the greeting; the scan is counted."""
        channel_code = self.get_object()
        routed = channel_code_route(channel_code=channel_code)
        if routed.staff is None:
            return Response({"detail": NOBODY_LEFT[routed.reason]}, status=status.HTTP_409_CONFLICT)
        return Response({"staff": routed.staff.user.username, "welcome": channel_code.welcome})


class ChannelCodeReportApi(APIView):
    """Per channel code: scans, adds, new fans, and of those who joined a group or bought since."""

    permission_classes = [IsStaffMember]

    @extend_schema(parameters=[ReportRangeSerializer], responses=ChannelCodeReportRowSerializer(many=True))
    def get(self, request):
        params = ReportRangeSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        rows = channel_code_report(**params.validated_data)
        return Response(ChannelCodeReportRowSerializer(rows, many=True).data)


class StaffContactQrApi(APIView):
    """`PUT` a staff member's contact QR image (PNG, JPEG or GIF, ≤ 1 MB): yourself, or anyone as a manager."""

    permission_classes = [IsStaffMember]
    parser_classes = [MultiPartParser]

    @extend_schema(request={"multipart/form-data": ContactQrUploadSerializer}, responses={200: None})
    def put(self, request, username: str):
        staff = Staff.objects.filter(user__username=username).first()
        if staff is None:
            return Response({"detail": "no such staff member"}, status=status.HTTP_404_NOT_FOUND)
        viewer = staff_for(request.user)
        if not is_manager(request.user) and (viewer is None or viewer.pk != staff.pk):
            return Response({"detail": gettext("只能上传自己的二维码")}, status=status.HTTP_403_FORBIDDEN)
        upload = ContactQrUploadSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        try:
            qr = staff_contact_qr_upload(staff=staff, upload=upload.validated_data["image"])
        except ContactQrInvalid as exc:
            return Response({"image": [str(exc)]}, status=status.HTTP_400_BAD_REQUEST)
        return Response({"staff": username, "content_type": qr.content_type, "uploaded_at": qr.uploaded_at})

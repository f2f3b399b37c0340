"""POST /api/v1/wecom/archive/: a chat-archive file (JSON lines) imported as message events."""

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from customers.wecom.archive import wecom_archive_import
from customers.wecom.serializers import ArchiveResultSerializer, ArchiveUploadSerializer
from staff import permissions


class IsManager(permissions.IsManager):
    message = "Only managers may import the chat archive."


class WecomArchiveImportApi(APIView):
    """Import the decrypted messages of WeCom's chat archive; idempotent by `msgid`. Bad lines are
    reported by line number and the others imported."""

    permission_classes = [IsManager]
    parser_classes = [MultiPartParser]

    @extend_schema(request={"multipart/form-data": ArchiveUploadSerializer}, responses=ArchiveResultSerializer)
    def post(self, request):
        serializer = ArchiveUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        result = wecom_archive_import(lines=serializer.validated_data["file"])
        return Response(ArchiveResultSerializer(result.as_dict()).data, status=status.HTTP_200_OK)

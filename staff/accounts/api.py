from django.utils.translation import gettext
from drf_spectacular.utils import OpenApiResponse, extend_schema
from knox.auth import TokenAuthentication
from knox.models import AuthToken
from rest_framework import status
from rest_framework.exceptions import NotAuthenticated
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from staff.accounts.serializers import DetailSerializer, TokenRequestSerializer, TokenSerializer
from staff.accounts.services import token_issue, token_revoke
from staff.accounts.throttling import SettingsScopedRateThrottle
from staff.audit.services import audit_record


class TokenApi(APIView):
    """POST: a username and password for an API token (`Authorization: Token <token>`) that expires
    at `expires_at`. DELETE: revoke the token the request is sent with.

    Repeated wrong passwords lock the account for a while (429), and the endpoint is rate limited.
    """

    authentication_classes = [TokenAuthentication]
    permission_classes = [AllowAny]
    throttle_classes = [SettingsScopedRateThrottle]
    throttle_scope = "auth_token"

    @extend_schema(
        request=TokenRequestSerializer,
        responses={
            200: TokenSerializer,
            400: OpenApiResponse(description="wrong credentials or bad input, by field"),
            429: OpenApiResponse(DetailSerializer, description="locked out or rate limited"),
        },
        auth=[],
    )
    def post(self, request):
        serializer = TokenRequestSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        user = serializer.validated_data["user"]
        token, expires_at = token_issue(user=user)
        audit_record(action="login", user=user, request=request, detail={"via": "api"})
        return Response(TokenSerializer({"token": token, "expires_at": expires_at}).data)

    @extend_schema(
        request=None,
        responses={204: None, 401: OpenApiResponse(DetailSerializer, description="no valid token sent")},
    )
    def delete(self, request):
        if not isinstance(request.auth, AuthToken):
            raise NotAuthenticated(gettext("请带上要注销的令牌：Authorization: Token …"))
        token_revoke(token=request.auth)
        audit_record(action="token_revoke", user=request.user, request=request)
        return Response(status=status.HTTP_204_NO_CONTENT)

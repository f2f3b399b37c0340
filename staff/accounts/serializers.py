from django.contrib.auth import authenticate
from django.utils.translation import gettext
from rest_framework import serializers


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(
        max_length=4096, style={"input_type": "password"}, trim_whitespace=False, write_only=True
    )

    def validate(self, attrs):
        request = self.context["request"]
        # The Django request: the lockout check reads and flags it.
        user = authenticate(request._request, username=attrs["username"], password=attrs["password"])
        if user is None:
            raise serializers.ValidationError({"password": gettext("用户名或密码错误（或账号已停用）")})
        attrs["user"] = user
        return attrs


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField()
    expires_at = serializers.DateTimeField()


class DetailSerializer(serializers.Serializer):
    detail = serializers.CharField()

"""What a locked-out sign-in gets: 429, as JSON on the API and as a page elsewhere."""

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy

LOCKED_MESSAGE = gettext_lazy("登录失败次数过多，账号暂时锁定 %(minutes)s 分钟。")


def lockout_message() -> str:
    return LOCKED_MESSAGE % {"minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)}


def lockout_response(request, original_response=None, credentials=None):
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": lockout_message()}, status=429)
    return render(request, "registration/locked_out.html", {"message": lockout_message()}, status=429)

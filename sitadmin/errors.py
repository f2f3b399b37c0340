"""The app's own error pages: 403, 404 and 500 in the site's layout, in the viewer's language.

Django uses the `handler403/404/500` views below when `DEBUG` is off. With `DEBUG` on (as
`make run` serves the demo) Django would answer a missing page or a crash with its debug pages,
which list every URL pattern or the code's internals to whoever is looking; `FriendlyErrorsMiddleware`
answers them with the same pages instead, and the traceback goes to the log. API paths keep DRF's
JSON errors.
"""

import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

logger = logging.getLogger("sitadmin.errors")

_TITLES = {
    403: lambda: _("没有权限"),
    404: lambda: _("页面不存在"),
    500: lambda: _("出错了"),
}
_MESSAGES = {
    403: lambda: _("这个页面不对你的角色开放。请从导航栏进入你能使用的页面。"),
    404: lambda: _("找不到这个页面，或者它不在你的查看范围内。"),
    500: lambda: _("服务器处理这个请求时出错了，已经记录下来。请稍后再试。"),
}


def _is_api(request) -> bool:
    return request.path.startswith("/api/")


def error_page(request, status: int):
    if _is_api(request):
        return JsonResponse({"detail": _TITLES[status]()}, status=status)
    context = {"status": status, "title": _TITLES[status](), "message": _MESSAGES[status]()}
    response = render(request, "errors/error.html", context, status=status)
    response.is_error_page = True
    return response


def permission_denied(request, exception=None):
    return error_page(request, 403)


def page_not_found(request, exception=None):
    return error_page(request, 404)


def server_error(request):
    return error_page(request, 500)


class FriendlyErrorsMiddleware:
    """With DEBUG on, answer page requests' 404s and crashes with the app's pages, not Django's debug pages."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # A path no URL matches never reaches a view; with DEBUG on Django lists every URL pattern there.
        static = "/" + settings.STATIC_URL.lstrip("/")
        if settings.DEBUG and response.status_code == 404 and not _is_api(request):
            if not getattr(response, "is_error_page", False) and not request.path.startswith(static):
                return error_page(request, 404)
        return response

    def process_exception(self, request, exception):
        if _is_api(request):
            return None
        if isinstance(exception, Http404):
            return error_page(request, 404)
        if isinstance(exception, PermissionDenied):
            return error_page(request, 403)
        logger.exception("unhandled error on %s %s", request.method, request.path)
        return error_page(request, 500)

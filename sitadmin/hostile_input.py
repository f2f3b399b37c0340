"""Refuse requests whose URL or form fields carry text the database cannot store.

A NUL byte in a query parameter or a path segment (`?source=a%00b`, `/teams/a%00b/`) would reach a
PostgreSQL lookup and fail there with a 500; it is a 400 here, before any view runs.
"""

from django.http import HttpResponseBadRequest, JsonResponse
from django.utils.translation import gettext_lazy

from sitadmin.text import text_is_storable

MESSAGE = gettext_lazy("请求包含空字符或无效字符")
FORM_TYPE = "application/x-www-form-urlencoded"


class HostileInputMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        field = self._bad_field(request)
        if field is not None:
            if request.path.startswith("/api/"):
                return JsonResponse({field: [str(MESSAGE)]}, status=400)
            return HttpResponseBadRequest(str(MESSAGE))
        return self.get_response(request)

    @staticmethod
    def _bad_field(request) -> str | None:
        if not text_is_storable(request.path):
            return "path"
        params = [request.GET]
        if request.method == "POST" and request.content_type == FORM_TYPE:
            params.append(request.POST)
        for query in params:
            for key, values in query.lists():
                if not text_is_storable(key) or not all(text_is_storable(value) for value in values):
                    return key if text_is_storable(key) else "query"
        return None

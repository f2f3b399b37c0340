"""Error pages: under /api/ a 404 for a URL that matches no route is JSON, like every other API error."""

from django.http import JsonResponse
from django.views import defaults


def not_found(request, exception=None):
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "未找到 not found."}, status=404)
    return defaults.page_not_found(request, exception)

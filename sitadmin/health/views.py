"""`GET /healthz`: a trivial JSON answer with no database query.

A load balancer polls it to know the worker is up; the load test times it beside the real
endpoints, as the floor of what the server, the middleware and the network cost per request.
"""

from django.http import JsonResponse
from django.views.decorators.http import require_GET


@require_GET
def healthz(request):
    return JsonResponse({"status": "ok"})

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render

from staff.audit.models import AuditAction
from staff.audit.selectors import audit_list
from staff.audit.serializers import AuditFilterSerializer
from staff.roles import is_manager

PAGE_SIZE = 100


@login_required
def audit_page(request):
    """审计日志: the manager's view of the audit log, filtered like the API."""
    if not is_manager(request.user):
        raise PermissionDenied
    filters = AuditFilterSerializer(data={key: value for key, value in request.GET.items() if value})
    valid = filters.is_valid()
    data = filters.validated_data if valid else {}
    entries = audit_list(
        action=data.get("action"),
        username=data.get("user"),
        object_repr=data.get("object"),
        date_from=data.get("date_from"),
        date_to=data.get("date_to"),
    )
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/list.html",
        {
            "page": page,
            "actions": AuditAction.choices,
            "filters": request.GET,
            "errors": {} if valid else filters.errors,
            "query": query.urlencode(),
        },
    )

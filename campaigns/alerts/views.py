"""The alerts page (告警) for team leads and managers: filters, and acknowledging in place (htmx)."""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_POST

from campaigns.alerts.models import Alert
from campaigns.alerts.selectors import alert_list_for, alert_scope
from campaigns.alerts.serializers import AlertFilterSerializer
from campaigns.alerts.services import alert_acknowledge
from staff.models import Staff
from staff.roles import role_for, scope_staff

PAGE_SIZE = 50
FILTER_NAMES = ("kind", "staff", "acknowledged", "date_from", "date_to")


def _leads_only(request) -> None:
    if role_for(request.user) not in (Staff.Role.MANAGER, Staff.Role.TEAM_LEAD):
        raise PermissionDenied


@login_required
def alert_page(request):
    _leads_only(request)
    raw = {name: request.GET[name].strip() for name in FILTER_NAMES if request.GET.get(name, "").strip()}
    filters = AlertFilterSerializer(data=raw)
    errors = {} if filters.is_valid() else filters.errors
    alerts = alert_list_for(user=request.user, filters=filters.validated_data if not errors else {})
    if errors:
        alerts = alerts.none()
    page = Paginator(alerts, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "values": raw,
        "errors": errors,
        "kinds": Alert.Kind.choices,
        "staff_options": scope_staff(Staff.objects.all(), request.user).values_list("user__username", "name"),
        "query": urlencode(raw),
    }
    return render(request, "campaigns/alerts.html", context)


@login_required
@require_POST
def alert_acknowledge_view(request, alert_id: int):
    _leads_only(request)
    alert = get_object_or_404(alert_scope(Alert.objects.select_related("staff__user"), user=request.user), pk=alert_id)
    alert = alert_acknowledge(alert=alert, user=request.user)
    return render(request, "campaigns/_alert_row.html", {"alert": alert})

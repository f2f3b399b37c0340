"""The message archive page (会话存档) for team leads and managers."""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from campaigns.archive.pagination import CappedCountPaginator
from campaigns.archive.selectors import message_search
from campaigns.archive.serializers import MessageFilterSerializer
from campaigns.models import Group
from staff.models import Staff
from staff.roles import role_for, scope_staff

PAGE_SIZE = 50
FILTER_NAMES = ("customer", "staff", "group", "q", "date_from", "date_to")


@login_required
def message_archive_page(request):
    if role_for(request.user) not in (Staff.Role.MANAGER, Staff.Role.TEAM_LEAD):
        raise PermissionDenied
    raw = {name: request.GET[name].strip() for name in FILTER_NAMES if request.GET.get(name, "").strip()}
    filters = MessageFilterSerializer(data=raw)
    errors = {} if filters.is_valid() else filters.errors
    messages = message_search(user=request.user, filters=filters.validated_data if not errors else {})
    if errors:
        messages = messages.none()
    page = CappedCountPaginator(messages, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "values": raw,
        "errors": errors,
        "staff_options": scope_staff(Staff.objects.all(), request.user).values_list("user__username", "name"),
        "groups": Group.objects.values_list("code", "name"),
        "query": urlencode(raw),
    }
    return render(request, "campaigns/messages.html", context)

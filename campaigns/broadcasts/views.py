"""Broadcast pages: the list with delivery and reply rates, and the audience builder with a live count."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from campaigns.broadcasts.selectors import broadcast_list_for, broadcast_stats, broadcast_team_for
from campaigns.broadcasts.serializers import AudienceSerializer
from campaigns.broadcasts.services import broadcast_audience_customers, broadcast_create
from customers.models import LeadSource, Stage, Tag
from staff.models import Staff
from staff.roles import staff_for

PAGE_SIZE = 30


def _audience_from(post) -> dict:
    return {key: post.getlist(key) for key in ("tags", "stages", "sources", "owners")}


@login_required
def broadcast_page(request):
    team_id = broadcast_team_for(user=request.user)
    page = Paginator(broadcast_list_for(user=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    stats = broadcast_stats(broadcast_ids=[b.pk for b in page.object_list])
    owners = Staff.objects.filter(status=Staff.Status.ACTIVE).select_related("user").order_by("user__username")
    if team_id is not None:
        owners = owners.filter(team_id=team_id)
    context = {
        "page": page,
        "rows": [(b, stats[b.pk]) for b in page.object_list],
        "tags": Tag.objects.values_list("code", "name"),
        "stages": Stage.choices,
        "sources": LeadSource.objects.values_list("code", "name"),
        "owners": owners,
        "default_time": (timezone.localtime() + dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
    }
    return render(request, "campaigns/broadcasts/list.html", context)


@login_required
@require_POST
def broadcast_preview(request):
    """htmx: the live count of the audience the builder's fields describe."""
    team_id = broadcast_team_for(user=request.user)
    audience = AudienceSerializer(data=_audience_from(request.POST), context={"team_id": team_id})
    count = None
    if audience.is_valid():
        count = broadcast_audience_customers(audience=audience.validated_data, team_id=team_id).count()
    return render(request, "campaigns/broadcasts/_count.html", {"count": count, "errors": audience.errors})


@login_required
@require_POST
def broadcast_new(request):
    team_id = broadcast_team_for(user=request.user)
    audience = AudienceSerializer(data=_audience_from(request.POST), context={"team_id": team_id})
    title = request.POST.get("title", "").strip()[:200]
    content = request.POST.get("content", "").strip()
    raw_time = parse_datetime(request.POST.get("scheduled_at", ""))
    if not audience.is_valid() or not title or not content or raw_time is None:
        messages.error(request, _("请填写标题、内容、时间，并至少选择一个受众条件"))
        return redirect("broadcasts")
    if not broadcast_audience_customers(audience=audience.validated_data, team_id=team_id).exists():
        messages.error(request, _("受众没有匹配的客户"))
        return redirect("broadcasts")
    scheduled_at = timezone.make_aware(raw_time) if timezone.is_naive(raw_time) else raw_time
    broadcast_create(
        title=title,
        content=content,
        audience=audience.validated_data,
        scheduled_at=scheduled_at,
        created_by=staff_for(request.user),
        team_id=team_id,
    )
    messages.success(request, _("群发已创建"))
    return redirect("broadcasts")

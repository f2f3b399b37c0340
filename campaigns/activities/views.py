"""Campaign pages: the list, and one campaign's leaderboard and draws."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from campaigns.activities.models import Campaign
from campaigns.activities.selectors import campaign_participants, customers_by_id, participant_rows
from campaigns.activities.services import campaign_draw
from customers.models import Customer
from staff.roles import is_manager, role_for, scope_by_owner

LEADERBOARD_ROWS = 100


def _leads_and_managers(request) -> None:
    if role_for(request.user) not in ("manager", "team_lead"):
        raise PermissionDenied


@login_required
def campaign_list_page(request):
    _leads_and_managers(request)
    campaigns = list(Campaign.objects.select_related("group"))
    return render(request, "campaigns/activities/list.html", {"campaigns": campaigns})


@login_required
def campaign_page(request, code: str):
    _leads_and_managers(request)
    campaign = get_object_or_404(Campaign, code=code)
    participants = campaign_participants(
        campaign=campaign, customers=scope_by_owner(Customer.objects.all(), request.user)
    )
    rows = participant_rows(campaign=campaign, user=request.user, participants=participants[:LEADERBOARD_ROWS])
    draws = list(campaign.draws.select_related("drawn_by"))
    winners = customers_by_id(ids=[pk for d in draws for pk in d.winners])
    context = {
        "campaign": campaign,
        "rows": rows,
        "participants": len(participants),
        "qualified": sum(p["qualified"] for p in participants),
        "draws": [(d, [winners[pk] for pk in d.winners if pk in winners]) for d in draws],
        "can_draw": is_manager(request.user),
    }
    return render(request, "campaigns/activities/detail.html", context)


@login_required
@require_POST
def campaign_draw_page(request, code: str):
    if not is_manager(request.user):
        raise PermissionDenied
    campaign = get_object_or_404(Campaign, code=code)
    try:
        winners = int(request.POST.get("winners", ""))
    except ValueError:
        winners = 0
    seed = request.POST.get("seed", "").strip()[:64]
    if winners < 1 or not seed:
        messages.error(request, _("请填写中奖人数和随机种子"))
    else:
        campaign_draw(campaign=campaign, winners=winners, seed=seed, user=request.user)
        messages.success(request, _("已抽奖"))
    return redirect("campaign-detail", code=campaign.code)

"""Dashboard pages (docs/metrics.md figures in the browser). Thin: parse the range, call one selector, render.

The date-range form and the breakdown tabs re-request the same page through htmx, which swaps
only `#page-body`; without JavaScript they are plain GET links.
"""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from campaigns.sop.selectors import sop_board_for
from metrics.dashboard import exports, pages, reports
from sitadmin.spreadsheets import wants_xlsx


def _range(request, *, default_days: int = 1, through_today: bool = False) -> tuple:
    return pages.dashboard_range(params=request.GET, default_days=default_days, through_today=through_today)


@login_required
def overview(request):
    date_from, date_to, error = _range(request)
    data = pages.overview_for(
        user=request.user, date_from=date_from, date_to=date_to, breakdown=request.GET.get("by", "team")
    )
    if wants_xlsx(request) and not data["breakdown"].get("hidden"):
        return exports.breakdown_xlsx(data={**data, "date_from": date_from, "date_to": date_to})
    return render(request, "dashboard/overview.html", {**data, "range_error": error})


@login_required
def staff_board(request):
    date_from, date_to, error = _range(request, default_days=7)
    data = pages.staff_board_for(
        user=request.user, date_from=date_from, date_to=date_to, sort=request.GET.get("sort", "revenue")
    )
    if wants_xlsx(request):
        return exports.staff_board_xlsx(data={**data, "date_from": date_from, "date_to": date_to})
    return render(
        request,
        "dashboard/staff_board.html",
        {**data, **sop_board_for(user=request.user, date_from=date_from, date_to=date_to), "range_error": error},
    )


@login_required
def funnel(request):
    # The funnel is read live from customers: it opens on the 30 days up to today.
    date_from, date_to, error = _range(request, default_days=30, through_today=True)
    data = reports.funnel_for(user=request.user, date_from=date_from, date_to=date_to)
    if wants_xlsx(request) and not data["hidden"]:
        return exports.funnel_xlsx(data=data)
    return render(request, "dashboard/funnel.html", {**data, "range_error": error})


@login_required
def scripts(request):
    # A/B verdicts need volume: the scripts page opens on the last 30 days.
    date_from, date_to, error = _range(request, default_days=30)
    data = reports.scripts_for(user=request.user, date_from=date_from, date_to=date_to)
    return render(request, "dashboard/scripts.html", {**data, "range_error": error})


@login_required
def groups(request):
    date_from, date_to, error = _range(request, default_days=7)
    data = reports.groups_for(user=request.user, date_from=date_from, date_to=date_to)
    if wants_xlsx(request) and not data["hidden"]:
        return exports.groups_xlsx(data=data)
    return render(request, "dashboard/groups.html", {**data, "range_error": error})

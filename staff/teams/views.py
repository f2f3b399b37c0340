"""The staff member's page of team history (团队历史): which team they were in from which day."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render

from staff.models import Staff, Team
from staff.roles import scope_staff
from staff.teams.selectors import team_history_for


@login_required
def staff_team_history(request, username: str):
    """Scoped like the staff API: managers see anyone, team leads their team, operators themselves."""
    staff = get_object_or_404(
        scope_staff(Staff.objects.select_related("user", "team"), request.user), user__username=username
    )
    periods = team_history_for(staff=staff)
    names = dict(Team.objects.filter(code__in=[p["team"] for p in periods]).values_list("code", "name"))
    rows = [
        {
            **period,
            "team_name": names.get(period["team"]),
            "until": periods[i + 1]["since"] if i + 1 < len(periods) else None,
        }
        for i, period in enumerate(periods)
    ]
    return render(request, "staff/team_history.html", {"staff": staff, "periods": rows})

"""Changing a staff member's team, dated: the change takes effect on `since` and past days keep their team."""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from staff.models import Staff, Team
from staff.teams.models import TeamMembership
from staff.teams.selectors import team_last_change_on


class TeamChangeError(ValueError):
    """A change of team that cannot be made; `field` names the input at fault."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def team_change_problem(*, staff: Staff, since: dt.date | None, exited: bool = False) -> TeamChangeError | None:
    """Why moving `staff` to another team from `since` (default today) is refused, or None.

    Refused: a staff member who has exited (`exited`) and stays so; a day after today; a day on or
    before their last change of team.
    """
    if exited:
        return TeamChangeError("team", gettext("已离职员工不能调组。"))
    today = timezone.localdate()
    if since is None:
        since = today
    if since > today:
        return TeamChangeError("team_since", gettext("生效日期不能晚于今天（%(today)s）。") % {"today": today})
    last = team_last_change_on(staff=staff)
    if last is not None and since <= last:
        return TeamChangeError("team_since", gettext("生效日期须晚于上次调组（%(last)s）。") % {"last": last})
    return None


@transaction.atomic
def staff_team_change(*, staff: Staff, team: Team | None, since: dt.date | None = None, changed_by=None) -> Staff:
    """Move `staff` to `team` from `since` (default today) on; their days before `since` keep their old team.

    The first change also records the team the staff member was created in, from the start. Raises
    TeamChangeError (nothing written) when the day is refused by `team_change_problem`; whether the
    staff member may move at all (not exited) is the caller's check, made before their status changes.
    """
    staff = Staff.objects.select_for_update().get(pk=staff.pk)
    since = since or timezone.localdate()
    problem = team_change_problem(staff=staff, since=since)
    if problem is not None:
        raise problem
    if team == staff.team:
        return staff
    periods = TeamMembership.objects.filter(staff=staff)
    if not periods.exists():
        TeamMembership.objects.create(staff=staff, team=staff.team, since=None, until=since, changed_by=changed_by)
    else:
        periods.filter(until__isnull=True).update(until=since)
    TeamMembership.objects.create(staff=staff, team=team, since=since, until=None, changed_by=changed_by)
    staff.team = team
    staff.save(update_fields=["team"])
    return staff

"""Reads of team history: a staff member's periods, and every staff member's team on a given day."""

import datetime as dt
from collections.abc import Iterable

from django.db.models import Q

from staff.models import Staff, Team
from staff.teams.models import TeamMembership


def team_history_for(*, staff: Staff) -> list[dict]:
    """`[{"team": code or None, "since": date or None}]`, oldest first; the first `since` is None.

    Reads `staff.team_memberships` through any prefetch the caller made (one query for a list).
    """
    periods = sorted(staff.team_memberships.all(), key=lambda p: (p.since is not None, p.since))
    if not periods:
        return [{"team": staff.team.code if staff.team_id else None, "since": None}]
    return [{"team": p.team.code if p.team_id else None, "since": p.since} for p in periods]


def team_last_change_on(*, staff: Staff) -> dt.date | None:
    """The day the staff member's latest change of team took effect; None when they never changed team."""
    return (
        TeamMembership.objects.filter(staff=staff, since__isnull=False)
        .order_by("-since")
        .values_list("since", flat=True)
        .first()
    )


def staff_team_ids_on(*, day: dt.date, staff_ids: Iterable[int] | None = None) -> dict[int, int | None]:
    """Each staff member's team id on `day`: their period covering it, else (never changed) `Staff.team`.

    Two queries whatever the number of staff.
    """
    staff = Staff.objects.all()
    if staff_ids is not None:
        staff = staff.filter(pk__in=list(staff_ids))
    teams = dict(staff.values_list("pk", "team_id"))
    covering = TeamMembership.objects.filter(staff_id__in=list(teams)).filter(
        Q(since__isnull=True) | Q(since__lte=day), Q(until__isnull=True) | Q(until__gt=day)
    )
    teams.update(dict(covering.values_list("staff_id", "team_id")))
    return teams


def staff_teams_on(*, day: dt.date, usernames: Iterable[str]) -> dict[str, dict]:
    """`{username: {"code", "name"}}`: each named staff member's team on `day` (None values: no team then).

    Three queries whatever the number of staff.
    """
    ids = dict(Staff.objects.filter(user__username__in=list(usernames)).values_list("pk", "user__username"))
    team_ids = staff_team_ids_on(day=day, staff_ids=ids)
    teams = {t.pk: t for t in Team.objects.filter(pk__in={t for t in team_ids.values() if t})}
    result = {}
    for staff_id, username in ids.items():
        team = teams.get(team_ids.get(staff_id))
        result[username] = {"code": team.code if team else None, "name": team.name if team else None}
    return result


def team_operators_with(*, staff: Staff, day: dt.date) -> list[str]:
    """Usernames of the operators in `staff`'s team on `day` (by team history); none when they had no team."""
    team_ids = staff_team_ids_on(day=day)
    team_id = team_ids.get(staff.pk)
    if not team_id:
        return []
    peers = [pk for pk, team in team_ids.items() if team == team_id]
    return sorted(Staff.objects.filter(pk__in=peers, role=Staff.Role.OPERATOR).values_list("user__username", flat=True))

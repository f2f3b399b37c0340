"""Reads of team history: a staff member's periods, and every staff member's team on a given day."""

import datetime as dt
from collections.abc import Iterable

from django.db.models import Q

from staff.models import Staff

from .models import TeamMembership


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


def team_member_ids_on(*, team_id: int, day: dt.date) -> list[int]:
    """Staff ids in team `team_id` on `day` (by team history), whatever team they are in now."""
    return sorted(pk for pk, team in staff_team_ids_on(day=day).items() if team == team_id)

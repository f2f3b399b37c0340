"""Checking a staff update's `team` / `team_since` before anything is written."""

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext

from staff.models import Staff
from staff.teams.services import TeamChangeError, team_change_problem


def staff_team_change_problem(*, staff: Staff, attrs: Mapping[str, Any]) -> TeamChangeError | None:
    """The problem with the change of team `attrs` asks of `staff`, or None (also when it asks none).

    `team_since` without a change of team is refused: it dates a change, it does not make one. A staff
    member who has exited may not move unless the same change makes them active again (moving someone
    as they exit is the hand-over's business and allowed).
    """
    moves = "team" in attrs and attrs["team"] != staff.team
    if not moves:
        if "team_since" in attrs:
            return TeamChangeError("team_since", gettext("生效日期只用于调组。"))
        return None
    exited = staff.status == Staff.Status.EXITED and attrs.get("status", staff.status) == Staff.Status.EXITED
    return team_change_problem(staff=staff, since=attrs.get("team_since"), exited=exited)

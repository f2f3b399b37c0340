"""Writing staff: the Django user and its Staff row change together."""

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from customers.ownership.handover import staff_handover
from staff.models import Staff, Team
from staff.teams.services import staff_team_change

# Staff columns a manager may change through `staff_update`.
STAFF_FIELDS = (
    "name",
    "team",
    "role",
    "status",
    "hire_type",
    "joined_on",
    "left_on",
    "capacity",
    "weight",
    "wecom_userid",
)


@transaction.atomic
def staff_create(
    *,
    username: str,
    password: str,
    name: str = "",
    team: Team | None = None,
    role: str = Staff.Role.OPERATOR,
    status: str = Staff.Status.ACTIVE,
    hire_type: str = Staff.HireType.EXTERNAL,
    joined_on: dt.date | None = None,
    left_on: dt.date | None = None,
    capacity: int = 1000,
    weight: Decimal = Decimal("1"),
    wecom_userid: str = "",
) -> Staff:
    """Create the Django user (password hashed) and its staff member."""
    user = get_user_model().objects.create_user(
        username=username, password=password, is_active=status != Staff.Status.EXITED
    )
    return Staff.objects.create(
        user=user,
        name=name,
        team=team,
        role=role,
        status=status,
        hire_type=hire_type,
        joined_on=joined_on,
        left_on=left_on,
        capacity=capacity,
        weight=weight,
        wecom_userid=wecom_userid,
    )


@transaction.atomic
def staff_update(*, staff: Staff, data: Mapping[str, Any], performed_by) -> Staff:
    """Apply validated changes (`username` and any of STAFF_FIELDS) made by `performed_by`.

    An exited staff member can no longer sign in; setting them active again restores access.
    When the status becomes exited or transferred, their customers are handed over to the active
    operators of the team they were in (`handover_allocation`, default `capacity`). A change of `team`
    takes effect from `team_since` (default today) and is kept in the team history.
    """
    user = staff.user
    team_before = staff.team
    user_fields = []
    if "username" in data and data["username"] != user.username:
        user.username = data["username"]
        user_fields.append("username")
    # A change of team is dated and kept in the team history, after the other fields (a staff member
    # made active again in the same change may move).
    moves_team = "team" in data and data["team"] != staff.team
    changed = [
        field for field in STAFF_FIELDS if field != "team" and field in data and getattr(staff, field) != data[field]
    ]
    for field in changed:
        setattr(staff, field, data[field])
    if "status" in changed:
        user.is_active = staff.status != Staff.Status.EXITED
        user_fields.append("is_active")
    if user_fields:
        user.save(update_fields=user_fields)
    if changed:
        staff.save(update_fields=changed)
    if moves_team:
        staff_team_change(staff=staff, team=data["team"], since=data.get("team_since"), changed_by=performed_by)
        staff.team = data["team"]
    if "status" in changed and staff.status in (Staff.Status.EXITED, Staff.Status.TRANSFERRED):
        # 离职继承 / 在职转接: the customers stay in the team the staff member leaves.
        staff_handover(
            staff=staff,
            allocation=data.get("handover_allocation") or "capacity",
            performed_by=performed_by,
            team=team_before,
            reason=staff.status,
        )
    return staff


@transaction.atomic
def staff_delete(*, staff: Staff) -> None:
    """Delete the staff member with their user. Raises ProtectedError while history points at them."""
    staff.user.delete()

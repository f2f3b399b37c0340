"""What a team lead's import may write: customers for their own team, never another team's.

A team lead imports into their own team, and the new customers are allocated within it (`none` is
taken as `round_robin`). A row whose phone belongs to a customer owned by someone outside the
lead's team is *held elsewhere*: counted, reported without naming the team or the owner, and
nothing of it is written (no name, remark, tag or order). A customer nobody owns is not held.
Managers' imports and the command line write to any customer.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext

from customers.imports.messages import HELD_ELSEWHERE
from customers.models import ImportJob
from staff.models import Staff, Team
from staff.roles import role_for, staff_for


@dataclass(frozen=True)
class ImportScope:
    """The staff whose customers an import may write to: a team's members, or one staff member."""

    team_id: int | None
    staff_id: int | None

    def outside(self, customer: str) -> tuple[str, list]:
        """SQL condition (and parameters) true when customer row `customer` is owned outside the scope."""
        if self.team_id is not None:
            return (
                f"({customer}.owner_id IS NOT NULL AND {customer}.owner_id NOT IN"  # noqa: S608 (an alias)
                " (SELECT s.id FROM staff_staff s WHERE s.team_id = %s))",
                [self.team_id],
            )
        return f"({customer}.owner_id IS NOT NULL AND {customer}.owner_id <> %s)", [self.staff_id]


def import_team_for(*, created_by, team: Team | None, allocation: str) -> tuple[Team | None, str]:
    """(team, allocation) of a new import: a team lead's goes to their own team and allocates within it."""
    if created_by is None or role_for(created_by) != Staff.Role.TEAM_LEAD:
        return team, allocation
    staff = staff_for(created_by)
    if team is not None and team.pk != staff.team_id:
        raise PermissionDenied(gettext("组长只能导入到本组。"))
    if staff.team_id is None:
        return None, ImportJob.Allocation.NONE
    if allocation == ImportJob.Allocation.NONE:
        allocation = ImportJob.Allocation.ROUND_ROBIN
    return staff.team, allocation


def import_scope_for(*, job: ImportJob) -> ImportScope | None:
    """The scope of a team lead's import (None: any customer may be written)."""
    user = job.created_by
    if user is None or role_for(user) != Staff.Role.TEAM_LEAD:
        return None
    staff = staff_for(user)
    return ImportScope(team_id=staff.team_id, staff_id=None if staff.team_id else staff.pk)


def import_rows_hold(cursor, *, scope: ImportScope, rows: str, tags: str) -> int:
    """Move the staged rows of customers owned outside `scope` to the row report; returns how many.

    `rows` and `tags` are staging tables (`row_no`, `phone_index`, …) of the caller's import.
    """
    outside, params = scope.outside("c")
    cursor.execute(
        f"INSERT INTO import_row_error (row_no, value, phone_encrypted, reason)"  # noqa: S608 (staging table names)
        f" SELECT r.row_no, '', r.phone_encrypted, %s FROM {rows} r"
        f" JOIN customers_customer c ON c.phone_index = r.phone_index WHERE {outside}",
        [HELD_ELSEWHERE, *params],
    )
    held = cursor.rowcount
    if held:
        held_rows = "SELECT row_no FROM import_row_error WHERE reason = %s"
        cursor.execute(f"DELETE FROM {rows} WHERE row_no IN ({held_rows})", [HELD_ELSEWHERE])  # noqa: S608
        cursor.execute(f"DELETE FROM {tags} WHERE row_no IN ({held_rows})", [HELD_ELSEWHERE])  # noqa: S608
    return held

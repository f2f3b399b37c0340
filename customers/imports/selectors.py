"""Reading lead imports: which jobs a user may see, and a job's row report."""

from django.db.models import Q, QuerySet

from customers.models import ImportJob
from customers.privacy.selectors import phones_shown_in_full, row_report_shown
from staff.models import Staff
from staff.roles import role_for, staff_for


def import_can_create(*, user) -> bool:
    """Managers and team leads import; operators do not."""
    return role_for(user) in (Staff.Role.MANAGER, Staff.Role.TEAM_LEAD)


def import_jobs_for(*, user) -> QuerySet[ImportJob]:
    """All jobs for a manager; a team lead's own uploads and those into their team; nothing else."""
    jobs = ImportJob.objects.select_related("source", "team", "created_by").order_by("-created_at", "-pk")
    role = role_for(user)
    if role == Staff.Role.MANAGER:
        return jobs
    staff = staff_for(user)
    if role == Staff.Role.TEAM_LEAD:
        return jobs.filter(Q(created_by=user) | Q(team_id=staff.team_id) if staff.team_id else Q(created_by=user))
    return jobs.none()


def import_row_report(*, job: ImportJob, user):
    """(row number, value, reason) of every row that was not imported, in row order; phone cells as
    `user` sees phones (in full for managers, masked otherwise)."""
    rows = job.row_errors.order_by("row_number").values_list("row_number", "value", "phone_encrypted", "reason")
    return row_report_shown(rows.iterator(chunk_size=5000), full=phones_shown_in_full(user=user))

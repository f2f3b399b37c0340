"""A staff member's team over time (团队历史): each period says from which day a team holds."""

from django.conf import settings
from django.db import models
from django.utils.translation import pgettext_lazy


class TeamMembership(models.Model):
    """One period of a staff member in a team: from `since` (null: from the start) until `until` (exclusive).

    No rows means the staff member has never changed team: their team on every day is `Staff.team`.
    The first change writes two periods, the team they were created in (since null) and the new one, so
    the periods of a staff member always cover every day without gaps or overlaps.
    """

    staff = models.ForeignKey("staff.Staff", on_delete=models.CASCADE, related_name="team_memberships")
    # Protected: a team someone once belonged to keeps their past days' figures.
    team = models.ForeignKey("staff.Team", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    since = models.DateField(null=True, blank=True)
    until = models.DateField(null=True, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["staff", models.F("since").asc(nulls_first=True)]
        verbose_name = pgettext_lazy("model", "团队历史")
        verbose_name_plural = pgettext_lazy("models", "团队历史")
        constraints = [
            models.UniqueConstraint(fields=["staff", "since"], name="one_team_period_start_per_staff"),
            models.UniqueConstraint(
                fields=["staff"], condition=models.Q(until__isnull=True), name="one_open_team_period_per_staff"
            ),
        ]
        indexes = [models.Index(fields=["staff", "since", "until"], name="team_period_lookup_idx")]

    def __str__(self) -> str:
        return f"{self.staff_id}: {self.team_id} since {self.since or '-'}"

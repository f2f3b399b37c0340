"""Team history in the admin: read-only on the staff member's page, and as its own list."""

from django.contrib import admin
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe

from .models import TeamMembership
from .selectors import team_history_for


class TeamHistoryAdminMixin:
    """Shows a staff member's team history, read-only, on their admin page.

    A change of team is made in the `team` field; it goes through the staff service, which dates it today.
    """

    @admin.display(description="团队历史 team history")
    def team_history(self, staff) -> str:
        if staff is None or staff.pk is None:
            return "-"
        periods = team_history_for(staff=staff)
        return format_html_join(
            mark_safe("<br>"),  # noqa: S308 - a constant separator
            "{} {}",
            ((p["team"] or "-", f"({p['since']} 起)" if p["since"] else "(入职起 from the start)") for p in periods),
        )


@admin.register(TeamMembership)
class TeamMembershipAdmin(admin.ModelAdmin):
    list_display = ["staff", "team", "since", "until", "changed_by", "created_at"]
    list_filter = ["team"]
    list_select_related = ["staff__user", "team", "changed_by"]
    search_fields = ["staff__user__username", "staff__name", "team__code"]
    readonly_fields = ["staff", "team", "since", "until", "changed_by", "created_at"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

"""Team history in the admin: read-only on the staff member's page, and as its own list."""

from django import forms
from django.contrib import admin
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from staff.teams.models import TeamMembership
from staff.teams.selectors import team_history_for
from staff.teams.validation import staff_team_change_problem


class TeamChangeAdminForm(forms.ModelForm):
    """Refuses, on the form, a change of team the staff service would refuse (it takes effect today).

    `clean` runs before the form writes its values into the instance, which still holds the saved ones.
    """

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk and "team" in self.changed_data:
            attrs = {"team": cleaned.get("team")}
            if "status" in cleaned:
                attrs["status"] = cleaned["status"]
            problem = staff_team_change_problem(staff=self.instance, attrs=attrs)
            if problem is not None:
                self.add_error("team", problem.message)
        return cleaned


class TeamHistoryAdminMixin:
    """Shows a staff member's team history, read-only, on their admin page.

    A change of team is made in the `team` field; it goes through the staff service, which dates it today.
    """

    form = TeamChangeAdminForm

    @admin.display(description=_("团队历史"))
    def team_history(self, staff) -> str:
        if staff is None or staff.pk is None:
            return "-"
        periods = team_history_for(staff=staff)
        return format_html_join(
            mark_safe("<br>"),  # noqa: S308 - a constant separator
            "{} {}",
            (
                (p["team"] or "-", _("（%(since)s 起）") % {"since": p["since"]} if p["since"] else _("（入职起）"))
                for p in periods
            ),
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

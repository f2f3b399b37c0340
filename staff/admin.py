from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from staff.audit.services import audit_staff_change, staff_snapshot
from staff.models import (
    CompetencyDimension,
    Evaluation,
    EvaluationScore,
    HandoverAudit,
    RevenueTier,
    ReviewCycle,
    Staff,
    Team,
)
from staff.services import STAFF_FIELDS, staff_update
from staff.teams.admin import TeamHistoryAdminMixin

User = get_user_model()


class StaffInline(admin.StackedInline):
    model = Staff
    can_delete = False
    fk_name = "user"
    extra = 0
    # A status change may hand customers over: it goes through the staff page, which calls staff_update.
    readonly_fields = ["status"]


admin.site.unregister(User)


@admin.register(User)
class StaffUserAdmin(UserAdmin):
    inlines = [*UserAdmin.inlines, StaffInline]
    list_display = ["username", "staff_name", "staff_role", "staff_team", "is_active", "is_superuser"]
    list_select_related = ["staff__team"]
    list_filter = [*UserAdmin.list_filter, "staff__role", "staff__team"]

    @admin.display(description=_("姓名"), ordering="staff__name")
    def staff_name(self, user) -> str:
        return getattr(getattr(user, "staff", None), "name", "")

    @admin.display(description=_("角色"), ordering="staff__role")
    def staff_role(self, user) -> str:
        staff = getattr(user, "staff", None)
        return staff.get_role_display() if staff else ""

    @admin.display(description=_("团队"), ordering="staff__team__code")
    def staff_team(self, user):
        staff = getattr(user, "staff", None)
        return staff.team if staff else None


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(Staff)
class StaffAdmin(TeamHistoryAdminMixin, admin.ModelAdmin):
    list_display = ["user", *STAFF_FIELDS]
    list_filter = ["role", "status", "hire_type", "team"]
    list_select_related = ["user", "team"]
    search_fields = ["user__username", "name", "wecom_userid"]
    raw_id_fields = ["user"]
    readonly_fields = ["team_history"]

    def save_model(self, request, obj, form, change):
        if not change:
            super().save_model(request, obj, form, change)
            return
        # Through the service, so a status change has the same effects as in the API.
        data = {field: form.cleaned_data[field] for field in form.changed_data if field in STAFF_FIELDS}
        staff = Staff.objects.select_related("user", "team").get(pk=obj.pk)
        before = staff_snapshot(staff)
        staff_update(staff=staff, data=data, performed_by=request.user)
        audit_staff_change(request=request, staff=staff, before=before)


@admin.register(CompetencyDimension)
class CompetencyDimensionAdmin(admin.ModelAdmin):
    list_display = ["code", "name_zh", "name_en", "weight", "active", "position"]
    list_editable = ["weight", "active", "position"]
    list_filter = ["active"]
    search_fields = ["code", "name_zh", "name_en"]


class RevenueTierInline(admin.TabularInline):
    model = RevenueTier
    extra = 0


@admin.register(ReviewCycle)
class ReviewCycleAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "starts_on", "ends_on"]
    search_fields = ["code", "name"]
    date_hierarchy = "starts_on"
    inlines = [RevenueTierInline]


@admin.register(RevenueTier)
class RevenueTierAdmin(admin.ModelAdmin):
    list_display = ["cycle", "name", "min_revenue", "reward"]
    list_filter = ["cycle"]
    list_select_related = ["cycle"]
    search_fields = ["name", "cycle__code"]


class EvaluationScoreInline(admin.TabularInline):
    model = EvaluationScore
    extra = 0
    fields = ["dimension", "score", "weight", "note"]
    readonly_fields = ["dimension", "score", "weight"]
    can_delete = False
    max_num = 0


@admin.register(Evaluation)
class EvaluationAdmin(admin.ModelAdmin):
    # Scores and totals come from the evaluation service; the admin only reads them.
    list_display = ["staff", "cycle", "total", "decision", "final_decision", "reviewer", "created_at"]
    list_filter = ["cycle", "decision", "final_decision", "staff__team"]
    list_select_related = ["staff__user", "cycle", "reviewer"]
    search_fields = ["staff__user__username", "staff__name", "notes"]
    readonly_fields = [
        "staff",
        "cycle",
        "reviewer",
        "total",
        "decision",
        "final_decision",
        "override_reason",
        "overridden_by",
        "overridden_at",
        "created_at",
    ]
    inlines = [EvaluationScoreInline]

    def has_add_permission(self, request):
        return False


@admin.register(EvaluationScore)
class EvaluationScoreAdmin(admin.ModelAdmin):
    # The evaluation's total and decision are computed from its scores by the evaluation service:
    # a score changed, added or deleted here would leave them stale, so only the note is editable.
    list_display = ["evaluation", "dimension", "score", "weight"]
    list_filter = ["dimension"]
    list_select_related = ["evaluation__staff__user", "evaluation__cycle", "dimension"]
    search_fields = ["evaluation__staff__user__username"]
    readonly_fields = ["evaluation", "dimension", "score", "weight"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(HandoverAudit)
class HandoverAuditAdmin(admin.ModelAdmin):
    list_display = ["from_staff", "allocation", "reason", "customers_moved", "customers_unassigned", "created_at"]
    list_filter = ["allocation", "reason"]
    list_select_related = ["from_staff__user"]
    search_fields = ["from_staff__user__username", "from_staff__name"]
    readonly_fields = [
        "from_staff",
        "performed_by",
        "allocation",
        "reason",
        "customers_moved",
        "customers_unassigned",
        "details",
        "created_at",
    ]


from staff.audit import admin as audit_admin  # noqa: E402,F401  (registers the read-only audit log)

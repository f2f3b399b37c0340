from django.contrib import admin

from staff.audit.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: the audit log is written by the application and never edited or deleted."""

    list_display = ["at", "username", "ip", "action", "object_repr"]
    list_filter = ["action", "at"]
    search_fields = ["username", "object_repr"]
    date_hierarchy = "at"
    readonly_fields = ["at", "username", "ip", "action", "object_repr", "detail"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

from django.contrib import admin

from sitadmin.readonly_admin import ReadOnlyAdmin
from staff.audit.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    """Read-only: the audit log is written by the application and never edited or deleted."""

    list_display = ["at", "username", "ip", "action", "object_repr"]
    list_filter = ["action", "at"]
    search_fields = ["username", "object_repr"]
    date_hierarchy = "at"
    readonly_fields = ["at", "username", "ip", "action", "object_repr", "detail"]

"""An admin page that shows rows the application alone writes: listed and opened, never added,
changed or deleted by hand (the audit log, events, the keyword hit folds)."""

from django.contrib import admin


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

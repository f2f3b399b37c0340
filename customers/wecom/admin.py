"""The WeCom callbacks page of the admin: what WeCom sent and what became of it, read-only."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from customers.wecom.models import WecomCallback
from customers.wecom.services import callbacks_replay


@admin.register(WecomCallback)
class WecomCallbackAdmin(admin.ModelAdmin):
    list_display = ["id", "kind", "status", "reason", "events_accepted", "deliveries", "received_at", "processed_at"]
    list_filter = ["status", "kind"]
    search_fields = ["kind", "reason", "body", "dedup_key"]
    date_hierarchy = "received_at"
    readonly_fields = [field.name for field in WecomCallback._meta.fields]
    actions = ["replay"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description=_("重新处理失败的回调"))
    def replay(self, request, queryset):
        counts = callbacks_replay(ids=list(queryset.values_list("pk", flat=True)))
        summary = ", ".join(f"{status}: {count}" for status, count in counts.items() if count)
        self.message_user(request, f"replayed — {summary or 'nothing to replay'}", messages.INFO)

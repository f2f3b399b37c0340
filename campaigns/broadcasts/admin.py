from django.contrib import admin

from campaigns.broadcasts.models import Broadcast, BroadcastRecipient


@admin.register(Broadcast)
class BroadcastAdmin(admin.ModelAdmin):
    list_display = ["title", "scheduled_at", "status", "sent_at", "team", "created_by"]
    list_filter = ["status", "team"]
    list_select_related = ["created_by__user", "team"]
    search_fields = ["title", "content"]
    readonly_fields = ["status", "sent_at"]


@admin.register(BroadcastRecipient)
class BroadcastRecipientAdmin(admin.ModelAdmin):
    list_display = ["broadcast", "customer_id", "owner", "task_id"]
    list_filter = ["broadcast"]
    list_select_related = ["broadcast", "owner__user"]
    raw_id_fields = ["customer", "owner", "task"]
    show_full_result_count = False

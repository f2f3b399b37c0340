from django.contrib import admin

from campaigns.channels.models import ChannelAdd, ChannelCode, ChannelScanCount, StaffContactQr


@admin.register(ChannelCode)
class ChannelCodeAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "source", "routing", "daily_cap", "group", "sop", "active"]
    list_filter = ["active", "routing", "source"]
    list_select_related = ["source", "group", "sop"]
    search_fields = ["code", "name"]
    filter_horizontal = ["staff", "tags"]


@admin.register(ChannelScanCount)
class ChannelScanCountAdmin(admin.ModelAdmin):
    list_display = ["channel_code", "staff", "day", "scans"]
    list_filter = ["channel_code"]
    list_select_related = ["channel_code", "staff__user"]
    date_hierarchy = "day"
    readonly_fields = ["channel_code", "staff", "day", "scans"]


@admin.register(StaffContactQr)
class StaffContactQrAdmin(admin.ModelAdmin):
    list_display = ["staff", "content_type", "uploaded_at"]
    list_select_related = ["staff__user"]
    search_fields = ["staff__user__username", "staff__name"]


@admin.register(ChannelAdd)
class ChannelAddAdmin(admin.ModelAdmin):
    list_display = ["channel_code", "customer_id", "at", "event"]
    list_filter = ["channel_code"]
    list_select_related = ["channel_code", "event"]
    raw_id_fields = ["event", "customer"]
    date_hierarchy = "at"
    show_full_result_count = False

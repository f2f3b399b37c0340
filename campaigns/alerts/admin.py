from django.contrib import admin

from campaigns.alerts.models import Alert, SensitiveWord


@admin.register(SensitiveWord)
class SensitiveWordAdmin(admin.ModelAdmin):
    list_display = ["word", "active", "created_at"]
    list_filter = ["active"]
    search_fields = ["word"]


@admin.register(Alert)
class AlertAdmin(admin.ModelAdmin):
    list_display = ["kind", "staff", "word", "count", "at", "date", "acknowledged_at"]
    list_filter = ["kind", ("acknowledged_at", admin.EmptyFieldListFilter), "staff__team"]
    list_select_related = ["staff__user"]
    search_fields = ["word", "text", "staff__user__username"]
    raw_id_fields = ["staff", "customer", "event", "acknowledged_by"]
    date_hierarchy = "at"
    show_full_result_count = False

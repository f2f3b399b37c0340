from django.contrib import admin

from metrics.models import COUNT_METRICS, RATE_METRICS, DailyKpi, KpiComputation, KpiRowsVersion


@admin.register(DailyKpi)
class DailyKpiAdmin(admin.ModelAdmin):
    # Rows are written by the KPI computation only; the admin is a read-only window on them.
    list_display = [
        "date",
        "dimension",
        "key",
        "requests",
        "fan_rate",
        "new_fans",
        "group_join_rate",
        "fans_total",
        "activity_rate",
        "reply_rate",
        "revenue",
        "revenue_per_head",
    ]
    list_filter = ["dimension"]
    search_fields = ["key"]
    date_hierarchy = "date"
    readonly_fields = ["date", "dimension", "key", *COUNT_METRICS, *RATE_METRICS, "computed_at"]
    show_full_result_count = False

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(KpiComputation)
class KpiComputationAdmin(admin.ModelAdmin):
    list_display = ["date", "computed_at", "duration_ms", "rows"]
    date_hierarchy = "date"
    readonly_fields = ["date", "computed_at", "duration_ms", "rows"]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(KpiRowsVersion)
class KpiRowsVersionAdmin(admin.ModelAdmin):
    # Drawn by the database triggers on every change of the KPI tables (metrics.cache); read-only.
    list_display = ["id", "token"]
    readonly_fields = ["token"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

from django.urls import path

from . import apis

urlpatterns = [
    path("kpis/daily/", apis.KpiDailyApi.as_view(), name="kpi-daily"),
    path("kpis/summary/", apis.KpiSummaryApi.as_view(), name="kpi-summary"),
    path("kpis/recompute/", apis.KpiRecomputeApi.as_view(), name="kpi-recompute"),
    path("kpis/tasks/<str:task_id>/", apis.KpiTaskStatusApi.as_view(), name="kpi-task"),
    path("reports/scripts/", apis.ScriptReportApi.as_view(), name="report-scripts"),
    path("reports/funnel/", apis.FunnelReportApi.as_view(), name="report-funnel"),
    path("reports/group-effect/", apis.GroupEffectReportApi.as_view(), name="report-group-effect"),
    path("reports/repurchase/", apis.RepurchaseReportApi.as_view(), name="report-repurchase"),
]

"""KPIs and reports in the API."""

from django.urls import path

from metrics.api import views

api_urlpatterns = [
    path("kpis/daily/", views.KpiDailyApi.as_view(), name="kpi-daily"),
    path("kpis/summary/", views.KpiSummaryApi.as_view(), name="kpi-summary"),
    path("kpis/recompute/", views.KpiRecomputeApi.as_view(), name="kpi-recompute"),
    path("kpis/tasks/<str:task_id>/", views.KpiTaskStatusApi.as_view(), name="kpi-task"),
    path("reports/scripts/", views.ScriptReportApi.as_view(), name="report-scripts"),
    path("reports/funnel/", views.FunnelReportApi.as_view(), name="report-funnel"),
    path("reports/group-effect/", views.GroupEffectReportApi.as_view(), name="report-group-effect"),
    path("reports/repurchase/", views.RepurchaseReportApi.as_view(), name="report-repurchase"),
]

urlpatterns: list = []

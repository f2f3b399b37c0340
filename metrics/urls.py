"""KPIs and reports in the API; the dashboard pages."""

from django.urls import path

from metrics import api, views

api_urlpatterns = [
    path("kpis/daily/", api.KpiDailyApi.as_view(), name="kpi-daily"),
    path("kpis/summary/", api.KpiSummaryApi.as_view(), name="kpi-summary"),
    path("kpis/recompute/", api.KpiRecomputeApi.as_view(), name="kpi-recompute"),
    path("kpis/tasks/<str:task_id>/", api.KpiTaskStatusApi.as_view(), name="kpi-task"),
    path("reports/scripts/", api.ScriptReportApi.as_view(), name="report-scripts"),
    path("reports/funnel/", api.FunnelReportApi.as_view(), name="report-funnel"),
    path("reports/group-effect/", api.GroupEffectReportApi.as_view(), name="report-group-effect"),
    path("reports/repurchase/", api.RepurchaseReportApi.as_view(), name="report-repurchase"),
]

urlpatterns = [
    path("dashboard/", views.overview, name="overview"),
    path("funnel/", views.funnel, name="funnel"),
    path("scripts/", views.scripts, name="scripts-ab"),
    path("groups/", views.groups, name="groups"),
    path("staff-board/", views.staff_board, name="staff-board"),
]

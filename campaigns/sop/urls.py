from django.urls import include, path
from rest_framework.routers import SimpleRouter

from campaigns.sop import api, template_views, views

router = SimpleRouter()
router.register("sop-templates", api.SopTemplateViewSet, basename="sop-template")
router.register("sop-tasks", api.SopTaskViewSet, basename="sop-task")

api_urlpatterns = [
    path("", include(router.urls)),
    path("reports/sop/", api.SopReportView.as_view(), name="report-sop"),
]

urlpatterns = [
    path("sop/tasks/<int:task_id>/done/", views.task_done, name="sop-task-done"),
    path("sop/templates/", template_views.template_list, name="sop-templates"),
    path("sop/templates/new/", template_views.template_edit, name="sop-template-new"),
    path("sop/templates/preview/", template_views.template_preview, name="sop-template-preview"),
    path("sop/templates/step-row/", template_views.template_step_row, name="sop-template-step-row"),
    path("sop/templates/<slug:code>/", template_views.template_edit, name="sop-template-edit"),
]

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
router.register("sop-templates", api.SopTemplateViewSet, basename="sop-template")
router.register("sop-tasks", api.SopTaskViewSet, basename="sop-task")

urlpatterns = [
    path("", include(router.urls)),
    path("reports/sop/", api.SopReportView.as_view(), name="report-sop"),
]
